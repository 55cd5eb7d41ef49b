// internal::CheckSubject (engine/saml/subject.cc): one NameID, and a bearer
// SubjectConfirmation whose data names our ACS, has not expired and answers our request
// (SAML profiles §4.1.4.2-3). Unsigned Assertion nodes suffice here; each refusal asserts its
// exact code.
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

constexpr std::string_view kSubjectOpen = "<saml:Subject>";
constexpr std::string_view kSubjectClose = "</saml:Subject>";
constexpr std::string_view kNameId =
    "<saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">"
    "alice@example.com</saml:NameID>";
constexpr std::string_view kGoodData =
    "NotOnOrAfter=\"2024-05-01T12:05:00Z\" Recipient=\"https://sp.example/saml/acs\" "
    "InResponseTo=\"_req-1\"";

std::string Confirmation(std::string_view data_attributes,
                         std::string_view method = "urn:oasis:names:tc:SAML:2.0:cm:bearer") {
  return "<saml:SubjectConfirmation Method=\"" + std::string(method) +
         "\"><saml:SubjectConfirmationData " + std::string(data_attributes) +
         "/></saml:SubjectConfirmation>";
}

struct Checked {
  std::string code;  // "ok" or the error code
  Claims claims;
  std::optional<std::string> in_response_to;
  TimePoint expiry;
};

// Runs CheckSubject on the example Assertion whose Subject holds `inner`.
Checked Check(std::string_view inner, Expectations want = testing::Expect(),
              TimePoint now = testing::Now()) {
  std::string text = testing::UnsignedResponse(testing::Signed::kNone);
  const std::size_t a = text.find(kSubjectOpen);
  const std::size_t b = text.find(kSubjectClose);
  BOOST_REQUIRE(a != std::string::npos && b != std::string::npos);
  text.replace(a + kSubjectOpen.size(), b - a - kSubjectOpen.size(), inner);
  xml::Document doc = testing::MustParse(text);
  const pugi::xml_node assertion = doc.Child(doc.root(), kAssertionNs, "Assertion");
  Checked out;
  const Status s =
      CheckSubject(doc, assertion, want, now, &out.claims, &out.in_response_to, &out.expiry);
  out.code = s.ok() ? "ok" : std::string(s.code());
  return out;
}

std::string WithData(std::string_view data_attributes) {
  return std::string(kNameId) + Confirmation(data_attributes);
}

Expectations Expecting(std::string_view request_id) {
  Expectations want = testing::Expect();
  want.in_response_to = std::string(request_id);
  return want;
}

BOOST_AUTO_TEST_SUITE(subject)

BOOST_AUTO_TEST_CASE(accepts_the_example_and_fills_subject_request_and_expiry) {
  const Checked c = Check(WithData(kGoodData), Expecting(testing::kRequestId));
  BOOST_TEST(c.code == "ok");
  BOOST_TEST(c.claims.subject == "alice@example.com");
  BOOST_TEST(c.claims.subject_format == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
  BOOST_REQUIRE(c.in_response_to.has_value());
  BOOST_TEST(*c.in_response_to == "_req-1");
  BOOST_TEST((c.expiry == NowPlus(minutes(5))));
}

BOOST_AUTO_TEST_CASE(reads_the_nameid_as_whole_text) {
  // SECURITY.md D01/D02: the comment or CDATA split never truncates the subject.
  const Checked c =
      Check("<saml:NameID>alice@example.com<!---->.evil.test<![CDATA[.x]]></saml:NameID>" +
            Confirmation(kGoodData));
  BOOST_TEST(c.code == "ok");
  BOOST_TEST(c.claims.subject == "alice@example.com.evil.test.x");
  BOOST_TEST(c.claims.subject_format == "");
}

BOOST_AUTO_TEST_CASE(an_unsolicited_response_needs_no_in_response_to) {
  const Checked c = Check(
      WithData("NotOnOrAfter=\"2024-05-01T12:05:00Z\" Recipient=\"https://sp.example/saml/acs\""));
  BOOST_TEST(c.code == "ok");
  BOOST_TEST(!c.in_response_to.has_value());
  // Without an expected request, one named by the IdP is still reported.
  const Checked named = Check(WithData(kGoodData));
  BOOST_REQUIRE(named.in_response_to.has_value());
  BOOST_TEST(*named.in_response_to == "_req-1");
}

// ---- saml.structure ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_subject_without_exactly_one_plain_nameid) {
  const std::string c = Confirmation(kGoodData);
  for (const std::string& inner : {
           c,                                                 // no NameID
           std::string(kNameId) + std::string(kNameId) + c,   // two
           std::string(kNameId) + "<saml:EncryptedID/>" + c,  // plus an EncryptedID
           std::string(kNameId) + "<saml:BaseID/>" + c,       // plus a BaseID
           "<saml:EncryptedID><x/></saml:EncryptedID>" + c,   // encrypted only
           // a NameID in another namespace is not one
           "<x:NameID xmlns:x=\"urn:x\">alice@example.com</x:NameID>" + c,
       }) {
    BOOST_TEST_CONTEXT(inner) { BOOST_TEST(Check(inner).code == "saml.structure"); }
  }
  BOOST_TEST(Check("").code == "saml.structure");
}

BOOST_AUTO_TEST_CASE(refuses_a_nameid_holding_elements) {
  BOOST_TEST(
      Check("<saml:NameID>alice<b>@example.com</b></saml:NameID>" + Confirmation(kGoodData)).code ==
      "saml.structure");
}

// ---- subject.sp_name_qualifier -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_nameid_issued_for_another_sp) {
  BOOST_TEST(
      Check("<saml:NameID SPNameQualifier=\"https://other.example/saml\">alice</saml:NameID>" +
            Confirmation(kGoodData))
          .code == "subject.sp_name_qualifier");
  BOOST_TEST(Check("<saml:NameID SPNameQualifier=\"https://sp.example/saml\">alice</saml:NameID>" +
                   Confirmation(kGoodData))
                 .code == "ok");
}

// ---- saml.empty_value ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_an_empty_nameid) {
  BOOST_TEST(Check("<saml:NameID Format=\"x\"></saml:NameID>" + Confirmation(kGoodData)).code ==
             "saml.empty_value");
  BOOST_TEST(
      Check("<saml:NameID><!--only a comment--></saml:NameID>" + Confirmation(kGoodData)).code ==
      "saml.empty_value");
}

// ---- subject.no_bearer ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_subject_without_bearer_confirmation) {
  BOOST_TEST(Check(kNameId).code == "subject.no_bearer");
  BOOST_TEST(Check(std::string(kNameId) +
                   Confirmation(kGoodData, "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"))
                 .code == "subject.no_bearer");
  BOOST_TEST(Check(std::string(kNameId) +
                   Confirmation(kGoodData, "urn:oasis:names:tc:SAML:2.0:cm:sender-vouches"))
                 .code == "subject.no_bearer");
  // The Method is compared whole.
  BOOST_TEST(Check(std::string(kNameId) +
                   Confirmation(kGoodData, "urn:oasis:names:tc:SAML:2.0:cm:bearer "))
                 .code == "subject.no_bearer");
}

// ---- subject.confirmation_no_expiry --------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_bearer_confirmation_without_expiry) {
  BOOST_TEST(Check(WithData("Recipient=\"https://sp.example/saml/acs\"")).code ==
             "subject.confirmation_no_expiry");
  // No SubjectConfirmationData at all.
  BOOST_TEST(Check(std::string(kNameId) +
                   "<saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"/>")
                 .code == "subject.confirmation_no_expiry");
}

// ---- saml.bad_time -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_malformed_confirmation_times) {
  BOOST_TEST(Check(WithData("NotOnOrAfter=\"2024-05-01T12:05:00\" "
                            "Recipient=\"https://sp.example/saml/acs\""))
                 .code == "saml.bad_time");
  BOOST_TEST(Check(WithData("NotBefore=\"soon\" NotOnOrAfter=\"2024-05-01T12:05:00Z\" "
                            "Recipient=\"https://sp.example/saml/acs\""))
                 .code == "saml.bad_time");
}

// ---- subject.confirmation_expired ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_an_expired_bearer_confirmation) {
  // 12:05 plus 120 s of skew: expired at 12:07:00 exactly, valid at 12:06:59.
  BOOST_TEST(Check(WithData(kGoodData), testing::Expect(), NowPlus(minutes(7))).code ==
             "subject.confirmation_expired");
  BOOST_TEST(Check(WithData(kGoodData), testing::Expect(), NowPlus(minutes(7) - seconds(1))).code ==
             "ok");
}

// ---- subject.confirmation_not_yet_valid ----------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_bearer_confirmation_not_yet_valid) {
  const std::string tail =
      " NotOnOrAfter=\"2024-05-01T12:05:00Z\" Recipient=\"https://sp.example/saml/acs\"";
  BOOST_TEST(Check(WithData("NotBefore=\"2024-05-01T12:02:01Z\"" + tail)).code ==
             "subject.confirmation_not_yet_valid");
  BOOST_TEST(Check(WithData("NotBefore=\"2024-05-01T12:02:00Z\"" + tail)).code == "ok");
}

// ---- recipient.missing / recipient.mismatch ------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_bearer_confirmation_without_recipient) {
  BOOST_TEST(Check(WithData("NotOnOrAfter=\"2024-05-01T12:05:00Z\"")).code == "recipient.missing");
}

BOOST_AUTO_TEST_CASE(refuses_a_recipient_other_than_the_acs_url) {
  for (const char* r : {"https://evil.example/saml/acs", "https://sp.example/saml/acs/",
                        "https://sp.example/saml/acs?x=1", ""}) {
    BOOST_TEST_CONTEXT("'" << r << "'") {
      BOOST_TEST(Check(WithData("NotOnOrAfter=\"2024-05-01T12:05:00Z\" Recipient=\"" +
                                std::string(r) + "\""))
                     .code == "recipient.mismatch");
    }
  }
}

// ---- in_response_to.missing / in_response_to.mismatch --------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_confirmation_that_answers_no_request_when_one_was_sent) {
  BOOST_TEST(Check(WithData("NotOnOrAfter=\"2024-05-01T12:05:00Z\" "
                            "Recipient=\"https://sp.example/saml/acs\""),
                   Expecting(testing::kRequestId))
                 .code == "in_response_to.missing");
}

BOOST_AUTO_TEST_CASE(refuses_a_confirmation_that_answers_another_request) {
  BOOST_TEST(Check(WithData(kGoodData), Expecting("_req-2")).code == "in_response_to.mismatch");
}

// ---- several confirmations -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(one_passing_bearer_confirmation_is_enough) {
  const Checked c = Check(std::string(kNameId) +
                          Confirmation("NotOnOrAfter=\"2024-05-01T12:05:00Z\" "
                                       "Recipient=\"https://evil.example/acs\"") +
                          Confirmation(kGoodData));
  BOOST_TEST(c.code == "ok");
  BOOST_TEST((c.expiry == NowPlus(minutes(5))));
}

BOOST_AUTO_TEST_CASE(reports_the_first_failure_when_no_bearer_confirmation_passes) {
  BOOST_TEST(Check(std::string(kNameId) +
                   Confirmation("NotOnOrAfter=\"2024-05-01T12:05:00Z\" "
                                "Recipient=\"https://evil.example/acs\"") +
                   Confirmation("Recipient=\"https://sp.example/saml/acs\""))
                 .code == "recipient.mismatch");
  // A non-bearer confirmation before them is skipped, not reported.
  BOOST_TEST(Check(std::string(kNameId) +
                   Confirmation(kGoodData, "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key") +
                   Confirmation("Recipient=\"https://sp.example/saml/acs\""))
                 .code == "subject.confirmation_no_expiry");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::saml::internal
