#pragma once

// The last stages of a login, admit → commit, in one transaction (DESIGN.md "Storage": a
// decision, its user change, its replay entry and its audit row commit together or not at all).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "pipeline/connection.h"
#include "pipeline/handoff.h"
#include "pipeline/solicited.h"
#include "rules/rule_set.h"
#include "storage/attributes.h"

namespace claimgate::storage {
class Db;
}

namespace claimgate::pipeline {

// A login that passed verify → solicited → map: what the commit writes.
struct MappedLogin {
  std::string subject;  // NameID
  std::string email;    // the mapped email ("" when the rules produce none)
  std::string issuer;
  std::string assertion_id;
  TimePoint replay_until{};         // the assertion's NotOnOrAfter plus the clock skew
  storage::AttributeValues worker;  // the mapped worker attributes
  Solicitation solicitation;
  std::string client_addr;  // "" when unknown
  // Set by the ACS when the connection hands logins to a product: the code is issued in the
  // login's own transaction (step 6 below).
  std::optional<HandoffGrant> handoff;
};

// A login refused before the commit stage, as its audit row records it. Subject and issuer are
// known once verification passed, else empty.
struct Refusal {
  std::string connection;
  std::string subject;
  std::string issuer;
  std::string assertion_id;
  std::string client_addr;
  Status status;
};

enum class ProvisionAction { kCreated, kUpdated, kUnchanged, kNone };
const char* ProvisionActionName(ProvisionAction a);  // "created" | ... | "none"

struct CommitOutcome {
  ProvisionAction action = ProvisionAction::kNone;  // kNone whenever status is not ok
  std::int64_t user_id = 0;                         // the account signed in (0 when refused)
  std::int64_t audit_id = 0;  // the audit row written (0 only if even that failed)
  Status status;              // ok = accepted
  std::string relay_state;    // of the pending request answered, "" otherwise
  // The account's worker attributes as stored by this login (after the attribute policy: an
  // on_create value the account had wins over the one just sent); empty when refused.
  storage::AttributeValues stored;
};

// admit → commit for one login of `config`, at `now`, in ONE transaction. `now` is the clock
// validity windows are checked with (pending request expiry, replay entries, account times);
// the audit row is dated by the wall clock at commit whatever `now` says (DESIGN.md "Audit
// integrity": `process --now` cannot date the trail):
//   1. the pending request the solicitation names is answered (AnswerPendingRequest);
//   2. replay: expired entries pruned, then the assertion recorded (replay.detected);
//   3. admit (pipeline/admit.h) against the stored account, if any;
//   4. the account created with the default permissions, or updated per the attribute policy;
//   5. the audit row (event "login", actor "idp", decision accepted, detail: action, attribute
//      diff, email change, permissions granted, rules explanation);
//   6. with login.handoff, the hand-off code (pipeline/handoff.h), naming that audit row.
// When committed the outcome is accepted, and never otherwise. A refusal by step 3 commits the
// replay entry (the assertion is spent) and a refused audit row, with no account change. Any
// other failure (a bad request, a replay, storage) rolls everything back and the refusal is
// recorded in a transaction of its own. `explanation` (the mapping's steps) goes into the
// audit detail. Never throws.
CommitOutcome CommitLogin(storage::Db& db, const ConnectionConfig& config, const MappedLogin& login,
                          const std::vector<rules::Explanation>& explanation, TimePoint now);

// One refused audit row for a login refused before the commit stage, in a transaction of its
// own, dated by the wall clock; the outcome carries the refusal's status. `explanation` is the
// mapping's, when it ran.
CommitOutcome RecordRefusal(storage::Db& db, const Refusal& refusal,
                            const std::vector<rules::Explanation>* explanation);

}  // namespace claimgate::pipeline
