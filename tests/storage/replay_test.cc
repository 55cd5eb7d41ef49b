// storage/replay.h: assertion IDs until expiry, pruning, pending requests consumed once.
#include "storage/replay.h"

#include <boost/test/unit_test.hpp>

#include "crypto/hash.h"
#include "storage/schema.h"
#include "tests/storage/test_util.h"

namespace claimgate::storage {
namespace {

using testing::At;
using testing::OpenDb;
using testing::ScalarInt;
using testing::TempDir;

BOOST_AUTO_TEST_SUITE(replay)

BOOST_AUTO_TEST_CASE(second_use_before_expiry_is_detected) {
  TempDir dir;
  Db db = OpenDb(dir, {"acme", "beta"});
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  const TimePoint until = At("2026-01-01T00:10:00Z");
  BOOST_TEST(CheckAndRecordAssertion(*txn, "acme", "_a1", until, At("2026-01-01")).ok());
  BOOST_TEST(
      CheckAndRecordAssertion(*txn, "acme", "_a1", until, At("2026-01-01T00:09:59Z")).code() ==
      "replay.detected");
  // Another connection has its own namespace of IDs.
  BOOST_TEST(CheckAndRecordAssertion(*txn, "beta", "_a1", until, At("2026-01-01")).ok());
  // At NotOnOrAfter (+skew) the entry has expired: the ID is accepted and re-recorded.
  BOOST_TEST(
      CheckAndRecordAssertion(*txn, "acme", "_a1", At("2026-01-02"), At("2026-01-01T00:10:00Z"))
          .ok());
  BOOST_TEST(
      CheckAndRecordAssertion(*txn, "acme", "_a1", At("2026-01-02"), At("2026-01-01T12:00:00Z"))
          .code() == "replay.detected");
  BOOST_TEST(CheckAndRecordAssertion(*txn, "acme", "", until, At("2026-01-01")).code() ==
             "provisioning.invalid_request");
  BOOST_TEST(CheckAndRecordAssertion(*txn, "nope", "_x", until, At("2026-01-01")).code() ==
             "provisioning.unknown_connection");
  BOOST_REQUIRE(txn->Commit().ok());
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay") == 2);
}

BOOST_AUTO_TEST_CASE(prune_removes_only_expired_entries) {
  TempDir dir;
  Db db = OpenDb(dir);
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_REQUIRE(
      CheckAndRecordAssertion(*txn, "acme", "_old", At("2026-01-01T01:00:00Z"), At("2026-01-01"))
          .ok());
  BOOST_REQUIRE(
      CheckAndRecordAssertion(*txn, "acme", "_new", At("2026-01-03"), At("2026-01-01")).ok());
  BOOST_REQUIRE(CreatePendingRequest(*txn, "acme", "_r1", "", At("2026-01-01T01:00:00Z")).ok());
  BOOST_REQUIRE(CreatePendingRequest(*txn, "acme", "_r2", "", At("2026-01-03")).ok());
  BOOST_REQUIRE(CreatePendingRequest(*txn, "acme", "_r3", "", At("2026-01-03")).ok());
  BOOST_REQUIRE(*MarkRequestAnswered(*txn, "acme", "_r3"));
  Result<std::int64_t> pruned = PruneExpired(*txn, At("2026-01-02"));
  BOOST_REQUIRE(pruned.ok());
  BOOST_TEST(*pruned == 2);  // _old and _r1; consumed _r3 stays until it expires
  BOOST_REQUIRE(txn->Commit().ok());
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay WHERE assertion_id = '_new'") == 1);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay") == 1);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM pending_requests") == 2);
}

BOOST_AUTO_TEST_CASE(pending_requests_are_stored_found_and_answered_once) {
  TempDir dir;
  Db db = OpenDb(dir);
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_REQUIRE(
      CreatePendingRequest(*txn, "acme", "_req", "/inbox", At("2026-01-01T00:05:00Z")).ok());
  BOOST_TEST(CreatePendingRequest(*txn, "acme", "_req", "", At("2026-01-02")).code() ==
             "storage.constraint");
  BOOST_TEST(CreatePendingRequest(*txn, "nope", "_req", "", At("2026-01-02")).code() ==
             "provisioning.unknown_connection");
  BOOST_TEST(CreatePendingRequest(*txn, "acme", "", "", At("2026-01-02")).code() ==
             "storage.invalid_argument");
  Result<std::optional<PendingRequest>> found = FindPendingRequest(*txn, "acme", "_req");
  BOOST_REQUIRE(found.ok() && found->has_value());
  BOOST_TEST((*found)->relay_state == "/inbox");
  BOOST_TEST(((*found)->expires_at == At("2026-01-01T00:05:00Z")));
  BOOST_TEST(!(*found)->answered);
  BOOST_TEST(!(*found)->browser_binding.has_value());
  BOOST_TEST(!FindPendingRequest(*txn, "beta", "_req")->has_value());
  BOOST_TEST(*MarkRequestAnswered(*txn, "acme", "_req"));
  BOOST_TEST(!*MarkRequestAnswered(*txn, "acme", "_req"));  // exactly once
  BOOST_TEST(!*MarkRequestAnswered(*txn, "acme", "_zzz"));
  BOOST_TEST((*FindPendingRequest(*txn, "acme", "_req"))->answered);
  BOOST_REQUIRE(txn->Commit().ok());
  BOOST_TEST(ScalarInt(db, "SELECT consumed FROM pending_requests WHERE request_id='_req'") == 1);
}

BOOST_AUTO_TEST_CASE(a_bound_request_stores_only_the_nonce_hash) {
  TempDir dir;
  Db db = OpenDb(dir);
  const std::string nonce(64, 'a');
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_REQUIRE(CreatePendingRequest(*txn, "acme", "_b", "/x", At("2026-01-02"), nonce).ok());
  BOOST_TEST(
      ((*FindPendingRequest(*txn, "acme", "_b"))->browser_binding == crypto::Sha256Hex(nonce)));
  BOOST_REQUIRE(txn->Commit().ok());
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM pending_requests WHERE browser_binding = '" +
                               nonce + "'") == 0);
}

BOOST_AUTO_TEST_CASE(version_1_database_migrates_and_keeps_its_requests) {
  TempDir dir;
  { Db db = OpenDb(dir); }
  // Make it what claimgate 1 wrote: no browser_binding column (v2), no handoff_codes table
  // (v3), no audit actor or format (v4), user_version 1, one request.
  testing::RawExec(dir.File("test.db"),
                   "ALTER TABLE pending_requests DROP COLUMN browser_binding; "
                   "DROP TABLE handoff_codes; "
                   "ALTER TABLE audit DROP COLUMN actor; ALTER TABLE audit DROP COLUMN format; "
                   "INSERT INTO pending_requests(connection, request_id, relay_state, expires_at) "
                   "VALUES('acme', '_old', '/old', 9000000000000000); PRAGMA user_version = 1");
  Result<Db> db = Db::Open(dir.File("test.db"));
  BOOST_REQUIRE_MESSAGE(db.ok(), db.status().message());
  BOOST_TEST(ScalarInt(*db, "PRAGMA user_version") == kSchemaVersion);
  BOOST_TEST(ScalarInt(*db,
                       "SELECT count(*) FROM pending_requests WHERE request_id = '_old' "
                       "AND browser_binding IS NULL") == 1);
  Result<Txn> txn = Txn::BeginImmediate(*db);
  BOOST_REQUIRE(txn.ok());
  Result<std::optional<PendingRequest>> old = FindPendingRequest(*txn, "acme", "_old");
  BOOST_REQUIRE(old.ok() && old->has_value());
  BOOST_TEST((*old)->relay_state == "/old");
  BOOST_TEST(*MarkRequestAnswered(*txn, "acme", "_old"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::storage
