// Schema v5 (DESIGN.md "Storage"): v1, the browser binding of pending requests (v2), the
// hand-off codes (v3), the audit actor and hash format (v4), the email index (v5). Times are
// ISO-8601 UTC text with microseconds
// ("2026-11-23T20:27:07.000000Z", fixed width, so text order is time order), except expiry
// columns, which are integer microseconds since the Unix epoch for cheap comparisons.
#include "storage/schema.h"

#include <string>

#include "storage/sqlite.h"

namespace claimgate::storage {

namespace {

// Version 1. users/replay/pending_requests belong to a connection and go with it (CASCADE);
// audit rows never do: the trail outlives what it describes.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE connections (
  name    TEXT PRIMARY KEY NOT NULL CHECK (length(name) > 0),
  config  TEXT NOT NULL CHECK (json_valid(config)),
  created TEXT NOT NULL,
  updated TEXT NOT NULL
);
CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  connection  TEXT NOT NULL REFERENCES connections(name) ON DELETE CASCADE ON UPDATE CASCADE,
  subject     TEXT NOT NULL CHECK (length(subject) > 0),
  email       TEXT NOT NULL DEFAULT '',
  attributes  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
  permissions TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(permissions)),
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  origin      TEXT NOT NULL CHECK (origin IN ('jit', 'admin')),
  created     TEXT NOT NULL,
  updated     TEXT NOT NULL,
  last_login  TEXT NOT NULL DEFAULT '',
  UNIQUE (connection, subject)
);
CREATE TABLE audit (
  id           INTEGER PRIMARY KEY,
  time         TEXT NOT NULL,
  connection   TEXT NOT NULL,
  event        TEXT NOT NULL,
  decision     TEXT NOT NULL,
  error_code   TEXT NOT NULL,
  subject      TEXT NOT NULL,
  assertion_id TEXT NOT NULL,
  issuer       TEXT NOT NULL,
  client_addr  TEXT NOT NULL,
  detail       TEXT NOT NULL,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
);
CREATE INDEX audit_by_connection_subject ON audit(connection, subject);
CREATE INDEX audit_by_time ON audit(time);
CREATE TABLE audit_head (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_id   INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
CREATE TABLE replay (
  connection   TEXT NOT NULL REFERENCES connections(name) ON DELETE CASCADE ON UPDATE CASCADE,
  assertion_id TEXT NOT NULL,
  expires_at   INTEGER NOT NULL,
  PRIMARY KEY (connection, assertion_id)
) WITHOUT ROWID;
CREATE INDEX replay_by_expiry ON replay(expires_at);
CREATE TABLE pending_requests (
  connection  TEXT NOT NULL REFERENCES connections(name) ON DELETE CASCADE ON UPDATE CASCADE,
  request_id  TEXT NOT NULL,
  relay_state TEXT NOT NULL DEFAULT '',
  expires_at  INTEGER NOT NULL,
  consumed    INTEGER NOT NULL DEFAULT 0 CHECK (consumed IN (0, 1)),
  PRIMARY KEY (connection, request_id)
) WITHOUT ROWID;
)sql";

// Version 2 (SECURITY.md F05): a pending request may be bound to the browser that started it.
// browser_binding is the SHA-256 (hex) of the nonce in that browser's cookie; NULL = unbound
// (a request made by `claimgate login-url`, which has no browser).
constexpr const char* kSchemaV2 = R"sql(
ALTER TABLE pending_requests ADD COLUMN browser_binding TEXT
  CHECK (browser_binding IS NULL OR length(browser_binding) = 64);
)sql";

// Version 3 (DESIGN.md "Handing the login to the product"): one-use hand-off codes. Only the
// code's SHA-256 (hex) is kept; payload is the redeem answer; used_at is NULL until redeemed.
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE handoff_codes (
  code_hash  TEXT PRIMARY KEY NOT NULL CHECK (length(code_hash) = 64),
  connection TEXT NOT NULL REFERENCES connections(name) ON DELETE CASCADE ON UPDATE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  audit_id   INTEGER NOT NULL,
  payload    TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX handoff_codes_by_expiry ON handoff_codes(expires_at);
)sql";

// Version 4 (DESIGN.md "Audit integrity"): every audit row names its actor, and says which
// canonical encoding its hash covers (storage/audit.h). Rows already written keep their hash
// (format 1, which does not cover the actor) and get the actor their event implies: "idp" for
// logins, "unknown" for the rest; VerifyAudit checks exactly that for format 1 rows.
// Self-contained: it touches only the audit table.
constexpr const char* kSchemaV4 = R"sql(
ALTER TABLE audit ADD COLUMN actor TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE audit ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
UPDATE audit SET actor = 'idp' WHERE event = 'login';
)sql";

// Version 5: the "one active account per email" check (storage/users.cc CheckEmailFree) runs on
// every login; without this index it scanned all of the connection's users.
constexpr const char* kSchemaV5 = R"sql(
CREATE INDEX IF NOT EXISTS users_by_email ON users(connection, lower(email));
)sql";

// Steps indexed by the version they produce: kMigrations[0] turns 0 into 1. Never edit a
// shipped step; add one.
constexpr const char* kMigrations[] = {kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4, kSchemaV5};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion);

Status TooNew(int found) {
  return Status::Error(
      errors::kStorageSchemaTooNew,
      "database schema version " + std::to_string(found) + " is newer than this claimgate knows (" +
          std::to_string(kSchemaVersion) + "); use a newer claimgate, or another --db");
}

}  // namespace

Result<int> SchemaVersion(Db& db) {
  Result<Query> q = db.Prepare("PRAGMA user_version");
  if (!q.ok()) return q.status();
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Error(errors::kStorageIo, "PRAGMA user_version returned nothing");
  return static_cast<int>(q->Int(0));
}

Status Migrate(Db& db) {
  // Cheap check first, without the write lock: most opens find the schema current.
  Result<int> version = SchemaVersion(db);
  if (!version.ok()) return version.status();
  if (*version > kSchemaVersion) return TooNew(*version);
  if (*version == kSchemaVersion) return Status::Ok();

  Result<Txn> txn = Txn::BeginImmediate(db);
  if (!txn.ok()) return txn.status();
  version = SchemaVersion(db);  // another process may have migrated meanwhile
  if (!version.ok()) return version.status();
  if (*version > kSchemaVersion) return TooNew(*version);
  for (int v = *version; v < kSchemaVersion; ++v) {
    if (Status s = db.Exec(kMigrations[v]); !s.ok()) return s;
    if (Status s = db.Exec("PRAGMA user_version=" + std::to_string(v + 1)); !s.ok()) return s;
  }
  return txn->Commit();
}

}  // namespace claimgate::storage
