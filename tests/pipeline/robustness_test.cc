// Hostile-input robustness of the whole verify path: thousands of seeded random mutations of a
// genuinely signed response. None may crash or hang; every rejection carries a registered
// code; and any mutant that is still accepted must read exactly the signed claims.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "base/base64.h"
#include "base/civil_time.h"
#include "base/error_codes.h"
#include "pipeline/verify.h"

namespace cg = claimgate;

namespace {

std::string Example(const std::string& rel) {
  std::ifstream in(std::string(std::getenv("CLAIMGATE_SOURCE_DIR")) + "/examples/" + rel,
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

cg::pipeline::ResponseVerifier MakeVerifier() {
  cg::dsig::KeySet keys;
  BOOST_REQUIRE(keys.AddPem(Example("idp/example-idp.pem"), "example-idp.pem", {}).ok());
  cg::pipeline::VerifySettings settings;
  settings.expectations.sp_entity_id = "https://sp.example/saml/acme";
  settings.expectations.acs_url = "https://sp.example/saml/acme/acs";
  settings.expectations.idp_entity_id = "http://www.okta.com/exkexample";
  return cg::pipeline::ResponseVerifier(cg::dsig::Verifier(std::move(keys), {}), settings);
}

// One random edit: flip a byte, insert XML-ish junk, delete or duplicate a range.
std::string Mutate(const std::string& in, std::mt19937& rng) {
  static const std::string kJunk = "<>&;\"'=/!?[]-:# \n\tx0aZ&#0;&lt;<!--]]><![CDATA[é\xff";
  std::string s = in;
  auto pos = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n)(rng); };
  const int edits = 1 + static_cast<int>(pos(2));
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const std::size_t at = pos(s.size() - 1);
    switch (pos(4)) {
      case 0:
        s[at] = static_cast<char>(s[at] ^ (1 << pos(7)));
        break;
      case 1:
        s.insert(at, kJunk.substr(pos(kJunk.size() - 1), 1 + pos(6)));
        break;
      case 2:
        s.erase(at, 1 + pos(40));
        break;
      case 3:
        s.insert(at, s.substr(pos(s.size() - 1), 1 + pos(200)));
        break;
      default:
        s = cg::EncodeBase64(s);
        break;
    }
  }
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(robustness)

BOOST_AUTO_TEST_CASE(random_mutations_never_crash_and_never_change_accepted_claims) {
  const cg::pipeline::ResponseVerifier verifier = MakeVerifier();
  const std::string original = Example("verify/okta-response.xml");
  const cg::TimePoint now = *cg::ParseDateTime("2026-06-01T00:00:00Z");
  const cg::Result<cg::saml::Assertion> base = verifier.Verify(original, now);
  BOOST_REQUIRE(base.ok());

  std::set<std::string> registered;
  std::size_t n = 0;
  const cg::ErrorCode* const* all = cg::AllErrorCodes(&n);
  for (std::size_t i = 0; i < n; ++i) registered.insert(all[i]->id);

  std::mt19937 rng(20261123);
  std::map<std::string, int> seen;
  int accepted = 0;
  const int kRounds = 20000;
  for (int i = 0; i < kRounds; ++i) {
    const std::string mutant = Mutate(original, rng);
    const cg::Result<cg::saml::Assertion> r = verifier.Verify(mutant, now);
    if (r.ok()) {
      ++accepted;
      // Whatever survived verification must say exactly what was signed.
      BOOST_TEST(r->claims.subject == base->claims.subject);
      BOOST_TEST(r->assertion_id == base->assertion_id);
      BOOST_TEST(r->claims.attributes.size() == base->claims.attributes.size());
      for (std::size_t k = 0; k < r->claims.attributes.size() && k < base->claims.attributes.size();
           ++k) {
        BOOST_TEST(r->claims.attributes[k].values == base->claims.attributes[k].values);
      }
      continue;
    }
    const std::string code(r.status().code());
    BOOST_TEST(registered.count(code) == 1u, "unregistered code " << code);
    ++seen[code];
  }
  std::ostringstream summary;
  for (const auto& [code, count] : seen) summary << " " << code << "=" << count;
  BOOST_TEST_MESSAGE(kRounds << " mutants: " << accepted << " accepted (claims unchanged);"
                             << summary.str());
  BOOST_TEST(seen.size() > 10u);  // the mutations reach many different checks
}

BOOST_AUTO_TEST_SUITE_END()
