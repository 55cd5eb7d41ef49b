// internal::ExtractAttributes and internal::ExtractAuthn (engine/saml/extract.cc): every
// Attribute of every AttributeStatement, each value's whole text and xsi:type, duplicates
// refused; the AuthnStatement. Each refusal asserts its exact code.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "engine/saml/checks_internal.h"
#include "engine/saml/names.h"
#include "tests/engine/support/saml_fixture.h"

namespace claimgate::saml::internal {
namespace {

using std::chrono::minutes;

constexpr std::string_view kStatementOpen = "<saml:AttributeStatement>";
constexpr std::string_view kStatementClose = "</saml:AttributeStatement>";
constexpr std::string_view kAuthn =
    "<saml:AuthnStatement AuthnInstant=\"2024-05-01T11:59:00Z\" SessionIndex=\"_session-1\">";

// The example Response with the AttributeStatement's content replaced by `attributes`.
std::string WithAttributes(std::string_view attributes) {
  std::string text = testing::UnsignedResponse(testing::Signed::kNone);
  const std::size_t a = text.find(kStatementOpen) + kStatementOpen.size();
  text.replace(a, text.find(kStatementClose) - a, attributes);
  return text;
}

// The example Response with the whole AttributeStatement replaced by `statements`.
std::string WithStatements(std::string_view statements) {
  std::string text = testing::UnsignedResponse(testing::Signed::kNone);
  const std::size_t a = text.find(kStatementOpen);
  const std::size_t b = text.find(kStatementClose) + kStatementClose.size();
  text.replace(a, b - a, statements);
  return text;
}

struct Extracted {
  std::string code;  // "ok" or the error code
  Claims claims;
};

Extracted Attributes(const std::string& text) {
  xml::Document doc = testing::MustParse(text);
  const pugi::xml_node assertion = doc.Child(doc.root(), kAssertionNs, "Assertion");
  Extracted out;
  const Status s = ExtractAttributes(doc, assertion, &out.claims);
  out.code = s.ok() ? "ok" : std::string(s.code());
  return out;
}

std::string CodeOf(std::string_view attributes) {
  return Attributes(WithAttributes(attributes)).code;
}

std::string Attr(std::string_view name, std::string_view values, std::string_view extra = "") {
  return "<saml:Attribute Name=\"" + std::string(name) + "\"" + std::string(extra) + ">" +
         std::string(values) + "</saml:Attribute>";
}

std::string Value(std::string_view inner, std::string_view attributes = "") {
  return "<saml:AttributeValue" + std::string(attributes) + ">" + std::string(inner) +
         "</saml:AttributeValue>";
}

BOOST_AUTO_TEST_SUITE(extract)

BOOST_AUTO_TEST_CASE(reads_every_attribute_in_document_order) {
  const Extracted empty = Attributes(WithAttributes(""));
  BOOST_TEST(empty.code == "ok");
  BOOST_TEST(empty.claims.attributes.empty());
  const Extracted ex = Attributes(std::string(testing::UnsignedResponse(testing::Signed::kNone)));
  BOOST_REQUIRE(ex.code == "ok");
  BOOST_REQUIRE(ex.claims.attributes.size() == 2u);
  const Attribute& email = ex.claims.attributes[0];
  BOOST_TEST(email.name == "email");
  BOOST_TEST(email.name_format == "urn:oasis:names:tc:SAML:2.0:attrname-format:basic");
  BOOST_TEST(email.friendly_name == "");
  BOOST_TEST(email.values == (std::vector<std::string>{"alice@example.com"}),
             boost::test_tools::per_element());
  const Attribute& groups = ex.claims.attributes[1];
  BOOST_TEST(groups.name == "groups");
  BOOST_TEST(groups.values == (std::vector<std::string>{"admins", "staff"}),
             boost::test_tools::per_element());
  BOOST_TEST(groups.value_types == (std::vector<std::string>{"", ""}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reads_friendly_name_xsi_type_and_several_statements) {
  const std::string xsi = " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
  const Extracted e = Attributes(WithStatements(
      "<saml:AttributeStatement>" +
      Attr("urn:oid:0.9.2342.19200300.100.1.3",
           Value("a@example.com", xsi + " xsi:type=\"xs:string\""), " FriendlyName=\"mail\"") +
      "</saml:AttributeStatement><saml:AttributeStatement>" +
      Attr("flag", Value("true",
                         " xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" "
                         "i:type=\"xs:boolean\"") +
                       // a 'type' attribute in another namespace is not xsi:type
                       Value("x", " xmlns:o=\"urn:other\" o:type=\"xs:int\"")) +
      "</saml:AttributeStatement>"));
  BOOST_REQUIRE(e.code == "ok");
  BOOST_REQUIRE(e.claims.attributes.size() == 2u);
  BOOST_TEST(e.claims.attributes[0].friendly_name == "mail");
  BOOST_TEST(e.claims.attributes[0].value_types[0] == "xs:string");
  BOOST_TEST(e.claims.attributes[1].value_types == (std::vector<std::string>{"xs:boolean", ""}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reads_each_value_as_whole_text) {
  // SECURITY.md D01-D02: comments and CDATA never cut a value short.
  const Extracted e = Attributes(
      WithAttributes(Attr("email", Value("alice@example.com<!---->.evil.test") +
                                       Value("a<![CDATA[&b]]>c") + Value("") + Value(" spaced "))));
  BOOST_REQUIRE(e.code == "ok");
  BOOST_TEST(e.claims.attributes[0].values ==
                 (std::vector<std::string>{"alice@example.com.evil.test", "a&bc", "", " spaced "}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reads_a_nameid_value_as_its_text) {
  // eduPersonTargetedID: the value is a NameID (SAML core §2.7.3.1.1).
  const Extracted e = Attributes(WithAttributes(
      Attr("urn:oid:1.3.6.1.4.1.5923.1.1.1.10",
           Value("\n  <saml:NameID Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\">"
                 "abc<!---->123</saml:NameID>\n"))));
  BOOST_REQUIRE(e.code == "ok");
  BOOST_TEST(e.claims.attributes[0].values[0] == "abc123");
}

// ---- saml.encrypted_assertion --------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_an_encrypted_attribute) {
  BOOST_TEST(CodeOf(Attr("email", Value("a")) +
                    "<saml:EncryptedAttribute><x/></saml:EncryptedAttribute>") ==
             "saml.encrypted_assertion");
}

// ---- saml.structure ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_an_attribute_without_name) {
  BOOST_TEST(CodeOf("<saml:Attribute>" + Value("a") + "</saml:Attribute>") == "saml.structure");
  BOOST_TEST(CodeOf("<saml:Attribute Name=\"\">" + Value("a") + "</saml:Attribute>") ==
             "saml.structure");
}

BOOST_AUTO_TEST_CASE(refuses_a_value_holding_elements_other_than_one_nameid) {
  for (const std::string& inner : {
           std::string("<b>bold</b>"),
           std::string("<saml:NameID>a</saml:NameID><saml:NameID>b</saml:NameID>"),
           std::string("<saml:NameID>a<x/></saml:NameID>"),
           std::string("<x:NameID xmlns:x=\"urn:x\">a</x:NameID>"),
       }) {
    BOOST_TEST_CONTEXT(inner) { BOOST_TEST(CodeOf(Attr("v", Value(inner))) == "saml.structure"); }
  }
}

BOOST_AUTO_TEST_CASE(refuses_a_value_mixing_text_and_a_nameid) {
  BOOST_TEST(CodeOf(Attr("v", Value("admin<saml:NameID>a</saml:NameID>"))) == "saml.structure");
  BOOST_TEST(CodeOf(Attr("v", Value("<saml:NameID>a</saml:NameID><![CDATA[x]]>"))) ==
             "saml.structure");
}

// ---- saml.duplicate_attribute --------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_two_attributes_with_the_same_name_and_format) {
  // SECURITY.md D13: neither first-wins nor last-wins.
  BOOST_TEST(CodeOf(Attr("role", Value("user")) + Attr("role", Value("admin"))) ==
             "saml.duplicate_attribute");
  const std::string basic = " NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:basic\"";
  BOOST_TEST(CodeOf(Attr("role", Value("user"), basic) + Attr("role", Value("admin"), basic)) ==
             "saml.duplicate_attribute");
  // Across AttributeStatements as well.
  BOOST_TEST(Attributes(WithStatements("<saml:AttributeStatement>" + Attr("role", Value("user")) +
                                       "</saml:AttributeStatement><saml:AttributeStatement>" +
                                       Attr("role", Value("admin")) + "</saml:AttributeStatement>"))
                 .code == "saml.duplicate_attribute");
  // The same Name with another NameFormat is another attribute.
  BOOST_TEST(CodeOf(Attr("role", Value("user")) + Attr("role", Value("admin"), basic)) == "ok");
}

// ---- ExtractAuthn --------------------------------------------------------------------------

struct Authn {
  std::string code;
  Assertion out;
};

Authn ReadAuthn(std::string_view authn_start) {
  const std::string text =
      testing::ReplaceOnce(testing::UnsignedResponse(testing::Signed::kNone), kAuthn, authn_start);
  xml::Document doc = testing::MustParse(text);
  const pugi::xml_node assertion = doc.Child(doc.root(), kAssertionNs, "Assertion");
  Authn a;
  const Status s = ExtractAuthn(doc, assertion, &a.out);
  a.code = s.ok() ? "ok" : std::string(s.code());
  return a;
}

BOOST_AUTO_TEST_CASE(reads_the_authn_statement) {
  const Authn a = ReadAuthn(kAuthn);
  BOOST_TEST(a.code == "ok");
  BOOST_REQUIRE(a.out.authn_instant.has_value());
  BOOST_TEST((*a.out.authn_instant == testing::NowPlus(-minutes(1))));
  BOOST_TEST(a.out.session_index == "_session-1");
  const Authn bare = ReadAuthn("<saml:AuthnStatement>");
  BOOST_TEST(bare.code == "ok");
  BOOST_TEST(!bare.out.authn_instant.has_value());
  BOOST_TEST(bare.out.session_index == "");
}

BOOST_AUTO_TEST_CASE(refuses_a_malformed_authn_instant) {
  BOOST_TEST(ReadAuthn("<saml:AuthnStatement AuthnInstant=\"2024-05-01T13:59:00+02:00\">").code ==
             "saml.bad_time");
  BOOST_TEST(ReadAuthn("<saml:AuthnStatement AuthnInstant=\"2024-05-01 11:59:00Z\">").code ==
             "saml.bad_time");
}

// '+00:00' names UTC as 'Z' does (base/civil_time.h; node-saml writes it).
BOOST_AUTO_TEST_CASE(reads_a_plus_zero_offset_as_utc) {
  const Authn a = ReadAuthn("<saml:AuthnStatement AuthnInstant=\"2024-05-01T11:59:00+00:00\">");
  BOOST_TEST(a.code == "ok");
  BOOST_TEST(a.out.authn_instant.has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::saml::internal
