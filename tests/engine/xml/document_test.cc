// Document::Parse: every xml.* rejection with the exact code, and the pugixml traps of
// SECURITY.md §4.2.
#include "engine/xml/document.h"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

namespace claimgate::xml {
namespace {

struct Rejection {
  const char* input;
  const char* code;
};

std::string CodeOf(std::string_view input, const ParseOptions& options = {}) {
  Result<Document> doc = Document::Parse(input, options);
  return doc.ok() ? std::string("ok") : std::string(doc.status().code());
}

void ExpectAll(const std::vector<Rejection>& cases) {
  for (const Rejection& c : cases) {
    BOOST_TEST_CONTEXT("input: " << c.input) { BOOST_TEST(CodeOf(c.input) == c.code); }
  }
}

std::string Nested(std::size_t depth) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i) s += "<a>";
  for (std::size_t i = 0; i < depth; ++i) s += "</a>";
  return s;
}

BOOST_AUTO_TEST_SUITE(document)

BOOST_AUTO_TEST_CASE(accepts_plain_documents) {
  ExpectAll({{"<a/>", "ok"},
             {"<?xml version=\"1.0\"?>\n<a/>\n", "ok"},
             {"<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?><a/>", "ok"},
             {"\xEF\xBB\xBF<a>\xC3\xA9</a>", "ok"},
             {"<!-- c --><a/><!-- d -->", "ok"},
             {"<p:a xmlns:p=\"urn:p\" p:x=\"1\" x=\"2\" xml:lang=\"en\"/>", "ok"},
             {"<a xmlns:xml=\"http://www.w3.org/XML/1998/namespace\"/>", "ok"},
             {"<a xmlns=\"urn:d\"><b xmlns=\"\"/></a>", "ok"}});
}

BOOST_AUTO_TEST_CASE(malformed) {
  ExpectAll({{"<a>", "xml.malformed"},
             {"<a></b>", "xml.malformed"},
             {"<a><!-- a -- b --></a>", "xml.malformed"},
             {"<a><!--x---></a>", "xml.malformed"},
             {"<a x=1/>", "xml.malformed"}});
}

BOOST_AUTO_TEST_CASE(doctype_anywhere) {
  ExpectAll({{"<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", "xml.doctype_forbidden"},
             {"<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a/>", "xml.doctype_forbidden"},
             {"<a/><!DOCTYPE a>", "xml.doctype_forbidden"}});
}

BOOST_AUTO_TEST_CASE(processing_instructions) {
  ExpectAll({{"<a><?p x?></a>", "xml.pi_forbidden"}, {"<?p?><a/>", "xml.pi_forbidden"}});
  ParseOptions allow;
  allow.allow_processing_instructions = true;
  BOOST_TEST(CodeOf("<?p?><a><?q x?></a>", allow) == "ok");
}

BOOST_AUTO_TEST_CASE(declaration) {
  ExpectAll({{"<?xml version=\"1.1\"?><a/>", "xml.bad_declaration"},
             {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>", "xml.bad_declaration"},
             {"<?xml encoding=\"UTF-8\"?><a/>", "xml.bad_declaration"},
             {" <?xml version=\"1.0\"?><a/>", "xml.bad_declaration"},
             {"<?xml version=\"1.0\"?><?xml version=\"1.0\"?><a/>", "xml.bad_declaration"},
             {"<a/><?xml version=\"1.0\"?>", "xml.bad_declaration"}});
}

BOOST_AUTO_TEST_CASE(one_root_no_text_outside) {
  ExpectAll({{"", "xml.root"},
             {"  \n", "xml.root"},
             {"<!-- only -->", "xml.root"},
             {"<a/><b/>", "xml.root"},
             {"junk<a/>", "xml.root"},
             {"<a/>tail", "xml.root"},
             {"<![CDATA[x]]><a/>", "xml.root"}});
}

BOOST_AUTO_TEST_CASE(characters_and_encoding) {
  ExpectAll({{"<a>\x01</a>", "xml.invalid_char"},
             {"<a>\xEF\xBF\xBE</a>", "xml.invalid_char"},
             {"<a>\xFF</a>", "input.bad_utf8"},
             {"<a>\xC0\xAF</a>", "input.bad_utf8"},
             {"<a>\xED\xA0\x80</a>", "input.bad_utf8"},
             {"<a>\xF4\x90\x80\x80</a>", "input.bad_utf8"}});
  // A UTF-16LE BOM followed by "<\0a\0/\0>\0" (D11).
  BOOST_TEST(CodeOf(std::string("\xFF\xFE<\0a\0/\0>\0", 10)) == "input.bad_utf8");
  BOOST_TEST(CodeOf(std::string("<a>\0</a>", 8)) == "xml.invalid_char");
}

BOOST_AUTO_TEST_CASE(references) {
  ExpectAll({{"<a>&foo;</a>", "xml.bad_reference"},
             {"<a>A &amp B</a>", "xml.bad_reference"},
             {"<a>a & b</a>", "xml.bad_reference"},
             {"<a>&#0;</a>", "xml.bad_reference"},
             {"<a>&#1;</a>", "xml.bad_reference"},
             {"<a>&#xD800;</a>", "xml.bad_reference"},
             {"<a>&#x110000;</a>", "xml.bad_reference"},
             {"<a>&#xFFFE;</a>", "xml.bad_reference"},
             {"<a>&#;</a>", "xml.bad_reference"},
             {"<a>&#x;</a>", "xml.bad_reference"},
             {"<a x=\"&bogus;\"/>", "xml.bad_reference"},
             {"<a x=\"1&#0;2\"/>", "xml.bad_reference"},
             {"<a>&#x00000041;&#0065;</a>", "ok"},
             {"<a>&#x000110000;</a>", "xml.bad_reference"}});
}

BOOST_AUTO_TEST_CASE(names) {
  ExpectAll({{"<:a/>", "xml.bad_name"},
             {"<a :b=\"1\"/>", "xml.bad_name"},
             {"<a::b/>", "xml.bad_name"},
             {"<a:/>", "xml.bad_name"},
             {"<a b:=\"1\"/>", "xml.bad_name"},
             {"<a:b:c xmlns:a=\"urn:a\"/>", "xml.bad_name"}});
}

BOOST_AUTO_TEST_CASE(duplicate_attributes_raw_and_expanded) {
  ExpectAll(
      {{"<a ID=\"evil\" ID=\"orig\"/>", "xml.duplicate_attribute"},
       {"<a xmlns:p=\"u:1\" xmlns:q=\"u:1\" p:ID=\"1\" q:ID=\"2\"/>", "xml.duplicate_attribute"},
       {"<a xmlns:s=\"u:1\" xmlns:s=\"u:2\"/>", "xml.duplicate_attribute"},
       {"<a xmlns=\"u:1\" xmlns=\"u:2\"/>", "xml.duplicate_attribute"}});
  BOOST_TEST(CodeOf("<a xmlns:p=\"u:1\" xmlns:q=\"u:2\" p:x=\"1\" q:x=\"2\" x=\"3\"/>") == "ok");
}

BOOST_AUTO_TEST_CASE(namespaces) {
  ExpectAll({{"<p:a/>", "xml.namespace"},
             {"<a p:x=\"1\"/>", "xml.namespace"},
             {"<a xmlns:p=\"\"/>", "xml.namespace"},
             {"<a xmlns:xml=\"urn:x\"/>", "xml.namespace"},
             {"<a xmlns:x=\"http://www.w3.org/XML/1998/namespace\"/>", "xml.namespace"},
             {"<a xmlns=\"http://www.w3.org/XML/1998/namespace\"/>", "xml.namespace"},
             {"<a xmlns:xmlns=\"urn:x\"/>", "xml.namespace"},
             {"<a xmlns:p=\"http://www.w3.org/2000/xmlns/\"/>", "xml.namespace"},
             {"<xmlns:a/>", "xml.namespace"},
             {"<a xmlns:p=\"urn:p\"/><!-- scope ends -->", "ok"},
             {"<r><a xmlns:p=\"urn:p\"/><p:b/></r>", "xml.namespace"}});
}

BOOST_AUTO_TEST_CASE(attribute_values_and_text) {
  ExpectAll({{"<a x='1<2'/>", "xml.bad_attribute_value"},
             {"<a>x]]>y</a>", "xml.bad_text"},
             {"<a>x]]&gt;y</a>", "ok"}});
}

BOOST_AUTO_TEST_CASE(ids) {
  ExpectAll({{"<a ID=\"x\"><b ID=\"x\"/></a>", "xml.duplicate_id"},
             {"<a ID=\"x\" Id=\"x\"/>", "xml.duplicate_id"},
             {"<a xml:id=\"x\"><b AssertionID=\"x\"/></a>", "xml.duplicate_id"},
             {"<a ResponseID=\"x\"><b Id=\"x\"/></a>", "xml.duplicate_id"},
             {"<a ID=\"1abc\"/>", "ok"},  // UUIDs with a leading digit are real IdP IDs
             {"<a ID=\"a:b\"/>", "xml.bad_id"},
             {"<a ID=\"a b\"/>", "xml.bad_id"},
             {"<a ID=\"\"/>", "xml.bad_id"},
             {"<a ID=\"x'1\"/>", "xml.bad_id"},
             {"<a ID=\"_x1\"><b Id=\"y\"/></a>", "ok"}});
  Result<Document> doc = Document::Parse("<a ID=\"_r\"><b Id=\"b1\"/><c xml:id=\"c1\"/></a>");
  BOOST_REQUIRE(doc.ok());
  BOOST_TEST(doc->FindById("_r") == doc->root());
  BOOST_TEST(std::string(doc->FindById("b1").name()) == "b");
  BOOST_TEST(std::string(doc->FindById("c1").name()) == "c");
  BOOST_TEST(doc->FindById("nope").empty());
}

BOOST_AUTO_TEST_CASE(limits) {
  BOOST_TEST(CodeOf(Nested(128)) == "ok");
  BOOST_TEST(CodeOf(Nested(129)) == "xml.limit");
  BOOST_TEST(CodeOf(Nested(100000)) == "xml.limit");  // no crash, no stack overflow
  ParseOptions small;
  small.limits.max_nodes = 3;
  BOOST_TEST(CodeOf("<a><b/>t</a>", small) == "ok");
  BOOST_TEST(CodeOf("<a><b/>t<c/></a>", small) == "xml.limit");
  std::string many = "<a";
  for (int i = 0; i < 129; ++i) many += " a" + std::to_string(i) + "=\"\"";
  BOOST_TEST(CodeOf(many + "/>") == "xml.limit");
  small = {};
  small.limits.max_namespace_declarations = 2;
  BOOST_TEST(CodeOf("<a xmlns:p=\"u:p\"><b xmlns:q=\"u:q\"/></a>", small) == "ok");
  BOOST_TEST(CodeOf("<a xmlns:p=\"u:p\"><b xmlns:q=\"u:q\"/><c xmlns=\"u:d\"/></a>", small) ==
             "xml.limit");
}

BOOST_AUTO_TEST_CASE(deep_nesting_within_raised_limits_walks_iteratively) {
  ParseOptions deep;
  deep.limits.max_depth = 200000;
  BOOST_TEST(CodeOf(Nested(100000), deep) == "ok");
}

BOOST_AUTO_TEST_CASE(decoded_values_are_written_back) {
  Result<Document> doc =
      Document::Parse("<a x=\"&lt;&#65;&#x42;&quot;&#10;\ty\" z=\"&amp;amp;\">&amp;&#x43;&gt;</a>");
  BOOST_REQUIRE(doc.ok());
  // &#10; stays a line feed, a raw TAB becomes a space (XML 1.0 §3.3.3).
  BOOST_TEST(std::string(doc->root().attribute("x").value()) == "<AB\"\n y");
  BOOST_TEST(std::string(doc->root().attribute("z").value()) == "&amp;");
  BOOST_TEST(Text(doc->root()) == "&C>");
}

BOOST_AUTO_TEST_CASE(line_ends_are_normalized) {
  Result<Document> doc = Document::Parse("<a x=\"1\r\n2\">l1\r\nl2\rl3&#13;</a>");
  BOOST_REQUIRE(doc.ok());
  BOOST_TEST(std::string(doc->root().attribute("x").value()) == "1 2");
  BOOST_TEST(Text(doc->root()) == "l1\nl2\nl3\r");
}

BOOST_AUTO_TEST_CASE(error_messages_name_the_place) {
  Result<Document> doc = Document::Parse("<a>\n<b x=\"1\" x=\"2\"/></a>");
  BOOST_REQUIRE(!doc.ok());
  BOOST_TEST(doc.status().message().find("line 2") != std::string::npos);
  BOOST_TEST(doc.status().message().find("<b>") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::xml
