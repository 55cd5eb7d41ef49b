// The error registry (STYLE C2): every code is well-formed, has a DESIGN.md prefix, is unique,
// and is documented in the README table.
#include "base/error_codes.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(error_codes)

BOOST_AUTO_TEST_CASE(codes_are_well_formed_unique_and_prefixed) {
  std::size_t n = 0;
  const claimgate::ErrorCode* const* all = claimgate::AllErrorCodes(&n);
  BOOST_TEST(n > 40u);
  const std::regex shape("^[a-z_]+(\\.[a-z_0-9]+)+$");
  const std::set<std::string> prefixes = {"input",   "xml",          "saml",           "signature",
                                          "issuer",  "destination",  "audience",       "recipient",
                                          "subject", "time",         "in_response_to", "replay",
                                          "rules",   "provisioning", "storage",        "handoff"};
  std::set<std::string> seen;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string id = all[i]->id;
    BOOST_TEST_CONTEXT(id) {
      BOOST_TEST(std::regex_match(id, shape));
      BOOST_TEST(prefixes.count(id.substr(0, id.find('.'))) == 1u);
      BOOST_TEST(seen.insert(id).second);
      BOOST_TEST(std::string(all[i]->doc).size() > 10u);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_code_is_in_the_readme_table) {
  const char* src = std::getenv("CLAIMGATE_SOURCE_DIR");
  BOOST_REQUIRE(src != nullptr);
  const std::string readme = ReadFile(std::string(src) + "/README.md");
  BOOST_REQUIRE(!readme.empty());
  std::size_t n = 0;
  const claimgate::ErrorCode* const* all = claimgate::AllErrorCodes(&n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string row = std::string("| `") + all[i]->id + "` |";
    BOOST_TEST_CONTEXT(all[i]->id) { BOOST_TEST(readme.find(row) != std::string::npos); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
