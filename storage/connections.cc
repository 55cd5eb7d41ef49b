#include "storage/connections.h"

#include "base/civil_time.h"
#include "storage/sqlite.h"

namespace claimgate::storage {

namespace {

ConnectionRecord ReadConnection(const Query& q) {
  return ConnectionRecord{q.Text(0), q.Text(1), q.Text(2), q.Text(3)};
}

}  // namespace

Status PutConnection(Txn& txn, const std::string& name, const std::string& config_json,
                     TimePoint now) {
  if (name.empty()) {
    return Status::Error(errors::kStorageInvalidArgument, "connection name is empty");
  }
  Result<Query> valid = txn.db().Prepare("SELECT json_valid(?1)");
  if (!valid.ok()) return valid.status();
  Result<bool> row = valid->Bind(1, config_json).Step();
  if (!row.ok()) return row.status();
  if (!*row || valid->Int(0) != 1) {
    return Status::Error(errors::kStorageInvalidArgument,
                         "connection '" + name + "': config is not valid JSON");
  }
  Result<Query> q = txn.db().Prepare(
      "INSERT INTO connections(name, config, created, updated) VALUES(?1, ?2, ?3, ?3) "
      "ON CONFLICT(name) DO UPDATE SET config = excluded.config, updated = excluded.updated");
  if (!q.ok()) return q.status();
  return q->Bind(1, name).Bind(2, config_json).Bind(3, FormatTimestamp(now)).Run();
}

Result<std::optional<ConnectionRecord>> GetConnection(Db& db, const std::string& name) {
  Result<Query> q =
      db.Prepare("SELECT name, config, created, updated FROM connections WHERE name = ?1");
  if (!q.ok()) return q.status();
  Result<bool> row = q->Bind(1, name).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<ConnectionRecord>();
  return std::optional<ConnectionRecord>(ReadConnection(*q));
}

Result<std::vector<ConnectionRecord>> ListConnections(Db& db) {
  Result<Query> q =
      db.Prepare("SELECT name, config, created, updated FROM connections ORDER BY name");
  if (!q.ok()) return q.status();
  std::vector<ConnectionRecord> out;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(ReadConnection(*q));
  }
  return out;
}

Status RemoveConnection(Txn& txn, const std::string& name) {
  Result<Query> q = txn.db().Prepare("DELETE FROM connections WHERE name = ?1");
  if (!q.ok()) return q.status();
  if (Status s = q->Bind(1, name).Run(); !s.ok()) return s;
  if (txn.db().Changes() == 0) {
    return Status::Error(errors::kStorageNotFound, "no connection named '" + name + "'");
  }
  return Status::Ok();
}

}  // namespace claimgate::storage
