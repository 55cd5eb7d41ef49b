// storage/connections.h: put (insert or replace), get, list, remove with cascade.
#include "storage/connections.h"

#include <boost/test/unit_test.hpp>

#include "storage/replay.h"
#include "storage/users.h"
#include "tests/storage/test_util.h"

namespace claimgate::storage {
namespace {

using testing::At;
using testing::OpenDb;
using testing::ScalarInt;
using testing::T0;
using testing::TempDir;

BOOST_AUTO_TEST_SUITE(connections)

BOOST_AUTO_TEST_CASE(put_get_list_and_replace) {
  TempDir dir;
  Db db = OpenDb(dir, {});
  {
    Result<Txn> txn = Txn::BeginImmediate(db);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(PutConnection(*txn, "zeta", R"({"v":1})", T0()).ok());
    BOOST_REQUIRE(PutConnection(*txn, "alpha", R"({"v":1})", T0()).ok());
    BOOST_REQUIRE(PutConnection(*txn, "zeta", R"({"v":2})", At("2026-02-01")).ok());
    BOOST_REQUIRE(txn->Commit().ok());
  }
  Result<std::optional<ConnectionRecord>> z = GetConnection(db, "zeta");
  BOOST_REQUIRE(z.ok() && z->has_value());
  BOOST_TEST((*z)->config_json == R"({"v":2})");
  BOOST_TEST((*z)->created == "2026-01-01T00:00:00.000000Z");
  BOOST_TEST((*z)->updated == "2026-02-01T00:00:00.000000Z");
  Result<std::optional<ConnectionRecord>> none = GetConnection(db, "nope");
  BOOST_REQUIRE(none.ok());
  BOOST_TEST(!none->has_value());
  Result<std::vector<ConnectionRecord>> all = ListConnections(db);
  BOOST_REQUIRE(all.ok() && all->size() == 2u);
  BOOST_TEST((*all)[0].name == "alpha");
  BOOST_TEST((*all)[1].name == "zeta");
}

BOOST_AUTO_TEST_CASE(rejects_empty_name_and_bad_json) {
  TempDir dir;
  Db db = OpenDb(dir, {});
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  BOOST_TEST(PutConnection(*txn, "", "{}", T0()).code() == "storage.invalid_argument");
  BOOST_TEST(PutConnection(*txn, "x", "{nope", T0()).code() == "storage.invalid_argument");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM connections") == 0);
}

BOOST_AUTO_TEST_CASE(remove_cascades_to_state_but_not_audit) {
  TempDir dir;
  Db db = OpenDb(dir, {"acme", "beta"});
  Result<Txn> txn = Txn::BeginImmediate(db);
  BOOST_REQUIRE(txn.ok());
  NewUser u{"acme", "alice", "a@acme.com", {}, {}, UserOrigin::kAdmin, false};
  BOOST_REQUIRE(CreateUser(*txn, u, T0()).ok());
  u.connection = "beta";
  BOOST_REQUIRE(CreateUser(*txn, u, T0()).ok());
  BOOST_REQUIRE(CheckAndRecordAssertion(*txn, "acme", "_1", At("2027-01-01"), T0()).ok());
  BOOST_REQUIRE(CreatePendingRequest(*txn, "acme", "_r", "", At("2027-01-01")).ok());
  BOOST_REQUIRE(RemoveConnection(*txn, "acme").ok());
  BOOST_TEST(RemoveConnection(*txn, "acme").code() == "storage.not_found");
  BOOST_REQUIRE(txn->Commit().ok());
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 1);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users WHERE connection = 'beta'") == 1);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM replay") == 0);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM pending_requests") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::storage
