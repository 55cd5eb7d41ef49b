#pragma once

// The one login the saml and dsig unit tests start from: an Okta-shaped Response for the SP
// below, valid at kNow. Tests change it with ReplaceOnce() on the unsigned text, then sign it
// with SignWithXmlsec(), so each test shows exactly the one thing it differs in.

#include <chrono>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "engine/saml/expectations.h"
#include "tests/engine/support/signing.h"

namespace claimgate::testing {

inline constexpr std::string_view kSpEntityId = "https://sp.example/saml";
inline constexpr std::string_view kAcsUrl = "https://sp.example/saml/acs";
inline constexpr std::string_view kIdpEntityId = "https://idp.example/saml";
inline constexpr std::string_view kRequestId = "_req-1";
inline constexpr std::string_view kResponseId = "_resp-1";
inline constexpr std::string_view kAssertionId = "_assert-1";
inline constexpr std::string_view kNowText = "2024-05-01T12:00:00Z";

// Markers the signature templates replace.
inline constexpr std::string_view kResponseSignatureMark = "<!--RESPONSE-SIGNATURE-->";
inline constexpr std::string_view kAssertionSignatureMark = "<!--ASSERTION-SIGNATURE-->";

// Times: IssueInstant kNow; Conditions 11:55-12:10; bearer confirmation until 12:05.
inline constexpr std::string_view kResponseTemplate =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
    "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_resp-1\" Version=\"2.0\" "
    "IssueInstant=\"2024-05-01T12:00:00Z\" Destination=\"https://sp.example/saml/acs\" "
    "InResponseTo=\"_req-1\">\n"
    "<saml:Issuer>https://idp.example/saml</saml:Issuer><!--RESPONSE-SIGNATURE-->\n"
    "<samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/>"
    "</samlp:Status>\n"
    "<saml:Assertion ID=\"_assert-1\" Version=\"2.0\" IssueInstant=\"2024-05-01T12:00:00Z\">\n"
    "<saml:Issuer>https://idp.example/saml</saml:Issuer><!--ASSERTION-SIGNATURE-->\n"
    "<saml:Subject>"
    "<saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">"
    "alice@example.com</saml:NameID>"
    "<saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">"
    "<saml:SubjectConfirmationData NotOnOrAfter=\"2024-05-01T12:05:00Z\" "
    "Recipient=\"https://sp.example/saml/acs\" InResponseTo=\"_req-1\"/>"
    "</saml:SubjectConfirmation></saml:Subject>\n"
    "<saml:Conditions NotBefore=\"2024-05-01T11:55:00Z\" NotOnOrAfter=\"2024-05-01T12:10:00Z\">"
    "<saml:AudienceRestriction><saml:Audience>https://sp.example/saml</saml:Audience>"
    "</saml:AudienceRestriction></saml:Conditions>\n"
    "<saml:AuthnStatement AuthnInstant=\"2024-05-01T11:59:00Z\" SessionIndex=\"_session-1\">"
    "<saml:AuthnContext><saml:AuthnContextClassRef>"
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
    "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>\n"
    "<saml:AttributeStatement>"
    "<saml:Attribute Name=\"email\" "
    "NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:basic\">"
    "<saml:AttributeValue>alice@example.com</saml:AttributeValue></saml:Attribute>"
    "<saml:Attribute Name=\"groups\"><saml:AttributeValue>admins</saml:AttributeValue>"
    "<saml:AttributeValue>staff</saml:AttributeValue></saml:Attribute>"
    "</saml:AttributeStatement>\n"
    "</saml:Assertion>\n"
    "</samlp:Response>\n";

enum class Signed { kNone, kAssertion, kResponse, kBoth };

// The template with signature templates where `which` asks (markers removed elsewhere).
inline std::string UnsignedResponse(Signed which = Signed::kAssertion) {
  const bool r = which == Signed::kResponse || which == Signed::kBoth;
  const bool a = which == Signed::kAssertion || which == Signed::kBoth;
  std::string text(kResponseTemplate);
  text = ReplaceOnce(text, kResponseSignatureMark,
                     r ? SignatureTemplate(kResponseId, ProfileTransforms()) : "");
  text = ReplaceOnce(text, kAssertionSignatureMark,
                     a ? SignatureTemplate(kAssertionId, ProfileTransforms()) : "");
  return text;
}

// What this SP expects: the constants above, the default skew, the IdP pinned.
inline saml::Expectations Expect() {
  saml::Expectations want;
  want.sp_entity_id = std::string(kSpEntityId);
  want.acs_url = std::string(kAcsUrl);
  want.idp_entity_id = std::string(kIdpEntityId);
  return want;
}

// kNowText as a TimePoint (1714564800 s after the epoch), and instants relative to it; the
// tests do not parse times themselves, so they do not depend on the datetime module.
inline TimePoint Now() { return TimePoint(std::chrono::seconds(1714564800)); }
inline TimePoint NowPlus(std::chrono::seconds delta) { return Now() + delta; }

}  // namespace claimgate::testing
