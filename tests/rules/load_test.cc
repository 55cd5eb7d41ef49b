// Loading: every problem listed with a JSON path and LINE:COL; profiles; extends.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/rules/rules_test_util.h"

namespace claimgate::rules::test {
namespace {

BOOST_AUTO_TEST_SUITE(load)

BOOST_AUTO_TEST_CASE(syntax_error_has_line_and_column) {
  std::vector<Problem> p;
  Result<RuleSet> r = LoadRules("{\"version\": 1,\n  \"attributes\": {,}}", "r.json", &p);
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(r.status().code() == "rules.json_syntax");
  BOOST_REQUIRE(p.size() == 1u);
  BOOST_TEST(p[0].line == 2);
  BOOST_TEST(p[0].column == 18);
  BOOST_TEST(p[0].path == "$");
}

BOOST_AUTO_TEST_CASE(every_problem_is_listed_with_path_and_position) {
  const std::string doc =
      "{\"version\": 2,\n"
      " \"attributes\": {\n"
      "  \"roles\": {\"from\": \"r\", \"map\": {\"A\": \"a\"}, \"transform\": [\"trim\", "
      "\"rot13\"]},\n"
      "  \"x\": {\"value\": \"user.a +\", \"colour\": 1},\n"
      "  \"y\": {\"from\": \"y\", \"transform\": [{\"regex\": \"(\"}]}},\n"
      " \"when\": [{\"if\": \"true\", \"add\": {\"nope\": \"v\"}}]}";
  std::vector<Problem> p;
  BOOST_REQUIRE(!LoadRules(doc, "r.json", &p).ok());
  std::vector<std::string> got;
  for (const Problem& q : p) got.push_back(FormatProblem("r.json", q) + " " + q.code->id);
  const std::vector<std::string> want = {
      "r.json:1:13: $.version: the only version is 1 rules.version",
      "r.json:3:12: $.attributes.roles: an attribute with allowed or map must say what happens "
      "when no value is left: \"required\": true (reject) or a \"default\" rules.no_empty_outcome",
      "r.json:3:67: $.attributes.roles.transform[1]: unknown transform 'rot13' (trim, lowercase, "
      "uppercase, collapse_spaces, email_local_part, {\"regex\", \"replace\"}) "
      "rules.unknown_transform",
      "r.json:4:27: $.attributes.x.value: expression ends too early (at character 9 of the "
      "expression) rules.expression_syntax",
      "r.json:4:40: $.attributes.x.colour: unknown key 'colour' rules.schema",
  };
  BOOST_REQUIRE(got.size() >= want.size() + 2);
  for (std::size_t i = 0; i < want.size(); ++i) BOOST_TEST(got[i] == want[i]);
  BOOST_TEST(got[5].find("$.attributes.y.transform[0].regex: the regex does not compile") !=
             std::string::npos);
  BOOST_TEST(got[6].find("r.json:6:42: $.when[0].add.nope: 'nope' is not declared") == 0u);
}

BOOST_AUTO_TEST_CASE(schema_codes) {
  std::string path;
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a"}},"a":1,"a":2})") ==
             "rules.duplicate_key");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a","from":"b"}}})", &path) ==
             "rules.duplicate_key");
  BOOST_TEST(path == "$.attributes.a.from");
  BOOST_TEST(LoadCode(R"({"attributes":{}})") == "rules.version");
  BOOST_TEST(LoadCode(R"({"version":1,"extends":"nope"})") == "rules.unknown_profile");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{}}})") == "rules.schema");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a","allowed":["x"],
      "default":"y"}}})") == "rules.disallowed_value");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a","map":[{"regex":"[","to":"x"}],
      "required":true}}})") == "rules.bad_regex");
  // RE2 syntax: backreferences and lookaround (what needs backtracking) do not compile.
  for (const char* refused : {"(a)\\\\1", "a(?=b)", "a(?!b)", "(?<=a)b"}) {
    BOOST_TEST(LoadCode(std::string(R"({"version":1,"attributes":{"a":{"from":"a",
        "transform":[{"regex":")") +
                        refused + R"("}]}}})") == "rules.bad_regex",
               refused);
  }
  // Nested repetitions are fine: RE2 matches in linear time whatever the pattern (rules_test
  // runs them on adversarial values).
  for (const char* fine : {"(a|b)*c", "^([^@]+)@(.*)$", "(ab)+", "[(+*]+", "(a+)?x", "(a+)+",
                           "((a|b)*)*c", "(x(a*))+", "(?:a*){2,}"}) {
    BOOST_TEST(LoadCode(std::string(R"({"version":1,"attributes":{"a":{"from":"a",
        "transform":[{"regex":")") +
                        fine + R"("}]}}})") == "ok",
               fine);
  }
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a"}},
      "when":[{"if":"true","add":{"a":"x"}}]})") == "rules.unknown_attribute");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a","split":""}}})") ==
             "rules.schema");
  BOOST_TEST(LoadCode(R"([1,2])") == "rules.schema");
}

BOOST_AUTO_TEST_CASE(profiles_load_and_extend) {
  for (const std::string& name : ProfileNames()) BOOST_TEST(LoadProfile(name).ok(), name);
  BOOST_TEST(LoadProfile("nope").status().code() == "rules.unknown_profile");
  RuleSet rs = MustLoad(R"({"version":1,"extends":"frontline",
      "attributes":{"team":{"from":"dept"}},
      "when":[{"if":"user.dept == 'Sales'","add":{"roles":"agent"}}]})");
  BOOST_TEST(Worker(rs, MakeClaims({{"dept", {"Sales"}}}, "A@B.io")) ==
             R"({"email":"a@b.io","roles":["agent"],"team":"Sales"})");
}

BOOST_AUTO_TEST_CASE(json_numbers_out_of_range_name_their_path) {
  // nlohmann refuses 1e999 with an out_of_range exception, not a parse_error: it must become a
  // coded problem at the number's own path, never an abort.
  struct Case {
    const char* doc;
    const char* path;
    int line, column;
  };
  const Case cases[] = {
      {"{\"version\": 1e999}", "$.version", 1, 13},
      {"{\"version\": 1,\n \"attributes\": {\"a\": {\"from\": \"a\", \"max_values\": -1e999}}}",
       "$.attributes.a.max_values", 2, 50},
      {"{\"version\": 1, \"attributes\": {\"a\": {\"from\": [\"x\", 1E+400]}}}",
       "$.attributes.a.from[1]", 1, 51},
      {"[{\"a\": [1, {\"b\": 2e308}]}]", "$[0].a[1].b", 1, 18},
  };
  for (const Case& c : cases) {
    std::vector<Problem> p;
    Result<RuleSet> r = LoadRules(c.doc, "r.json", &p);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.status().code() == "rules.json_syntax", c.doc);
    BOOST_REQUIRE(p.size() == 1u);
    BOOST_TEST(p[0].path == c.path, c.doc);
    BOOST_TEST(p[0].line == c.line, c.doc);
    BOOST_TEST(p[0].column == c.column, c.doc);
  }
  // Found by fuzz/rules_load (fuzz/regressions/rules_load): after an out-of-range number the
  // rest of the text may be malformed; a mismatched bracket used to loop without end, filling
  // memory with paths.
  const Case malformed[] = {
      {"{\"attributes\": [1e999}", "$.attributes[0]", 1, 17},
      {"{\"a\": {\"b\": [1, 2e400}}]", "$.a.b[1]", 1, 17},
  };
  for (const Case& c : malformed) {
    std::vector<Problem> p;
    Result<RuleSet> r = LoadRules(c.doc, "r.json", &p);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.status().code() == "rules.json_syntax", c.doc);
    BOOST_REQUIRE(p.size() == 1u);
    BOOST_TEST(p[0].path == c.path, c.doc);
    BOOST_TEST(p[0].line == c.line, c.doc);
    BOOST_TEST(p[0].column == c.column, c.doc);
  }
  // The same for the ATTRS.json of `rules test --attributes`.
  Result<Claims> claims =
      ClaimsFromJson("{\"subject\": \"s\",\n \"attributes\": {\"a\": [1e999]}}", "a.json");
  BOOST_TEST(claims.status().code() == "rules.json_syntax");
  BOOST_TEST(claims.status().message() ==
             "a.json:2:23: $.attributes.a[0]: a number out of range (beyond a double)");
  BOOST_TEST(ClaimsFromJson("{\"subject\": -1e999}", "a.json").status().message() ==
             "a.json:1:13: $.subject: a number out of range (beyond a double)");
}

BOOST_AUTO_TEST_CASE(independent_problems_are_all_listed) {
  // A non-string "replace" used to escape as an exception and end the whole load, hiding every
  // later problem.
  const std::string doc =
      "{\"version\": 1,\n"
      " \"attributes\": {\n"
      "  \"roles\": {\"from\": \"g\", \"multi\": true, \"transform\": [{\"regex\": \"a\", "
      "\"replace\": 1}]},\n"
      "  \"team\":  {\"value\": \"String.nope(user.department)\"},\n"
      "  \"email\": {\"from\": \"email\", \"format\": \"mail\"}}}";
  std::vector<Problem> p;
  BOOST_REQUIRE(!LoadRules(doc, "r.json", &p).ok());
  std::vector<std::string> got;
  for (const Problem& q : p) got.push_back(FormatProblem("r.json", q) + " " + q.code->id);
  const std::vector<std::string> want = {
      "r.json:3:81: $.attributes.roles.transform[0].replace: must be a string ($1..$9 allowed) "
      "rules.schema",
      "r.json:4:23: $.attributes.team.value: unknown name 'String.nope' (at character 1 of the "
      "expression) rules.unknown_function",
      "r.json:5:40: $.attributes.email.format: format is \"email\" or \"url\" (an absolute http or "
      "https URL) rules.schema",
  };
  BOOST_TEST(got == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(no_value_of_any_type_escapes_as_an_exception) {
  // Every value of a document that uses every key, replaced in turn by a value of every JSON
  // type: the load either succeeds or lists problems with a path, and never reports the
  // defensive "unexpected JSON shape" (an nlohmann exception that a check missed).
  const std::string base = R"J({"version": 1, "extends": "flex", "description": "d",
    "attributes": {
      "roles": {"from": ["groups", {"name": "urn:x", "name_format": "urn:f"}], "split": ",",
                "multi": true, "value": "user.r",
                "transform": ["trim", {"regex": "^x(.*)$", "replace": "$1", "ignore_case": true}],
                "map": [{"equals": "A", "to": "agent"}, {"regex": "^b(.*)$", "to": ["$1"]}],
                "unmapped": "drop", "allowed": ["agent", {"equals_ignore_case": "ADMIN"}],
                "on_disallowed": "drop", "format": "email", "default": "agent",
                "name_match": "ignore_case", "min_values": 0, "max_values": 3,
                "required": false},
      "team": {"from": "dept", "map": {"S": "sales"}, "required": true}},
    "when": [{"if": "Arrays.contains(worker.roles, 'agent')", "add": {"roles": ["agent"]},
              "set": {"team": "${user.dept}"}, "remove": {"roles": "agent"},
              "clear": ["team"], "description": "d"},
             {"if": "String.len(user.x) > 3", "deny": "no"}],
    "pass_through": {"exclude": ["secret"]}})J";
  using J = nlohmann::ordered_json;
  const J doc = J::parse(base);
  BOOST_REQUIRE(LoadCode(base) == "ok");
  std::vector<J::json_pointer> pointers;
  const J flat = doc.flatten();
  for (auto it = flat.begin(); it != flat.end(); ++it) {
    J::json_pointer ptr(it.key());
    for (; !ptr.empty(); ptr = ptr.parent_pointer()) pointers.push_back(ptr);
  }
  const J replacements[] = {1,
                            -1,
                            1.5,
                            true,
                            nullptr,
                            J::array(),
                            J::object(),
                            "x",
                            J::array({1}),
                            J::object({{"a", 1}}),
                            J::array({J::object()})};
  int loads = 0;
  for (const J::json_pointer& ptr : pointers) {
    for (const J& r : replacements) {
      J mutated = doc;
      mutated[ptr] = r;
      const std::string text = mutated.dump();
      std::vector<Problem> problems;
      ++loads;
      if (LoadRules(text, "m.json", &problems).ok()) continue;
      BOOST_REQUIRE(!problems.empty());
      for (const Problem& p : problems) {
        BOOST_TEST(p.path.rfind("$", 0) == 0u);
        BOOST_TEST(p.message.find("unexpected JSON shape") == std::string::npos,
                   ptr.to_string() + " = " + r.dump() + ": " + p.path + ": " + p.message);
      }
    }
  }
  BOOST_TEST(loads > 500);
}

// The same checks, offered to other JSON documents (connection files, pipeline/connection.cc).
BOOST_AUTO_TEST_CASE(check_json_text_names_syntax_range_and_repeated_keys) {
  BOOST_TEST(!CheckJsonText(R"({"a": {"b": [1, 2]}, "c": "d"})").has_value());
  std::optional<Problem> p = CheckJsonText("{\"a\": 1,\n \"b\": {\"c\": 1, \"c\": 2}}");
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->code->id == std::string("rules.duplicate_key"));
  BOOST_TEST(FormatProblem("f.json", *p) ==
             "f.json:2:16: $.b.c: this key appears twice in one object");
  p = CheckJsonText("{\"a\": [1e999]}");
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->code->id == std::string("rules.json_syntax"));
  BOOST_TEST(p->path == "$.a[0]");
  p = CheckJsonText("{\"a\": ");
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->path == "$");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::rules::test
