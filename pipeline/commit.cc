#include "pipeline/commit.h"

#include <optional>
#include <utility>

#include "pipeline/admit.h"
#include "pipeline/attribute_policy.h"
#include "pipeline/audit_detail.h"
#include "storage/audit.h"
#include "storage/replay.h"
#include "storage/sqlite.h"
#include "storage/users.h"

namespace claimgate::pipeline {

namespace {

storage::AuditRecord LoginRow(const std::string& connection, const std::string& subject,
                              const std::string& issuer, const std::string& assertion_id,
                              const std::string& client_addr, const Status& s, std::string detail) {
  storage::AuditRecord a;
  a.actor = storage::kActorIdp;
  a.connection = connection;
  a.event = "login";
  a.decision = s.ok() ? "accepted" : "rejected";
  a.error_code = std::string(s.code());
  a.subject = subject;
  a.assertion_id = assertion_id;
  a.issuer = issuer;
  a.client_addr = client_addr;
  a.detail = std::move(detail);
  return a;
}

std::string RefusalDetail(const Status& s, const std::vector<rules::Explanation>* explanation) {
  LoginDetail d;
  d.rules = explanation;
  d.message = s.message();
  d.error_detail = s.detail();  // STYLE C3: private detail goes to the audit row only
  return LoginDetailJson(d);
}

Refusal RefusalOf(const ConnectionConfig& config, const MappedLogin& login, Status status) {
  return Refusal{config.name,        login.subject,     login.issuer,
                 login.assertion_id, login.client_addr, std::move(status)};
}

struct Applied {
  ProvisionAction action = ProvisionAction::kNone;
  std::int64_t user_id = 0;
  LoginDetail detail;
  storage::AttributeValues stored;
};

// Creates or updates the account inside `txn`; admission has passed.
Result<Applied> ApplyLogin(storage::Txn& txn, const ConnectionConfig& config,
                           const MappedLogin& login, const std::optional<storage::User>& user,
                           TimePoint now) {
  Applied a;
  const AttributeUpdate update =
      ApplyAttributePolicy(user ? std::optional<AttributeValues>(user->attributes) : std::nullopt,
                           login.worker, config.attribute_policies);
  a.detail.attributes = update.diff;
  a.stored = update.stored;
  if (!user) {
    const storage::NewUser n{config.name,
                             login.subject,
                             login.email,
                             update.stored,
                             config.default_permissions,
                             storage::UserOrigin::kJit,
                             /*record_login=*/true};
    Result<std::int64_t> id = storage::CreateUser(txn, n, now);
    if (!id.ok()) return id.status();
    a.action = ProvisionAction::kCreated;
    a.user_id = *id;
    a.detail.permissions_granted = config.default_permissions;
    return a;
  }
  a.user_id = user->id;
  std::string email = user->email;
  if (config.attribute_policies.For("email") == AttributePolicy::kAlways && !login.email.empty()) {
    email = login.email;
  }
  a.detail.email_from = user->email;
  a.detail.email_to = email;
  const bool changed = !update.diff.empty() || email != user->email;
  if (changed) {
    if (Status s = storage::UpdateUserProfile(txn, user->id, email, update.stored, now); !s.ok()) {
      return s;
    }
  }
  if (Status s = storage::RecordLogin(txn, user->id, now); !s.ok()) return s;
  a.action = changed ? ProvisionAction::kUpdated : ProvisionAction::kUnchanged;
  return a;
}

// Step 6: the hand-off code, with the account as this transaction leaves it.
Status IssueCode(storage::Txn& txn, const ConnectionConfig& config, const MappedLogin& login,
                 std::int64_t user_id, std::int64_t audit_id, TimePoint now) {
  Result<std::optional<storage::User>> user =
      storage::FindUser(txn.db(), config.name, login.subject);
  if (!user.ok()) return user.status();
  if (!user->has_value()) {
    return Status::Error(errors::kStorageNotFound, "the signed-in account vanished");
  }
  const HandedOffLogin handed{config.name,          user_id, login.subject, (*user)->email,
                              (*user)->permissions, audit_id};
  return IssueHandoffCode(txn, *login.handoff, handed, now);
}

// Steps 1-6 in one transaction. A returned outcome is committed (accepted, or refused by
// admission with its audit row); a returned Status means everything was rolled back and the
// refusal still has to be recorded.
Result<CommitOutcome> AdmitAndCommit(storage::Db& db, const ConnectionConfig& config,
                                     const MappedLogin& login,
                                     const std::vector<rules::Explanation>& explanation,
                                     TimePoint now) {
  Result<storage::Txn> txn = storage::Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  std::string relay_state;
  if (!login.solicitation.pending_request_id.empty()) {
    Result<std::string> relay =
        AnswerPendingRequest(*txn, config.name, login.solicitation.pending_request_id, now,
                             login.solicitation.browser_nonce);
    if (!relay.ok()) return relay.status();
    relay_state = *std::move(relay);
  }
  // Expired replay entries and spent requests go next (an index range scan; usually empty).
  if (Result<std::int64_t> pruned = storage::PruneExpired(*txn, now); !pruned.ok()) {
    return pruned.status();
  }
  if (Status s = storage::CheckAndRecordAssertion(*txn, config.name, login.assertion_id,
                                                  login.replay_until, now);
      !s.ok()) {
    return s;
  }
  Result<std::optional<storage::User>> user = storage::FindUser(db, config.name, login.subject);
  if (!user.ok()) return user.status();
  Status admitted = Admit(config, login.subject, login.email, login.solicitation.solicited, *user);
  if (!admitted.ok()) {
    // The assertion is spent: keep its replay entry, record the refusal, change no account.
    Result<storage::AuditEntry> row = storage::AppendAudit(
        *txn, LoginRow(config.name, login.subject, login.issuer, login.assertion_id,
                       login.client_addr, admitted, RefusalDetail(admitted, &explanation)));
    if (!row.ok() || !txn->Commit().ok()) return admitted;
    return CommitOutcome{ProvisionAction::kNone, 0, row->id, std::move(admitted),
                         std::move(relay_state), {}};
  }
  Result<Applied> applied = ApplyLogin(*txn, config, login, *user, now);
  if (!applied.ok()) return applied.status();
  applied->detail.action = ProvisionActionName(applied->action);
  applied->detail.rules = &explanation;
  Result<storage::AuditEntry> row = storage::AppendAudit(
      *txn, LoginRow(config.name, login.subject, login.issuer, login.assertion_id,
                     login.client_addr, Status::Ok(), LoginDetailJson(applied->detail)));
  if (!row.ok()) return row.status();
  if (login.handoff) {
    if (Status s = IssueCode(*txn, config, login, applied->user_id, row->id, now); !s.ok()) {
      return s;
    }
  }
  if (Status s = txn->Commit(); !s.ok()) return s;
  return CommitOutcome{applied->action, applied->user_id,       row->id,
                       Status::Ok(),    std::move(relay_state), std::move(applied->stored)};
}

}  // namespace

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

CommitOutcome RecordRefusal(storage::Db& db, const Refusal& r,
                            const std::vector<rules::Explanation>* explanation) {
  CommitOutcome out;
  Result<storage::Txn> txn = storage::Txn::BeginImmediate(db);
  if (txn.ok()) {
    Result<storage::AuditEntry> row = storage::AppendAudit(
        *txn, LoginRow(r.connection, r.subject, r.issuer, r.assertion_id, r.client_addr, r.status,
                       RefusalDetail(r.status, explanation)));
    if (row.ok() && txn->Commit().ok()) out.audit_id = row->id;
  }
  out.status = r.status;
  return out;
}

CommitOutcome CommitLogin(storage::Db& db, const ConnectionConfig& config, const MappedLogin& login,
                          const std::vector<rules::Explanation>& explanation, TimePoint now) {
  const char* missing = login.subject.empty()        ? "subject"
                        : login.assertion_id.empty() ? "assertion ID"
                                                     : nullptr;
  if (missing != nullptr) {
    return RecordRefusal(db,
                         RefusalOf(config, login,
                                   Status::Error(errors::kProvisioningInvalidRequest,
                                                 std::string("the login has no ") + missing)),
                         &explanation);
  }
  // AdmitAndCommit's transaction has ended (committed or rolled back) when it returns, so the
  // refusal row can take a transaction of its own.
  Result<CommitOutcome> decided = AdmitAndCommit(db, config, login, explanation, now);
  if (decided.ok()) return *std::move(decided);
  return RecordRefusal(db, RefusalOf(config, login, decided.status()), &explanation);
}

}  // namespace claimgate::pipeline
