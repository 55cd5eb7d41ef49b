// internal::CheckConditions (engine/saml/conditions.cc): the validity window with clock skew,
// every AudienceRestriction, and no condition this SP does not understand. The check reads an
// Assertion node; no signature is needed to test it (validate_test.cc covers the signed path).
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "engine/saml/checks_internal.h"
#include "engine/saml/names.h"
#include "tests/engine/support/saml_fixture.h"

namespace claimgate::saml::internal {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::NowPlus;

constexpr std::string_view kConditions =
    "<saml:Conditions NotBefore=\"2024-05-01T11:55:00Z\" NotOnOrAfter=\"2024-05-01T12:10:00Z\">"
    "<saml:AudienceRestriction><saml:Audience>https://sp.example/saml</saml:Audience>"
    "</saml:AudienceRestriction></saml:Conditions>";
constexpr std::string_view kOurAudience =
    "<saml:AudienceRestriction><saml:Audience>https://sp.example/saml</saml:Audience>"
    "</saml:AudienceRestriction>";

struct Checked {
  std::string code;  // "ok" or the error code
  std::optional<TimePoint> expiry;
};

// Runs CheckConditions on the example Assertion whose Conditions element is `conditions`.
Checked Check(std::string_view conditions, TimePoint now = testing::Now(),
              Expectations want = testing::Expect()) {
  const std::string text = testing::ReplaceOnce(testing::UnsignedResponse(testing::Signed::kNone),
                                                kConditions, conditions);
  xml::Document doc = testing::MustParse(text);
  const pugi::xml_node assertion = doc.Child(doc.root(), kAssertionNs, "Assertion");
  Checked out;
  const Status s = CheckConditions(doc, assertion, want, now, &out.expiry);
  out.code = s.ok() ? "ok" : std::string(s.code());
  return out;
}

std::string Window(std::string_view not_before, std::string_view not_on_or_after) {
  std::string c = "<saml:Conditions";
  if (!not_before.empty()) c += " NotBefore=\"" + std::string(not_before) + "\"";
  if (!not_on_or_after.empty()) c += " NotOnOrAfter=\"" + std::string(not_on_or_after) + "\"";
  return c + ">" + std::string(kOurAudience) + "</saml:Conditions>";
}

std::string WithChildren(std::string_view children) {
  return "<saml:Conditions>" + std::string(children) + "</saml:Conditions>";
}

BOOST_AUTO_TEST_SUITE(conditions)

BOOST_AUTO_TEST_CASE(accepts_the_example_and_reports_its_expiry) {
  const Checked c = Check(kConditions);
  BOOST_TEST(c.code == "ok");
  BOOST_REQUIRE(c.expiry.has_value());
  BOOST_TEST((*c.expiry == NowPlus(minutes(10))));
}

BOOST_AUTO_TEST_CASE(times_are_optional) {
  const Checked c = Check(Window("", ""));
  BOOST_TEST(c.code == "ok");
  BOOST_TEST(!c.expiry.has_value());
}

// ---- saml.bad_time -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_malformed_not_before) {
  for (const char* t :
       {"2024-05-01T11:55:00", "2024-05-01T11:55:00+01:00", "2024-13-01T11:55:00Z", "yesterday"}) {
    BOOST_TEST_CONTEXT(t) {
      BOOST_TEST(Check(Window(t, "2024-05-01T12:10:00Z")).code == "saml.bad_time");
    }
  }
  // Present but empty is malformed, not absent.
  BOOST_TEST(
      Check("<saml:Conditions NotBefore=\"\">" + std::string(kOurAudience) + "</saml:Conditions>")
          .code == "saml.bad_time");
}

BOOST_AUTO_TEST_CASE(refuses_a_malformed_not_on_or_after) {
  for (const char* t : {"2024-05-01 12:10:00Z", "2024-05-01T25:10:00Z", "1714565400"}) {
    BOOST_TEST_CONTEXT(t) {
      BOOST_TEST(Check(Window("2024-05-01T11:55:00Z", t)).code == "saml.bad_time");
    }
  }
}

// ---- time.not_yet_valid --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_an_assertion_not_yet_valid_beyond_the_skew) {
  // NotBefore 12:02:01 is more than 120 s ahead of 12:00:00; 12:02:00 is just within.
  BOOST_TEST(Check(Window("2024-05-01T12:02:01Z", "")).code == "time.not_yet_valid");
  BOOST_TEST(Check(Window("2024-05-01T12:02:00Z", "")).code == "ok");
  Expectations strict = testing::Expect();
  strict.clock_skew = seconds(0);
  BOOST_TEST(Check(Window("2024-05-01T12:00:01Z", ""), testing::Now(), strict).code ==
             "time.not_yet_valid");
  BOOST_TEST(Check(Window("2024-05-01T12:00:00Z", ""), testing::Now(), strict).code == "ok");
}

// ---- time.expired --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_an_assertion_expired_beyond_the_skew) {
  // NotOnOrAfter is exclusive: at exactly now - skew it has expired.
  BOOST_TEST(Check(Window("", "2024-05-01T11:58:00Z")).code == "time.expired");
  BOOST_TEST(Check(Window("", "2024-05-01T11:58:01Z")).code == "ok");
  BOOST_TEST(Check(kConditions, NowPlus(minutes(12))).code == "time.expired");
  BOOST_TEST(Check(kConditions, NowPlus(minutes(11) + seconds(59))).code == "ok");
}

BOOST_AUTO_TEST_CASE(checks_the_window_before_the_audience) {
  BOOST_TEST(Check("<saml:Conditions NotOnOrAfter=\"2024-05-01T11:00:00Z\"/>").code ==
             "time.expired");
}

// ---- saml.unknown_condition ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_condition_it_does_not_understand) {
  for (const std::string& extra : {
           std::string("<saml:Condition xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                       "xmlns:x=\"urn:x\" xsi:type=\"x:Custom\"/>"),
           std::string("<x:DelegationRestriction xmlns:x=\"urn:oasis:names:tc:SAML:2.0:"
                       "conditions:delegation\"/>"),
           // the right local name in another namespace
           std::string("<x:AudienceRestriction xmlns:x=\"urn:x\"><x:Audience>"
                       "https://sp.example/saml</x:Audience></x:AudienceRestriction>"),
       }) {
    BOOST_TEST_CONTEXT(extra) {
      BOOST_TEST(Check(WithChildren(std::string(kOurAudience) + extra)).code ==
                 "saml.unknown_condition");
    }
  }
}

BOOST_AUTO_TEST_CASE(understands_one_time_use_and_proxy_restriction) {
  BOOST_TEST(Check(WithChildren(std::string(kOurAudience) +
                                "<saml:OneTimeUse/><saml:ProxyRestriction Count=\"0\"/>"))
                 .code == "ok");
}

// ---- audience.mismatch ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_an_audience_restriction_without_this_sp) {
  const std::string other =
      "<saml:AudienceRestriction><saml:Audience>https://other.example/saml</saml:Audience>"
      "</saml:AudienceRestriction>";
  BOOST_TEST(Check(WithChildren(other)).code == "audience.mismatch");
  // SAML core §2.5.1.4: every restriction must be satisfied, not just one.
  BOOST_TEST(Check(WithChildren(std::string(kOurAudience) + other)).code == "audience.mismatch");
  BOOST_TEST(Check(WithChildren(other + std::string(kOurAudience))).code == "audience.mismatch");
  // An Audience is compared whole: no trimming, no prefix match, no case folding.
  for (const char* near : {" https://sp.example/saml", "https://sp.example/saml/",
                           "https://sp.example/", "HTTPS://SP.EXAMPLE/SAML"}) {
    BOOST_TEST_CONTEXT("'" << near << "'") {
      BOOST_TEST(
          Check(WithChildren("<saml:AudienceRestriction><saml:Audience>" + std::string(near) +
                             "</saml:Audience></saml:AudienceRestriction>"))
              .code == "audience.mismatch");
    }
  }
}

BOOST_AUTO_TEST_CASE(any_audience_within_one_restriction_may_match) {
  BOOST_TEST(Check(WithChildren("<saml:AudienceRestriction><saml:Audience>https://a.example"
                                "</saml:Audience><saml:Audience>https://sp.example/saml"
                                "</saml:Audience></saml:AudienceRestriction>"))
                 .code == "ok");
  // Whole text: a comment inside the Audience does not split it.
  BOOST_TEST(Check(WithChildren("<saml:AudienceRestriction><saml:Audience>https://sp.example/"
                                "<!---->saml</saml:Audience></saml:AudienceRestriction>"))
                 .code == "ok");
}

// ---- audience.missing ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_an_assertion_without_audience_restriction) {
  BOOST_TEST(Check("<saml:Conditions NotBefore=\"2024-05-01T11:55:00Z\" "
                   "NotOnOrAfter=\"2024-05-01T12:10:00Z\"></saml:Conditions>")
                 .code == "audience.missing");
  BOOST_TEST(Check("<saml:Conditions/>").code == "audience.missing");
  BOOST_TEST(Check(WithChildren("<saml:OneTimeUse/>")).code == "audience.missing");
  // No Conditions element at all (Validate refuses that earlier as saml.structure).
  BOOST_TEST(Check("").code == "audience.missing");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::saml::internal
