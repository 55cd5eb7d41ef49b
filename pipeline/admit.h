#pragma once

#include <optional>
#include <string>
#include <string_view>

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

// A DNS name like acme.example: two or more labels of letters, digits and '-' (not at either end
// of a label), 253 characters at most. No '@', no wildcard, no trailing dot.
bool IsDomainName(std::string_view text);

// The email of an account an administrator creates: one '@' between a non-empty local part
// without spaces or control characters and a domain name (IsDomainName); then the connection's
// enforced domains (provisioning.domain_not_allowed). storage.invalid_argument when malformed.
Status CheckAccountEmail(const ConnectionConfig& config, const std::string& email);

}  // namespace claimgate::pipeline
