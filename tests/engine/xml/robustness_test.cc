// Hostile-input robustness: deterministic random mutations of SAML-shaped documents must never
// crash, hang or yield empty canonical output; whatever parses must canonicalize totally.
#include <boost/test/unit_test.hpp>
#include <random>
#include <string>
#include <vector>

#include "engine/xml/c14n.h"
#include "engine/xml/document.h"

namespace claimgate::xml {
namespace {

constexpr const char* kSeeds[] = {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<saml2p:Response "
    "xmlns:saml2p=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"r1\" Version=\"2.0\">"
    "<saml2:Assertion xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"a1\">\n"
    "  <saml2:Subject><saml2:NameID>user@corp.com</saml2:NameID></saml2:Subject>\n"
    "  <ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
    "<ds:Reference URI=\"#a1\"><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference>"
    "</ds:SignedInfo></ds:Signature>\n</saml2:Assertion></saml2p:Response>",
    "<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_x\"><Issuer>i</Issuer>"
    "<AttributeStatement><Attribute Name=\"r&amp;d\"><AttributeValue xmlns:xs=\"urn:xs\" "
    "xmlns:xsi=\"urn:xsi\" xsi:type=\"xs:string\">a&lt;b<![CDATA[c]]><!--d--></AttributeValue>"
    "</Attribute></AttributeStatement></Assertion>",
};

constexpr const char* kTokens[] = {
    "&",          "<",          ">",     "]]>",          "xmlns:p=\"\"", ":",
    "&#0;",       "&#x10FFFF;", "<!--",  "-->",          "<?x?>",        "<![CDATA[",
    "xmlns=\"\"", " ID=\"a1\"", "<p:x>", "</p:x>",       "\xFF",         "\xC3",
    "&amp;",      "'",          "\"",    "<!DOCTYPE a>", "\r",           "\t",
};

BOOST_AUTO_TEST_SUITE(robustness)

BOOST_AUTO_TEST_CASE(mutated_documents_never_crash_or_canonicalize_to_nothing) {
  std::mt19937 rng(20261123);
  int parsed = 0, canonicalized = 0;
  for (int run = 0; run < 20000; ++run) {
    std::string s = kSeeds[rng() % std::size(kSeeds)];
    for (int m = 0, n = 1 + static_cast<int>(rng() % 4); m < n && !s.empty(); ++m) {
      const std::size_t pos = rng() % s.size();
      switch (rng() % 3) {
        case 0:
          s[pos] = static_cast<char>(rng());
          break;
        case 1:
          s.insert(pos, kTokens[rng() % std::size(kTokens)]);
          break;
        default:
          s.erase(pos, rng() % 16);
      }
    }
    ParseOptions options;
    options.allow_processing_instructions = rng() % 2 == 0;
    Result<Document> doc = Document::Parse(s, options);
    if (!doc.ok()) {
      BOOST_TEST(!doc.status().code().empty());  // every refusal carries a code
      continue;
    }
    ++parsed;
    for (pugi::xml_node el : {doc->root(), doc->FindById("a1"), doc->root().first_child()}) {
      if (el.type() != pugi::node_element) continue;
      C14nOptions c14n;
      c14n.with_comments = rng() % 2 == 0;
      c14n.inclusive_prefixes = {"#default", "ds", "xs"};
      if (el.first_child() && rng() % 2 == 0) c14n.exclude = el.first_child();
      std::string out;
      if (Canonicalize(el, c14n, out).ok()) {
        ++canonicalized;
        BOOST_TEST((!out.empty() && out[0] == '<'));
      }
    }
  }
  BOOST_TEST_MESSAGE(parsed << " of 20000 mutants parsed, " << canonicalized << " canonical forms");
  BOOST_TEST(parsed > 100);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::xml
