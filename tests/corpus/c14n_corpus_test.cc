// Runs every "c14n" case of the shared corpus (../shared/corpus/MANIFEST.json) through
// Document::Parse + Canonicalize and compares byte for byte with c14n_expected_output. Cases we
// deliberately do not support are listed, with a reason, in tests/corpus/c14n_exceptions.txt;
// a listed id that is not a c14n case of the manifest, or an unlisted case that fails, fails.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "engine/xml/c14n.h"
#include "engine/xml/document.h"

namespace claimgate::xml {
namespace {

constexpr std::string_view kExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  BOOST_REQUIRE_MESSAGE(v != nullptr, name << " is not set (run through ctest)");
  return v;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// id -> reason, from "id<TAB>reason" lines ('#' starts a comment line).
std::map<std::string, std::string> ReadExceptions(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab = line.find('\t');
    BOOST_REQUIRE_MESSAGE(tab != std::string::npos && tab + 1 < line.size(),
                          "exception line without a reason: " << line);
    out.emplace(line.substr(0, tab), line.substr(tab + 1));
  }
  return out;
}

// The element a case canonicalizes, from its c14n_input_subset description.
pugi::xml_node SelectApex(const Document& doc, const std::string& subset, std::string* why) {
  if (subset.rfind("document element subtree", 0) == 0) return doc.root();
  static const std::regex kFirst(R"(subtree rooted at the first \{([^}]*)\}(\S+) element)");
  std::smatch m;
  if (!std::regex_search(subset, m, kFirst)) {
    *why = "unsupported c14n_input_subset: " + subset;
    return pugi::xml_node();
  }
  const std::string uri = m[1], local = m[2];
  pugi::xml_node node = doc.root();
  while (node) {  // document order, iteratively
    if (doc.Is(node, uri, local)) return node;
    if (node.first_child()) {
      node = node.first_child();
      continue;
    }
    while (node && !node.next_sibling()) node = node.parent();
    if (node) node = node.next_sibling();
  }
  *why = "no {" + uri + "}" + local + " element";
  return pugi::xml_node();
}

// Empty string on success, else why the case failed.
std::string RunCase(const std::string& dir, const nlohmann::json& c) {
  const std::string algorithm = c.value("c14n_algorithm", "");
  const bool with_comments = algorithm == std::string(kExcC14n) + "WithComments";
  if (algorithm != kExcC14n && !with_comments) return "algorithm not supported: " + algorithm;
  ParseOptions parse_options;
  parse_options.allow_processing_instructions = true;
  Result<Document> doc =
      Document::Parse(ReadFile(dir + "/" + c["file"].get<std::string>()), parse_options);
  if (!doc.ok()) return "parse: " + std::string(doc.status().code()) + " " + doc.status().message();
  std::string why;
  const pugi::xml_node apex = SelectApex(*doc, c.value("c14n_input_subset", ""), &why);
  if (!apex) return why;
  C14nOptions options;
  options.with_comments = with_comments;
  if (c.contains("inclusive_namespaces") && c["inclusive_namespaces"].is_array()) {
    options.inclusive_prefixes = c["inclusive_namespaces"].get<std::vector<std::string>>();
  }
  std::string out;
  const Status s = Canonicalize(apex, options, out);
  if (!s.ok()) return "c14n: " + std::string(s.code()) + " " + s.message();
  const std::string expected = ReadFile(dir + "/" + c["c14n_expected_output"].get<std::string>());
  if (out != expected) return "output differs:\n got: " + out + "\nwant: " + expected;
  return "";
}

BOOST_AUTO_TEST_SUITE(corpus_c14n)

BOOST_AUTO_TEST_CASE(every_c14n_case) {
  const std::string dir = Env("CLAIMGATE_CORPUS_DIR");
  const nlohmann::json manifest = nlohmann::json::parse(ReadFile(dir + "/MANIFEST.json"));
  const auto exceptions =
      ReadExceptions(Env("CLAIMGATE_SOURCE_DIR") + "/tests/corpus/c14n_exceptions.txt");
  std::set<std::string> seen;
  int passed = 0;
  for (const nlohmann::json& c : manifest) {
    if (c.value("kind", "") != "c14n") continue;
    const std::string id = c["id"];
    seen.insert(id);
    const std::string failure = RunCase(dir, c);
    const auto listed = exceptions.find(id);
    if (listed != exceptions.end()) {
      BOOST_TEST_MESSAGE("excepted "
                         << id << " (" << listed->second
                         << "): " << (failure.empty() ? "passes anyway" : failure.substr(0, 120)));
      continue;
    }
    BOOST_TEST(failure.empty(), id << ": " << failure);
    if (failure.empty()) ++passed;
  }
  for (const auto& [id, reason] : exceptions) {
    BOOST_TEST(seen.count(id) == 1u,
               "c14n_exceptions.txt lists " << id << ", which is not a c14n case of the manifest");
  }
  BOOST_TEST_MESSAGE(seen.size() << " c14n cases: " << passed << " passed, " << exceptions.size()
                                 << " excepted");
  BOOST_TEST(passed > 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::xml
