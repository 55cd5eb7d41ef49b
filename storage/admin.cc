#include "storage/admin.h"

#include <utility>
#include <vector>

#include "storage/audit.h"
#include "storage/json_internal.h"
#include "storage/sqlite.h"

namespace claimgate::storage {

namespace {

AuditRecord AdminRecord(const std::string& connection, const std::string& subject,
                        std::string event,
                        const std::vector<std::pair<std::string, std::string>>& detail) {
  AuditRecord a;
  a.connection = connection;
  a.event = std::move(event);
  a.decision = "applied";
  a.subject = subject;
  a.detail = internal::ObjectJson(detail);
  return a;
}

Result<bool> EditPermission(Db& db, const std::string& connection, const std::string& subject,
                            const std::string& permission, bool grant, TimePoint now) {
  Result<Txn> txn = Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  Result<bool> changed = grant ? GrantPermission(*txn, connection, subject, permission, now)
                               : RevokePermission(*txn, connection, subject, permission, now);
  if (!changed.ok() || !*changed) return changed;
  Result<AuditEntry> row =
      AppendAudit(*txn,
                  AdminRecord(connection, subject, grant ? "user.grant" : "user.revoke",
                              {{"permission", permission}}),
                  now);
  if (!row.ok()) return row.status();
  if (Status s = txn->Commit(); !s.ok()) return s;
  return true;
}

}  // namespace

Result<std::int64_t> AdminAddUser(Db& db, const NewUser& user, TimePoint now) {
  Result<Txn> txn = Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  NewUser admin_user = user;
  admin_user.origin = UserOrigin::kAdmin;
  Result<std::int64_t> id = CreateUser(*txn, admin_user, now);
  if (!id.ok()) return id.status();
  Result<AuditEntry> row = AppendAudit(
      *txn,
      AdminRecord(
          user.connection, user.subject, "user.add",
          {{"email", user.email}, {"permissions", internal::StringsToJson(user.permissions)}}),
      now);
  if (!row.ok()) return row.status();
  if (Status s = txn->Commit(); !s.ok()) return s;
  return id;
}

Status AdminSetUserStatus(Db& db, const std::string& connection, const std::string& subject,
                          UserStatus status, TimePoint now) {
  Result<Txn> txn = Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  if (Status s = SetUserStatus(*txn, connection, subject, status, now); !s.ok()) return s;
  const char* event = status == UserStatus::kDisabled ? "user.disable" : "user.enable";
  Result<AuditEntry> row = AppendAudit(*txn, AdminRecord(connection, subject, event, {}), now);
  if (!row.ok()) return row.status();
  return txn->Commit();
}

Result<bool> AdminGrantPermission(Db& db, const std::string& connection, const std::string& subject,
                                  const std::string& permission, TimePoint now) {
  return EditPermission(db, connection, subject, permission, /*grant=*/true, now);
}

Result<bool> AdminRevokePermission(Db& db, const std::string& connection,
                                   const std::string& subject, const std::string& permission,
                                   TimePoint now) {
  return EditPermission(db, connection, subject, permission, /*grant=*/false, now);
}

}  // namespace claimgate::storage
