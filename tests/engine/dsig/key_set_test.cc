#include "engine/dsig/key_set.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "base/base64.h"

namespace cg = claimgate;

namespace {

std::string Example(const std::string& rel) {
  std::ifstream in(std::string(std::getenv("CLAIMGATE_SOURCE_DIR")) + "/examples/" + rel,
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string DerOf(const std::string& pem) {
  const std::size_t a = pem.find('\n', pem.find("-----BEGIN CERTIFICATE-----")) + 1;
  const std::size_t b = pem.find("-----END CERTIFICATE-----");
  return *cg::DecodeBase64(pem.substr(a, b - a));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(key_set)

BOOST_AUTO_TEST_CASE(loads_pem_and_der_and_matches_keyinfo_certificates) {
  const std::string pem = Example("idp/example-idp.pem");
  cg::dsig::KeySet keys;
  BOOST_REQUIRE(keys.AddPem(pem, "example-idp.pem", {}).ok());
  BOOST_REQUIRE(keys.AddPem(pem + "\n" + pem, "twice.pem", {}).ok());  // several blocks
  BOOST_TEST(keys.keys().size() == 3u);
  BOOST_TEST(keys.keys()[0].bits() == 2048u);
  BOOST_TEST(keys.keys()[0].signature_size() == 256u);
  BOOST_TEST((keys.keys()[0].type() == cg::dsig::KeyType::kRsa));
  const std::string der = DerOf(pem);
  BOOST_TEST(keys.Match(der) == &keys.keys()[0]);
  BOOST_TEST(keys.Match("not a certificate") == nullptr);
  cg::dsig::KeySet from_der;
  BOOST_REQUIRE(from_der.AddPem(der, "idp.der", {}).ok());
  BOOST_TEST(from_der.keys().size() == 1u);
}

BOOST_AUTO_TEST_CASE(refuses_weak_unreadable_and_empty_sources_with_codes) {
  cg::dsig::KeySet keys;
  cg::dsig::KeyPolicy strict;
  strict.min_rsa_bits = 4096;
  const cg::Status weak = keys.AddPem(Example("idp/example-idp.pem"), "idp.pem", strict);
  BOOST_TEST(weak.code() == "signature.weak_key");
  BOOST_TEST(weak.message().find("idp.pem") != std::string::npos);
  BOOST_TEST(keys.AddPem("hello", "x.pem", {}).code() == "signature.no_keys");
  BOOST_TEST(keys.AddPem("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----", "b.pem", {})
                 .code() == "signature.no_keys");
  BOOST_TEST(keys.AddPem("-----BEGIN CERTIFICATE-----\nAAAA\n", "open.pem", {}).code() ==
             "signature.no_keys");
  BOOST_TEST(
      keys.AddPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "k.pem", {})
          .code() == "signature.no_keys");  // a private key is no trust anchor
  BOOST_TEST(keys.empty());
}

BOOST_AUTO_TEST_SUITE_END()
