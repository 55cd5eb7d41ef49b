// Digests by name and the constant-time comparison (crypto/hash.h, crypto/constant_time.h).
#include "crypto/hash.h"

#include <boost/test/unit_test.hpp>

#include "base/base64.h"
#include "crypto/constant_time.h"

namespace cg = claimgate;

BOOST_AUTO_TEST_SUITE(hash)

BOOST_AUTO_TEST_CASE(digests_by_name) {
  // FIPS 180-2 "abc" vectors.
  BOOST_TEST(cg::EncodeBase64(cg::crypto::Digest("SHA-256", "abc")) ==
             "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  BOOST_TEST(cg::crypto::Sha256Hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(cg::crypto::Sha256("abc") == cg::crypto::Digest("SHA-256", "abc"));
  BOOST_TEST(cg::crypto::Digest("SHA-512", "abc").size() == 64u);
  BOOST_TEST(cg::crypto::Digest("SHA-384", "abc").size() == 48u);
  BOOST_TEST(cg::crypto::Digest("SHA-1", "abc").size() == 20u);
  BOOST_TEST(cg::crypto::Digest("no-such-hash", "abc").empty());
}

BOOST_AUTO_TEST_CASE(constant_time_compare) {
  BOOST_TEST(cg::crypto::ConstantTimeEqual("abc", "abc"));
  BOOST_TEST(!cg::crypto::ConstantTimeEqual("abc", "abd"));
  BOOST_TEST(!cg::crypto::ConstantTimeEqual("abc", "ab"));
  BOOST_TEST(cg::crypto::ConstantTimeEqual("", ""));
}

BOOST_AUTO_TEST_SUITE_END()
