// Robustness: random attribute maps and random expressions (seeded) never crash or hang;
// mutated rule documents always fail with a JSON path, through the library and the CLI.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tests/rules/rules_test_util.h"

namespace claimgate::rules::test {
namespace {

const char* const kAtoms[] = {
    "user.groups",
    "user.email",
    "user.x",
    "user.nameId",
    "user.nameIdFormat",
    "'a'",
    "\"b,c\"",
    "null",
    "true",
    "false",
    "String.join(',', user.groups, user.x)",
    "String.toLowerCase(",
    "String.replace(user.email, 'a', '')",
    "Arrays.contains(user.groups, 'g1')",
    "Arrays.isEmpty(user.x)",
    "String.substringBefore(user.email, '@')",
    "==",
    "!=",
    "AND",
    "OR",
    "!",
    "?",
    ":",
    "(",
    ")",
    "+",
    ",",
    "${",
    "}",
    "user[",
    "]",
    "'",
    "String.stringContains(",
};

// A well-typed expression of the given kind (0 string, 1 boolean), so the evaluator is reached.
std::string ValidExpr(std::mt19937& rng, int kind, int depth) {
  static const char* const kStr[] = {"user.groups", "user.email", "user.x",   "user.nameId",
                                     "'a'",         "null",       "user.mail"};
  if (depth > 4 || rng() % 3 == 0) {
    return kind == 0 ? kStr[rng() % 7] : (rng() % 2 ? "true" : "Arrays.isEmpty(user.x)");
  }
  const std::string a = ValidExpr(rng, 0, depth + 1), b = ValidExpr(rng, 0, depth + 1);
  if (kind == 1) {
    switch (rng() % 6) {
      case 0:
        return a + " == " + b;
      case 1:
        return "Arrays.contains(" + a + ", " + b + ")";
      case 2:
        return "String.stringContains(" + a + ", " + b + ")";
      case 3:
        return "!(" + ValidExpr(rng, 1, depth + 1) + ")";
      case 4:
        return "(" + ValidExpr(rng, 1, depth + 1) + " AND " + ValidExpr(rng, 1, depth + 1) + ")";
      default:
        return "(" + ValidExpr(rng, 1, depth + 1) + " OR " + a + " != " + b + ")";
    }
  }
  switch (rng() % 7) {
    case 0:
      return "String.join(',', " + a + ", " + b + ")";
    case 1:
      return "String.toLowerCase(" + a + ")";
    case 2:
      return "String.substringBefore(" + a + ", " + b + ")";
    case 3:
      return "String.substringAfter(" + a + ", '@')";
    case 4:
      return "String.replace(" + a + ", " + b + ", 'x')";
    case 5:
      return "(" + ValidExpr(rng, 1, depth + 1) + " ? " + a + " : " + b + ")";
    default:
      return a + " + " + b;
  }
}

std::string RandomExpr(std::mt19937& rng) {
  std::string e;
  const int n = static_cast<int>(rng() % 12) + 1;
  for (int i = 0; i < n; ++i) {
    e += kAtoms[rng() % (sizeof(kAtoms) / sizeof(kAtoms[0]))];
    e += ' ';
  }
  return e;
}

Claims RandomClaims(std::mt19937& rng) {
  static const char* const kNames[] = {"groups",
                                       "email",
                                       "x",
                                       "mail",
                                       "Email",
                                       "roles",
                                       "http://schemas.microsoft.com/claims/groups.link"};
  Claims c;
  c.subject = rng() % 2 ? "a@b.c" : std::string(rng() % 50, 'z');
  const int n = static_cast<int>(rng() % 5);
  for (int i = 0; i < n; ++i) {
    Attribute a;
    a.name = kNames[rng() % 7];
    const int v = static_cast<int>(rng() % 4);
    for (int j = 0; j < v; ++j) a.values.push_back(rng() % 3 ? "g1" : std::string(rng() % 9, ','));
    c.attributes.push_back(std::move(a));
  }
  return c;
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

BOOST_AUTO_TEST_SUITE(robustness)

BOOST_AUTO_TEST_CASE(random_expressions_and_attributes) {
  std::mt19937 rng(20261123);
  int loaded = 0;
  for (int i = 0; i < 5000; ++i) {
    const bool cond = rng() % 2;
    const std::string e = i % 2 ? RandomExpr(rng) : ValidExpr(rng, cond ? 1 : 0, 0);
    const std::string doc =
        cond ? R"({"version":1,"attributes":{"o":{"default":"d","multi":true}},"when":[{"if":)" +
                   Quote(e) + R"(,"add":{"o":"w"}}]})"
             : R"({"version":1,"attributes":{"o":{"multi":true,"value":)" + Quote(e) + "}}}";
    std::vector<Problem> problems;
    Result<RuleSet> rs = LoadRules(doc, "fuzz.json", &problems);
    if (!rs.ok()) {
      BOOST_REQUIRE(!problems.empty());
      BOOST_TEST(problems[0].path.rfind("$", 0) == 0u);
      continue;
    }
    ++loaded;
    for (int k = 0; k < 4; ++k) {
      Mapping m = rs->Apply(RandomClaims(rng));
      BOOST_TEST((m.accepted() || m.status.code().rfind("rules.", 0) == 0));
    }
  }
  BOOST_TEST(loaded > 2000);  // the generator must reach the evaluator often
}

BOOST_AUTO_TEST_CASE(mutated_documents_fail_with_a_path) {
  const std::string base(ProfileText("flex"));
  std::mt19937 rng(7);
  const char kJunk[] = "{}[]\",:0x\\ \n";
  int failed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string doc = base;
    const int edits = static_cast<int>(rng() % 3) + 1;
    for (int k = 0; k < edits; ++k) {
      const std::size_t at = rng() % doc.size();
      switch (rng() % 3) {
        case 0:
          doc.erase(at, 1 + rng() % 4);
          break;
        case 1:
          doc.insert(at, 1, kJunk[rng() % (sizeof(kJunk) - 1)]);
          break;
        default:
          doc[at] = kJunk[rng() % (sizeof(kJunk) - 1)];
      }
    }
    std::vector<Problem> problems;
    Result<RuleSet> rs = LoadRules(doc, "m.json", &problems);
    if (rs.ok()) continue;  // some edits only touch whitespace or descriptions
    ++failed;
    BOOST_REQUIRE(!problems.empty());
    for (const Problem& p : problems) BOOST_TEST(p.path.rfind("$", 0) == 0u);
  }
  BOOST_TEST(failed > 1500);
  // Deep nesting and huge inputs are refused, not recursed into.
  std::string deep(100000, '[');
  BOOST_TEST(LoadCode(deep) == "rules.json_syntax");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":)" + std::string(5000, '[') +
                      std::string(5000, ']') + "}") == "rules.schema");
  std::string long_expr(5000, '(');
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"o":{"value":")" + long_expr + "\"}}}") ==
             "rules.expression_syntax");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"o":{"value":")" + std::string(200, '!') +
                      "true\"}}}") == "rules.expression_syntax");
}

BOOST_AUTO_TEST_CASE(long_values_and_regex_limits) {
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{"o":{"from":"a",
      "transform":[{"regex":"(a|b)*c","replace":"x"}]}}})");
  BOOST_TEST(rs.Apply(MakeClaims({{"a", {std::string(5000, 'a')}}})).status.code() ==
             "rules.value_too_long");
  BOOST_TEST(Worker(rs, MakeClaims({{"a", {"abac"}}})) == R"({"o":"x"})");
  RuleSet split = MustLoad(R"({"version":1,"attributes":{"o":{"from":"a","split":",",
      "multi":true}}})");
  std::string many;
  for (int i = 0; i < 200000; ++i) many += std::to_string(i) + ",";
  BOOST_TEST(split.Apply(MakeClaims({{"a", {many}}})).status.code() == "rules.value_too_long");
  BOOST_TEST(split.Apply(MakeClaims({{"a", std::vector<std::string>(5000, "x")}})).status.code() ==
             "rules.value_too_long");
  RuleSet big = MustLoad(R"({"version":1,"attributes":{"o":{"from":"a"}}})");
  BOOST_TEST(big.Apply(MakeClaims({{"a", {std::string(70000, 'a')}}})).status.code() ==
             "rules.value_too_long");
}

BOOST_AUTO_TEST_CASE(cli_check_and_test) {
  const char* bin = std::getenv("CLAIMGATE_BIN");
  BOOST_REQUIRE(bin != nullptr);
  const std::string dir = "rules_cli_test_tmp";
  std::system(("mkdir -p " + dir).c_str());
  std::ofstream(dir + "/bad.json") << "{\"version\": 1, \"attributes\": {\"a\": {\"frm\": 1}}}";
  std::ofstream(dir + "/trunc.json") << std::string(ProfileText("flex")).substr(0, 300);
  std::ofstream(dir + "/attrs.json")
      << R"({"subject":"x@y.io","attributes":{"roles":["agent"],"firstName":["X"],"lastName":["Y"]}})";
  std::ofstream(dir + "/norole.json") << R"({"subject":"x@y.io","attributes":{}})";
  auto run = [&](const std::string& args, std::string* out) {
    const std::string cmd = std::string(bin) + " " + args + " > " + dir + "/out.txt 2>&1";
    const int rc = std::system(cmd.c_str());
    std::ifstream in(dir + "/out.txt");
    out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return WEXITSTATUS(rc);
  };
  std::string out;
  BOOST_TEST(run("rules check " + dir + "/bad.json", &out) == 2);
  BOOST_TEST(out.find("bad.json:1:44: $.attributes.a.frm: unknown key 'frm'") != std::string::npos);
  BOOST_TEST(run("rules check " + dir + "/trunc.json", &out) == 2);
  BOOST_TEST(out.find(": $: invalid JSON") != std::string::npos);
  BOOST_TEST(run("rules check profile:flex", &out) == 0);
  BOOST_TEST(run("rules test profile:flex --attributes " + dir + "/attrs.json", &out) == 0);
  BOOST_TEST(out ==
             "{\"decision\":\"accepted\",\"worker\":{\"full_name\":\"X Y\",\"email\":"
             "\"x@y.io\",\"roles\":[\"agent\"]}}\n");
  BOOST_TEST(run("rules test profile:flex --attributes " + dir + "/norole.json", &out) == 1);
  BOOST_TEST(out.find("rules.required_missing") != std::string::npos);
  // The README examples run as documented.
  const std::string ex = std::string(std::getenv("CLAIMGATE_SOURCE_DIR")) + "/examples/rules/";
  BOOST_TEST(run("rules check " + ex + "flex-groups.json", &out) == 0);
  BOOST_TEST(run("rules check " + ex + "broken.json", &out) == 2);
  BOOST_TEST(out.find("broken.json:5:53: $.when[0].add.role: 'role' is not declared") !=
             std::string::npos);
  BOOST_TEST(run("rules test " + ex + "flex-groups.json --attributes " + ex + "okta-attrs.json",
                 &out) == 0);
  BOOST_TEST(out ==
             "{\"decision\":\"accepted\",\"worker\":{\"full_name\":\"Jane Doe\",\"email\":"
             "\"jane.doe@example.com\",\"roles\":[\"agent\"],\"team\":\"support\"}}\n");
  BOOST_TEST(
      run("rules test " + ex + "flex-groups.json --attributes " + ex + "entra-overage-attrs.json",
          &out) == 1);
  BOOST_TEST(out.find("\"code\":\"rules.groups_overflow\"") != std::string::npos);
  BOOST_TEST(run("rules test profile:flex --assertion " + dir + "/attrs.json", &out) == 2);
  // --assertion verifies first, so it needs the verify options (tests/cli/process_test.py runs
  // the verified path).
  BOOST_TEST(out.find("--sp-entity-id and --acs-url are required") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::rules::test
