#pragma once

// RAII owners for SQLite handles (STYLE C12) and the transaction guard (STYLE C13). This header
// forward-declares the C types and never includes <sqlite3.h>; only storage/sqlite.cc does.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace claimgate::storage {

struct DbCloser {
  void operator()(sqlite3* p) const noexcept;
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* p) const noexcept;
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// How a database is opened. The defaults are the ones claimgate runs with.
struct DbOptions {
  // synchronous=FULL (default): every COMMIT fsyncs the WAL, so a committed decision survives a
  // power loss or OS crash. NORMAL survives a process kill (SIGKILL) but may lose the last
  // commits on power loss. An audit trail that promises "nothing reported accepted is missing"
  // wants FULL; the benchmark prints both.
  bool synchronous_full = true;
  // How long one statement waits for another process's lock (PRAGMA busy_timeout).
  int busy_timeout_ms = 10000;
  // BEGIN IMMEDIATE is retried on SQLITE_BUSY until this much time has passed in total.
  int begin_retry_ms = 60000;
  // When false, a missing file is storage.open instead of a new empty database (for commands
  // that only read or change existing rows, so a mistyped --db is not silently "empty").
  bool create_if_missing = true;
  // Read-only (SQLITE_OPEN_READONLY; for commands that only read: an archived copy, an auditor
  // without write access). Nothing is written: no WAL switch, no migration. When the folder is
  // read-only too, the file is read as immutable, unless its -wal file holds changes.
  bool read_only = false;
};

class Db;

// A prepared statement leased from a Db's cache. Binding indexes start at 1, columns at 0.
// The destructor resets the statement and clears its bindings so the cache can reuse it (and so a
// half-read SELECT never keeps a read transaction open). Move-only.
class Query {
 public:
  Query(Query&& other) noexcept;
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query();

  Query& Bind(int index, std::int64_t value);
  Query& Bind(int index, std::string_view text);
  Query& BindNull(int index);
  Query& BindOptional(int index, const std::optional<std::string>& text);  // NULL when nullopt

  // Steps once: true when a row is available, false when done; storage.* on error (including
  // the first bind error, reported here).
  Result<bool> Step();
  // Steps until done; for INSERT/UPDATE/DELETE. Fails on error or when a row comes back.
  Status Run();

  std::int64_t Int(int column) const;
  std::string Text(int column) const;  // "" for NULL
  bool IsNull(int column) const;

 private:
  friend class Db;
  Query(Db& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
  Db* db_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = 0;  // first failing bind, reported by Step()
};

// One open connection to a claimgate database: WAL, busy timeout, foreign keys on, schema
// migrated to the version this binary knows. Move-only; closing is the destructor's job.
class Db {
 public:
  // Opens (creating if absent) and migrates. Fails with storage.open, storage.schema_too_new
  // (a database written by a newer claimgate), storage.corrupt, storage.busy or storage.io;
  // storage.read_only when a writing open finds the file or its folder read-only;
  // storage.not_claimgate for an SQLite database of another application, or an empty (0-byte)
  // file unless create_if_missing (SQLite would turn it into a database in place).
  static Result<Db> Open(const std::string& path, const DbOptions& options = DbOptions());

  Db(Db&&) noexcept = default;
  Db& operator=(Db&&) noexcept = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // A statement from the cache, prepared on first use. storage.io on a syntax error (a bug).
  Result<Query> Prepare(std::string_view sql);
  // Runs one or more statements without results (DDL, PRAGMA). Not cached.
  Status Exec(std::string_view sql);

  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t Changes() const;
  std::int64_t LastInsertId() const;
  // How many prepared statements the cache holds (each distinct SQL text once).
  std::size_t cached_statements() const { return cache_.size(); }
  const DbOptions& options() const { return options_; }
  const std::string& path() const { return path_; }

  // A Status for an SQLite result code, with the connection's error message. `what` names the
  // operation ("BEGIN IMMEDIATE").
  Status Error(int rc, std::string_view what) const;

 private:
  Db() = default;
  friend class Query;
  static Result<Db> OpenReadOnly(const std::string& path, const DbOptions& options);
  // storage.not_claimgate when the file holds tables but no claimgate schema version.
  Status CheckIsClaimgate();

  std::string path_;
  DbOptions options_;
  DbHandle handle_;
  // Declared after handle_, so statements are finalized before the connection closes.
  std::map<std::string, StmtHandle, std::less<>> cache_;
};

// A write transaction (BEGIN IMMEDIATE: the write lock is taken at the start, so two processes
// never both read-then-write and deadlock). The destructor rolls back unless Commit() succeeded;
// it never throws. Move-only.
class Txn {
 public:
  // Retries SQLITE_BUSY until DbOptions::begin_retry_ms; then storage.busy.
  static Result<Txn> BeginImmediate(Db& db);

  Txn(Txn&& other) noexcept;
  Txn& operator=(Txn&&) = delete;
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  ~Txn();

  // Persists everything done in this transaction. On failure the transaction is rolled back and
  // the Status (storage.busy / storage.io) says why. Calling it twice is an error (storage.io).
  Status Commit();

  Db& db() { return *db_; }

 private:
  explicit Txn(Db& db) : db_(&db) {}
  Db* db_;
  bool active_ = true;
};

}  // namespace claimgate::storage
