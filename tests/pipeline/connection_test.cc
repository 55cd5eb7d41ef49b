// Connection files: everything checked at `connection add`, problems named by JSON path, the
// stored form round-trips and loads.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "pipeline/connection.h"
#include "rules/rule_set.h"

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
  cg::Result<cg::pipeline::ConnectionConfig> refused = ReadJson(
      Base(R"(, "provisioning": {"mode": "jit-idp-initiated"},
               "security": {"allow_idp_initiated": false})"));
  BOOST_REQUIRE(refused.ok());
  BOOST_CHECK(!refused->allow_idp_initiated);
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
  ExpectProblem("{", "not valid JSON");
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
  ExpectProblem(Base(R"(, "rules": {"version": 1, "attributes": {"x": {"from": "a", "transform": ["nope"]}}})"),
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

BOOST_AUTO_TEST_SUITE_END()
