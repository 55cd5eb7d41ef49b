// storage/time_text.h: fixed-width ISO-8601 text and its strict parser.
#include "storage/time_text.h"

#include <boost/test/unit_test.hpp>

namespace claimgate::storage {
namespace {

BOOST_AUTO_TEST_SUITE(time_text)

BOOST_AUTO_TEST_CASE(round_trips_with_microseconds) {
  Result<TimePoint> t = ParseTime("2026-11-23T20:27:07.5Z");
  BOOST_REQUIRE(t.ok());
  BOOST_TEST(FormatTime(*t) == "2026-11-23T20:27:07.500000Z");
  BOOST_TEST(ToMicros(*ParseTime("1970-01-01T00:00:01Z")) == 1000000);
  BOOST_TEST(FormatTime(*ParseTime("2024-02-29")) == "2024-02-29T00:00:00.000000Z");
}

BOOST_AUTO_TEST_CASE(rejects_malformed_text) {
  for (const char* bad :
       {"", "2026", "2026-13-01", "2023-02-29", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00",
        "2026-01-01T00:00:00+01:00", "2026-01-01T00:00:00.1234567Z", "2026-01-01T00:00:00.Z",
        "2026-01-01 00:00:00Z", "2026-01-01T00:00:00Zjunk"}) {
    BOOST_TEST_CONTEXT(bad) {
      BOOST_TEST(ParseTime(bad).status().code() == "storage.invalid_argument");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::storage
