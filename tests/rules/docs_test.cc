// The README's rules documentation cannot drift from the code: the function and alias tables
// are the very text the registries generate (scripts/update-readme-codes.sh writes them), and
// the rule document shown in the README is examples/rules/reference.json, which loads.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/rules/rules_test_util.h"

namespace claimgate::rules::test {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Source(const std::string& relative) {
  const char* src = std::getenv("CLAIMGATE_SOURCE_DIR");
  BOOST_REQUIRE(src != nullptr);
  return ReadAll(std::string(src) + "/" + relative);
}

// The lines strictly between `<!-- NAME:begin -->` and `<!-- NAME:end -->` (each marker alone on
// its line), or "(missing)".
std::string Between(const std::string& text, const std::string& name) {
  const std::string begin = "\n<!-- " + name + ":begin -->\n";
  const std::string end = "\n<!-- " + name + ":end -->\n";
  const std::size_t b = text.find(begin);
  if (b == std::string::npos) return "(missing)";
  const std::size_t e = text.find(end, b + begin.size() - 1);
  if (e == std::string::npos) return "(missing)";
  return text.substr(b + begin.size(), e + 1 - (b + begin.size()));
}

BOOST_AUTO_TEST_SUITE(docs)

BOOST_AUTO_TEST_CASE(readme_function_table_is_generated_from_the_registry) {
  const std::string readme = Source("README.md");
  BOOST_TEST(Between(readme, "rules-functions") == FunctionsMarkdown());
  // The table has a row per function the parser accepts, and each row says something.
  for (const FunctionDoc& f : Functions()) {
    BOOST_TEST(f.doc.size() > 20u, f.name);
    BOOST_TEST(f.doc.find('|') == std::string::npos, f.name);  // would break the table
    BOOST_TEST(readme.find("| `" + f.name + "(") != std::string::npos, f.name);
  }
  BOOST_TEST(Functions().size() == 18u);
}

BOOST_AUTO_TEST_CASE(readme_alias_table_is_generated_from_the_resolver) {
  BOOST_TEST(Between(Source("README.md"), "rules-aliases") == AliasesMarkdown());
  bool first_name = false;
  for (const AliasDoc& a : Aliases()) {
    if (a.key != "firstName") continue;
    first_name = true;
    for (const char* name : {"urn:oid:2.5.4.42", "User.FirstName", "given_name"}) {
      const bool listed = std::find(a.names.begin(), a.names.end(), name) != a.names.end();
      BOOST_TEST(listed, name);
    }
  }
  BOOST_TEST(first_name);
}

BOOST_AUTO_TEST_CASE(readme_rule_document_is_the_example_file_and_loads) {
  const std::string block = Between(Source("README.md"), "rules-example");
  // The block is the file indented by four spaces (a Markdown code block).
  std::string unindented;
  std::istringstream lines(block);
  for (std::string line; std::getline(lines, line);) {
    BOOST_TEST((line.empty() || line.rfind("    ", 0) == 0u), line);
    unindented += (line.empty() ? line : line.substr(4)) + "\n";
  }
  const std::string file = Source("examples/rules/reference.json");
  BOOST_TEST(unindented == file);
  RuleSet rs = MustLoad(file);
  BOOST_TEST(rs.OutputNames() ==
                 (std::vector<std::string>{"full_name", "email", "roles", "image_url", "team"}),
             boost::test_tools::per_element());
  // DESIGN.md's example (../shared/DESIGN.md "Rules"), verbatim, is a real document too.
  (void)MustLoad(Source("examples/rules/design-example.json"));
  (void)MustLoad(Source("examples/rules/flex-groups.json"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::rules::test
