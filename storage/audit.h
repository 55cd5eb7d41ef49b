#pragma once

// The audit trail: append-only rows chained by SHA-256.
//
// Canonical encoding hashed for a row, every column in this order, each as
//   <column name> '=' <decimal byte length of the value> ':' <value bytes> '\n'
// preceded by the line "claimgate-audit-v<format>\n". The row's `format` column says which:
//   format 2 (every row written since schema v4): id, time, actor, connection, event, decision,
//     error_code, subject, assertion_id, issuer, client_addr, detail, prev_hash;
//   format 1 (rows written before): the same without actor. Their actor was set by the schema v4
//     migration ("idp" for event "login", "unknown" otherwise), so VerifyAudit checks exactly
//     that value for a format 1 row, and a format 1 row after a format 2 row is a fault.
// The id is written in decimal. The length prefix makes the encoding injective: no two
// different rows share it.
//   hash = lowercase hex SHA-256(encoding); prev_hash = the previous row's hash, and for the
//   first row (id 1) 64 zeros.
// The time is the wall clock when the row was appended (never a clock a caller chose).
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

// Who caused a row (DESIGN.md "Audit integrity"): "idp" for logins, "cli:<unix user>" for
// commands, "token" for a bearer-token API caller, "sso:<connection>:<subject>" for a person
// signed in through claimgate; "unknown" only on rows older than the actor column.
inline constexpr char kActorIdp[] = "idp";
inline constexpr char kActorToken[] = "token";
inline constexpr char kActorUnknown[] = "unknown";
std::string SsoActor(const std::string& connection, const std::string& subject);

// The hash format of new rows; see above.
inline constexpr int kAuditFormat = 2;

// What a caller records; id, time and hashes are filled in by AppendAudit.
struct AuditRecord {
  std::string actor;  // see kActor*; never empty in a new row
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
  int format = kAuditFormat;  // the hash format (1 or 2)
  std::string time;           // FormatTime text
  AuditRecord record;
  std::string prev_hash;
  std::string hash;
};

// The canonical encoding described above, and its hash.
std::string CanonicalAuditEncoding(const AuditEntry& e);
std::string AuditHash(const AuditEntry& e);

// The actor a format 1 row was given by the schema v4 migration.
const char* LegacyActor(const std::string& event);

// Appends one row chained to the last one, dated by the wall clock now (whatever clock the
// caller checks validity windows with); returns the new row. Must run inside the transaction
// that holds the decision it records. storage.invalid_argument when the actor is empty; storage.*.
Result<AuditEntry> AppendAudit(Txn& txn, const AuditRecord& record);

struct AuditVerification {
  bool ok = true;
  std::int64_t rows = 0;       // rows read
  std::int64_t broken_id = 0;  // first row at fault (0 when ok, or when only the head is off)
  std::string reason;          // why, for people
  std::string head;            // the last row's hash (kGenesisHash when there are none)
  std::int64_t anchor_id = 0;  // the row whose hash is the expected head (0: none, or not asked)
};

// Walks the chain from genesis in id order: ids contiguous from 1, prev_hash equal to the
// previous hash, hash equal to the recomputation (per the row's format), and the last row equal
// to audit_head. Reports the first row at fault. When `expect_head` is not empty (lowercase hex),
// the chain is also not ok unless some verified row's hash equals it (a head printed earlier and
// kept elsewhere: rows before it cannot have been rewritten since). storage.* only when the
// database cannot be read.
Result<AuditVerification> VerifyAudit(Db& db, const std::string& expect_head = "");

struct AuditFilter {
  std::optional<std::string> connection, subject, event, decision;
  std::optional<TimePoint> since, until;  // inclusive / exclusive
  std::int64_t limit = -1;                // -1 = all
};

// Rows matching every given filter, in id order.
Result<std::vector<AuditEntry>> ListAudit(Db& db, const AuditFilter& filter);

}  // namespace claimgate::storage
