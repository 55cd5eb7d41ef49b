// The only file that calls the SQLite C API (besides nothing else): handles, statements, the
// transaction guard, and the mapping of SQLite result codes to storage.* codes.
#include "storage/sqlite.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>

#include "storage/schema.h"

namespace claimgate::storage {

void DbCloser::operator()(sqlite3* p) const noexcept { ::sqlite3_close_v2(p); }
void StmtFinalizer::operator()(sqlite3_stmt* p) const noexcept { ::sqlite3_finalize(p); }

namespace {

const ErrorCode& CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return errors::kStorageBusy;
    case SQLITE_CONSTRAINT:
      return errors::kStorageConstraint;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return errors::kStorageCorrupt;
    case SQLITE_CANTOPEN:
      return errors::kStorageOpen;
    case SQLITE_READONLY:
      return errors::kStorageReadOnly;
    default:
      return errors::kStorageIo;
  }
}

// "file:" URI of a path (SQLite URI rules: '%', '?' and '#' escaped).
std::string FileUri(const std::string& path, bool immutable) {
  std::string uri = "file:";
  for (const char c : path) {
    if (c == '%')
      uri += "%25";
    else if (c == '?')
      uri += "%3f";
    else if (c == '#')
      uri += "%23";
    else
      uri += c;
  }
  return uri + (immutable ? "?mode=ro&immutable=1" : "?mode=ro");
}

Status NotClaimgate(const std::string& path, const std::string& why) {
  return Status::Error(errors::kStorageNotClaimgate,
                       "'" + path + "' " + why +
                           ", not a claimgate database; name a claimgate database, or a path "
                           "that does not exist yet for `connection add` to create one");
}

}  // namespace

// ---- Query -----------------------------------------------------------------------------------

Query::Query(Query&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}

Query::~Query() {
  if (stmt_ != nullptr) {
    ::sqlite3_reset(stmt_);
    ::sqlite3_clear_bindings(stmt_);
  }
}

Query& Query::Bind(int index, std::int64_t value) {
  const int rc = ::sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Query& Query::Bind(int index, std::string_view text) {
  const int rc =
      ::sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Query& Query::BindNull(int index) {
  const int rc = ::sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Query& Query::BindOptional(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Result<bool> Query::Step() {
  if (bind_rc_ != SQLITE_OK) return db_->Error(bind_rc_, "bind");
  const int rc = ::sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error(rc, ::sqlite3_sql(stmt_));
}

Status Query::Run() {
  Result<bool> row = Step();
  if (!row.ok()) return row.status();
  if (*row) {
    return Status::Error(errors::kStorageIo,
                         "statement returned rows: " + std::string(::sqlite3_sql(stmt_)));
  }
  return Status::Ok();
}

std::int64_t Query::Int(int column) const { return ::sqlite3_column_int64(stmt_, column); }

std::string Query::Text(int column) const {
  const unsigned char* p = ::sqlite3_column_text(stmt_, column);
  if (p == nullptr) return std::string();
  const int n = ::sqlite3_column_bytes(stmt_, column);
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
}

bool Query::IsNull(int column) const { return ::sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

// ---- Db --------------------------------------------------------------------------------------

Db::~Db() = default;

Status Db::Error(int rc, std::string_view what) const {
  std::string msg = "SQLite: ";
  msg += handle_ ? ::sqlite3_errmsg(handle_.get()) : ::sqlite3_errstr(rc);
  msg += " (";
  msg += what;
  msg += ")";
  return Status::Error(CodeFor(rc), std::move(msg));
}

Result<Db> Db::Open(const std::string& path, const DbOptions& options) {
  if (path.empty()) return Status::Error(errors::kStorageOpen, "the database path is empty");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      return Status::Error(errors::kStorageOpen,
                           "cannot open database '" + path + "': is a directory");
    }
    if (st.st_size == 0 && (!options.create_if_missing || options.read_only)) {
      return NotClaimgate(path, "is an empty file");
    }
  }
  if (options.read_only) return OpenReadOnly(path, options);
  Db db;
  db.path_ = path;
  db.options_ = options;
  sqlite3* raw = nullptr;
  const int rc = ::sqlite3_open_v2(path.c_str(), &raw,
                                   SQLITE_OPEN_READWRITE |
                                       (options.create_if_missing ? SQLITE_OPEN_CREATE : 0) |
                                       SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                                   nullptr);
  db.handle_.reset(raw);  // even on failure the handle must be closed
  if (rc != SQLITE_OK) {
    return Status::Error(errors::kStorageOpen,
                         "cannot open database '" + path +
                             "': " + (raw ? ::sqlite3_errmsg(raw) : ::sqlite3_errstr(rc)));
  }
  if (::sqlite3_db_readonly(raw, "main") == 1) {
    return Status::Error(errors::kStorageReadOnly,
                         "'" + path +
                             "' is read-only and this command writes to it (connection "
                             "list/show, users list/show and audit list/verify only read)");
  }
  ::sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  // Another application's database must not be switched to WAL or migrated.
  if (Status s = db.CheckIsClaimgate(); !s.ok()) return std::move(s).Prefixed(path + ": ");
  // journal_mode=WAL needs a brief exclusive lock the first time. It persists in the file, so
  // later opens find it already set. When several processes open a new file at once, SQLite
  // may answer SQLITE_BUSY at once, without calling the busy handler (it would deadlock: each
  // holds a shared lock and wants the exclusive one), so the switch is retried here, with
  // backoff, for as long as the busy timeout.
  const std::string pragmas =
      std::string("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=") +
      (options.synchronous_full ? "FULL" : "NORMAL") + ";";
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
  for (int attempt = 0;; ++attempt) {
    Status s = db.Exec(pragmas);
    if (s.ok()) break;
    if (!s.Is(errors::kStorageBusy) || std::chrono::steady_clock::now() >= deadline) {
      return std::move(s).Prefixed(path + ": ");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + (attempt % 8) * (attempt % 8)));
  }
  if (Status s = Migrate(db); !s.ok()) return std::move(s).Prefixed(path + ": ");
  return db;
}

Status Db::CheckIsClaimgate() {
  // One statement, so one read snapshot: read separately, another process's first migration
  // could commit in between (version 0, then tables) and a fresh claimgate database would look
  // like another application's (the SIGKILL test of pipeline_process_tests caught that).
  Result<Query> q = Prepare(
      "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM "
      "sqlite_master)");
  if (!q.ok()) return q.status();
  Result<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row)
    return Status::Error(errors::kStorageIo, "reading the schema version returned nothing");
  if (q->Int(0) != 0) return Status::Ok();  // too new: Migrate says so
  if (q->Int(1) > 0) {
    return NotClaimgate(path_,
                        "is an SQLite database of another application (tables, but no "
                        "claimgate schema version)");
  }
  return Status::Ok();
}

Result<Db> Db::OpenReadOnly(const std::string& path, const DbOptions& options) {
  for (const bool immutable : {false, true}) {
    if (immutable) {
      // Without write access to the folder SQLite cannot make the WAL index, so the file is read
      // as it stands; refused when its -wal file holds changes that reading would miss.
      struct stat wal {};
      if (::stat((path + "-wal").c_str(), &wal) == 0 && wal.st_size > 0) {
        return Status::Error(errors::kStorageReadOnly,
                             "'" + path + "-wal' holds changes not yet in '" + path +
                                 "', and reading them needs write access to its folder");
      }
    }
    Db db;
    db.path_ = path;
    db.options_ = options;
    sqlite3* raw = nullptr;
    const int rc = ::sqlite3_open_v2(
        FileUri(path, immutable).c_str(), &raw,
        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
        nullptr);
    db.handle_.reset(raw);
    if (rc != SQLITE_OK) {
      return Status::Error(errors::kStorageOpen,
                           "cannot open database '" + path +
                               "': " + (raw ? ::sqlite3_errmsg(raw) : ::sqlite3_errstr(rc)));
    }
    ::sqlite3_busy_timeout(raw, options.busy_timeout_ms);
    Result<int> version = SchemaVersion(db);
    if (!version.ok()) {
      if (!immutable && (version.status().Is(errors::kStorageReadOnly) ||
                         version.status().Is(errors::kStorageOpen))) {
        continue;  // the WAL index cannot be made: read the file as immutable
      }
      return Status(version.status()).Prefixed(path + ": ");
    }
    if (*version == 0) {
      if (Status s = db.CheckIsClaimgate(); !s.ok()) return std::move(s).Prefixed(path + ": ");
      return NotClaimgate(path, "holds no claimgate schema");
    }
    if (*version > kSchemaVersion) {
      return Status::Error(errors::kStorageSchemaTooNew,
                           path + ": database schema version " + std::to_string(*version) +
                               " is newer than this claimgate knows (" +
                               std::to_string(kSchemaVersion) + ")");
    }
    return db;
  }
  return Status::Error(errors::kStorageOpen, "cannot open database '" + path + "'");
}

Result<Query> Db::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    const int rc = ::sqlite3_prepare_v3(handle_.get(), sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    StmtHandle stmt(raw);
    if (rc != SQLITE_OK) return Error(rc, sql);
    it = cache_.emplace(std::string(sql), std::move(stmt)).first;
  }
  return Query(*this, it->second.get());
}

Status Db::Exec(std::string_view sql) {
  const std::string text(sql);
  const int rc = ::sqlite3_exec(handle_.get(), text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, sql);
  return Status::Ok();
}

std::int64_t Db::Changes() const { return ::sqlite3_changes64(handle_.get()); }
std::int64_t Db::LastInsertId() const { return ::sqlite3_last_insert_rowid(handle_.get()); }

// ---- Txn -------------------------------------------------------------------------------------

Result<Txn> Txn::BeginImmediate(Db& db) {
  // The busy handler already waits inside BEGIN IMMEDIATE; the loop covers the cases where
  // SQLite returns SQLITE_BUSY without calling it (e.g. a WAL recovery in progress elsewhere).
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(db.options().begin_retry_ms);
  std::chrono::milliseconds pause(1);
  while (true) {
    Status s = db.Exec("BEGIN IMMEDIATE");
    if (s.ok()) return Txn(db);
    if (!s.Is(errors::kStorageBusy) || std::chrono::steady_clock::now() >= deadline) return s;
    std::this_thread::sleep_for(pause);
    if (pause < std::chrono::milliseconds(50)) pause *= 2;
  }
}

Txn::Txn(Txn&& other) noexcept : db_(other.db_), active_(std::exchange(other.active_, false)) {}

Txn::~Txn() {
  if (!active_) return;
  // A failed ROLLBACK leaves nothing to do but report: SQLite rolls back on close anyway.
  if (!db_->Exec("ROLLBACK").ok()) std::fputs("claimgate: ROLLBACK failed\n", stderr);
}

Status Txn::Commit() {
  if (!active_) return Status::Error(errors::kStorageIo, "Commit() on a finished transaction");
  Status s = db_->Exec("COMMIT");
  if (s.ok()) {
    active_ = false;
    return s;
  }
  // COMMIT can fail with SQLITE_BUSY only if readers block a checkpoint; the transaction is
  // still open then, so roll it back here and report.
  active_ = false;
  (void)db_->Exec("ROLLBACK");
  return s;
}

}  // namespace claimgate::storage
