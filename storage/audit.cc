#include "storage/audit.h"

#include "base/civil_time.h"
#include "crypto/hash.h"
#include "storage/audit_internal.h"
#include "storage/sqlite.h"

namespace claimgate::storage {

namespace {

constexpr const char* kAuditColumns =
    "id, format, time, actor, connection, event, decision, error_code, subject, assertion_id, "
    "issuer, client_addr, detail, prev_hash, hash";

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
  e.format = static_cast<int>(q.Int(1));
  e.time = q.Text(2);
  AuditRecord& r = e.record;
  r.actor = q.Text(3);
  r.connection = q.Text(4);
  r.event = q.Text(5);
  r.decision = q.Text(6);
  r.error_code = q.Text(7);
  r.subject = q.Text(8);
  r.assertion_id = q.Text(9);
  r.issuer = q.Text(10);
  r.client_addr = q.Text(11);
  r.detail = q.Text(12);
  e.prev_hash = q.Text(13);
  e.hash = q.Text(14);
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
std::string CheckRow(const AuditEntry& e, std::int64_t prev_id, const std::string& prev_hash,
                     int prev_format) {
  if (e.id != prev_id + 1) {
    return "row id " + std::to_string(e.id) + " follows " + std::to_string(prev_id) +
           " (a row is missing or was moved)";
  }
  if (e.format != 1 && e.format != 2) {
    return "unknown hash format " + std::to_string(e.format);
  }
  if (e.format < prev_format) return "a format 1 row follows a format 2 row (format was edited)";
  if (e.prev_hash != prev_hash) return "prev_hash does not match the previous row's hash";
  if (e.hash != AuditHash(e)) return "hash does not match the row's contents (row was edited)";
  if (e.format == 1 && e.record.actor != LegacyActor(e.record.event)) {
    return "actor of a row older than the actor column was edited";
  }
  return std::string();
}

Result<AuditEntry> Append(Txn& txn, const AuditRecord& record, TimePoint time) {
  if (record.actor.empty()) {
    return Status::Error(errors::kStorageInvalidArgument, "an audit row needs an actor");
  }
  Result<Head> head = ReadHead(txn.db());
  if (!head.ok()) return head.status();
  AuditEntry e;
  e.id = head->last_id + 1;
  e.format = kAuditFormat;
  e.time = FormatTimestamp(time);
  e.record = record;
  if (e.record.detail.empty()) e.record.detail = "{}";
  e.prev_hash = head->last_hash;
  e.hash = AuditHash(e);
  if (e.hash.empty()) return Status::Error(errors::kStorageIo, "SHA-256 failed");
  Result<Query> q = txn.db().Prepare(std::string("INSERT INTO audit(") + kAuditColumns +
                                     ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                     "?12, ?13, ?14, ?15)");
  if (!q.ok()) return q.status();
  const AuditRecord& r = e.record;
  Status s = q->Bind(1, e.id)
                 .Bind(2, static_cast<std::int64_t>(e.format))
                 .Bind(3, e.time)
                 .Bind(4, r.actor)
                 .Bind(5, r.connection)
                 .Bind(6, r.event)
                 .Bind(7, r.decision)
                 .Bind(8, r.error_code)
                 .Bind(9, r.subject)
                 .Bind(10, r.assertion_id)
                 .Bind(11, r.issuer)
                 .Bind(12, r.client_addr)
                 .Bind(13, r.detail)
                 .Bind(14, e.prev_hash)
                 .Bind(15, e.hash)
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

}  // namespace

std::string CanonicalAuditEncoding(const AuditEntry& e) {
  const AuditRecord& r = e.record;
  std::string out = "claimgate-audit-v" + std::to_string(e.format) + "\n";
  Field(out, "id", std::to_string(e.id));
  Field(out, "time", e.time);
  if (e.format >= 2) Field(out, "actor", r.actor);
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

std::string SsoActor(const std::string& connection, const std::string& subject) {
  return "sso:" + connection + ":" + subject;
}

const char* LegacyActor(const std::string& event) {
  return event == "login" ? kActorIdp : kActorUnknown;
}

Result<AuditEntry> AppendAudit(Txn& txn, const AuditRecord& record) {
  return Append(txn, record, SystemClock().Now());
}

namespace internal {
Result<AuditEntry> AppendAuditAt(Txn& txn, const AuditRecord& record, TimePoint time) {
  return Append(txn, record, time);
}
}  // namespace internal

Result<AuditVerification> VerifyAudit(Db& db, const std::string& expect_head) {
  Result<Head> head = ReadHead(db);
  if (!head.ok()) return head.status();
  Result<Query> q = db.Prepare(std::string("SELECT ") + kAuditColumns + " FROM audit ORDER BY id");
  if (!q.ok()) return q.status();
  AuditVerification v;
  std::int64_t prev_id = 0;
  std::string prev_hash = kGenesisHash;
  int prev_format = 1;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const AuditEntry e = ReadEntry(*q);
    ++v.rows;
    const std::string why = CheckRow(e, prev_id, prev_hash, prev_format);
    if (!why.empty()) {
      v.ok = false;
      v.broken_id = e.id;
      v.reason = why;
      return v;
    }
    if (!expect_head.empty() && e.hash == expect_head) v.anchor_id = e.id;
    prev_id = e.id;
    prev_hash = e.hash;
    prev_format = e.format;
  }
  v.head = prev_hash;
  if (head->last_id != prev_id || head->last_hash != prev_hash) {
    v.ok = false;
    v.broken_id = prev_id + 1;
    v.reason = "the chain ends at row " + std::to_string(prev_id) + " but audit_head records row " +
               std::to_string(head->last_id) + " (rows were removed from the end)";
    return v;
  }
  if (!expect_head.empty() && v.anchor_id == 0) {
    v.ok = false;
    v.reason = "the expected head " + expect_head.substr(0, 64) + " is not a row of this chain";
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
