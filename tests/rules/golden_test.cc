// Golden tests: the attributes of real IdP responses from the shared corpus (read at test time
// from $CLAIMGATE_CORPUS_DIR/MANIFEST.json, never copied) mapped by every built-in profile and
// compared (decision, worker and explanation) with tests/rules/golden/<case>.json, which were
// checked by hand.
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/rules/rules_test_util.h"

namespace claimgate::rules::test {
namespace {

using OJson = nlohmann::ordered_json;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* const kCases[][2] = {
    {"okta", "gosaml2/testdata/saml_compressed.post"},
    {"okta_groups", "gosaml2/providertests/oktaenc_response"},
    {"entra", "ssoready/assertions/adfs/assertion"},
    {"adfs", "python3-saml/responses/adfs_response"},
    {"google", "crewjam-saml/testdata/TestSPCanHandlePlaintextResponse_response"},
    {"onelogin", "crewjam-saml/testdata/TestSPCanHandleOneloginResponse_response"},
    {"keycloak", "ssoready/assertions/keycloak/assertion"},
    {"jumpcloud", "ssoready/assertions/jumpcloud/assertion"},
};

BOOST_AUTO_TEST_SUITE(golden)

BOOST_AUTO_TEST_CASE(profiles_on_real_idp_attributes) {
  const char* corpus = std::getenv("CLAIMGATE_CORPUS_DIR");
  const char* source = std::getenv("CLAIMGATE_SOURCE_DIR");
  BOOST_REQUIRE(corpus != nullptr && source != nullptr);
  const OJson manifest = OJson::parse(ReadAll(std::string(corpus) + "/MANIFEST.json"));
  const bool update = std::getenv("CLAIMGATE_UPDATE_GOLDEN") != nullptr;
  for (const auto& [name, id] : kCases) {
    const OJson* entry = nullptr;
    for (const OJson& e : manifest) {
      if (e.value("id", "") == id) entry = &e;
    }
    BOOST_REQUIRE_MESSAGE(entry != nullptr, id);
    const OJson& name_id = (*entry)["name_id"];
    const OJson& attributes = (*entry)["attributes"];
    OJson verify_json = {{"subject", name_id.is_string() ? name_id : OJson("")},
                         {"attributes", attributes.is_object() ? attributes : OJson::object()}};
    Result<Claims> claims = ClaimsFromJson(verify_json.dump(), id);
    BOOST_REQUIRE(claims.ok());
    OJson got = {{"manifest_id", id}, {"idp", entry->value("idp", "")}};
    for (const std::string& profile : ProfileNames()) {
      got[profile] = OJson::parse(MappingJson(LoadProfile(profile)->Apply(*claims), true));
    }
    const std::string path = std::string(source) + "/tests/rules/golden/" + name + ".json";
    if (update) std::ofstream(path) << got.dump(2) << "\n";
    BOOST_TEST(got.dump(2) + "\n" == ReadAll(path), name);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::rules::test
