// saml::Validate (engine/saml/validate.cc): the Web Browser SSO checks on a verified Response,
// in order, and the login copied out of the signed Assertion. Each variant is signed at test
// time by xmlsec1 and verified first, so Validate sees what it sees in production. The checks
// of conditions.cc, subject.cc and extract.cc have their own files; here one case shows each
// is reached, in order.
#include "engine/saml/validate.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>

#include "engine/saml/names.h"
#include "tests/engine/support/saml_fixture.h"
#include "tests/engine/support/signing.h"

namespace claimgate::saml {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::NowPlus;
using testing::ReplaceOnce;
using testing::Signed;

constexpr std::string_view kAssertionIssuer =
    "<saml:Issuer>https://idp.example/saml</saml:Issuer><ds:Signature";
constexpr std::string_view kResponseIssuer =
    "<saml:Issuer>https://idp.example/saml</saml:Issuer>\n";

struct Outcome {
  std::string code;  // "ok" or the error code
  std::string message;
  Assertion login;
};

// Signs `unsigned_text` with xmlsec1, verifies it (which must pass), then validates it.
Outcome Validated(const std::string& unsigned_text, Expectations want = testing::Expect(),
                  TimePoint now = testing::Now()) {
  const std::string text = testing::SignWithXmlsec(unsigned_text);
  xml::Document doc = testing::MustParse(text);
  const dsig::Verifier verifier(testing::ExampleKeys(), {});
  Result<VerifiedResponse> verified = VerifySignatures(doc, verifier, {});
  BOOST_REQUIRE_MESSAGE(verified.ok(), "the fixture must verify: " << verified.status().code()
                                                                   << ": "
                                                                   << verified.status().message());
  Result<Assertion> r = Validate(*verified, want, now);
  Outcome out;
  if (!r.ok()) {
    out.code = std::string(r.status().code());
    out.message = r.status().message();
    return out;
  }
  out.code = "ok";
  out.login = std::move(r).value();
  return out;
}

std::string Edited(std::string_view from, std::string_view to, Signed which = Signed::kAssertion) {
  return ReplaceOnce(testing::UnsignedResponse(which), from, to);
}

std::string CodeOf(std::string_view from, std::string_view to, Signed which = Signed::kAssertion) {
  return Validated(Edited(from, to, which)).code;
}

BOOST_AUTO_TEST_SUITE(validate)

// ---- acceptance ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(accepts_the_example_and_copies_the_login_from_the_signed_assertion) {
  Expectations want = testing::Expect();
  want.in_response_to = std::string(testing::kRequestId);
  const Outcome o = Validated(testing::UnsignedResponse(Signed::kAssertion), want);
  BOOST_REQUIRE_MESSAGE(o.code == "ok", o.code << ": " << o.message);
  const Assertion& a = o.login;
  BOOST_TEST(a.issuer == "https://idp.example/saml");
  BOOST_TEST(a.assertion_id == "_assert-1");
  BOOST_TEST(a.response_id == "");  // the Response is unsigned: its ID is not reported
  BOOST_REQUIRE(a.in_response_to.has_value());
  BOOST_TEST(*a.in_response_to == "_req-1");
  BOOST_TEST(a.claims.subject == "alice@example.com");
  BOOST_TEST(a.claims.subject_format == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
  BOOST_REQUIRE(a.claims.attributes.size() == 2u);
  BOOST_TEST(a.claims.attributes[1].values.size() == 2u);
  BOOST_REQUIRE(a.authn_instant.has_value());
  BOOST_TEST((*a.authn_instant == NowPlus(-minutes(1))));
  BOOST_TEST(a.session_index == "_session-1");
  // The earlier of Conditions (12:10) and the bearer confirmation (12:05).
  BOOST_TEST((a.not_on_or_after == NowPlus(minutes(5))));
  BOOST_TEST(!a.response_signed);
  BOOST_TEST(a.assertion_signed);
}

BOOST_AUTO_TEST_CASE(reports_the_response_id_only_when_the_response_is_signed) {
  const Outcome o = Validated(testing::UnsignedResponse(Signed::kBoth));
  BOOST_REQUIRE_MESSAGE(o.code == "ok", o.code << ": " << o.message);
  BOOST_TEST(o.login.response_id == "_resp-1");
  BOOST_TEST(o.login.response_signed);
  BOOST_TEST(o.login.assertion_signed);
}

BOOST_AUTO_TEST_CASE(expiry_is_the_conditions_end_when_it_comes_first) {
  const Outcome o = Validated(
      Edited("NotOnOrAfter=\"2024-05-01T12:10:00Z\"", "NotOnOrAfter=\"2024-05-01T12:03:00Z\""));
  BOOST_REQUIRE(o.code == "ok");
  BOOST_TEST((o.login.not_on_or_after == NowPlus(minutes(3))));
}

BOOST_AUTO_TEST_CASE(an_unpinned_idp_entity_id_accepts_any_issuer) {
  Expectations want = testing::Expect();
  want.idp_entity_id.reset();
  const std::string text = testing::UnsignedResponse(Signed::kAssertion);
  BOOST_TEST(Validated(text, want).code == "ok");
}

// ---- the Response header: saml.bad_time, saml.structure ------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_malformed_response_issue_instant) {
  BOOST_TEST(CodeOf("Version=\"2.0\" IssueInstant=\"2024-05-01T12:00:00Z\" Destination",
                    "Version=\"2.0\" IssueInstant=\"2024-05-01 12:00\" Destination") ==
             "saml.bad_time");
}

BOOST_AUTO_TEST_CASE(refuses_a_response_without_issue_instant) {
  BOOST_TEST(CodeOf(" IssueInstant=\"2024-05-01T12:00:00Z\" Destination", " Destination") ==
             "saml.structure");
}

// ---- saml.status ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_status_other_than_success) {
  const std::string success =
      "<samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/>"
      "</samlp:Status>";
  for (const std::string& status : {
           std::string("<samlp:Status><samlp:StatusCode "
                       "Value=\"urn:oasis:names:tc:SAML:2.0:status:Requester\"/></samlp:Status>"),
           // a nested Success does not make the top level one
           std::string("<samlp:Status><samlp:StatusCode "
                       "Value=\"urn:oasis:names:tc:SAML:2.0:status:Responder\"><samlp:StatusCode "
                       "Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:StatusCode>"
                       "</samlp:Status>"),
           std::string("<samlp:Status/>"),
           std::string(""),
           // the right names in another namespace
           std::string("<x:Status xmlns:x=\"urn:x\"><x:StatusCode "
                       "Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></x:Status>"),
       }) {
    BOOST_TEST_CONTEXT(status) { BOOST_TEST(CodeOf(success, status) == "saml.status"); }
  }
}

// ---- issuer.missing / saml.empty_value / saml.structure / issuer.* -------------------------

BOOST_AUTO_TEST_CASE(refuses_an_assertion_without_exactly_one_issuer) {
  BOOST_TEST(CodeOf(kAssertionIssuer, "<ds:Signature") == "issuer.missing");
  BOOST_TEST(CodeOf(kAssertionIssuer,
                    "<saml:Issuer>https://idp.example/saml</saml:Issuer>"
                    "<saml:Issuer>https://idp.example/saml</saml:Issuer><ds:Signature") ==
             "issuer.missing");
}

BOOST_AUTO_TEST_CASE(refuses_an_empty_assertion_issuer) {
  BOOST_TEST(CodeOf(kAssertionIssuer, "<saml:Issuer></saml:Issuer><ds:Signature") ==
             "saml.empty_value");
}

BOOST_AUTO_TEST_CASE(refuses_a_response_with_several_issuers) {
  BOOST_TEST(CodeOf(kResponseIssuer, std::string(kResponseIssuer) + std::string(kResponseIssuer)) ==
             "saml.structure");
}

BOOST_AUTO_TEST_CASE(refuses_response_and_assertion_issuers_that_differ) {
  // SECURITY.md F07: the unsigned Response Issuer may only reject.
  BOOST_TEST(CodeOf(kResponseIssuer, "<saml:Issuer>https://other.example/saml</saml:Issuer>\n") ==
             "issuer.inconsistent");
  // It is optional (SAML core §3.2.2).
  BOOST_TEST(CodeOf(kResponseIssuer, "\n") == "ok");
}

BOOST_AUTO_TEST_CASE(refuses_an_issuer_other_than_the_pinned_idp) {
  Expectations want = testing::Expect();
  want.idp_entity_id = "https://idp.example/other";
  BOOST_TEST(Validated(testing::UnsignedResponse(Signed::kAssertion), want).code ==
             "issuer.mismatch");
}

// ---- destination.missing / destination.mismatch --------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_signed_response_without_destination) {
  const std::string destination = " Destination=\"https://sp.example/saml/acs\"";
  BOOST_TEST(CodeOf(destination, "", Signed::kResponse) == "destination.missing");
  BOOST_TEST(CodeOf(destination, "", Signed::kBoth) == "destination.missing");
  // SAML bindings §3.5.5.2 requires it of signed messages only.
  BOOST_TEST(CodeOf(destination, "", Signed::kAssertion) == "ok");
}

BOOST_AUTO_TEST_CASE(refuses_a_destination_other_than_the_acs_url) {
  for (const char* d : {"https://evil.example/saml/acs", "https://sp.example/saml/acs/", ""}) {
    BOOST_TEST_CONTEXT("'" << d << "'") {
      BOOST_TEST(CodeOf("Destination=\"https://sp.example/saml/acs\"",
                        "Destination=\"" + std::string(d) + "\"") == "destination.mismatch");
    }
  }
}

// ---- in_response_to.mismatch (the Response's own attribute) --------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_response_that_answers_another_request) {
  Expectations want = testing::Expect();
  want.in_response_to = std::string(testing::kRequestId);
  // The bearer confirmation answers _req-1, the (unsigned) Response another request.
  BOOST_TEST(
      Validated(Edited("InResponseTo=\"_req-1\">\n", "InResponseTo=\"_req-9\">\n"), want).code ==
      "in_response_to.mismatch");
  // Without an expected request the Response attribute is not judged.
  BOOST_TEST(Validated(Edited("InResponseTo=\"_req-1\">\n", "InResponseTo=\"_req-9\">\n")).code ==
             "ok");
}

// ---- the Assertion header: saml.version, saml.bad_time, saml.structure, time.issue_instant --

constexpr std::string_view kAssertionHeader =
    "ID=\"_assert-1\" Version=\"2.0\" IssueInstant=\"2024-05-01T12:00:00Z\"";

BOOST_AUTO_TEST_CASE(refuses_an_assertion_version_other_than_2_0) {
  BOOST_TEST(CodeOf(kAssertionHeader,
                    "ID=\"_assert-1\" Version=\"1.1\" "
                    "IssueInstant=\"2024-05-01T12:00:00Z\"") == "saml.version");
  BOOST_TEST(CodeOf(kAssertionHeader, "ID=\"_assert-1\" IssueInstant=\"2024-05-01T12:00:00Z\"") ==
             "saml.version");
}

BOOST_AUTO_TEST_CASE(refuses_a_malformed_assertion_issue_instant) {
  BOOST_TEST(CodeOf(kAssertionHeader,
                    "ID=\"_assert-1\" Version=\"2.0\" "
                    "IssueInstant=\"2024-05-01T12:00:00\"") == "saml.bad_time");
}

BOOST_AUTO_TEST_CASE(refuses_an_assertion_without_issue_instant) {
  BOOST_TEST(CodeOf(kAssertionHeader, "ID=\"_assert-1\" Version=\"2.0\"") == "saml.structure");
}

BOOST_AUTO_TEST_CASE(refuses_an_assertion_issued_in_the_future_beyond_the_skew) {
  auto issued_at = [](std::string_view t) {
    return "ID=\"_assert-1\" Version=\"2.0\" IssueInstant=\"" + std::string(t) + "\"";
  };
  BOOST_TEST(CodeOf(kAssertionHeader, issued_at("2024-05-01T12:02:01Z")) == "time.issue_instant");
  BOOST_TEST(CodeOf(kAssertionHeader, issued_at("2024-05-01T12:02:00Z")) == "ok");
}

BOOST_AUTO_TEST_CASE(refuses_an_assertion_without_one_subject_conditions_and_authn_statement) {
  const std::string text = testing::UnsignedResponse(Signed::kAssertion);
  auto element = [&](std::string_view open, std::string_view close) {
    const std::size_t a = text.find(open);
    return text.substr(a, text.find(close, a) + close.size() - a);
  };
  const std::string subject = element("<saml:Subject>", "</saml:Subject>");
  const std::string conditions = element("<saml:Conditions ", "</saml:Conditions>");
  const std::string authn = element("<saml:AuthnStatement ", "</saml:AuthnStatement>");
  for (const std::string& edited : {
           ReplaceOnce(text, subject, ""),
           ReplaceOnce(text, subject, subject + subject),
           ReplaceOnce(text, conditions, ""),
           ReplaceOnce(text, conditions, conditions + conditions),
           ReplaceOnce(text, authn, ""),  // profiles §4.1.4.2 (SECURITY.md F11)
           ReplaceOnce(text, authn, authn + authn),
       }) {
    BOOST_TEST(Validated(edited).code == "saml.structure");
  }
}

// ---- the checks of conditions.cc, subject.cc and extract.cc, in order ----------------------

BOOST_AUTO_TEST_CASE(runs_conditions_then_subject_then_attributes) {
  const std::string expired = "NotOnOrAfter=\"2024-05-01T11:00:00Z\"";
  const std::string bad_recipient = "Recipient=\"https://evil.example/acs\"";
  const std::string duplicate =
      "<saml:Attribute Name=\"groups\"><saml:AttributeValue>x</saml:AttributeValue>"
      "</saml:Attribute></saml:AttributeStatement>";
  std::string text = testing::UnsignedResponse(Signed::kAssertion);
  text = ReplaceOnce(text, "NotOnOrAfter=\"2024-05-01T12:10:00Z\"", expired);
  text = ReplaceOnce(text, "Recipient=\"https://sp.example/saml/acs\"", bad_recipient);
  text = ReplaceOnce(text, "</saml:AttributeStatement>", duplicate);
  BOOST_TEST(Validated(text).code == "time.expired");
  text = ReplaceOnce(text, expired, "NotOnOrAfter=\"2024-05-01T12:10:00Z\"");
  BOOST_TEST(Validated(text).code == "recipient.mismatch");
  text = ReplaceOnce(text, bad_recipient, "Recipient=\"https://sp.example/saml/acs\"");
  BOOST_TEST(Validated(text).code == "saml.duplicate_attribute");
}

BOOST_AUTO_TEST_CASE(checks_the_response_before_the_assertion) {
  // Status before Issuer before Destination before the Assertion header.
  std::string text = testing::UnsignedResponse(Signed::kAssertion);
  text = ReplaceOnce(text, "status:Success", "status:Requester");
  text = ReplaceOnce(text, kResponseIssuer, "<saml:Issuer>https://other.example/</saml:Issuer>\n");
  text = ReplaceOnce(text, "Destination=\"https://sp.example/saml/acs\"",
                     "Destination=\"https://evil.example/\"");
  text = ReplaceOnce(text, kAssertionHeader, "ID=\"_assert-1\" Version=\"1.1\"");
  BOOST_TEST(Validated(text).code == "saml.status");
  text = ReplaceOnce(text, "status:Requester", "status:Success");
  BOOST_TEST(Validated(text).code == "issuer.inconsistent");
  text = ReplaceOnce(text, "<saml:Issuer>https://other.example/</saml:Issuer>\n", kResponseIssuer);
  BOOST_TEST(Validated(text).code == "destination.mismatch");
  text = ReplaceOnce(text, "Destination=\"https://evil.example/\"",
                     "Destination=\"https://sp.example/saml/acs\"");
  BOOST_TEST(Validated(text).code == "saml.version");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::saml
