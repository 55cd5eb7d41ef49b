#include "storage/admin.h"

#include <utility>
#include <vector>

#include "storage/audit.h"
#include "storage/json_internal.h"
#include "storage/sqlite.h"

namespace claimgate::storage {

namespace {

AuditRecord AdminRecord(const std::string& connection, const std::string& subject,
                        std::string event, const std::string& actor, std::string detail) {
  AuditRecord a;
  a.actor = actor;
  a.connection = connection;
  a.event = std::move(event);
  a.decision = "applied";
  a.subject = subject;
  a.detail = std::move(detail);
  return a;
}

Result<bool> EditPermission(Db& db, const std::string& connection, const std::string& subject,
                            const std::string& permission, bool grant, TimePoint now,
                            const std::string& actor) {
  Result<Txn> txn = Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  Result<bool> changed = grant ? GrantPermission(*txn, connection, subject, permission, now)
                               : RevokePermission(*txn, connection, subject, permission, now);
  if (!changed.ok() || !*changed) return changed;
  Result<AuditEntry> row =
      AppendAudit(*txn, AdminRecord(connection, subject, grant ? "user.grant" : "user.revoke",
                                    actor, internal::ObjectJson({{"permission", permission}})));
  if (!row.ok()) return row.status();
  if (Status s = txn->Commit(); !s.ok()) return s;
  return true;
}

}  // namespace

Result<std::int64_t> AdminAddUser(Db& db, const NewUser& user, TimePoint now,
                                  const std::string& actor) {
  Result<Txn> txn = Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  NewUser admin_user = user;
  admin_user.origin = UserOrigin::kAdmin;
  Result<std::int64_t> id = CreateUser(*txn, admin_user, now);
  if (!id.ok()) return id.status();
  Result<AuditEntry> row = AppendAudit(
      *txn, AdminRecord(user.connection, user.subject, "user.add", actor,
                        internal::UserAddJson(user.email, user.permissions, user.attributes)));
  if (!row.ok()) return row.status();
  if (Status s = txn->Commit(); !s.ok()) return s;
  return id;
}

Result<bool> AdminSetUserStatus(Db& db, const std::string& connection, const std::string& subject,
                                UserStatus status, TimePoint now, const std::string& actor) {
  Result<Txn> txn = Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  Result<std::optional<User>> user = FindUser(db, connection, subject);
  if (!user.ok()) return user.status();
  if (!*user) {
    return Status::Error(errors::kStorageNotFound,
                         "no user '" + subject + "' on connection '" + connection + "'");
  }
  if ((*user)->status == status) return false;  // nothing changes, nothing to audit
  if (Status s = SetUserStatus(*txn, connection, subject, status, now); !s.ok()) return s;
  const char* event = status == UserStatus::kDisabled ? "user.disable" : "user.enable";
  Result<AuditEntry> row = AppendAudit(*txn, AdminRecord(connection, subject, event, actor, "{}"));
  if (!row.ok()) return row.status();
  if (Status s = txn->Commit(); !s.ok()) return s;
  return true;
}

Result<bool> AdminGrantPermission(Db& db, const std::string& connection, const std::string& subject,
                                  const std::string& permission, TimePoint now,
                                  const std::string& actor) {
  return EditPermission(db, connection, subject, permission, /*grant=*/true, now, actor);
}

Result<bool> AdminRevokePermission(Db& db, const std::string& connection,
                                   const std::string& subject, const std::string& permission,
                                   TimePoint now, const std::string& actor) {
  return EditPermission(db, connection, subject, permission, /*grant=*/false, now, actor);
}

}  // namespace claimgate::storage
