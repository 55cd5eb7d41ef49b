// ParseMetadataDocument / ParseIdpMetadata / IsSaml2IdpEntity (engine/saml/metadata.cc): the
// IdP trust a connection pins. Every refusal of metadata.cc is saml.metadata, so each case
// also checks the message names what is wrong; xml.* comes from the shared hardened parse.
#include "engine/saml/metadata.h"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "base/base64.h"
#include "engine/saml/names.h"
#include "tests/engine/support/saml_fixture.h"
#include "tests/engine/support/signing.h"

namespace claimgate::saml {
namespace {

using testing::ReplaceOnce;

constexpr std::string_view kMd = "xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"";
constexpr std::string_view kDs = "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"";
constexpr std::string_view kSaml2 = "urn:oasis:names:tc:SAML:2.0:protocol";

std::string Key(std::string_view use_attribute, std::string_view cert_b64) {
  return "<md:KeyDescriptor" + std::string(use_attribute) + "><ds:KeyInfo " + std::string(kDs) +
         "><ds:X509Data><ds:X509Certificate>" + std::string(cert_b64) +
         "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
}

std::string SigningKey() { return Key(" use=\"signing\"", testing::ExampleKey().cert_b64); }

std::string Sso(std::string_view binding, std::string_view location) {
  return "<md:SingleSignOnService Binding=\"" + std::string(binding) + "\" Location=\"" +
         std::string(location) + "\"/>";
}

std::string DefaultSso() {
  return Sso(kHttpRedirectBinding, "https://idp.example/sso/redirect") +
         Sso(kHttpPostBinding, "https://idp.example/sso/post");
}

// An IdP EntityDescriptor (without the md namespace declaration, for aggregates).
std::string Idp(std::string_view entity_id, std::string_view keys = "", std::string_view sso = "",
                std::string_view protocols = kSaml2, std::string_view extra = "") {
  return "<md:EntityDescriptor entityID=\"" + std::string(entity_id) + "\"" + std::string(extra) +
         "><md:IDPSSODescriptor protocolSupportEnumeration=\"" + std::string(protocols) + "\">" +
         (keys.empty() ? SigningKey() : std::string(keys)) +
         (sso.empty() ? DefaultSso() : std::string(sso)) +
         "</md:IDPSSODescriptor></md:EntityDescriptor>";
}

std::string Standalone(const std::string& entity) {
  return ReplaceOnce(entity, "<md:EntityDescriptor ",
                     "<md:EntityDescriptor " + std::string(kMd) + " ");
}

std::string Aggregate(const std::string& entities, std::string_view extra = "") {
  return "<md:EntitiesDescriptor " + std::string(kMd) + std::string(extra) + ">" + entities +
         "</md:EntitiesDescriptor>";
}

std::string Sp(std::string_view entity_id) {
  return "<md:EntityDescriptor entityID=\"" + std::string(entity_id) +
         "\"><md:SPSSODescriptor protocolSupportEnumeration=\"" + std::string(kSaml2) +
         "\"><md:AssertionConsumerService Binding=\"" + std::string(kHttpPostBinding) +
         "\" Location=\"https://sp.example/acs\" index=\"0\"/></md:SPSSODescriptor>"
         "</md:EntityDescriptor>";
}

struct Outcome {
  std::string code;  // "ok" or the error code
  std::string message;
  IdpMetadata md;
};

Outcome Parse(const std::string& text, std::optional<std::string> entity_id = std::nullopt,
              std::optional<TimePoint> now = std::nullopt) {
  Result<IdpMetadata> r = ParseIdpMetadata(text, entity_id, now);
  Outcome out;
  if (!r.ok()) {
    out.code = std::string(r.status().code());
    out.message = r.status().message();
    return out;
  }
  out.code = "ok";
  out.md = std::move(r).value();
  return out;
}

// A refusal with saml.metadata whose message mentions `words`.
void ExpectRefused(const Outcome& o, std::string_view words) {
  BOOST_TEST(o.code == "saml.metadata");
  BOOST_TEST(o.message.find(words) != std::string::npos, "message: " << o.message);
}

std::string ExampleDer() { return *DecodeBase64(testing::ExampleKey().cert_b64); }

BOOST_AUTO_TEST_SUITE(metadata)

// ---- acceptance ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(reads_the_example_idp_metadata) {
  const Outcome o = Parse(testing::ReadSourceFile("examples/idp/metadata.xml"));
  BOOST_REQUIRE_MESSAGE(o.code == "ok", o.code << ": " << o.message);
  BOOST_TEST(o.md.entity_id == "http://www.okta.com/exkexample");
  BOOST_REQUIRE(o.md.sso_services.size() == 2u);
  BOOST_TEST(o.md.sso_services[0].first == kHttpPostBinding);
  BOOST_TEST(o.md.SsoUrl(kHttpRedirectBinding) == "https://idp.example/app/exkexample/sso/saml");
  BOOST_TEST(o.md.SsoUrl("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact") == "");
  BOOST_REQUIRE(o.md.signing_certificates.size() == 1u);
  BOOST_TEST(o.md.signing_certificates[0] == ExampleDer());
}

BOOST_AUTO_TEST_CASE(keeps_signing_and_unqualified_keys_and_skips_encryption_keys) {
  const std::string keys = Key(" use=\"encryption\"", "AAAA") + SigningKey() +
                           Key("", EncodeBase64("second")) +
                           "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo " + std::string(kDs) +
                           "><ds:X509Data><ds:X509Certificate>" + EncodeBase64("third") +
                           "</ds:X509Certificate><ds:X509Certificate>" + EncodeBase64("fourth") +
                           "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
  const Outcome o = Parse(Standalone(Idp("https://idp.example/saml", keys)));
  BOOST_REQUIRE_MESSAGE(o.code == "ok", o.message);
  BOOST_TEST(o.md.signing_certificates ==
                 (std::vector<std::string>{ExampleDer(), "second", "third", "fourth"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_post_only_idp_is_usable) {
  const Outcome o = Parse(Standalone(
      Idp("https://idp.example/saml", "", Sso(kHttpPostBinding, "https://idp.example/post"))));
  BOOST_TEST(o.code == "ok");
  BOOST_TEST(o.md.SsoUrl(kHttpRedirectBinding) == "");
}

BOOST_AUTO_TEST_CASE(selects_an_idp_from_an_aggregate) {
  const std::string text =
      Aggregate(Sp("https://sp.example/saml") + Idp("https://a.example/idp") +
                "<md:EntitiesDescriptor Name=\"inner\">" + Idp("https://b.example/idp") +
                // a SAML 1.1-only IdP is not a candidate
                Idp("https://c.example/idp", "", "", "urn:oasis:names:tc:SAML:1.1:protocol") +
                "</md:EntitiesDescriptor>");
  BOOST_TEST(Parse(text, std::string("https://b.example/idp")).md.entity_id ==
             "https://b.example/idp");
  BOOST_TEST(Parse(text, std::string("https://a.example/idp")).md.entity_id ==
             "https://a.example/idp");
  // protocolSupportEnumeration is a list.
  const std::string listed =
      Aggregate(Idp("https://d.example/idp", "", "",
                    "urn:oasis:names:tc:SAML:1.1:protocol  " + std::string(kSaml2)));
  BOOST_TEST(Parse(listed).md.entity_id == "https://d.example/idp");
  // An aggregate with a single (SAML 2.0) IdP needs no entity ID.
  BOOST_TEST(Parse(Aggregate(Sp("https://sp.example/saml") + Idp("https://a.example/idp"))).code ==
             "ok");
}

BOOST_AUTO_TEST_CASE(is_saml2_idp_entity_tells_idps_from_the_rest) {
  const std::string text =
      Aggregate(Sp("https://sp.example/saml") + Idp("https://a.example/idp") +
                Idp("https://c.example/idp", "", "", "urn:oasis:names:tc:SAML:1.1:protocol"));
  Result<xml::Document> doc = ParseMetadataDocument(text, std::nullopt);
  BOOST_REQUIRE(doc.ok());
  const std::vector<pugi::xml_node> entities =
      doc->Children(doc->root(), kMetadataNs, "EntityDescriptor");
  BOOST_REQUIRE(entities.size() == 3u);
  BOOST_TEST(!IsSaml2IdpEntity(*doc, entities[0]));
  BOOST_TEST(IsSaml2IdpEntity(*doc, entities[1]));
  BOOST_TEST(!IsSaml2IdpEntity(*doc, entities[2]));
  BOOST_TEST(!IsSaml2IdpEntity(*doc, doc->root()));  // the EntitiesDescriptor itself
}

BOOST_AUTO_TEST_CASE(valid_until_is_judged_only_against_a_given_clock) {
  const std::string text = Standalone(
      Idp("https://idp.example/saml", "", "", kSaml2, " validUntil=\"2024-05-01T12:00:01Z\""));
  BOOST_TEST(Parse(text, std::nullopt, testing::Now()).code == "ok");
  BOOST_TEST(Parse(text).code == "ok");  // no clock: not judged
  const std::string expired = ReplaceOnce(text, "12:00:01Z", "12:00:00Z");
  BOOST_TEST(Parse(expired).code == "ok");
}

BOOST_AUTO_TEST_CASE(metadata_documents_get_larger_limits_than_messages) {
  // 5000 namespace declarations: over a message's limit (4096), fine for an aggregate.
  std::string entities;
  for (int i = 0; i < 5000; ++i) {
    entities += "<md:EntityDescriptor " + std::string(kMd) + " entityID=\"https://sp" +
                std::to_string(i) + ".example\"/>";
  }
  const std::string text = Aggregate(entities + Idp("https://idp.example/saml"));
  BOOST_TEST(xml::Document::Parse(text).status().code() == "xml.limit");
  BOOST_TEST(ParseMetadataDocument(text, std::nullopt).ok());
  BOOST_TEST(Parse(text).code == "ok");
}

// ---- xml.*: the hardened parse -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_what_the_hardened_parse_refuses) {
  BOOST_TEST(
      Parse("<!DOCTYPE md [<!ENTITY e \"x\">]>" + Standalone(Idp("https://idp.example/saml")))
          .code == "xml.doctype_forbidden");
  const std::string whole = Standalone(Idp("https://idp.example/saml"));
  BOOST_TEST(Parse(whole.substr(0, whole.size() - 5)).code == "xml.malformed");  // truncated
}

// ---- saml.metadata -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_a_document_element_other_than_entity_or_entities_descriptor) {
  ExpectRefused(Parse("<md:IDPSSODescriptor " + std::string(kMd) + "/>"), "document element");
  ExpectRefused(Parse("<EntityDescriptor entityID=\"https://idp.example/saml\"/>"),
                "document element");
  ExpectRefused(Parse(testing::UnsignedResponse(testing::Signed::kNone)), "document element");
}

BOOST_AUTO_TEST_CASE(refuses_an_entity_descriptor_without_entity_id) {
  ExpectRefused(Parse(Standalone(Idp(""))), "no entityID");
  // Anywhere in an aggregate, even one not asked for.
  ExpectRefused(Parse(Aggregate(Idp("https://a.example/idp") + "<md:EntitiesDescriptor>" + Sp("") +
                                "</md:EntitiesDescriptor>"),
                      std::string("https://a.example/idp")),
                "no entityID");
}

BOOST_AUTO_TEST_CASE(refuses_a_malformed_valid_until) {
  ExpectRefused(Parse(Aggregate(Idp("https://a.example/idp"), " validUntil=\"tomorrow\""),
                      std::nullopt, testing::Now()),
                "not a dateTime");
}

BOOST_AUTO_TEST_CASE(refuses_metadata_whose_valid_until_has_passed) {
  // SAML metadata §2.3.1; at validUntil exactly it has expired.
  ExpectRefused(Parse(Standalone(Idp("https://idp.example/saml", "", "", kSaml2,
                                     " validUntil=\"2024-05-01T12:00:00Z\"")),
                      std::nullopt, testing::Now()),
                "expired");
  // On an inner EntitiesDescriptor or EntityDescriptor of an aggregate too.
  ExpectRefused(Parse(Aggregate("<md:EntitiesDescriptor validUntil=\"2020-01-01T00:00:00Z\">" +
                                Idp("https://a.example/idp") + "</md:EntitiesDescriptor>"),
                      std::nullopt, testing::Now()),
                "expired");
  ExpectRefused(
      Parse(Aggregate(Idp("https://a.example/idp") + Idp("https://b.example/idp", "", "", kSaml2,
                                                         " validUntil=\"2020-01-01T00:00:00Z\"")),
            std::string("https://a.example/idp"), testing::Now()),
      "expired");
}

BOOST_AUTO_TEST_CASE(refuses_an_entity_id_the_document_does_not_describe_as_idp) {
  const std::string text = Aggregate(Sp("https://sp.example/saml") + Idp("https://a.example/idp"));
  ExpectRefused(Parse(text, std::string("https://missing.example/idp")), "no IdP EntityDescriptor");
  // An SP's entity ID is not an IdP's.
  ExpectRefused(Parse(text, std::string("https://sp.example/saml")), "no IdP EntityDescriptor");
}

BOOST_AUTO_TEST_CASE(refuses_a_document_without_any_saml2_idp) {
  ExpectRefused(Parse(Standalone(Sp("https://sp.example/saml"))), "no EntityDescriptor with");
  ExpectRefused(Parse(Standalone(Idp("https://idp.example/saml", "", "",
                                     "urn:oasis:names:tc:SAML:1.1:protocol"))),
                "no EntityDescriptor with");
}

BOOST_AUTO_TEST_CASE(refuses_to_guess_among_several_idps) {
  ExpectRefused(Parse(Aggregate(Idp("https://a.example/idp") + Idp("https://b.example/idp"))),
                "several IdPs");
}

BOOST_AUTO_TEST_CASE(refuses_an_entity_id_that_appears_twice) {
  ExpectRefused(Parse(Aggregate(Idp("https://a.example/idp") + Idp("https://a.example/idp")),
                      std::string("https://a.example/idp")),
                "appears twice");
}

BOOST_AUTO_TEST_CASE(refuses_an_idp_without_redirect_or_post_sso) {
  ExpectRefused(Parse(Standalone(Idp("https://idp.example/saml", "",
                                     Sso("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact",
                                         "https://idp.example/artifact") +
                                         Sso("urn:oasis:names:tc:SAML:2.0:bindings:SOAP",
                                             "https://idp.example/soap")))),
                "SingleSignOnService");
  // A Location-less Redirect endpoint does not count.
  ExpectRefused(
      Parse(Standalone(Idp("https://idp.example/saml", "", Sso(kHttpRedirectBinding, "")))),
      "SingleSignOnService");
}

BOOST_AUTO_TEST_CASE(refuses_an_idp_without_signing_certificate) {
  ExpectRefused(Parse(Standalone(Idp("https://idp.example/saml",
                                     Key(" use=\"encryption\"", testing::ExampleKey().cert_b64)))),
                "no signing certificate");
  ExpectRefused(
      Parse(Standalone(Idp("https://idp.example/saml",
                           "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo " + std::string(kDs) +
                               "><ds:KeyName>k</ds:KeyName></ds:KeyInfo>"
                               "</md:KeyDescriptor>"))),
      "no signing certificate");
}

BOOST_AUTO_TEST_CASE(refuses_a_key_descriptor_of_unknown_use) {
  ExpectRefused(Parse(Standalone(
                    Idp("https://idp.example/saml", SigningKey() + Key(" use=\"both\"", "AAAA")))),
                "use='both'");
}

BOOST_AUTO_TEST_CASE(refuses_a_certificate_that_is_not_base64) {
  ExpectRefused(Parse(Standalone(Idp("https://idp.example/saml", Key(" use=\"signing\"", "%%%")))),
                "not base64");
  ExpectRefused(Parse(Standalone(Idp("https://idp.example/saml", Key("", "")))), "not base64");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::saml
