// The embedding API (pipeline/engine.cc behind include/claimgate/claimgate.h): a product's view
// of one store. Connections are written the way `claimgate connection add` writes them; every
// call under test goes through the public header only.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "base/civil_time.h"
#include "claimgate/claimgate.h"
#include "pipeline/connection.h"
#include "storage/connections.h"
#include "storage/sqlite.h"
#include "tests/storage/test_util.h"

namespace claimgate {
namespace {

using storage::testing::TempDir;

std::string SourceFile(const std::string& relative) {
  const char* root = std::getenv("CLAIMGATE_SOURCE_DIR");
  BOOST_REQUIRE(root != nullptr);
  std::ifstream in(std::string(root) + "/" + relative, std::ios::binary);
  BOOST_REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Stores examples/<profile>/connection.json in `db_path`, as `connection add` does.
void AddExampleConnection(const std::string& db_path, const std::string& profile) {
  const char* root = std::getenv("CLAIMGATE_SOURCE_DIR");
  BOOST_REQUIRE(root != nullptr);
  Result<pipeline::ConnectionConfig> config =
      pipeline::ReadConnectionFile(std::string(root) + "/examples/" + profile + "/connection.json");
  BOOST_REQUIRE(config.ok());
  Result<storage::Db> db = storage::Db::Open(db_path);
  BOOST_REQUIRE(db.ok());
  Result<storage::Txn> txn = storage::Txn::BeginImmediate(*db);
  BOOST_REQUIRE(txn.ok());
  BOOST_REQUIRE(storage::PutConnection(*txn, config->name, pipeline::ToStoredJson(*config),
                                       SystemClock().Now())
                    .ok());
  BOOST_REQUIRE(txn->Commit().ok());
}

BOOST_AUTO_TEST_SUITE(engine)

BOOST_AUTO_TEST_CASE(accepts_the_flex_example_and_reports_the_user) {
  TempDir dir;
  AddExampleConnection(dir.File("cg.db"), "flex");
  Result<Engine> engine = Engine::Open(dir.File("cg.db"));
  BOOST_REQUIRE(engine.ok());
  const Decision d =
      engine->Process("acme-flex", SourceFile("examples/flex/responses/1-first-login.xml"));
  BOOST_TEST(d.accepted());
  BOOST_TEST(d.code() == "");
  BOOST_TEST(d.subject() == "alice@acme.example");
  BOOST_TEST(d.user_id() == 1);
  BOOST_TEST(d.audit_id() > 0);
  const std::string json = d.ToJson();
  BOOST_TEST(json.rfind("{\"decision\":\"accepted\"", 0) == 0);
  BOOST_TEST(json.find("\"action\":\"created\"") != std::string::npos);
  BOOST_TEST(json.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(refuses_a_tampered_copy_with_its_code) {
  TempDir dir;
  AddExampleConnection(dir.File("cg.db"), "flex");
  Result<Engine> engine = Engine::Open(dir.File("cg.db"));
  BOOST_REQUIRE(engine.ok());
  std::string tampered = SourceFile("examples/flex/responses/1-first-login.xml");
  const std::string from = "alice@acme.example<";
  const std::size_t at = tampered.find(from);
  BOOST_REQUIRE(at != std::string::npos);
  tampered.replace(at, from.size(), "mallory@acme.example<");
  const Decision d = engine->Process("acme-flex", tampered);
  BOOST_TEST(!d.accepted());
  BOOST_TEST(d.code() == "signature.digest_mismatch");
  BOOST_TEST(d.user_id() == 0);
  BOOST_TEST(d.audit_id() > 0);  // a refusal is audited too
  BOOST_TEST(d.ToJson().find("\"code\":\"signature.digest_mismatch\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_replayed_response_is_refused_the_second_time) {
  TempDir dir;
  AddExampleConnection(dir.File("cg.db"), "flex");
  Result<Engine> engine = Engine::Open(dir.File("cg.db"));
  BOOST_REQUIRE(engine.ok());
  const std::string posted = SourceFile("examples/flex/responses/1-first-login.xml");
  BOOST_TEST(engine->Process("acme-flex", posted).accepted());
  BOOST_TEST(engine->Process("acme-flex", posted).code() == "replay.detected");
}

BOOST_AUTO_TEST_CASE(an_unknown_connection_is_refused_without_throwing) {
  TempDir dir;
  Result<Engine> engine = Engine::Open(dir.File("cg.db"));
  BOOST_REQUIRE(engine.ok());
  const Decision d = engine->Process("nobody", "<x/>");
  BOOST_TEST(!d.accepted());
  BOOST_TEST(d.code() == "provisioning.unknown_connection");
  BOOST_TEST(d.audit_id() == 0);
  BOOST_TEST(d.subject() == "");
}

BOOST_AUTO_TEST_CASE(the_validity_window_is_checked_at_the_context_clock) {
  TempDir dir;
  AddExampleConnection(dir.File("cg.db"), "flex");
  Result<Engine> engine = Engine::Open(dir.File("cg.db"));
  BOOST_REQUIRE(engine.ok());
  LoginContext late;
  late.now =
      std::chrono::system_clock::from_time_t(7258118400);  // 2200 (nanoseconds overflow past 2262)
  const Decision d =
      engine->Process("acme-flex", SourceFile("examples/flex/responses/1-first-login.xml"), late);
  BOOST_TEST(d.code().substr(0, 5) == "time.");
}

BOOST_AUTO_TEST_CASE(a_connection_added_after_open_is_found) {
  TempDir dir;
  Result<Engine> engine = Engine::Open(dir.File("cg.db"));
  BOOST_REQUIRE(engine.ok());
  const std::string posted = SourceFile("examples/flex/responses/1-first-login.xml");
  BOOST_TEST(engine->Process("acme-flex", posted).code() == "provisioning.unknown_connection");
  AddExampleConnection(dir.File("cg.db"), "flex");
  BOOST_TEST(engine->Process("acme-flex", posted).accepted());
}

BOOST_AUTO_TEST_CASE(open_fails_with_a_storage_code) {
  Result<Engine> engine = Engine::Open("/nonexistent-dir/for/claimgate/cg.db");
  BOOST_REQUIRE(!engine.ok());
  BOOST_TEST(engine.status().code().substr(0, 8) == "storage.");
}

BOOST_AUTO_TEST_CASE(version_matches_the_header) {
  BOOST_TEST(std::string(Version()) == CLAIMGATE_VERSION);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate
