#pragma once

// The pipeline's last stage: one login's replay check, account creation or update, and audit
// row, committed together in one transaction (DESIGN.md "Storage").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "storage/attributes.h"

namespace claimgate::storage {

class Db;

// DESIGN.md "A connection": provisioning.mode.
enum class ProvisioningMode {
  kJit,              // create on first login with the default permissions
  kExistingOnly,     // only accounts made by `users add` may sign in (console)
  kJitIdpInitiated,  // create only from an unsolicited (IdP-initiated) response (sendgrid)
};
// "jit" | "existing-only" | "jit-idp-initiated"; provisioning.invalid_request otherwise.
Result<ProvisioningMode> ParseProvisioningMode(std::string_view text);

// Everything the provisioning stage needs about one login. Plain data: the pipeline fills it
// from the connection, the validated assertion and the mapped worker.
struct ProvisionRequest {
  std::string connection;
  ProvisioningMode mode = ProvisioningMode::kJit;
  std::string subject;  // NameID
  std::string email;    // the mapped email ("" when the rules produce none)
  std::string issuer;
  std::string assertion_id;
  TimePoint replay_until{};                      // the assertion's NotOnOrAfter plus the clock skew
  AttributeValues worker;                        // the mapped worker attributes
  std::vector<std::string> default_permissions;  // granted on creation
  AttributePolicies policies;                    // for returning users ("email" included)
  std::vector<std::string> enforced_domains;     // empty = any; else the email's domain must match
  bool solicited = false;  // the response answers an AuthnRequest (SP-initiated)
  // When not empty: the InResponseTo of a response to a request stored with
  // CreatePendingRequest (serve/login-url). Provision consumes it in the same transaction
  // (in_response_to.unknown_request / request_reused / request_expired). Leave empty when the
  // caller checked InResponseTo itself (process --in-response-to).
  std::string consume_request_id;
  // The browser's nonce for consume_request_id (serve's binding cookie; SECURITY.md F05), if the
  // caller has one. A request bound to a browser is refused without it.
  std::optional<std::string> browser_nonce;
  std::string client_addr;        // "" when unknown
  std::string rules_explanation;  // JSON from the rules stage, embedded in the audit detail
  // Non-ok when an earlier stage rejected the login: Provision then only writes the rejected
  // audit row (no replay entry, no account change) and returns this status.
  Status prior;
};

enum class ProvisionAction { kCreated, kUpdated, kUnchanged, kNone };
const char* ProvisionActionName(ProvisionAction a);  // "created" | ... | "none"

struct ProvisionOutcome {
  ProvisionAction action = ProvisionAction::kNone;  // kNone whenever status is not ok
  std::int64_t user_id = 0;                         // the account signed in (0 when rejected)
  std::int64_t audit_id = 0;  // the audit row written (0 only if even that failed)
  Status status;              // ok = accepted
  std::string relay_state;    // of the request consumed (consume_request_id), "" otherwise
};

// Decides and records one login at `now`:
//   0. when consume_request_id is set: ConsumePendingRequest with browser_nonce
//      (in_response_to.*);
//   1. replay: PruneExpired, then CheckAndRecordAssertion (replay.detected);
//   2. enforced domains (provisioning.domain_not_allowed);
//   3. account: found → disabled? (provisioning.user_disabled) else update per `policies`;
//      unknown → create (jit; jit-idp-initiated when !solicited) with default_permissions, or
//      reject (provisioning.unknown_user; provisioning.sp_initiated_jit);
//   4. the audit row (event "login", decision accepted, detail: action, attribute diff, email
//      change, permissions granted, rules explanation).
// Steps 0-4 commit in ONE transaction; when committed, the outcome is accepted, and never
// otherwise. A rejection in steps 2-3 commits the replay entry (the assertion is spent) and a
// rejected audit row, with no account change. A replay, a bad InResponseTo, an invalid
// request, or a storage
// failure rolls everything back and writes the rejected audit row in a transaction of its own.
// Never throws.
ProvisionOutcome Provision(Db& db, const ProvisionRequest& request, TimePoint now);

}  // namespace claimgate::storage
