// storage/sqlite.h and storage/schema.h: pragmas, migrations, the newer-schema refusal, the
// transaction guard, the statement cache, busy handling.
#include "storage/sqlite.h"

#include <boost/test/unit_test.hpp>
#include <fstream>

#include "storage/schema.h"
#include "tests/storage/test_util.h"

namespace claimgate::storage {
namespace {

using testing::OpenDb;
using testing::RawExec;
using testing::ScalarInt;
using testing::ScalarText;
using testing::T0;
using testing::TempDir;

BOOST_AUTO_TEST_SUITE(sqlite)

BOOST_AUTO_TEST_CASE(fresh_database_has_schema_wal_foreign_keys_and_full_sync) {
  TempDir dir;
  Db db = OpenDb(dir, {});
  BOOST_TEST(ScalarInt(db, "PRAGMA user_version") == kSchemaVersion);
  BOOST_TEST(ScalarText(db, "PRAGMA journal_mode") == "wal");
  BOOST_TEST(ScalarInt(db, "PRAGMA foreign_keys") == 1);
  BOOST_TEST(ScalarInt(db, "PRAGMA synchronous") == 2);  // FULL
  BOOST_TEST(ScalarInt(db,
                       "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                       "('connections','users','audit','audit_head','replay',"
                       "'pending_requests')") == 6);
}

BOOST_AUTO_TEST_CASE(normal_sync_on_request) {
  TempDir dir;
  DbOptions options;
  options.synchronous_full = false;
  Result<Db> db = Db::Open(dir.File("n.db"), options);
  BOOST_REQUIRE(db.ok());
  BOOST_TEST(ScalarInt(*db, "PRAGMA synchronous") == 1);
}

BOOST_AUTO_TEST_CASE(reopening_keeps_data_and_version) {
  TempDir dir;
  { Db db = OpenDb(dir); }
  Result<Db> again = Db::Open(dir.File("test.db"));
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(ScalarInt(*again, "SELECT count(*) FROM connections") == 1);
  BOOST_TEST(ScalarInt(*again, "PRAGMA user_version") == kSchemaVersion);
}

BOOST_AUTO_TEST_CASE(newer_schema_is_refused_and_left_untouched) {
  TempDir dir;
  { Db db = OpenDb(dir); }
  const int newer = kSchemaVersion + 1;
  RawExec(dir.File("test.db"), "PRAGMA user_version = " + std::to_string(newer));
  Result<Db> db = Db::Open(dir.File("test.db"));
  BOOST_REQUIRE(!db.ok());
  BOOST_TEST(db.status().code() == "storage.schema_too_new");
  BOOST_TEST(db.status().message().find("version " + std::to_string(newer) + " is newer") !=
             std::string::npos);
  BOOST_TEST(db.status().message().find("(" + std::to_string(kSchemaVersion) + ")") !=
             std::string::npos);
  // Untouched: a second open finds the same version (nothing was migrated or downgraded).
  Result<Db> again = Db::Open(dir.File("test.db"));
  BOOST_REQUIRE(!again.ok());
  BOOST_TEST(again.status().message().find("version " + std::to_string(newer) + " is newer") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(not_a_database_is_corrupt) {
  TempDir dir;
  std::ofstream(dir.File("junk.db")) << std::string(4096, 'x');
  Result<Db> db = Db::Open(dir.File("junk.db"));
  BOOST_REQUIRE(!db.ok());
  BOOST_TEST(db.status().code() == "storage.corrupt");
}

BOOST_AUTO_TEST_CASE(missing_directory_cannot_open) {
  TempDir dir;
  Result<Db> db = Db::Open(dir.File("no/such/dir/x.db"));
  BOOST_REQUIRE(!db.ok());
  BOOST_TEST(db.status().code() == "storage.open");
}

BOOST_AUTO_TEST_CASE(missing_file_is_not_created_on_request) {
  TempDir dir;
  DbOptions options;
  options.create_if_missing = false;
  Result<Db> db = Db::Open(dir.File("absent.db"), options);
  BOOST_REQUIRE(!db.ok());
  BOOST_TEST(db.status().code() == "storage.open");
  BOOST_TEST(!std::filesystem::exists(dir.File("absent.db")));
}

BOOST_AUTO_TEST_CASE(txn_rolls_back_unless_committed) {
  TempDir dir;
  Db db = OpenDb(dir, {});
  {
    Result<Txn> txn = Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(PutConnection(*txn, "gone", "{}", T0()).ok());
  }  // no Commit
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM connections") == 0);
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_REQUIRE(PutConnection(*txn, "kept", "{}", T0()).ok());
  BOOST_TEST(txn->Commit().ok());
  BOOST_TEST(txn->Commit().code() == "storage.io");  // twice is a bug, reported
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM connections") == 1);
}

BOOST_AUTO_TEST_CASE(moved_txn_commits_once) {
  TempDir dir;
  Db db = OpenDb(dir, {});
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  Txn moved = std::move(*txn);
  BOOST_REQUIRE(PutConnection(moved, "a", "{}", T0()).ok());
  BOOST_TEST(moved.Commit().ok());
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM connections") == 1);
}

BOOST_AUTO_TEST_CASE(statements_are_cached_and_reused) {
  TempDir dir;
  Db db = OpenDb(dir, {});
  const std::size_t before = db.cached_statements();
  for (int i = 0; i < 5; ++i) (void)ScalarInt(db, "SELECT 41 + 1");
  BOOST_TEST(db.cached_statements() == before + 1);
  BOOST_TEST(ScalarInt(db, "SELECT 41 + 1") == 42);
}

BOOST_AUTO_TEST_CASE(syntax_error_is_storage_io) {
  TempDir dir;
  Db db = OpenDb(dir, {});
  Result<Query> q = db.Prepare("SELEC nothing");
  BOOST_REQUIRE(!q.ok());
  BOOST_TEST(q.status().code() == "storage.io");
}

BOOST_AUTO_TEST_CASE(writer_lock_held_elsewhere_gives_storage_busy) {
  TempDir dir;
  Db holder = OpenDb(dir, {});
  DbOptions impatient;
  impatient.busy_timeout_ms = 20;
  impatient.begin_retry_ms = 100;
  Result<Db> other = Db::Open(dir.File("test.db"), impatient);
  BOOST_REQUIRE(other.ok());
  Result<Txn> held = Txn::BeginImmediate(holder);
  BOOST_REQUIRE(held.ok());
  Result<Txn> blocked = Txn::BeginImmediate(*other);
  BOOST_REQUIRE(!blocked.ok());
  BOOST_TEST(blocked.status().code() == "storage.busy");
  BOOST_REQUIRE(held->Commit().ok());
  BOOST_TEST(Txn::BeginImmediate(*other).ok());
}

BOOST_AUTO_TEST_CASE(foreign_keys_are_enforced) {
  TempDir dir;
  Db db = OpenDb(dir, {});
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  Result<Query> q =
      db.Prepare("INSERT INTO replay(connection, assertion_id, expires_at) VALUES('nope', 'a', 1)");
  BOOST_REQUIRE(q.ok());
  BOOST_TEST(q->Run().code() == "storage.constraint");
}

// Issue 15: files that are not a claimgate database, and databases that cannot be written.
BOOST_AUTO_TEST_CASE(an_empty_path_is_refused) {
  // SQLite would open a private temporary database: every write lost.
  Result<Db> db = Db::Open("");
  BOOST_TEST(db.status().code() == "storage.open");
}

BOOST_AUTO_TEST_CASE(an_empty_file_is_not_a_claimgate_database_unless_creating) {
  TempDir dir;
  std::ofstream(dir.File("empty.db")).flush();
  DbOptions existing;
  existing.create_if_missing = false;
  Result<Db> db = Db::Open(dir.File("empty.db"), existing);
  BOOST_TEST(db.status().code() == "storage.not_claimgate");
  BOOST_TEST(std::filesystem::file_size(dir.File("empty.db")) == 0u);  // left as it was
  DbOptions reading;
  reading.read_only = true;
  BOOST_TEST(Db::Open(dir.File("empty.db"), reading).status().code() == "storage.not_claimgate");
  // `connection add` (create_if_missing) may make a database of it, as of a missing file.
  BOOST_TEST(Db::Open(dir.File("empty.db")).ok());
}

BOOST_AUTO_TEST_CASE(another_applications_database_is_left_alone) {
  TempDir dir;
  { Db db = OpenDb(dir, {}); }
  // Tables but no claimgate schema version: another application's SQLite file. Migrating it
  // would add claimgate's tables to someone else's data.
  RawExec(dir.File("test.db"), "PRAGMA user_version=0");
  Result<Db> db = Db::Open(dir.File("test.db"));
  BOOST_TEST(db.status().code() == "storage.not_claimgate");
  DbOptions reading;
  reading.read_only = true;
  BOOST_TEST(Db::Open(dir.File("test.db"), reading).status().code() == "storage.not_claimgate");
}

BOOST_AUTO_TEST_CASE(read_only_open_reads_and_never_writes) {
  TempDir dir;
  { Db db = OpenDb(dir, {"acme"}); }
  DbOptions reading;
  reading.read_only = true;
  Result<Db> db = Db::Open(dir.File("test.db"), reading);
  BOOST_REQUIRE_MESSAGE(db.ok(), db.status().message());
  BOOST_TEST(ScalarInt(*db, "SELECT count(*) FROM connections") == 1);
  Result<Txn> txn = Txn::BeginImmediate(*db);
  Status s = txn.ok() ? db->Exec("DELETE FROM connections") : txn.status();
  BOOST_TEST(s.code() == "storage.read_only");
  // A directory is said to be one.
  BOOST_TEST(Db::Open(dir.File(""), reading).status().message().find("is a directory") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::storage
