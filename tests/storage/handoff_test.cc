// storage/handoff.h: hand-off codes stored as their SHA-256 only, used once, pruned by expiry;
// and the schema v3 migration that adds them.
#include "storage/handoff.h"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "crypto/hash.h"
#include "storage/schema.h"
#include "storage/users.h"
#include "tests/storage/test_util.h"

namespace claimgate::storage {
namespace {

using testing::At;
using testing::OpenDb;
using testing::RawExec;
using testing::ScalarInt;
using testing::ScalarText;
using testing::T0;
using testing::TempDir;

constexpr char kCode[] = "Zm9vYmFyLWhhbmRvZmYtY29kZS1mb3ItdGVzdHMtMDE";

std::int64_t AddUser(Db& db, const std::string& subject) {
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  Result<std::int64_t> id = CreateUser(
      *txn, NewUser{"acme", subject, subject, {}, {"agent"}, UserOrigin::kJit, true}, T0());
  BOOST_REQUIRE(id.ok());
  BOOST_REQUIRE(txn->Commit().ok());
  return *id;
}

NewHandoffCode Row(std::int64_t user_id, TimePoint expires_at) {
  NewHandoffCode r;
  r.connection = "acme";
  r.user_id = user_id;
  r.audit_id = 7;
  r.payload = R"({"subject":"alice"})";
  r.expires_at = expires_at;
  return r;
}

// Every byte of every file of the database (main file, WAL, shared memory).
std::string AllDbBytes(const TempDir& dir) {
  std::string all;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::ifstream in(dir.File(std::string("test.db") + suffix), std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    all += s.str();
  }
  return all;
}

BOOST_AUTO_TEST_SUITE(handoff)

BOOST_AUTO_TEST_CASE(stored_as_its_hash_and_found_by_the_plain_code) {
  TempDir dir;
  {
    Db db = OpenDb(dir);
    const std::int64_t alice = AddUser(db, "alice");
    Result<Txn> txn = Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(InsertHandoffCode(*txn, kCode, Row(alice, At("2026-01-01T00:01:00Z"))).ok());
    Result<std::optional<HandoffCode>> found = FindHandoffCode(*txn, kCode);
    BOOST_REQUIRE(found.ok() && found->has_value());
    BOOST_TEST((*found)->connection == "acme");
    BOOST_TEST((*found)->user_id == alice);
    BOOST_TEST((*found)->audit_id == 7);
    BOOST_TEST((*found)->payload == R"({"subject":"alice"})");
    BOOST_TEST(((*found)->expires_at == At("2026-01-01T00:01:00Z")));
    BOOST_TEST(!(*found)->used_at.has_value());
    Result<std::optional<HandoffCode>> other = FindHandoffCode(*txn, std::string(kCode) + "x");
    BOOST_REQUIRE(other.ok());
    BOOST_TEST(!other->has_value());
    BOOST_REQUIRE(txn->Commit().ok());
    BOOST_TEST(ScalarText(db, "SELECT code_hash FROM handoff_codes") == crypto::Sha256Hex(kCode));
    BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM handoff_codes WHERE instr(code_hash, '" +
                                 std::string(kCode) + "') > 0") == 0);
  }
  // Closed: whatever SQLite wrote, in any file, never holds the plain code.
  const std::string bytes = AllDbBytes(dir);
  BOOST_TEST(bytes.find("alice") != std::string::npos);  // the search does see stored text
  BOOST_TEST(bytes.find(kCode) == std::string::npos);
  BOOST_TEST(bytes.find(crypto::Sha256Hex(kCode)) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(marked_used_exactly_once) {
  TempDir dir;
  Db db = OpenDb(dir);
  const std::int64_t alice = AddUser(db, "alice");
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_REQUIRE(InsertHandoffCode(*txn, kCode, Row(alice, At("2026-01-01T00:01:00Z"))).ok());
  Result<bool> first = MarkHandoffCodeUsed(*txn, kCode, At("2026-01-01T00:00:10Z"));
  BOOST_REQUIRE(first.ok());
  BOOST_TEST(*first);
  Result<bool> second = MarkHandoffCodeUsed(*txn, kCode, At("2026-01-01T00:00:20Z"));
  BOOST_REQUIRE(second.ok());
  BOOST_TEST(!*second);
  Result<bool> unknown = MarkHandoffCodeUsed(*txn, "nope", At("2026-01-01T00:00:20Z"));
  BOOST_REQUIRE(unknown.ok());
  BOOST_TEST(!*unknown);
  Result<std::optional<HandoffCode>> found = FindHandoffCode(*txn, kCode);
  BOOST_REQUIRE(found.ok() && found->has_value() && (*found)->used_at.has_value());
  BOOST_TEST((*(*found)->used_at == At("2026-01-01T00:00:10Z")));  // the first use stays
}

BOOST_AUTO_TEST_CASE(prune_removes_only_codes_expired_by_then) {
  TempDir dir;
  Db db = OpenDb(dir);
  const std::int64_t alice = AddUser(db, "alice");
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_REQUIRE(InsertHandoffCode(*txn, "old", Row(alice, At("2026-01-01T00:01:00Z"))).ok());
  BOOST_REQUIRE(InsertHandoffCode(*txn, "edge", Row(alice, At("2026-01-01T00:02:00Z"))).ok());
  BOOST_REQUIRE(InsertHandoffCode(*txn, "new", Row(alice, At("2026-01-01T00:03:00Z"))).ok());
  Result<std::int64_t> pruned = PruneHandoffCodes(*txn, At("2026-01-01T00:02:00Z"));
  BOOST_REQUIRE(pruned.ok());
  BOOST_TEST(*pruned == 2);
  BOOST_REQUIRE(txn->Commit().ok());
  BOOST_TEST(ScalarText(db, "SELECT code_hash FROM handoff_codes") == crypto::Sha256Hex("new"));
}

BOOST_AUTO_TEST_CASE(bad_rows_are_refused) {
  TempDir dir;
  Db db = OpenDb(dir);
  const std::int64_t alice = AddUser(db, "alice");
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_TEST(InsertHandoffCode(*txn, "", Row(alice, T0())).code() == "storage.invalid_argument");
  BOOST_TEST(InsertHandoffCode(*txn, "c1", Row(alice + 100, T0())).code() == "storage.constraint");
  NewHandoffCode other = Row(alice, T0());
  other.connection = "nope";
  BOOST_TEST(InsertHandoffCode(*txn, "c2", other).code() == "storage.constraint");
  NewHandoffCode array = Row(alice, T0());
  array.payload = "[1]";
  BOOST_TEST(InsertHandoffCode(*txn, "c3", array).code() == "storage.constraint");
  BOOST_REQUIRE(InsertHandoffCode(*txn, "c4", Row(alice, T0())).ok());
  BOOST_TEST(InsertHandoffCode(*txn, "c4", Row(alice, T0())).code() == "storage.constraint");
}

BOOST_AUTO_TEST_CASE(codes_go_with_their_connection_and_user) {
  TempDir dir;
  Db db = OpenDb(dir);
  const std::int64_t alice = AddUser(db, "alice");
  {
    Result<Txn> txn = Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(InsertHandoffCode(*txn, kCode, Row(alice, T0())).ok());
    BOOST_REQUIRE(txn->Commit().ok());
  }
  BOOST_REQUIRE(db.Exec("DELETE FROM users").ok());
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM handoff_codes") == 0);
}

BOOST_AUTO_TEST_CASE(version_2_database_migrates_in_place) {
  TempDir dir;
  { Db db = OpenDb(dir); }
  // Make it what schema v2 was: no handoff_codes table, no audit actor or format (v4),
  // user_version 2, one stored request.
  RawExec(dir.File("test.db"),
          "DROP TABLE handoff_codes; "
          "ALTER TABLE audit DROP COLUMN actor; ALTER TABLE audit DROP COLUMN format; "
          "INSERT INTO pending_requests(connection, request_id, relay_state, expires_at) "
          "VALUES('acme', '_kept', '/kept', 9000000000000000); PRAGMA user_version = 2");
  Result<Db> db = Db::Open(dir.File("test.db"));
  BOOST_REQUIRE_MESSAGE(db.ok(), db.status().message());
  BOOST_TEST(ScalarInt(*db, "PRAGMA user_version") == kSchemaVersion);
  BOOST_TEST(kSchemaVersion == 5);
  BOOST_TEST(ScalarInt(*db, "SELECT count(*) FROM sqlite_master WHERE name = 'handoff_codes'") ==
             1);
  BOOST_TEST(ScalarInt(*db, "SELECT count(*) FROM pending_requests WHERE request_id = '_kept'") ==
             1);
  const std::int64_t alice = AddUser(*db, "alice");
  Result<Txn> txn = Txn::BeginImmediate(*db);
  BOOST_REQUIRE(txn.ok());
  BOOST_TEST(InsertHandoffCode(*txn, kCode, Row(alice, T0())).ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::storage
