#include "base/base64.h"

#include <boost/test/unit_test.hpp>
#include <optional>
#include <string>

using claimgate::DecodeBase64;
using claimgate::EncodeBase64;

BOOST_AUTO_TEST_SUITE(base64)

BOOST_AUTO_TEST_CASE(round_trips_every_length) {
  std::string bytes;
  for (int n = 0; n < 70; ++n) {
    const std::optional<std::string> back = DecodeBase64(EncodeBase64(bytes));
    BOOST_REQUIRE(back.has_value());
    BOOST_TEST(*back == bytes);
    bytes.push_back(static_cast<char>(n * 37 + 11));
  }
}

BOOST_AUTO_TEST_CASE(known_answers) {
  BOOST_TEST(EncodeBase64("foobar") == "Zm9vYmFy");
  BOOST_TEST(EncodeBase64("fo") == "Zm8=");
  BOOST_TEST(*DecodeBase64("Zm9v\r\nYmE=\n") == "fooba");  // line-wrapped form posts
  BOOST_TEST(*DecodeBase64(" Z m 9 v ") == "foo");
}

BOOST_AUTO_TEST_CASE(rejects_anything_not_strict) {
  for (const char* bad :
       {"Zm9", "Zm9vY", "Zm=9", "Zm9v=", "Zm8==", "Zm9v====", "Zm9v\x80", "Zm-v", "Zm_v",
        "Zm9v Zm8=x", "Zm8=Zm8=", "Zg=", "Zh==", "Zm9=", "=Zm9", "%2BZm9"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!DecodeBase64(bad).has_value()); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
