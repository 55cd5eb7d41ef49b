// Namespace-aware reading and whole-text extraction (DR11, DR12, SECURITY.md §4.2 trap 1).
#include <boost/test/unit_test.hpp>
#include <string>

#include "engine/xml/document.h"

namespace claimgate::xml {
namespace {

constexpr std::string_view kSaml = "urn:oasis:names:tc:SAML:2.0:assertion";
constexpr std::string_view kSamlp = "urn:oasis:names:tc:SAML:2.0:protocol";

Document ParseOk(std::string_view xml, bool allow_pi = false) {
  ParseOptions options;
  options.allow_processing_instructions = allow_pi;
  Result<Document> doc = Document::Parse(xml, options);
  BOOST_REQUIRE_MESSAGE(doc.ok(), doc.status().code() << ": " << doc.status().message());
  return std::move(doc).value();
}

BOOST_AUTO_TEST_SUITE(names)

BOOST_AUTO_TEST_CASE(matches_by_uri_not_prefix) {
  Document okta = ParseOk(
      "<saml2p:Response xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
      "<saml2:Assertion xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\"/>"
      "<saml:Assertion xmlns:saml=\"urn:attacker\"/>"
      "<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"/></saml2p:Response>");
  const pugi::xml_node response = okta.root();
  BOOST_TEST(okta.Is(response, kSamlp, "Response"));
  BOOST_TEST(!okta.Is(response, kSaml, "Response"));
  BOOST_TEST(okta.CountChildren(response, kSaml, "Assertion") == 2u);
  BOOST_TEST(std::string(okta.Child(response, kSaml, "Assertion").name()) == "saml2:Assertion");
  BOOST_TEST(okta.Children(response, "urn:attacker", "Assertion").size() == 1u);
  BOOST_TEST(okta.NamespaceUri(response.last_child()) == kSaml);
  BOOST_TEST(LocalName(response.last_child()) == "Assertion");
}

BOOST_AUTO_TEST_CASE(rebinding_inside_and_undeclaration) {
  Document doc = ParseOk(
      "<s:A xmlns:s=\"urn:oasis:names:tc:SAML:2.0:assertion\" xmlns=\"urn:d\">"
      "<s:Subject xmlns:s=\"urn:x\"><s:NameID/></s:Subject><B><C xmlns=\"\"/></B></s:A>");
  const pugi::xml_node subject = doc.root().first_child();
  BOOST_TEST(!doc.Is(subject, kSaml, "Subject"));
  BOOST_TEST(doc.Is(subject.first_child(), "urn:x", "NameID"));
  const pugi::xml_node b = subject.next_sibling();
  BOOST_TEST(doc.Is(b, "urn:d", "B"));
  BOOST_TEST(doc.Is(b.first_child(), "", "C"));
  BOOST_TEST(doc.NamespaceUri(doc.root()) == kSaml);  // s: outside the Subject rebinding
  BOOST_TEST(doc.NamespaceUri(b.first_child()) == "");
}

BOOST_AUTO_TEST_CASE(attributes) {
  Document doc =
      ParseOk("<a xmlns=\"urn:d\" xmlns:p=\"urn:p\" ID=\"_1\" p:ID=\"x\" xml:lang=\"en\"/>");
  const pugi::xml_node a = doc.root();
  BOOST_TEST(std::string(Attr(a, "ID").value()) == "_1");
  BOOST_TEST(Attr(a, "p:ID").empty());
  BOOST_TEST(Attr(a, "xmlns").empty());
  BOOST_TEST(Attr(a, "missing").empty());
  for (pugi::xml_attribute attr = a.first_attribute(); attr; attr = attr.next_attribute()) {
    const std::string name = attr.name();
    if (name == "ID") BOOST_TEST(doc.AttributeNamespace(attr) == "");  // default ns not applied
    if (name == "p:ID") BOOST_TEST(doc.AttributeNamespace(attr) == "urn:p");
    if (name == "xmlns:p")
      BOOST_TEST(doc.AttributeNamespace(attr) == "http://www.w3.org/2000/xmlns/");
    if (name == "xml:lang") {
      BOOST_TEST(doc.AttributeNamespace(attr) == "http://www.w3.org/XML/1998/namespace");
      BOOST_TEST(LocalName(attr) == "lang");
    }
  }
}

BOOST_AUTO_TEST_CASE(nodes_of_another_document_have_no_namespace) {
  Document one = ParseOk("<s:A xmlns:s=\"urn:s\"/>");
  Document two = ParseOk("<s:A xmlns:s=\"urn:s\"/>");
  BOOST_TEST(one.NamespaceUri(one.root()) == "urn:s");
  BOOST_TEST(one.NamespaceUri(two.root()) == "");
  BOOST_TEST(!one.Is(two.root(), "urn:s", "A"));
}

// SECURITY.md DR15: the namespace of an element deep under ancestors that each carry the most
// attributes allowed is one table probe; before, every lookup walked 127 x 127 attributes.
BOOST_AUTO_TEST_CASE(deep_nesting_under_many_attributes_resolves_from_the_table) {
  std::string xml = "<r xmlns:s=\"urn:s\">";
  for (int depth = 0; depth < 120; ++depth) {
    xml += "<e";
    for (int i = 0; i < 127; ++i) xml += " a" + std::to_string(i) + "=\"x\"";
    xml += ">";
  }
  xml += "<s:leaf/>";
  for (int depth = 0; depth < 120; ++depth) xml += "</e>";
  xml += "</r>";
  Document doc = ParseOk(xml);
  pugi::xml_node leaf = doc.root();
  while (leaf.first_child()) leaf = leaf.first_child();
  BOOST_TEST(doc.Is(leaf, "urn:s", "leaf"));
  BOOST_TEST(doc.NamespaceUri(leaf.parent()) == "");
}

BOOST_AUTO_TEST_CASE(text_reads_every_piece) {
  // D01-D03: pugixml child_value() would return only "user@corp.com".
  BOOST_TEST(Text(ParseOk("<N>user@corp.com<!---->.evil.com</N>").root()) ==
             "user@corp.com.evil.com");
  BOOST_TEST(Text(ParseOk("<N>user@corp.com<![CDATA[.evil.com]]></N>").root()) ==
             "user@corp.com.evil.com");
  BOOST_TEST(Text(ParseOk("<N>user@corp.com<?x .y?>.evil.com</N>", true).root()) ==
             "user@corp.com.evil.com");
  BOOST_TEST(Text(ParseOk("<N>a<b>x</b>c</N>").root()) == "ac");
  BOOST_TEST(Text(ParseOk("<N/>").root()) == "");
  BOOST_TEST(HasElementChildren(ParseOk("<N>a<b/></N>").root()));
  BOOST_TEST(!HasElementChildren(ParseOk("<N>a<!--b--></N>").root()));
}

BOOST_AUTO_TEST_CASE(whitespace_text_is_kept) {
  Document doc = ParseOk("<a>\n  <b/>\n</a>");
  BOOST_TEST(doc.root().first_child().type() == pugi::node_pcdata);
  BOOST_TEST(Text(doc.root()) == "\n  \n");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::xml
