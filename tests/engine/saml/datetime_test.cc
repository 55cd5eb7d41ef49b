#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>

#include "engine/saml/datetime.h"

using claimgate::saml::FormatDateTime;
using claimgate::saml::ParseDateTime;

BOOST_AUTO_TEST_SUITE(datetime)

BOOST_AUTO_TEST_CASE(parses_saml_forms) {
  const auto t = ParseDateTime("2024-05-01T12:00:00Z");
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(t->time_since_epoch().count() == 1714564800LL * 1000000);
  BOOST_TEST(FormatDateTime(*t) == "2024-05-01T12:00:00Z");
  BOOST_TEST(FormatDateTime(*ParseDateTime("2024-05-01T12:00:00.5Z")) == "2024-05-01T12:00:00.500000Z");
  BOOST_TEST(FormatDateTime(*ParseDateTime("2000-02-29T23:59:59.123456789Z")) ==
             "2000-02-29T23:59:59.123456Z");
  BOOST_TEST(FormatDateTime(*ParseDateTime("1969-12-31T23:59:59Z")) == "1969-12-31T23:59:59Z");
}

BOOST_AUTO_TEST_CASE(malformed_values_are_refused_not_crashed_on) {
  for (const char* bad : {"", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
                          "2024-13-99T99:99:99Z", "2024-05-01", "2024-05-01T24:00:00Z",
                          "2024-05-01T12:00:00ZZ", "2024-05-01T12:00:00.Z", "2024-05-01 12:00:00Z",
                          "2024-05-01T12:00:00+2:00", "+2024-05-01T12:00:00Z", "0000-01-01T00:00:00Z",
                          "2024-05-01T12:00:60Z", "2024-05-01T12:00:00+15:00",
                          "2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00", "2024-05-01T12:00:00z"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseDateTime(bad).has_value()); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
