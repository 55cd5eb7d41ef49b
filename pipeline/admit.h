#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "pipeline/connection.h"
#include "storage/users.h"

namespace claimgate::pipeline {

// admit: whether a verified, mapped login may sign in as `user` (nullopt: no account yet), in
// this order: the connection's enforced email domains (provisioning.domain_not_allowed), the
// account's status (provisioning.user_disabled), and for an unknown subject the connection's
// mode (provisioning.unknown_user for existing-only, provisioning.sp_initiated_jit for
// jit-idp-initiated when the login was solicited).
Status Admit(const ConnectionConfig& config, const std::string& subject, const std::string& email,
             bool solicited, const std::optional<storage::User>& user);

}  // namespace claimgate::pipeline
