#include "storage/replay.h"

#include "base/civil_time.h"
#include "crypto/hash.h"
#include "storage/sqlite.h"

namespace claimgate::storage {

namespace {

Status UnknownConnection(const std::string& connection) {
  return Status::Error(errors::kProvisioningUnknownConnection,
                       "no connection named '" + connection + "'");
}

}  // namespace

Status CheckAndRecordAssertion(Txn& txn, const std::string& connection,
                               const std::string& assertion_id, TimePoint expires_at,
                               TimePoint now) {
  if (assertion_id.empty()) {
    return Status::Error(errors::kProvisioningInvalidRequest, "assertion ID is empty");
  }
  {
    Result<Query> q = txn.db().Prepare(
        "SELECT expires_at FROM replay WHERE connection = ?1 AND assertion_id = ?2");
    if (!q.ok()) return q.status();
    Result<bool> row = q->Bind(1, connection).Bind(2, assertion_id).Step();
    if (!row.ok()) return row.status();
    // An entry lives while now < expires_at, the same half-open window as NotOnOrAfter.
    if (*row && ToUnixMicros(now) < q->Int(0)) {
      return Status::Error(errors::kReplayDetected, "assertion ID '" + assertion_id +
                                                        "' was already used on connection '" +
                                                        connection + "'");
    }
  }
  Result<Query> ins = txn.db().Prepare(
      "INSERT INTO replay(connection, assertion_id, expires_at) VALUES(?1, ?2, ?3) "
      "ON CONFLICT(connection, assertion_id) DO UPDATE SET expires_at = excluded.expires_at");
  if (!ins.ok()) return ins.status();
  Status s = ins->Bind(1, connection).Bind(2, assertion_id).Bind(3, ToUnixMicros(expires_at)).Run();
  if (s.Is(errors::kStorageConstraint)) return UnknownConnection(connection);
  return s;
}

Result<std::int64_t> PruneExpired(Txn& txn, TimePoint now) {
  std::int64_t total = 0;
  for (const char* sql : {"DELETE FROM replay WHERE expires_at <= ?1",
                          "DELETE FROM pending_requests WHERE expires_at <= ?1"}) {
    Result<Query> q = txn.db().Prepare(sql);
    if (!q.ok()) return q.status();
    if (Status s = q->Bind(1, ToUnixMicros(now)).Run(); !s.ok()) return s;
    total += txn.db().Changes();
  }
  return total;
}

Status CreatePendingRequest(Txn& txn, const std::string& connection, const std::string& request_id,
                            const std::string& relay_state, TimePoint expires_at,
                            const std::optional<std::string>& browser_nonce) {
  if (request_id.empty()) {
    return Status::Error(errors::kStorageInvalidArgument, "request ID is empty");
  }
  Result<Query> q = txn.db().Prepare(
      "INSERT INTO pending_requests(connection, request_id, relay_state, expires_at, "
      "browser_binding) VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!q.ok()) return q.status();
  const std::optional<std::string> binding =
      browser_nonce ? std::optional<std::string>(crypto::Sha256Hex(*browser_nonce)) : std::nullopt;
  Status s = q->Bind(1, connection)
                 .Bind(2, request_id)
                 .Bind(3, relay_state)
                 .Bind(4, ToUnixMicros(expires_at))
                 .BindOptional(5, binding)
                 .Run();
  if (s.Is(errors::kStorageConstraint)) {
    // Either a duplicate ID or an unknown connection; say which.
    Result<Query> c = txn.db().Prepare("SELECT 1 FROM connections WHERE name = ?1");
    if (!c.ok()) return c.status();
    Result<bool> row = c->Bind(1, connection).Step();
    if (row.ok() && !*row) return UnknownConnection(connection);
    return Status::Error(errors::kStorageConstraint,
                         "request ID '" + request_id + "' already exists");
  }
  return s;
}

Result<std::optional<PendingRequest>> FindPendingRequest(Txn& txn, const std::string& connection,
                                                         const std::string& request_id) {
  Result<Query> q = txn.db().Prepare(
      "SELECT relay_state, expires_at, consumed, browser_binding FROM pending_requests "
      "WHERE connection = ?1 AND request_id = ?2");
  if (!q.ok()) return q.status();
  Result<bool> row = q->Bind(1, connection).Bind(2, request_id).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<PendingRequest>();
  PendingRequest p;
  p.relay_state = q->Text(0);
  p.expires_at = TimePoint(std::chrono::microseconds(q->Int(1)));
  p.answered = q->Int(2) != 0;
  if (!q->IsNull(3)) p.browser_binding = q->Text(3);
  return std::optional<PendingRequest>(std::move(p));
}

Result<bool> MarkRequestAnswered(Txn& txn, const std::string& connection,
                                 const std::string& request_id) {
  Result<Query> u = txn.db().Prepare(
      "UPDATE pending_requests SET consumed = 1 WHERE connection = ?1 AND request_id = ?2 "
      "AND consumed = 0");
  if (!u.ok()) return u.status();
  if (Status s = u->Bind(1, connection).Bind(2, request_id).Run(); !s.ok()) return s;
  return txn.db().Changes() == 1;
}

}  // namespace claimgate::storage
