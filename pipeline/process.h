#pragma once

#include <optional>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "engine/saml/assertion.h"
#include "pipeline/commit.h"
#include "pipeline/connection.h"
#include "pipeline/login_context.h"
#include "rules/rule_set.h"

namespace claimgate::storage {
class Db;
}

namespace claimgate::pipeline {

// Where one login's time went, in microseconds (benchmarks, metrics).
struct StageTimes {
  long long verify_us = 0;     // decode, parse, signatures, SAML checks, extraction
  long long map_us = 0;        // rules
  long long provision_us = 0;  // the one transaction: request, replay, user, audit row
};

// The decision on one login and everything the JSON contract reports about it.
struct Decision {
  Status status;                          // ok = accepted
  std::optional<saml::Assertion> login;   // set once verification passed
  std::optional<rules::Mapping> mapping;  // set once mapping ran
  CommitOutcome provisioning;
  StageTimes times;
  bool accepted() const { return status.ok(); }
};

// A login taken through verify → solicited → map, not yet committed: the first half of Process.
struct PreparedLogin {
  Decision decision;                 // status, times and provisioning still to come
  std::optional<MappedLogin> login;  // set when every stage so far passed
  Refusal refusal;                   // otherwise: why, for its audit row
};

// verify → solicited → map: everything that needs no store. Touches nothing shared, so any
// number of logins may be prepared at once; `serve` does this outside its writer lock, so that
// one costly (or hostile) post never holds up another login's commit. The result refers to
// `connection`, which must outlive it.
PreparedLogin Prepare(const Connection& connection, std::string_view raw,
                      const LoginContext& context);

// admit → commit (pipeline/commit.h), or the refusal's audit row alone. `now` is the validity
// clock (LoginContext::now); the audit row is dated by the wall clock at commit.
Decision Commit(const Connection& connection, PreparedLogin prepared, TimePoint now,
                storage::Db& db);

// Prepare then Commit, in DESIGN.md's order: verify → solicited → map → admit → commit. Every
// decision, accepted or refused, leaves exactly one audit row. Never throws.
Decision Process(const Connection& connection, std::string_view raw, const LoginContext& context,
                 storage::Db& db);

}  // namespace claimgate::pipeline
