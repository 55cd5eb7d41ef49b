// Connection files: everything checked at `connection add`, problems named by JSON path, the
// stored form round-trips and loads.
#include "pipeline/connection.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/clock.h"
#include "rules/rule_set.h"
#include "storage/connections.h"
#include "storage/sqlite.h"

namespace cg = claimgate;
namespace fs = std::filesystem;

namespace {

std::string Examples() { return std::string(std::getenv("CLAIMGATE_SOURCE_DIR")) + "/examples"; }

// Writes `json` next to the examples' IdP files (so relative paths resolve) and reads it.
cg::Result<cg::pipeline::ConnectionConfig> ReadJson(const std::string& json) {
  const fs::path dir = fs::temp_directory_path() / "claimgate-connection-test";
  fs::create_directories(dir);
  fs::copy_file(Examples() + "/idp/metadata.xml", dir / "metadata.xml",
                fs::copy_options::overwrite_existing);
  fs::copy_file(Examples() + "/idp/example-idp.pem", dir / "idp.pem",
                fs::copy_options::overwrite_existing);
  const fs::path file = dir / "connection.json";
  std::ofstream(file) << json;
  return cg::pipeline::ReadConnectionFile(file.string());
}

std::string Base(const std::string& extra) {
  return R"({"name": "acme", "profile": "flex",
             "sp": {"entity_id": "https://sp.example/acme", "acs_url": "https://sp.example/acs"},
             "idp": {"metadata_file": "metadata.xml"})" +
         extra + "}";
}

void ExpectProblem(const std::string& json, const std::string& needle) {
  cg::Result<cg::pipeline::ConnectionConfig> r = ReadJson(json);
  BOOST_TEST_CONTEXT(json) {
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.status().message().find(needle) != std::string::npos, r.status().message());
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(connection)

BOOST_AUTO_TEST_CASE(example_files_load_with_profile_defaults) {
  for (const char* p : {"flex", "frontline", "console", "sendgrid"}) {
    cg::Result<cg::pipeline::ConnectionConfig> c =
        cg::pipeline::ReadConnectionFile(Examples() + "/" + p + "/connection.json");
    BOOST_TEST_CONTEXT(p) {
      BOOST_REQUIRE(c.ok());
      BOOST_TEST(c->profile == p);
      BOOST_TEST((c->mode == cg::pipeline::DefaultModeFor(p)));
    }
  }
  BOOST_TEST(
      (cg::pipeline::DefaultModeFor("console") == cg::pipeline::ProvisioningMode::kExistingOnly));
  BOOST_TEST((cg::pipeline::DefaultModeFor("sendgrid") ==
              cg::pipeline::ProvisioningMode::kJitIdpInitiated));
}

BOOST_AUTO_TEST_CASE(stored_form_round_trips_and_embeds_files) {
  cg::Result<cg::pipeline::ConnectionConfig> c = ReadJson(Base(R"(,
      "security": {"allow_sha1": true, "clock_skew_seconds": 30},
      "rules": {"version": 1, "extends": "flex"},
      "provisioning": {"default_permissions": ["agent"], "attribute_policy": {"roles": "never"}})"));
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->idp_metadata_xml.has_value());  // embedded, not a path
  const std::string stored = cg::pipeline::ToStoredJson(*c);
  BOOST_TEST(stored.find("metadata_file") == std::string::npos);
  cg::Result<cg::pipeline::ConnectionConfig> back = cg::pipeline::FromStoredJson(stored, "acme");
  BOOST_REQUIRE(back.ok());
  BOOST_TEST(back->allow_sha1);
  BOOST_TEST(back->clock_skew_seconds == 30);
  BOOST_TEST((back->attribute_policies.For("roles") == cg::pipeline::AttributePolicy::kNever));
  BOOST_TEST(*back->idp_metadata_xml == *c->idp_metadata_xml);
  cg::Result<cg::pipeline::Connection> loaded = cg::pipeline::Connection::Load(*back);
  BOOST_REQUIRE(loaded.ok());
  BOOST_TEST(loaded->sso_url() == "https://idp.example/app/exkexample/sso/saml");
  BOOST_TEST(loaded->verifier().settings().expectations.idp_entity_id.value() ==
             "http://www.okta.com/exkexample");
}

BOOST_AUTO_TEST_CASE(idp_initiated_is_off_unless_asked_for_or_the_mode_needs_it) {
  // SECURITY.md F06: an unsolicited response can be pushed into a victim's browser.
  cg::Result<cg::pipeline::ConnectionConfig> flex = ReadJson(Base(""));
  BOOST_REQUIRE(flex.ok());
  BOOST_CHECK(!flex->allow_idp_initiated);
  cg::Result<cg::pipeline::ConnectionConfig> asked =
      ReadJson(Base(R"(, "security": {"allow_idp_initiated": true})"));
  BOOST_REQUIRE(asked.ok());
  BOOST_CHECK(asked->allow_idp_initiated);
  // SendGrid's model signs in only IdP-initiated: on by default, still refusable.
  cg::Result<cg::pipeline::ConnectionConfig> sendgrid =
      ReadJson(Base(R"(, "provisioning": {"mode": "jit-idp-initiated"})"));
  BOOST_REQUIRE(sendgrid.ok());
  BOOST_CHECK(sendgrid->allow_idp_initiated);
  // Refusing IdP-initiated sign-on would leave a connection that can create no account at all.
  ExpectProblem(Base(R"(, "provisioning": {"mode": "jit-idp-initiated"},
                          "security": {"allow_idp_initiated": false})"),
                "$.security.allow_idp_initiated: must not be false");
  // The stored form keeps the decision explicit, whatever later defaults become.
  cg::Result<cg::pipeline::ConnectionConfig> back =
      cg::pipeline::FromStoredJson(cg::pipeline::ToStoredJson(*sendgrid), "stored");
  BOOST_REQUIRE(back.ok());
  BOOST_CHECK(back->allow_idp_initiated);
}

BOOST_AUTO_TEST_CASE(certificates_need_an_entity_id) {
  const std::string sp = R"({"name": "c", "profile": "console",
      "sp": {"entity_id": "e", "acs_url": "https://sp.example/acs"}, )";
  BOOST_TEST(ReadJson(sp + R"("idp": {"entity_id": "i", "certificates": ["idp.pem"]}})").ok());
  ExpectProblem(sp + R"("idp": {"certificates": ["idp.pem"]}})", "$.idp.entity_id");
  ExpectProblem(sp + R"("idp": {"entity_id": "i", "certificates": ["nope.pem"]}})",
                "$.idp.certificates[0]");
  ExpectProblem(sp + R"("idp": {"entity_id": "i"}})", "$.idp");
}

BOOST_AUTO_TEST_CASE(every_problem_names_its_json_path) {
  ExpectProblem("{", "invalid JSON");
  ExpectProblem(R"({"profile": "flex"})", "$.name");
  ExpectProblem(Base(R"(, "typo": 1)"), "$.typo: is not a known setting");
  ExpectProblem(Base(R"(, "security": {"allow_sha_1": true})"), "$.security.allow_sha_1");
  ExpectProblem(Base(R"(, "security": {"clock_skew_seconds": 100000})"),
                "$.security.clock_skew_seconds");
  ExpectProblem(Base(R"(, "security": {"min_rsa_bits": 512})"), "$.security.min_rsa_bits");
  ExpectProblem(Base(R"(, "provisioning": {"mode": "yolo"})"), "$.provisioning.mode");
  ExpectProblem(Base(R"(, "provisioning": {"attribute_policy": {"roles": "sometimes"}})"),
                "$.provisioning.attribute_policy.roles");
  ExpectProblem(Base(R"(, "provisioning": {"default_permissions": [1]})"),
                "$.provisioning.default_permissions[0]");
  ExpectProblem(Base(R"(, "rules_file": "missing.json")"), "$.rules_file");
  ExpectProblem(
      Base(
          R"(, "rules": {"version": 1, "attributes": {"x": {"from": "a", "transform": ["nope"]}}})"),
      "$.attributes.x.transform");
  ExpectProblem(R"({"name": "Bad Name", "sp": {}, "idp": {}})", "$.name");
  ExpectProblem(R"({"name": "a", "profile": "zoom", "sp": {}, "idp": {}})", "$.profile");
  ExpectProblem(R"({"name": "a", "profile": "custom",
      "sp": {"entity_id": "e", "acs_url": "https://x.example/acs"},
      "idp": {"metadata_file": "metadata.xml"}})",
                "$.rules");
  ExpectProblem(R"j({"name": "a", "sp": {"entity_id": "e", "acs_url": "javascript:alert(1)"},
      "idp": {"metadata_file": "metadata.xml"}})j",
                "$.sp.acs_url");
}

// DESIGN.md "Handing the login to the product": product.callback_url is typed, checked, stored.
BOOST_AUTO_TEST_CASE(product_callback_url_is_checked_and_kept) {
  cg::Result<cg::pipeline::ConnectionConfig> none = ReadJson(Base(""));
  BOOST_REQUIRE(none.ok());
  BOOST_TEST(none->product_callback_url.empty());
  BOOST_TEST(cg::pipeline::ToStoredJson(*none).find("product") == std::string::npos);
  cg::Result<cg::pipeline::ConnectionConfig> c = ReadJson(
      Base(R"(, "product": {"callback_url": "https://flex.acme.example/sso/callback?t=1"})"));
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->product_callback_url == "https://flex.acme.example/sso/callback?t=1");
  cg::Result<cg::pipeline::ConnectionConfig> back =
      cg::pipeline::FromStoredJson(cg::pipeline::ToStoredJson(*c), "acme");
  BOOST_REQUIRE(back.ok());
  BOOST_TEST(back->product_callback_url == "https://flex.acme.example/sso/callback?t=1");
  BOOST_TEST(ReadJson(Base(R"(, "product": {"callback_url": "http://127.0.0.1:9/cb"})")).ok());
  ExpectProblem(Base(R"(, "product": {"callback_url": "https://p.example/cb", "secret": 1})"),
                "$.product.secret: is not a known setting");
  ExpectProblem(Base(R"(, "product": {})"), "$.product.callback_url: is required");
  ExpectProblem(Base(R"(, "product": [])"), "$.product: must be an object");
  ExpectProblem(Base(R"(, "product": {"callback_url": 7})"), "$.product.callback_url: must be");
  for (const char* bad :
       {"/sso/callback", "ftp://p.example/cb", "https:///cb", "https://?x", "javascript:alert(1)",
        "https://p.example/c b", "https://p.example/\\\\x"}) {
    ExpectProblem(Base(std::string(R"(, "product": {"callback_url": ")") + bad + R"("})"),
                  "$.product.callback_url: is not an absolute http(s) URL");
  }
  ExpectProblem(Base(R"(, "product": {"callback_url": "https://p.example/cb#frag"})"),
                "$.product.callback_url: must not have a fragment");
}

// Issue 15: bad input that crashed or got through.
BOOST_AUTO_TEST_CASE(numbers_out_of_range_are_coded_errors_not_aborts) {
  // nlohmann throws out_of_range (not parse_error) for 1e999: it used to end the process.
  ExpectProblem(Base(R"(, "rules": {"version": 1, "extends": "flex", "x": 1e999})"),
                "$.rules.x: a number out of range");
  ExpectProblem(Base(R"(, "security": {"clock_skew_seconds": -1e999})"),
                "$.security.clock_skew_seconds: a number out of range");
  // Integers beyond int used to wrap around (4294967296 read as 0 seconds of skew).
  ExpectProblem(Base(R"(, "security": {"clock_skew_seconds": 4294967296})"),
                "$.security.clock_skew_seconds");
  ExpectProblem(Base(R"(, "security": {"min_rsa_bits": 18446744073709551615})"),
                "$.security.min_rsa_bits");
  cg::Result<cg::pipeline::ConnectionConfig> r =
      ReadJson(Base(R"(, "rules": {"version": 1, "extends": "flex", "x": 1e999})"));
  BOOST_TEST(r.status().code() == "provisioning.bad_connection");
}

BOOST_AUTO_TEST_CASE(a_repeated_key_is_refused_with_its_position) {
  // The last value used to win: "never" silently replaced "always".
  ExpectProblem(Base(R"(,
      "provisioning": {"attribute_policy": {"roles": "always", "roles": "never"}})"),
                ":4:64: $.provisioning.attribute_policy.roles: this key appears twice");
  ExpectProblem(Base(R"(, "security": {"allow_sha1": false}, "security": {"allow_sha1": true})"),
                "$.security: this key appears twice");
  ExpectProblem(Base(R"(, "rules": {"version": 1, "extends": "flex", "version": 1})"),
                "$.rules.version: this key appears twice");
}

BOOST_AUTO_TEST_CASE(settings_that_cannot_mean_what_they_say_are_refused) {
  ExpectProblem(Base(R"(, "rules": {"version": 1, "extends": "flex"}, "rules_file": "r.json")"),
                "$.rules_file: give rules or rules_file, not both");
  ExpectProblem(Base(R"(, "provisioning": {"attribute_policy": {"role": "always"}})"),
                "$.provisioning.attribute_policy.role: names no output attribute");
  ExpectProblem(Base(R"(, "provisioning": {"enforced_domains": ["@acme.example"]})"),
                "$.provisioning.enforced_domains[0]: '@acme.example' is not a domain name");
  for (const char* bad : {"*.acme.example", "acme", "acme..example", "-acme.example", ""}) {
    ExpectProblem(
        Base(std::string(R"(, "provisioning": {"enforced_domains": [")") + bad + R"("]})"),
        "$.provisioning.enforced_domains[0]");
  }
  ExpectProblem(Base(R"(, "provisioning": {"default_permissions": ["agent", ""]})"),
                "$.provisioning.default_permissions[1]: a permission must not be empty");
  ExpectProblem(Base(R"(, "provisioning": {"default_permissions": ["flex agent"]})"),
                "$.provisioning.default_permissions[0]: permission 'flex agent' holds white space");
  for (const char* bad : {"*", "/", "https://", "https://*.acme.example/", "acme.example/",
                          "https://user@acme.example/", "javascript:alert(1)"}) {
    ExpectProblem(Base(std::string(R"(, "relay_state_allow_list": [")") + bad + R"("])"),
                  "$.relay_state_allow_list[0]");
  }
  // What is fine stays fine.
  cg::Result<cg::pipeline::ConnectionConfig> ok = ReadJson(Base(R"(,
      "provisioning": {"enforced_domains": ["acme.example", "Sub.ACME-corp.example"],
                       "default_permissions": ["agent", "flex:admin"],
                       "attribute_policy": {"roles": "always", "image_url": "on_create"}},
      "relay_state_allow_list": ["https://flex.acme.example/", "https://acme.example:8443/x?y=1"])"));
  BOOST_TEST(ok.ok(), ok.status().message());
}

BOOST_AUTO_TEST_CASE(files_that_are_not_what_they_should_be_are_named) {
  const fs::path dir = fs::temp_directory_path() / "claimgate-connection-test";
  fs::create_directories(dir / "a-directory");
  const std::string sp = R"({"name": "c", "profile": "console",
      "sp": {"entity_id": "e", "acs_url": "https://sp.example/acs"}, )";
  // A directory used to read as an empty document ("the document has no element").
  ExpectProblem(Base("").replace(Base("").find("metadata.xml"), 12, "a-directory"),
                "$.idp.metadata_file: " + (dir / "a-directory").string() + ": is a directory");
  ExpectProblem(sp + R"("idp": {"entity_id": "i", "certificates": ["missing.pem"]}})",
                "$.idp.certificates[0]: " + (dir / "missing.pem").string() + ": no such file");
  // A DER certificate used to abort `connection add` (invalid UTF-8 in the stored JSON).
  {
    std::ofstream der(dir / "idp.der", std::ios::binary);
    der << std::string("\x30\x82\x03\x1f\x30\x82\x02\x07\xa0\x03\x02\x01\x02\xff\xfe", 15);
  }
  ExpectProblem(sp + R"("idp": {"entity_id": "i", "certificates": ["idp.der"]}})",
                "$.idp.certificates[0]: idp.der is not a PEM certificate");
  ExpectProblem(sp + R"("idp": {"entity_id": "i", "certificates_pem": ["MIIB"]}})",
                "$.idp.certificates_pem[0]: the value is not a PEM certificate");
  ExpectProblem(R"({"name": "c", "profile": "console", "sp": {"entity_id": "e",
      "acs_url": "https://sp.example/acs", "signing_key_file": "idp.pem",
      "signing_certificate_file": "idp.der"},
      "idp": {"entity_id": "i", "certificates": ["idp.pem"]}})",
                "$.sp.signing_certificate_file: idp.der is not a PEM certificate");
  const cg::Result<cg::pipeline::ConnectionConfig> missing =
      cg::pipeline::ReadConnectionFile((dir / "no-such-connection.json").string());
  BOOST_TEST(missing.status().message().find("no-such-connection.json: no such file") !=
             std::string::npos);
  const cg::Result<cg::pipeline::ConnectionConfig> directory =
      cg::pipeline::ReadConnectionFile(dir.string());
  BOOST_TEST(directory.status().message() == dir.string() + ": is a directory");
}

// Issue 15: two connections with one SP entity ID and ACS URL each accepted the same response
// (one replay cache per connection). The second is refused at add/update, naming the first.
BOOST_AUTO_TEST_CASE(two_connections_cannot_share_an_sp_identity) {
  const fs::path dir = fs::temp_directory_path() / "claimgate-connection-test";
  fs::create_directories(dir);
  const std::string db_path = (dir / "sp-conflict.db").string();
  fs::remove(db_path);
  cg::Result<cg::storage::Db> db = cg::storage::Db::Open(db_path);
  BOOST_REQUIRE(db.ok());
  cg::Result<cg::pipeline::ConnectionConfig> first = ReadJson(Base(""));
  BOOST_REQUIRE(first.ok());
  {
    cg::Result<cg::storage::Txn> txn = cg::storage::Txn::BeginImmediate(*db);
    BOOST_REQUIRE(txn.ok());
    BOOST_REQUIRE(cg::storage::PutConnection(*txn, first->name, cg::pipeline::ToStoredJson(*first),
                                             cg::SystemClock().Now())
                      .ok());
    BOOST_REQUIRE(txn->Commit().ok());
  }
  cg::pipeline::ConnectionConfig second = *first;
  second.name = "acme-2";
  const cg::Status s = cg::pipeline::CheckSpConflict(*db, second);
  BOOST_TEST(s.code() == "provisioning.sp_conflict");
  BOOST_TEST(s.message().find("connection 'acme'") != std::string::npos, s.message());
  // The connection itself (update) and another ACS URL are fine.
  BOOST_TEST(cg::pipeline::CheckSpConflict(*db, *first).ok());
  second.acs_url = "https://sp.example/saml/acme-2/acs";
  BOOST_TEST(cg::pipeline::CheckSpConflict(*db, second).ok());
}

BOOST_AUTO_TEST_SUITE_END()
