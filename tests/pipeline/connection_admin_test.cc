// pipeline/connection_admin.h: connection add/update/remove and their audit rows, committed
// together; removal of a connection with users only with force, each removal audited.
#include "pipeline/connection_admin.h"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "crypto/hash.h"
#include "crypto/pem.h"
#include "storage/admin.h"
#include "storage/audit.h"
#include "storage/connections.h"
#include "storage/users.h"
#include "tests/storage/test_util.h"

namespace claimgate::pipeline {
namespace {

using storage::AuditEntry;
using storage::Db;
using storage::testing::OpenDb;
using storage::testing::ScalarInt;
using storage::testing::T0;
using storage::testing::TempDir;

std::string Examples() { return std::string(std::getenv("CLAIMGATE_SOURCE_DIR")) + "/examples"; }

ConnectionConfig Flex() {
  Result<ConnectionConfig> c = ReadConnectionFile(Examples() + "/flex/connection.json");
  BOOST_REQUIRE_MESSAGE(c.ok(), c.status().message());
  return *c;
}

// SHA-256 of the example IdP certificate's DER, read from its own PEM file (the connection
// embeds it through the metadata instead).
std::string ExampleIdpFingerprint() {
  std::ifstream in(Examples() + "/idp/example-idp.pem");
  std::stringstream pem;
  pem << in.rdbuf();
  Result<std::vector<crypto::PemBlock>> blocks =
      crypto::ReadPem(pem.str(), "example-idp.pem", errors::kProvisioningBadConnection);
  BOOST_REQUIRE(blocks.ok() && !blocks->empty());
  return crypto::Sha256Hex(blocks->front().der);
}

std::vector<AuditEntry> Rows(Db& db) {
  Result<std::vector<AuditEntry>> rows = storage::ListAudit(db, storage::AuditFilter());
  BOOST_REQUIRE(rows.ok());
  return *rows;
}

nlohmann::json Detail(const AuditEntry& e) { return nlohmann::json::parse(e.record.detail); }

BOOST_AUTO_TEST_SUITE(connection_admin)

BOOST_AUTO_TEST_CASE(add_and_update_are_audited_with_fingerprints_and_changes) {
  TempDir dir;
  Db db = OpenDb(dir, {});
  const ConnectionConfig flex = Flex();
  Result<ConnectionChange> added = StoreConnection(db, flex, /*update=*/false, "cli:ops", T0());
  BOOST_REQUIRE(added.ok());
  BOOST_TEST((*added == ConnectionChange::kAdded));
  BOOST_TEST(StoreConnection(db, flex, false, "cli:ops", T0()).status().code() ==
             "storage.constraint");
  std::vector<AuditEntry> rows = Rows(db);
  BOOST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(rows[0].record.event == "connection.add");
  BOOST_TEST(rows[0].record.actor == "cli:ops");
  BOOST_TEST(rows[0].record.connection == "acme-flex");
  BOOST_TEST(rows[0].record.decision == "applied");
  nlohmann::json d = Detail(rows[0]);
  BOOST_TEST(d["idp_certificates_sha256"] == nlohmann::json::array({ExampleIdpFingerprint()}));
  BOOST_TEST(d["settings"]["security"]["clock_skew_seconds"] == 120);
  BOOST_TEST(!d["settings"]["idp"].contains("metadata_xml"));  // files appear as hashes only
  BOOST_TEST(d["metadata_sha256"].is_string());
  BOOST_TEST(d["rules_sha256"].is_null());  // the profile's built-in rules

  // The same file again: nothing changes, no row.
  Result<ConnectionChange> same = StoreConnection(db, flex, /*update=*/true, "cli:ops", T0());
  BOOST_REQUIRE(same.ok());
  BOOST_TEST((*same == ConnectionChange::kUnchanged));
  BOOST_TEST(Rows(db).size() == 1u);

  ConnectionConfig changed = flex;
  changed.clock_skew_seconds = 60;
  changed.rules_json = R"({"version":1,"attributes":{}})";
  BOOST_REQUIRE(StoreConnection(db, changed, /*update=*/true, "cli:bob", T0()).ok());
  rows = Rows(db);
  BOOST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(rows[1].record.event == "connection.update");
  BOOST_TEST(rows[1].record.actor == "cli:bob");
  d = Detail(rows[1]);
  BOOST_TEST(d["changed"].size() == 1u, d.dump());
  BOOST_TEST(d["changed"]["security.clock_skew_seconds"]["old"] == 120);
  BOOST_TEST(d["changed"]["security.clock_skew_seconds"]["new"] == 60);
  BOOST_TEST(d["idp_certificates_sha256"]["old"] == d["idp_certificates_sha256"]["new"]);
  BOOST_TEST(d["rules_sha256"]["old"].is_null());
  BOOST_TEST(d["rules_sha256"]["new"] ==
             crypto::Sha256Hex(nlohmann::json::parse(*changed.rules_json).dump()));

  ConnectionConfig missing = flex;
  missing.name = "nobody";
  BOOST_TEST(StoreConnection(db, missing, /*update=*/true, "cli:ops", T0()).status().code() ==
             "storage.not_found");
  BOOST_TEST(storage::VerifyAudit(db)->ok);
}

BOOST_AUTO_TEST_CASE(certificate_rollover_shows_old_and_new_fingerprints) {
  const std::string old_cert = ExampleIdpFingerprint();
  std::ifstream in(Examples() + "/idp/example-idp.pem");
  std::stringstream pem;
  pem << in.rdbuf();
  const std::string before =
      R"({"name":"x","idp":{"certificates_pem":[)" + nlohmann::json(pem.str()).dump() + "]}}";
  const std::string after = R"({"name":"x","idp":{"certificates_pem":[]}})";
  const nlohmann::json d = nlohmann::json::parse(ConnectionAuditDetail(before, after));
  BOOST_TEST(d["idp_certificates_sha256"]["old"] == nlohmann::json::array({old_cert}));
  BOOST_TEST(d["idp_certificates_sha256"]["new"] == nlohmann::json::array());
  BOOST_TEST(!d["settings"]["idp"].contains("certificates_pem"));
}

BOOST_AUTO_TEST_CASE(remove_with_users_needs_force_and_audits_each_removal) {
  TempDir dir;
  Db db = OpenDb(dir, {});
  BOOST_REQUIRE(StoreConnection(db, Flex(), false, "cli:ops", T0()).ok());
  for (const char* s : {"amy", "zed"}) {
    storage::NewUser u{"acme-flex", s, "", {}, {"agent"}, storage::UserOrigin::kAdmin, false};
    BOOST_REQUIRE(storage::AdminAddUser(db, u, T0(), "cli:ops").ok());
  }
  Result<std::int64_t> refused = RemoveConnection(db, "acme-flex", /*force=*/false, "cli:ops");
  BOOST_TEST(refused.status().code() == "storage.in_use");
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 2);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM audit") == 3);

  Result<std::int64_t> removed = RemoveConnection(db, "acme-flex", /*force=*/true, "cli:root");
  BOOST_REQUIRE(removed.ok());
  BOOST_TEST(*removed == 2);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM users") == 0);
  BOOST_TEST(ScalarInt(db, "SELECT count(*) FROM connections") == 0);
  const std::vector<AuditEntry> rows = Rows(db);
  BOOST_REQUIRE(rows.size() == 6u);
  BOOST_TEST(rows[3].record.event == "user.remove");
  BOOST_TEST(rows[3].record.subject == "amy");
  BOOST_TEST(Detail(rows[3])["user"]["permissions"] == nlohmann::json::array({"agent"}));
  BOOST_TEST(rows[4].record.subject == "zed");
  BOOST_TEST(rows[5].record.event == "connection.remove");
  BOOST_TEST(rows[5].record.actor == "cli:root");
  BOOST_TEST(Detail(rows[5])["users_removed"] == 2);
  BOOST_TEST(Detail(rows[5])["idp_certificates_sha256"] ==
             nlohmann::json::array({ExampleIdpFingerprint()}));
  BOOST_TEST(RemoveConnection(db, "acme-flex", true, "cli:root").status().code() ==
             "storage.not_found");
  BOOST_TEST(storage::VerifyAudit(db)->ok);
}

BOOST_AUTO_TEST_CASE(remove_without_users_needs_no_force) {
  TempDir dir;
  Db db = OpenDb(dir, {});
  BOOST_REQUIRE(StoreConnection(db, Flex(), false, "cli:ops", T0()).ok());
  Result<std::int64_t> removed = RemoveConnection(db, "acme-flex", /*force=*/false, "cli:ops");
  BOOST_REQUIRE(removed.ok());
  BOOST_TEST(*removed == 0);
  BOOST_TEST(Rows(db).back().record.event == "connection.remove");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::pipeline
