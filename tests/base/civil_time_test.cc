// base/civil_time.h: the one civil-time unit (SAML dateTimes, stored timestamps, filters).
#include "base/civil_time.h"

#include <boost/test/unit_test.hpp>
#include <optional>
#include <string>

namespace cg = claimgate;
using cg::FormatDateTime;
using cg::FormatTimestamp;
using cg::ParseDateOrDateTime;
using cg::ParseDateTime;

BOOST_AUTO_TEST_SUITE(civil_time)

BOOST_AUTO_TEST_CASE(parses_saml_forms) {
  const auto t = ParseDateTime("2024-05-01T12:00:00Z");
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(t->time_since_epoch().count() == 1714564800LL * 1000000);
  BOOST_TEST(FormatDateTime(*t) == "2024-05-01T12:00:00Z");
  BOOST_TEST(FormatDateTime(*ParseDateTime("2024-05-01T12:00:00.5Z")) ==
             "2024-05-01T12:00:00.500000Z");
  BOOST_TEST(FormatDateTime(*ParseDateTime("2000-02-29T23:59:59.123456789Z")) ==
             "2000-02-29T23:59:59.123456Z");
  BOOST_TEST(FormatDateTime(*ParseDateTime("1969-12-31T23:59:59Z")) == "1969-12-31T23:59:59Z");
}

// The hardening issue: node-saml writes "+00:00"; it names the same instant as 'Z'.
BOOST_AUTO_TEST_CASE(plus_zero_offset_is_utc) {
  BOOST_TEST((ParseDateTime("2020-09-25T16:00:00+00:00") == ParseDateTime("2020-09-25T16:00:00Z")));
  BOOST_TEST(
      (ParseDateTime("2020-09-25T16:00:00.250+00:00") == ParseDateTime("2020-09-25T16:00:00.25Z")));
  BOOST_TEST(ParseDateTime("2020-09-25T16:00:00+00:00").has_value());
  for (const char* other :
       {"2020-09-25T16:00:00-00:00", "2020-09-25T16:00:00+01:00", "2020-09-25T16:00:00+00:30",
        "2020-09-25T16:00:00+0000", "2020-09-25T16:00:00+00:00Z"}) {
    BOOST_TEST_CONTEXT(other) { BOOST_TEST(!ParseDateTime(other).has_value()); }
  }
}

BOOST_AUTO_TEST_CASE(malformed_values_are_refused_not_crashed_on) {
  for (const char* bad :
       {"", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
        "2024-13-99T99:99:99Z", "2024-05-01", "2024-05-01T24:00:00Z", "2024-05-01T12:00:00ZZ",
        "2024-05-01T12:00:00.Z", "2024-05-01 12:00:00Z", "2024-05-01T12:00:00+2:00",
        "+2024-05-01T12:00:00Z", "0000-01-01T00:00:00Z", "2024-05-01T12:00:60Z",
        "2024-05-01T12:00:00+15:00", "2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00",
        "2024-05-01T12:00:00z", "2024-05-01T12:00:00.1234567890123Z"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseDateTime(bad).has_value()); }
  }
}

BOOST_AUTO_TEST_CASE(timestamps_are_fixed_width) {
  const std::optional<cg::TimePoint> t = ParseDateTime("2026-11-23T20:27:07.5Z");
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(FormatTimestamp(*t) == "2026-11-23T20:27:07.500000Z");
  BOOST_TEST(FormatTimestamp(*ParseDateTime("2026-11-23T20:27:07Z")) ==
             "2026-11-23T20:27:07.000000Z");
  BOOST_TEST(cg::ToUnixMicros(*ParseDateTime("1970-01-01T00:00:01Z")) == 1000000);
  // Text order is time order.
  BOOST_TEST(FormatTimestamp(*ParseDateTime("2026-01-01T00:00:09Z")) <
             FormatTimestamp(*ParseDateTime("2026-01-01T00:00:10.5Z")));
}

BOOST_AUTO_TEST_CASE(filters_take_a_date_or_a_date_time) {
  BOOST_TEST(FormatTimestamp(*ParseDateOrDateTime("2024-02-29")) == "2024-02-29T00:00:00.000000Z");
  BOOST_TEST(
      (ParseDateOrDateTime("2024-02-29T01:00:00Z") == ParseDateTime("2024-02-29T01:00:00Z")));
  for (const char* bad :
       {"", "2026", "2026-13-01", "2023-02-29", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00",
        "2026-01-01T00:00:00+01:00", "2026-01-01T00:00:00.Z", "2026-01-01 00:00:00Z",
        "2026-01-01T00:00:00Zjunk", "2026-01-1"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseDateOrDateTime(bad).has_value()); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
