// saml::VerifySignatures (engine/saml/verify_response.cc): the one Assertion and every Signature
// found by fixed shape, every Signature present verified, the Assertion covered as the policy
// requires. Documents are signed at test time by xmlsec1; each refusal asserts its exact code.
#include "engine/saml/verify_response.h"

#include <boost/test/unit_test.hpp>
#include <string>

#include "engine/saml/names.h"
#include "tests/engine/support/saml_fixture.h"
#include "tests/engine/support/signing.h"

namespace claimgate::saml {
namespace {

using testing::ReplaceOnce;
using testing::Signed;
using testing::SignWithXmlsec;

const std::string& SignedText(Signed which) {
  static const std::string assertion =
      SignWithXmlsec(testing::UnsignedResponse(Signed::kAssertion));
  static const std::string response = SignWithXmlsec(testing::UnsignedResponse(Signed::kResponse));
  static const std::string both = SignWithXmlsec(testing::UnsignedResponse(Signed::kBoth));
  static const std::string none = testing::UnsignedResponse(Signed::kNone);
  switch (which) {
    case Signed::kAssertion:
      return assertion;
    case Signed::kResponse:
      return response;
    case Signed::kBoth:
      return both;
    default:
      return none;
  }
}

// The first ds:Signature element of `text`, as text (it declares its own ds prefix).
std::string FirstSignature(const std::string& text) {
  const std::size_t a = text.find("<ds:Signature ");
  const std::size_t b = text.find("</ds:Signature>", a) + 15;
  return text.substr(a, b - a);
}

struct Outcome {
  std::string code;  // "ok" or the error code
  std::string message;
  bool response_signed = false;
  bool assertion_signed = false;
  bool assertion_is_the_child = false;  // the SignedElement is the Response's Assertion child
};

Outcome Verify(const std::string& text, SignaturePolicy policy = {}) {
  xml::Document doc = testing::MustParse(text);
  const dsig::Verifier verifier(testing::ExampleKeys(), {});
  Result<VerifiedResponse> r = VerifySignatures(doc, verifier, policy);
  Outcome out;
  if (!r.ok()) {
    out.code = std::string(r.status().code());
    out.message = r.status().message();
    return out;
  }
  out.code = "ok";
  out.response_signed = r->response_signed;
  out.assertion_signed = r->assertion_signed;
  out.assertion_is_the_child =
      r->document == &doc && r->unverified_response == doc.root() &&
      r->assertion.node() == doc.Child(doc.root(), kAssertionNs, "Assertion");
  return out;
}

SignaturePolicy Require(bool response, bool assertion) {
  SignaturePolicy p;
  p.require_signed_response = response;
  p.require_signed_assertion = assertion;
  return p;
}

BOOST_AUTO_TEST_SUITE(verify_response)

// ---- acceptance ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(accepts_an_assertion_signed_by_itself) {
  const Outcome o = Verify(SignedText(Signed::kAssertion));
  BOOST_TEST(o.code == "ok", o.code << ": " << o.message);
  BOOST_TEST(!o.response_signed);
  BOOST_TEST(o.assertion_signed);
  BOOST_TEST(o.assertion_is_the_child);
  BOOST_TEST(Verify(SignedText(Signed::kAssertion), Require(false, true)).code == "ok");
}

BOOST_AUTO_TEST_CASE(accepts_an_assertion_covered_by_the_response_signature) {
  const Outcome o = Verify(SignedText(Signed::kResponse));
  BOOST_TEST(o.code == "ok", o.code << ": " << o.message);
  BOOST_TEST(o.response_signed);
  BOOST_TEST(!o.assertion_signed);
  BOOST_TEST(o.assertion_is_the_child);  // narrowed from the signed Response
  BOOST_TEST(Verify(SignedText(Signed::kResponse), Require(true, false)).code == "ok");
}

BOOST_AUTO_TEST_CASE(accepts_both_signed_okta_style) {
  const Outcome o = Verify(SignedText(Signed::kBoth), Require(true, true));
  BOOST_TEST(o.code == "ok", o.code << ": " << o.message);
  BOOST_TEST(o.response_signed);
  BOOST_TEST(o.assertion_signed);
  BOOST_TEST(o.assertion_is_the_child);
}

// ---- saml.not_response ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_document_that_is_not_a_saml2_response) {
  for (const std::string& text : {
           std::string("<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" "
                       "ID=\"_a\" Version=\"2.0\"/>"),
           std::string("<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
                       "ID=\"_l\" Version=\"2.0\"/>"),
           // SAML 1.x protocol namespace
           std::string("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:1.0:protocol\" "
                       "ResponseID=\"_r\" MajorVersion=\"1\" MinorVersion=\"1\"/>"),
           // the right name without a namespace
           std::string("<Response ID=\"_r\" Version=\"2.0\"/>"),
       }) {
    BOOST_TEST_CONTEXT(text) { BOOST_TEST(Verify(text).code == "saml.not_response"); }
  }
}

// ---- saml.version --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_response_version_other_than_2_0) {
  BOOST_TEST(Verify(ReplaceOnce(SignedText(Signed::kAssertion), "ID=\"_resp-1\" Version=\"2.0\"",
                                "ID=\"_resp-1\" Version=\"2.1\""))
                 .code == "saml.version");
  BOOST_TEST(Verify(ReplaceOnce(SignedText(Signed::kAssertion), "ID=\"_resp-1\" Version=\"2.0\"",
                                "ID=\"_resp-1\""))
                 .code == "saml.version");
}

// ---- saml.encrypted_assertion --------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_an_encrypted_assertion_anywhere) {
  const std::string encrypted = "<saml:EncryptedAssertion><x/></saml:EncryptedAssertion>";
  // Next to the signed Assertion, and alone.
  BOOST_TEST(Verify(ReplaceOnce(SignedText(Signed::kAssertion), "</samlp:Response>",
                                encrypted + "</samlp:Response>"))
                 .code == "saml.encrypted_assertion");
  std::string alone = SignedText(Signed::kNone);
  const std::size_t a = alone.find("<saml:Assertion ");
  const std::size_t b = alone.find("</saml:Assertion>") + 17;
  alone.replace(a, b - a, encrypted);
  BOOST_TEST(Verify(alone).code == "saml.encrypted_assertion");
  // Refused before the Assertion count and Signature positions are judged.
  BOOST_TEST(
      Verify(ReplaceOnce(alone, "<samlp:Status>",
                         "<samlp:Extensions>" + FirstSignature(SignedText(Signed::kAssertion)) +
                             "</samlp:Extensions><samlp:Status>"))
          .code == "saml.encrypted_assertion");
}

// ---- saml.assertion_count ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_anything_but_one_assertion_as_a_direct_child) {
  const std::string& signed_text = SignedText(Signed::kAssertion);
  const std::size_t a = signed_text.find("<saml:Assertion ");
  const std::size_t b = signed_text.find("</saml:Assertion>") + 17;
  const std::string assertion = signed_text.substr(a, b - a);
  std::string none = signed_text;
  none.replace(a, b - a, "");
  BOOST_TEST(Verify(none).code == "saml.assertion_count");
  // Two (SECURITY.md A10), the copy (another ID) after or before the genuine one.
  const std::string copy = ReplaceOnce(assertion, "ID=\"_assert-1\"", "ID=\"_assert-2\"");
  BOOST_TEST(
      Verify(ReplaceOnce(signed_text, "</samlp:Response>", copy + "</samlp:Response>")).code ==
      "saml.assertion_count");
  BOOST_TEST(Verify(ReplaceOnce(signed_text, "<saml:Assertion ", copy + "<saml:Assertion ")).code ==
             "saml.assertion_count");
  // A second Assertion hidden in Extensions or in Advice (SECURITY.md A03/A04, DR4).
  BOOST_TEST(Verify(ReplaceOnce(signed_text, "<samlp:Status>",
                                "<samlp:Extensions><saml:Assertion ID=\"_evil\" Version=\"2.0\"/>"
                                "</samlp:Extensions><samlp:Status>"))
                 .code == "saml.assertion_count");
  BOOST_TEST(Verify(ReplaceOnce(signed_text, "<saml:Conditions ",
                                "<saml:Advice><saml:Assertion ID=\"_adv\" Version=\"2.0\"/>"
                                "</saml:Advice><saml:Conditions "))
                 .code == "saml.assertion_count");
  // The only Assertion, but not a direct child of the Response.
  std::string nested = signed_text;
  nested.replace(a, b - a, "<samlp:Extensions>" + assertion + "</samlp:Extensions>");
  BOOST_TEST(Verify(nested).code == "saml.assertion_count");
}

// ---- signature.position --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_signature_outside_the_response_and_assertion) {
  const std::string& signed_text = SignedText(Signed::kAssertion);
  const std::string decoy = FirstSignature(signed_text);
  int placement = 0;
  for (const std::string& text : {
           ReplaceOnce(signed_text, "<samlp:Status>",
                       "<samlp:Extensions>" + decoy + "</samlp:Extensions><samlp:Status>"),
           ReplaceOnce(signed_text, "</samlp:Status>",
                       "<samlp:StatusDetail>" + decoy + "</samlp:StatusDetail></samlp:Status>"),
           ReplaceOnce(signed_text, "</saml:Subject>", decoy + "</saml:Subject>"),
           // a Signature inside the Signature (its Object would be refused later anyway)
           ReplaceOnce(signed_text, "</ds:Signature>", decoy + "</ds:Signature>"),
       }) {
    BOOST_TEST_CONTEXT("placement " << ++placement) {
      BOOST_TEST(Verify(text).code == "signature.position");
    }
  }
}

BOOST_AUTO_TEST_CASE(refuses_two_signatures_on_one_element) {
  const std::string& signed_text = SignedText(Signed::kAssertion);
  const std::string sig = FirstSignature(signed_text);
  BOOST_TEST(Verify(ReplaceOnce(signed_text, sig, sig + sig)).code == "signature.position");
  const std::string& both = SignedText(Signed::kBoth);
  const std::string response_sig = FirstSignature(both);
  BOOST_TEST(Verify(ReplaceOnce(both, "<samlp:Status>", response_sig + "<samlp:Status>")).code ==
             "signature.position");
}

// ---- signature.* from each Signature, named ------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_response_signature_that_does_not_verify) {
  // The Response is signed: its unsigned-looking fields are covered too.
  const Outcome o =
      Verify(ReplaceOnce(SignedText(Signed::kBoth), "Destination=\"https://sp.example/saml/acs\"",
                         "Destination=\"https://evil.example/acs\""));
  BOOST_TEST(o.code == "signature.digest_mismatch");
  BOOST_TEST(o.message.rfind("Response signature: ", 0) == 0, o.message);
}

BOOST_AUTO_TEST_CASE(refuses_an_assertion_signature_that_does_not_verify) {
  const Outcome o = Verify(ReplaceOnce(SignedText(Signed::kAssertion), ">admins<", ">root<"));
  BOOST_TEST(o.code == "signature.digest_mismatch");
  BOOST_TEST(o.message.rfind("Assertion signature: ", 0) == 0, o.message);
  // Every Signature present must verify, even when the Response's covers the Assertion: the
  // Assertion signed by an unpinned key, then the Response by the pinned one over it.
  std::string text(testing::kResponseTemplate);
  text = ReplaceOnce(text, testing::kAssertionSignatureMark,
                     testing::SignatureTemplate(testing::kAssertionId, testing::ProfileTransforms(),
                                                testing::kRsaSha256, ""));
  text = SignWithXmlsec(text, testing::GeneratedKey("attacker"));
  text =
      ReplaceOnce(text, testing::kResponseSignatureMark,
                  testing::SignatureTemplate(testing::kResponseId, testing::ProfileTransforms()));
  const Outcome nested = Verify(SignWithXmlsec(text));
  BOOST_TEST(nested.code == "signature.invalid");
  BOOST_TEST(nested.message.rfind("Assertion signature: ", 0) == 0, nested.message);
}

BOOST_AUTO_TEST_CASE(refuses_an_unpinned_signer_of_either_element) {
  const testing::TestKey& attacker = testing::GeneratedKey("attacker");
  std::string text(testing::kResponseTemplate);
  text = ReplaceOnce(text, testing::kAssertionSignatureMark, "");
  text = ReplaceOnce(text, testing::kResponseSignatureMark,
                     testing::SignatureTemplate(testing::kResponseId, testing::ProfileTransforms(),
                                                testing::kRsaSha256, attacker.cert_b64));
  const Outcome o = Verify(SignWithXmlsec(text, attacker));
  BOOST_TEST(o.code == "signature.untrusted_key");
  BOOST_TEST(o.message.rfind("Response signature: ", 0) == 0, o.message);
}

// ---- signature.required --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_missing_signature_the_policy_requires) {
  BOOST_TEST(Verify(SignedText(Signed::kAssertion), Require(true, false)).code ==
             "signature.required");
  BOOST_TEST(Verify(SignedText(Signed::kResponse), Require(false, true)).code ==
             "signature.required");
  BOOST_TEST(Verify(SignedText(Signed::kNone), Require(true, true)).code == "signature.required");
}

// ---- signature.missing ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_an_assertion_no_signature_covers) {
  BOOST_TEST(Verify(SignedText(Signed::kNone)).code == "signature.missing");
  // A stripped signature (SECURITY.md A13) is no signature.
  const std::string& signed_text = SignedText(Signed::kAssertion);
  BOOST_TEST(Verify(ReplaceOnce(signed_text, FirstSignature(signed_text), "")).code ==
             "signature.missing");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::saml
