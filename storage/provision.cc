#include "storage/provision.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include "storage/audit.h"
#include "storage/json_internal.h"
#include "storage/replay.h"
#include "storage/sqlite.h"
#include "storage/users.h"

namespace claimgate::storage {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

Status CheckRequest(const ProvisionRequest& r) {
  const char* missing = r.connection.empty()     ? "connection"
                        : r.subject.empty()      ? "subject"
                        : r.assertion_id.empty() ? "assertion ID"
                                                 : nullptr;
  if (missing == nullptr) return Status::Ok();
  return Status::Error(errors::kProvisioningInvalidRequest,
                       std::string("provisioning request has no ") + missing);
}

// DESIGN.md: enforced_domains: the email's domain (after the last '@', case-insensitive) must
// be listed.
Status CheckDomain(const ProvisionRequest& r) {
  if (r.enforced_domains.empty()) return Status::Ok();
  const std::size_t at = r.email.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == r.email.size()) {
    return Status::Error(errors::kProvisioningDomainNotAllowed,
                         "email '" + r.email + "' has no domain; the connection enforces domains");
  }
  const std::string domain = Lower(r.email.substr(at + 1));
  for (const std::string& allowed : r.enforced_domains) {
    if (Lower(allowed) == domain) return Status::Ok();
  }
  return Status::Error(errors::kProvisioningDomainNotAllowed,
                       "email domain '" + domain + "' is not enforced by the connection");
}

// Whether the login may proceed for this account (or its absence), per mode and status.
Status Admit(const ProvisionRequest& r, const std::optional<User>& user) {
  if (user) {
    if (user->status == UserStatus::kDisabled) {
      return Status::Error(errors::kProvisioningUserDisabled,
                           "user '" + r.subject + "' is disabled");
    }
    return Status::Ok();
  }
  if (r.mode == ProvisioningMode::kExistingOnly) {
    return Status::Error(errors::kProvisioningUnknownUser,
                         "user '" + r.subject +
                             "' does not exist and the connection creates "
                             "no accounts (existing-only)");
  }
  if (r.mode == ProvisioningMode::kJitIdpInitiated && r.solicited) {
    return Status::Error(errors::kProvisioningSpInitiatedJit,
                         "user '" + r.subject +
                             "' does not exist; accounts are created only "
                             "from IdP-initiated sign-on");
  }
  return Status::Ok();
}

AuditRecord LoginRecord(const ProvisionRequest& r, const Status& s, std::string detail) {
  AuditRecord a;
  a.connection = r.connection;
  a.event = "login";
  a.decision = s.ok() ? "accepted" : "rejected";
  a.error_code = std::string(s.code());
  a.subject = r.subject;
  a.assertion_id = r.assertion_id;
  a.issuer = r.issuer;
  a.client_addr = r.client_addr;
  a.detail = std::move(detail);
  return a;
}

std::string RejectionDetail(const ProvisionRequest& r, const Status& s) {
  internal::LoginDetail d;
  d.rules_explanation = r.rules_explanation;
  d.message = s.message();
  d.error_detail = s.detail();  // STYLE C3: private detail goes to the audit row only
  return internal::LoginDetailJson(d);
}

// Writes a rejected login row in a transaction of its own.
ProvisionOutcome RecordRejection(Db& db, const ProvisionRequest& r, Status why, TimePoint now) {
  ProvisionOutcome out;
  Result<Txn> txn = Txn::BeginImmediate(db);
  if (txn.ok()) {
    Result<AuditEntry> row = AppendAudit(*txn, LoginRecord(r, why, RejectionDetail(r, why)), now);
    if (row.ok() && txn->Commit().ok()) out.audit_id = row->id;
  }
  out.status = std::move(why);
  return out;
}

struct Applied {
  ProvisionAction action = ProvisionAction::kNone;
  std::int64_t user_id = 0;
  internal::LoginDetail detail;
};

// Creates or updates the account inside `txn`; the checks have passed.
Result<Applied> ApplyLogin(Txn& txn, const ProvisionRequest& r, const std::optional<User>& user,
                           TimePoint now) {
  Applied a;
  a.detail.rules_explanation = r.rules_explanation;
  const AttributeUpdate update = ApplyAttributePolicy(
      user ? std::optional<AttributeValues>(user->attributes) : std::nullopt, r.worker, r.policies);
  a.detail.attribute_diff_json = AttributeDiffJson(update.diff);
  if (!user) {
    NewUser n{r.connection,          r.subject,        r.email, update.stored,
              r.default_permissions, UserOrigin::kJit,
              /*record_login=*/true};
    Result<std::int64_t> id = CreateUser(txn, n, now);
    if (!id.ok()) return id.status();
    a.action = ProvisionAction::kCreated;
    a.user_id = *id;
    a.detail.permissions_granted = r.default_permissions;
    return a;
  }
  a.user_id = user->id;
  std::string email = user->email;
  if (r.policies.For("email") == AttributePolicy::kAlways && !r.email.empty()) email = r.email;
  a.detail.email_from = user->email;
  a.detail.email_to = email;
  const bool changed = !update.diff.empty() || email != user->email;
  if (changed) {
    if (Status s = UpdateUserProfile(txn, user->id, email, update.stored, now); !s.ok()) return s;
  }
  if (Status s = RecordLogin(txn, user->id, now); !s.ok()) return s;
  a.action = changed ? ProvisionAction::kUpdated : ProvisionAction::kUnchanged;
  return a;
}

// Steps 0-4 of Provision in one transaction. A returned outcome is committed (accepted, or
// rejected by the domain/mode/status checks with its audit row); a returned Status means
// everything was rolled back and the rejection still has to be recorded.
Result<ProvisionOutcome> DecideAndCommit(Db& db, const ProvisionRequest& r, TimePoint now) {
  Result<Txn> txn = Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  std::string relay_state;
  if (!r.consume_request_id.empty()) {
    Result<std::string> relay =
        ConsumePendingRequest(*txn, r.connection, r.consume_request_id, now, r.browser_nonce);
    if (!relay.ok()) return relay.status();
    relay_state = *std::move(relay);
  }
  // Expired replay entries and spent requests go next (an index range scan; usually empty).
  if (Result<std::int64_t> pruned = PruneExpired(*txn, now); !pruned.ok()) return pruned.status();
  Status replay = CheckAndRecordAssertion(*txn, r.connection, r.assertion_id, r.replay_until, now);
  if (!replay.ok()) return replay;
  Result<std::optional<User>> user = FindUser(db, r.connection, r.subject);
  if (!user.ok()) return user.status();
  Status admitted = CheckDomain(r);
  if (admitted.ok()) admitted = Admit(r, *user);
  if (!admitted.ok()) {
    // The assertion is spent: keep its replay entry, record the refusal, change no account.
    Result<AuditEntry> row =
        AppendAudit(*txn, LoginRecord(r, admitted, RejectionDetail(r, admitted)), now);
    if (!row.ok() || !txn->Commit().ok()) return admitted;
    return ProvisionOutcome{ProvisionAction::kNone, 0, row->id, std::move(admitted),
                            std::move(relay_state)};
  }
  Result<Applied> applied = ApplyLogin(*txn, r, *user, now);
  if (!applied.ok()) return applied.status();
  applied->detail.action = ProvisionActionName(applied->action);
  Result<AuditEntry> row = AppendAudit(
      *txn, LoginRecord(r, Status::Ok(), internal::LoginDetailJson(applied->detail)), now);
  if (!row.ok()) return row.status();
  if (Status s = txn->Commit(); !s.ok()) return s;
  return ProvisionOutcome{applied->action, applied->user_id, row->id, Status::Ok(),
                          std::move(relay_state)};
}

}  // namespace

Result<ProvisioningMode> ParseProvisioningMode(std::string_view text) {
  if (text == "jit") return ProvisioningMode::kJit;
  if (text == "existing-only") return ProvisioningMode::kExistingOnly;
  if (text == "jit-idp-initiated") return ProvisioningMode::kJitIdpInitiated;
  return Status::Error(errors::kProvisioningInvalidRequest,
                       "provisioning mode '" + std::string(text.substr(0, 64)) +
                           "' is not jit, existing-only or jit-idp-initiated");
}

const char* ProvisionActionName(ProvisionAction a) {
  switch (a) {
    case ProvisionAction::kCreated:
      return "created";
    case ProvisionAction::kUpdated:
      return "updated";
    case ProvisionAction::kUnchanged:
      return "unchanged";
    case ProvisionAction::kNone:
      return "none";
  }
  return "none";
}

ProvisionOutcome Provision(Db& db, const ProvisionRequest& r, TimePoint now) {
  if (!r.prior.ok()) return RecordRejection(db, r, r.prior, now);
  if (Status s = CheckRequest(r); !s.ok()) return RecordRejection(db, r, std::move(s), now);
  // DecideAndCommit's transaction has ended (committed or rolled back) when it returns, so the
  // rejection row can take a transaction of its own.
  Result<ProvisionOutcome> decided = DecideAndCommit(db, r, now);
  if (decided.ok()) return *std::move(decided);
  return RecordRejection(db, r, decided.status(), now);
}

}  // namespace claimgate::storage
