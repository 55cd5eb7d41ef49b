#include "storage/audit.h"

#include "base/civil_time.h"
#include "crypto/hash.h"
#include "storage/sqlite.h"

namespace claimgate::storage {

namespace {

constexpr const char* kAuditColumns =
    "id, time, connection, event, decision, error_code, subject, assertion_id, issuer, "
    "client_addr, detail, prev_hash, hash";

void Field(std::string& out, const char* name, const std::string& value) {
  out += name;
  out += '=';
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

AuditEntry ReadEntry(const Query& q) {
  AuditEntry e;
  e.id = q.Int(0);
  e.time = q.Text(1);
  AuditRecord& r = e.record;
  r.connection = q.Text(2);
  r.event = q.Text(3);
  r.decision = q.Text(4);
  r.error_code = q.Text(5);
  r.subject = q.Text(6);
  r.assertion_id = q.Text(7);
  r.issuer = q.Text(8);
  r.client_addr = q.Text(9);
  r.detail = q.Text(10);
  e.prev_hash = q.Text(11);
  e.hash = q.Text(12);
  return e;
}

struct Head {
  std::int64_t last_id = 0;
  std::string last_hash = kGenesisHash;
};

Result<Head> ReadHead(Db& db) {
  Result<Query> q = db.Prepare("SELECT last_id, last_hash FROM audit_head WHERE singleton = 1");
  if (!q.ok()) return q.status();
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  Head head;
  if (*row) {
    head.last_id = q->Int(0);
    head.last_hash = q->Text(1);
  }
  return head;
}

// Checks one row against its predecessor; "" when it holds.
std::string CheckRow(const AuditEntry& e, std::int64_t prev_id, const std::string& prev_hash) {
  if (e.id != prev_id + 1) {
    return "row id " + std::to_string(e.id) + " follows " + std::to_string(prev_id) +
           " (a row is missing or was moved)";
  }
  if (e.prev_hash != prev_hash) return "prev_hash does not match the previous row's hash";
  if (e.hash != AuditHash(e)) return "hash does not match the row's contents (row was edited)";
  return std::string();
}

}  // namespace

std::string CanonicalAuditEncoding(const AuditEntry& e) {
  const AuditRecord& r = e.record;
  std::string out = "claimgate-audit-v1\n";
  Field(out, "id", std::to_string(e.id));
  Field(out, "time", e.time);
  Field(out, "connection", r.connection);
  Field(out, "event", r.event);
  Field(out, "decision", r.decision);
  Field(out, "error_code", r.error_code);
  Field(out, "subject", r.subject);
  Field(out, "assertion_id", r.assertion_id);
  Field(out, "issuer", r.issuer);
  Field(out, "client_addr", r.client_addr);
  Field(out, "detail", r.detail);
  Field(out, "prev_hash", e.prev_hash);
  return out;
}

std::string AuditHash(const AuditEntry& e) { return crypto::Sha256Hex(CanonicalAuditEncoding(e)); }

Result<AuditEntry> AppendAudit(Txn& txn, const AuditRecord& record, TimePoint now) {
  Result<Head> head = ReadHead(txn.db());
  if (!head.ok()) return head.status();
  AuditEntry e;
  e.id = head->last_id + 1;
  e.time = FormatTimestamp(now);
  e.record = record;
  if (e.record.detail.empty()) e.record.detail = "{}";
  e.prev_hash = head->last_hash;
  e.hash = AuditHash(e);
  if (e.hash.empty()) return Status::Error(errors::kStorageIo, "SHA-256 failed");
  Result<Query> q = txn.db().Prepare(std::string("INSERT INTO audit(") + kAuditColumns +
                                     ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                     "?12, ?13)");
  if (!q.ok()) return q.status();
  const AuditRecord& r = e.record;
  Status s = q->Bind(1, e.id)
                 .Bind(2, e.time)
                 .Bind(3, r.connection)
                 .Bind(4, r.event)
                 .Bind(5, r.decision)
                 .Bind(6, r.error_code)
                 .Bind(7, r.subject)
                 .Bind(8, r.assertion_id)
                 .Bind(9, r.issuer)
                 .Bind(10, r.client_addr)
                 .Bind(11, r.detail)
                 .Bind(12, e.prev_hash)
                 .Bind(13, e.hash)
                 .Run();
  if (!s.ok()) return s;
  Result<Query> h = txn.db().Prepare(
      "INSERT INTO audit_head(singleton, last_id, last_hash) VALUES(1, ?1, ?2) "
      "ON CONFLICT(singleton) DO UPDATE SET last_id = excluded.last_id, "
      "last_hash = excluded.last_hash");
  if (!h.ok()) return h.status();
  if (Status hs = h->Bind(1, e.id).Bind(2, e.hash).Run(); !hs.ok()) return hs;
  return e;
}

Result<AuditVerification> VerifyAudit(Db& db) {
  Result<Head> head = ReadHead(db);
  if (!head.ok()) return head.status();
  Result<Query> q = db.Prepare(std::string("SELECT ") + kAuditColumns + " FROM audit ORDER BY id");
  if (!q.ok()) return q.status();
  AuditVerification v;
  std::int64_t prev_id = 0;
  std::string prev_hash = kGenesisHash;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const AuditEntry e = ReadEntry(*q);
    ++v.rows;
    const std::string why = CheckRow(e, prev_id, prev_hash);
    if (!why.empty()) {
      v.ok = false;
      v.broken_id = e.id;
      v.reason = why;
      return v;
    }
    prev_id = e.id;
    prev_hash = e.hash;
  }
  if (head->last_id != prev_id || head->last_hash != prev_hash) {
    v.ok = false;
    v.broken_id = prev_id + 1;
    v.reason = "the chain ends at row " + std::to_string(prev_id) + " but audit_head records row " +
               std::to_string(head->last_id) + " (rows were removed from the end)";
  }
  return v;
}

Result<std::vector<AuditEntry>> ListAudit(Db& db, const AuditFilter& f) {
  Result<Query> q = db.Prepare(
      std::string("SELECT ") + kAuditColumns +
      " FROM audit WHERE (?1 IS NULL OR connection = ?1) AND (?2 IS NULL OR subject = ?2) "
      "AND (?3 IS NULL OR event = ?3) AND (?4 IS NULL OR decision = ?4) "
      "AND (?5 IS NULL OR time >= ?5) AND (?6 IS NULL OR time < ?6) ORDER BY id LIMIT ?7");
  if (!q.ok()) return q.status();
  q->BindOptional(1, f.connection).BindOptional(2, f.subject).BindOptional(3, f.event);
  q->BindOptional(4, f.decision);
  const auto text = [](const std::optional<TimePoint>& t) {
    return t ? std::optional<std::string>(FormatTimestamp(*t)) : std::nullopt;
  };
  q->BindOptional(5, text(f.since)).BindOptional(6, text(f.until)).Bind(7, f.limit);
  std::vector<AuditEntry> out;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(ReadEntry(*q));
  }
  return out;
}

}  // namespace claimgate::storage
