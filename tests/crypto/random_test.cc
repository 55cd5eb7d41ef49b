// The system CSPRNG (crypto/random.h).
#include "crypto/random.h"

#include <boost/test/unit_test.hpp>
#include <set>
#include <string>

#include "base/hex.h"

namespace cg = claimgate;

BOOST_AUTO_TEST_SUITE(system_random)

BOOST_AUTO_TEST_CASE(bytes_and_hex_of_the_asked_length) {
  cg::Result<std::string> bytes = cg::crypto::RandomBytes(32);
  BOOST_REQUIRE(bytes.ok());
  BOOST_TEST(bytes->size() == 32u);
  cg::Result<std::string> hex = cg::crypto::RandomHex(20);
  BOOST_REQUIRE(hex.ok());
  BOOST_TEST(hex->size() == 40u);
  BOOST_TEST(cg::IsLowerHex(*hex));
}

BOOST_AUTO_TEST_CASE(no_two_alike) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(cg::crypto::RandomHex(16).value());
  BOOST_TEST(seen.size() == 1000u);
}

BOOST_AUTO_TEST_SUITE_END()
