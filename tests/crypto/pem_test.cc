// The one PEM reader (crypto/pem.h).
#include "crypto/pem.h"

#include <boost/test/unit_test.hpp>
#include <string>

namespace cg = claimgate;

BOOST_AUTO_TEST_SUITE(pem)

BOOST_AUTO_TEST_CASE(reads_every_block_in_order_ignoring_text_between) {
  const std::string text =
      "subject=CN=x\n-----BEGIN CERTIFICATE-----\nYWJj\n-----END CERTIFICATE-----\n"
      "comment\n-----BEGIN PRIVATE KEY-----\nZG\nVm\n-----END PRIVATE KEY-----\n";
  cg::Result<std::vector<cg::crypto::PemBlock>> blocks =
      cg::crypto::ReadPem(text, "a.pem", cg::errors::kSignatureNoKeys);
  BOOST_REQUIRE(blocks.ok());
  BOOST_REQUIRE(blocks->size() == 2u);
  BOOST_TEST((*blocks)[0].label == "CERTIFICATE");
  BOOST_TEST((*blocks)[0].der == "abc");
  BOOST_TEST((*blocks)[1].label == "PRIVATE KEY");
  BOOST_TEST((*blocks)[1].der == "def");
  BOOST_TEST(cg::crypto::LooksLikePem(text));
  BOOST_TEST(!cg::crypto::LooksLikePem("0\x82\x01"));
}

BOOST_AUTO_TEST_CASE(refuses_unclosed_and_non_base64_blocks_with_the_callers_code) {
  cg::Result<std::vector<cg::crypto::PemBlock>> open = cg::crypto::ReadPem(
      "-----BEGIN CERTIFICATE-----\nAAAA\n", "open.pem", cg::errors::kSignatureNoKeys);
  BOOST_TEST(open.status().code() == "signature.no_keys");
  BOOST_TEST(open.status().message().find("open.pem") != std::string::npos);
  cg::Result<std::vector<cg::crypto::PemBlock>> bad =
      cg::crypto::ReadPem("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----", "b.pem",
                          cg::errors::kSignatureSpKey);
  BOOST_TEST(bad.status().code() == "signature.sp_key");
}

BOOST_AUTO_TEST_CASE(no_block_is_an_empty_list) {
  cg::Result<std::vector<cg::crypto::PemBlock>> none =
      cg::crypto::ReadPem("just text", "x", cg::errors::kSignatureNoKeys);
  BOOST_REQUIRE(none.ok());
  BOOST_TEST(none->empty());
}

BOOST_AUTO_TEST_SUITE_END()
