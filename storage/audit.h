#pragma once

// The audit trail: append-only rows chained by SHA-256.
//
// Canonical encoding hashed for a row (version 1), every column in this order, each as
//   <column name> '=' <decimal byte length of the value> ':' <value bytes> '\n'
// preceded by the line "claimgate-audit-v1\n". Columns: id, time, connection, event, decision,
// error_code, subject, assertion_id, issuer, client_addr, detail, prev_hash. The id is written in
// decimal. The length prefix makes the encoding injective: no two different rows share it.
//   hash = lowercase hex SHA-256(encoding); prev_hash = the previous row's hash, and for the
//   first row (id 1) 64 zeros.
// Ids are assigned 1, 2, 3... with no gaps, and audit_head keeps the last id and hash, so a
// deleted last row is detected too. The chain detects edits made without recomputing the
// hashes; an attacker who can rewrite the whole file can rewrite the whole chain (there is no
// secret key), so copy `audit_head` elsewhere to anchor it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace claimgate::storage {

class Db;
class Txn;

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// What a caller records; id, time and hashes are filled in by AppendAudit.
struct AuditRecord {
  std::string connection;
  std::string event;       // "login", "user.add", "user.disable", ...
  std::string decision;    // "accepted" | "rejected" (logins), "applied" (admin changes)
  std::string error_code;  // "" when accepted
  std::string subject;
  std::string assertion_id;
  std::string issuer;
  std::string client_addr;
  std::string detail = "{}";  // JSON object text
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string time;  // FormatTime text
  AuditRecord record;
  std::string prev_hash;
  std::string hash;
};

// The canonical encoding described above, and its hash.
std::string CanonicalAuditEncoding(const AuditEntry& e);
std::string AuditHash(const AuditEntry& e);

// Appends one row at `now` chained to the last one; returns the new row. Must run inside the
// transaction that holds the decision it records. storage.*.
Result<AuditEntry> AppendAudit(Txn& txn, const AuditRecord& record, TimePoint now);

struct AuditVerification {
  bool ok = true;
  std::int64_t rows = 0;       // rows read
  std::int64_t broken_id = 0;  // first row at fault (0 when ok, or when only the head is off)
  std::string reason;          // why, for people
};

// Walks the chain from genesis in id order: ids contiguous from 1, prev_hash equal to the
// previous hash, hash equal to the recomputation, and the last row equal to audit_head.
// Reports the first row at fault. storage.* only when the database cannot be read.
Result<AuditVerification> VerifyAudit(Db& db);

struct AuditFilter {
  std::optional<std::string> connection, subject, event, decision;
  std::optional<TimePoint> since, until;    // inclusive / exclusive
  std::int64_t limit = -1;                  // -1 = all
};

// Rows matching every given filter, in id order.
Result<std::vector<AuditEntry>> ListAudit(Db& db, const AuditFilter& filter);

}  // namespace claimgate::storage
