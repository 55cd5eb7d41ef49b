#include "storage/handoff.h"

#include "base/civil_time.h"
#include "crypto/hash.h"
#include "storage/sqlite.h"
#include "storage/users.h"

namespace claimgate::storage {

namespace {

TimePoint FromMicros(std::int64_t us) { return TimePoint(std::chrono::microseconds(us)); }

}  // namespace

Status InsertHandoffCode(Txn& txn, std::string_view code, const NewHandoffCode& row) {
  if (code.empty()) return Status::Error(errors::kStorageInvalidArgument, "hand-off code is empty");
  Result<Query> q = txn.db().Prepare(
      "INSERT INTO handoff_codes(code_hash, connection, user_id, audit_id, payload, expires_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  if (!q.ok()) return q.status();
  return q->Bind(1, crypto::Sha256Hex(code))
      .Bind(2, row.connection)
      .Bind(3, row.user_id)
      .Bind(4, row.audit_id)
      .Bind(5, row.payload)
      .Bind(6, ToUnixMicros(row.expires_at))
      .Run();
}

Result<std::optional<HandoffCode>> FindHandoffCode(Txn& txn, std::string_view code) {
  Result<Query> q = txn.db().Prepare(
      "SELECT h.connection, h.user_id, h.audit_id, h.payload, h.expires_at, h.used_at, "
      "u.status FROM handoff_codes h JOIN users u ON u.id = h.user_id WHERE h.code_hash = ?1");
  if (!q.ok()) return q.status();
  Result<bool> row = q->Bind(1, crypto::Sha256Hex(code)).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<HandoffCode>();
  HandoffCode c;
  c.connection = q->Text(0);
  c.user_id = q->Int(1);
  c.audit_id = q->Int(2);
  c.payload = q->Text(3);
  c.expires_at = FromMicros(q->Int(4));
  if (!q->IsNull(5)) c.used_at = FromMicros(q->Int(5));
  c.user_active = q->Text(6) == UserStatusName(UserStatus::kActive);
  return std::optional<HandoffCode>(std::move(c));
}

Result<bool> MarkHandoffCodeUsed(Txn& txn, std::string_view code, TimePoint now) {
  Result<Query> u = txn.db().Prepare(
      "UPDATE handoff_codes SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL");
  if (!u.ok()) return u.status();
  if (Status s = u->Bind(1, crypto::Sha256Hex(code)).Bind(2, ToUnixMicros(now)).Run(); !s.ok()) {
    return s;
  }
  return txn.db().Changes() == 1;
}

Result<std::int64_t> PruneHandoffCodes(Txn& txn, TimePoint before) {
  Result<Query> q = txn.db().Prepare("DELETE FROM handoff_codes WHERE expires_at <= ?1");
  if (!q.ok()) return q.status();
  if (Status s = q->Bind(1, ToUnixMicros(before)).Run(); !s.ok()) return s;
  return txn.db().Changes();
}

}  // namespace claimgate::storage
