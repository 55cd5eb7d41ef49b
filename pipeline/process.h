#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "pipeline/connection.h"
#include "engine/saml/assertion.h"
#include "rules/rule_set.h"
#include "storage/provision.h"

namespace claimgate::storage {
class Db;
}

namespace claimgate::pipeline {

// What one login asked of the pipeline, besides the posted bytes.
struct LoginContext {
  TimePoint now;
  // The AuthnRequest ID this response must answer (SP-initiated sign-on), if any.
  std::optional<std::string> in_response_to;
  std::string client_addr;  // "" when unknown
  // The ACS of `serve`: the SP keeps its AuthnRequest IDs (pending_requests). A response whose
  // signed InResponseTo names one is solicited, and that request is consumed in the login's own
  // transaction (unknown, reused or expired: in_response_to.*). Without it, `in_response_to`
  // above is the only request the response may answer.
  bool consume_pending_request = false;
  // The binding nonces the browser presented (serve's claimgate_authn_<request-id> cookies), by
  // request ID. A request bound to a browser at /login is consumed only with its nonce
  // (SECURITY.md F05: a response obtained in another browser cannot be pushed into this one).
  std::map<std::string, std::string> browser_nonces;
};

// Where one login's time went, in microseconds (benchmarks, metrics).
struct StageTimes {
  long long verify_us = 0;     // decode, parse, signatures, SAML checks, extraction
  long long map_us = 0;        // rules
  long long provision_us = 0;  // one SQLite transaction: replay, user, audit row
};

// The decision on one login and everything the JSON contract reports about it.
struct Decision {
  Status status;                          // ok = accepted
  std::optional<saml::Assertion> login;   // set once verification passed
  std::optional<rules::Mapping> mapping;  // set once mapping ran
  storage::ProvisionOutcome provisioning;
  StageTimes times;
  bool accepted() const { return status.ok(); }
};

// A login verified and mapped, not yet committed: the first half of Process.
struct PreparedLogin {
  Decision decision;                  // status, times and provisioning still to come
  storage::ProvisionRequest request;  // what the commit writes (a refusal so far in `prior`)
};

// decode → parse → verify → validate → extract → map: everything that needs no store. Touches
// nothing shared, so any number of logins may be prepared at once; `serve` does this outside
// its writer lock, so that one costly (or hostile) post never holds up another login's commit.
PreparedLogin Prepare(const Connection& connection, std::string_view raw,
                      const LoginContext& context);

// provision: replay entry, user change and audit row in one transaction (storage::Provision),
// or the refusal's audit row alone.
Decision Commit(PreparedLogin prepared, TimePoint now, storage::Db& db);

// Prepare then Commit, in DESIGN.md's order. Every decision, accepted or rejected, leaves
// exactly one audit row; the accepted user change and its audit row commit in one transaction.
// Never throws.
Decision Process(const Connection& connection, std::string_view raw, const LoginContext& context,
                 storage::Db& db);

}  // namespace claimgate::pipeline
