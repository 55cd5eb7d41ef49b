// The expression language's newer half: Arrays.size, Arrays.toCsvString, String.len,
// String.substring, String.stringSwitch, String.startsWith/endsWith, String.matches,
// String.trim, numbers, < <= > >=, and worker.<name>. Okta's documented examples are checked
// verbatim where Okta has the function.
#include <functional>
#include <iterator>
#include <random>
#include <string>

#include "tests/rules/rules_test_util.h"

namespace claimgate::rules::test {
namespace {

std::string Quote(const std::string& expr) {
  std::string quoted;
  for (char ch : expr) {
    if (ch == '"' || ch == '\\') quoted.push_back('\\');
    quoted.push_back(ch);
  }
  return "\"" + quoted + "\"";
}

// Evaluates `expr` as the value of the multi-valued attribute "out"; the worker JSON, or the
// rejection code.
std::string Eval(const std::string& expr, const Claims& c) {
  RuleSet rs = MustLoad(R"({"version": 1, "attributes": {"out": {"multi": true, "value": )" +
                        Quote(expr) + "}}}");
  Mapping m = rs.Apply(c);
  if (!m.accepted()) return std::string(m.status.code());
  return WorkerJson(m);
}

// "yes" or "no" from a condition, through a when rule (the condition must be a boolean).
std::string When(const std::string& cond, const Claims& c) {
  RuleSet rs = MustLoad(R"({"version": 1, "attributes": {"out": {"default": "no"}},
      "when": [{"if": )" +
                        Quote(cond) + R"(, "set": {"out": "yes"}}]})");
  Mapping m = rs.Apply(c);
  if (!m.accepted()) return std::string(m.status.code());
  return m.worker.at(0).values.at(0);
}

// The code of the first load problem of `expr` used as a value (or as a condition).
std::string ValueCode(const std::string& expr) {
  return LoadCode(R"({"version":1,"attributes":{"o":{"value":)" + Quote(expr) + "}}}");
}
std::string CondCode(const std::string& cond) {
  return LoadCode(R"({"version":1,"attributes":{"o":{"default":"d"}},"when":[{"if":)" +
                  Quote(cond) + R"(,"set":{"o":"x"}}]})");
}

const Claims& Sample() {
  static const Claims c = MakeClaims({{"firstName", {"Jane"}},
                                      {"groups", {"Flex Admins", "Everyone"}},
                                      {"dept", {"Sales.EMEA"}},
                                      {"level", {"3"}},
                                      {"salary", {"1000000.50"}},
                                      {"padded", {" \t Ann Lee \n"}},
                                      {"okta", {"This", "is", " a ", "test"}},
                                      {"wide", {"\xc3\xa9\xf0\x9f\x98\x80x"}}},  // é😀x
                                     "jane@example.com");
  return c;
}

BOOST_AUTO_TEST_SUITE(language)

BOOST_AUTO_TEST_CASE(arrays_size_and_to_csv_string) {
  BOOST_TEST(Eval("Arrays.size(user.groups)", Sample()) == R"({"out":["2"]})");
  BOOST_TEST(Eval("Arrays.size(user.missing)", Sample()) == R"({"out":["0"]})");  // Okta: 0
  BOOST_TEST(Eval("Arrays.size(user.firstName)", Sample()) == R"({"out":["1"]})");
  BOOST_TEST(Eval("Arrays.size('x')", Sample()) == R"({"out":["1"]})");
  // Okta's example: {"This", "is", " a ", "test"} -> This,is, a ,test (no trimming, no quoting).
  BOOST_TEST(Eval("Arrays.toCsvString(user.okta)", Sample()) == R"({"out":["This,is, a ,test"]})");
  BOOST_TEST(Eval("Arrays.toCsvString(user.missing)", Sample()) == R"({})");
  BOOST_TEST(When("Arrays.size(user.groups) >= 2", Sample()) == "yes");
  BOOST_TEST(When("Arrays.size(user.groups) > 2", Sample()) == "no");
  BOOST_TEST(ValueCode("Arrays.size(true)") == "rules.expression_type");
}

BOOST_AUTO_TEST_CASE(string_len_counts_characters) {
  BOOST_TEST(Eval("String.len('This')", Sample()) == R"({"out":["4"]})");  // Okta's example
  BOOST_TEST(Eval("String.len(user.missing)", Sample()) == R"({"out":["0"]})");
  BOOST_TEST(Eval("String.len(user.wide)", Sample()) == R"({"out":["3"]})");  // code points
  BOOST_TEST(Eval("String.len(user.groups)", Sample()) == "rules.multiple_values");
}

BOOST_AUTO_TEST_CASE(string_substring_is_zero_based_end_exclusive_and_clamps) {
  BOOST_TEST(Eval("String.substring('This is a test', 2, 9)", Sample()) ==
             R"({"out":["is is a"]})");  // Okta's example
  // Okta's "last 20 characters" example, here the last 4: arithmetic on String.len.
  BOOST_TEST(Eval("String.substring(user.dept, String.len(user.dept) - 4, String.len(user.dept))",
                  Sample()) == R"({"out":["EMEA"]})");
  // Out of range (Java would throw): clamped, so a short value never refuses a login.
  BOOST_TEST(Eval("String.substring(user.firstName, String.len(user.firstName) - 20, 2)",
                  Sample()) == R"({"out":["Ja"]})");
  BOOST_TEST(Eval("String.substring(user.firstName, 1, 99)", Sample()) == R"({"out":["ane"]})");
  BOOST_TEST(Eval("String.substring(user.firstName, 3, 1)", Sample()) == R"({})");
  BOOST_TEST(Eval("String.substring(user.firstName, 1.9, 3.2)", Sample()) ==
             R"({"out":["an"]})");  // truncated, as Java's int conversion
  BOOST_TEST(Eval("String.substring(user.wide, 1, 2)", Sample()) ==
             "{\"out\":[\"\xf0\x9f\x98\x80\"]}");  // characters, never half of one
  BOOST_TEST(Eval("String.substring(user.missing, 0, 1)", Sample()) == R"({})");
  BOOST_TEST(ValueCode("String.substring(user.a, '1', 2)") == "rules.expression_type");
  BOOST_TEST(ValueCode("String.substring(user.a, 1)") == "rules.expression_type");
}

BOOST_AUTO_TEST_CASE(string_switch_first_contained_key_wins) {
  // Okta's four examples, verbatim.
  BOOST_TEST(Eval("String.stringSwitch('This is a test', 'default', 'key1', 'value1')", Sample()) ==
             R"({"out":["default"]})");
  BOOST_TEST(Eval("String.stringSwitch('This is a test', 'default', 'test', 'value1')", Sample()) ==
             R"({"out":["value1"]})");
  BOOST_TEST(Eval("String.stringSwitch('First match wins', 'default', 'absent', 'value1', "
                  "'wins', 'value2', 'match', 'value3')",
                  Sample()) == R"({"out":["value2"]})");
  BOOST_TEST(Eval("String.stringSwitch('Substrings count', 'default', 'ring', 'value1')",
                  Sample()) == R"({"out":["value1"]})");
  BOOST_TEST(Eval("String.stringSwitch(user.missing, 'agent', 'Admin', 'admin')", Sample()) ==
             R"({"out":["agent"]})");
  BOOST_TEST(Eval("String.stringSwitch(user.dept, 'none', user.missing, 'x', 'EMEA', 'emea')",
                  Sample()) == R"({"out":["emea"]})");  // a null key is skipped
  BOOST_TEST(ValueCode("String.stringSwitch(user.a, 'd', 'k')") == "rules.expression_type");
  BOOST_TEST(ValueCode("String.stringSwitch(user.a)") == "rules.expression_type");
}

BOOST_AUTO_TEST_CASE(starts_with_ends_with_trim) {
  BOOST_TEST(When("String.startsWith(user.dept, 'Sales')", Sample()) == "yes");
  BOOST_TEST(When("String.startsWith(user.dept, 'sales')", Sample()) == "no");
  BOOST_TEST(When("String.startsWith(user.missing, '')", Sample()) == "no");
  BOOST_TEST(When("String.endsWith(user.dept, '.EMEA')", Sample()) == "yes");
  BOOST_TEST(When("String.endsWith(user.dept, 'Sales')", Sample()) == "no");
  BOOST_TEST(When("String.endsWith('a', 'ba')", Sample()) == "no");
  BOOST_TEST(Eval("String.trim(user.padded)", Sample()) == R"({"out":["Ann Lee"]})");
  BOOST_TEST(Eval("String.trim(user.missing)", Sample()) == R"({})");
}

BOOST_AUTO_TEST_CASE(string_matches_whole_value_with_re2) {
  BOOST_TEST(When("String.matches(user.dept, 'Sales\\\\..*')", Sample()) == "yes");
  BOOST_TEST(When("String.matches(user.dept, 'Sales')", Sample()) == "no");  // whole value
  BOOST_TEST(When("String.matches(user.dept, '(?i)sales\\\\.emea')", Sample()) == "yes");
  BOOST_TEST(When("String.matches(user.missing, '.*')", Sample()) == "no");
  BOOST_TEST(When("String.matches(user.big, '(a|aa)+')",
                  MakeClaims({{"big", {std::string(5000, 'a')}}})) == "rules.value_too_long");
  BOOST_TEST(CondCode("String.matches(user.dept, '(')") == "rules.bad_regex");
  BOOST_TEST(CondCode("String.matches(user.dept, 'a(?=b)')") == "rules.bad_regex");
  BOOST_TEST(CondCode("String.matches(user.dept, user.pattern)") == "rules.expression_type");
}

BOOST_AUTO_TEST_CASE(ordering_numbers) {
  BOOST_TEST(When("user.level >= 3", Sample()) == "yes");
  BOOST_TEST(When("user.level > 3", Sample()) == "no");
  BOOST_TEST(When("user.level < 10", Sample()) == "yes");  // numbers, not text ("3" > "10")
  BOOST_TEST(When("user.level <= 2.5", Sample()) == "no");
  BOOST_TEST(When("user.salary >= 1000000", Sample()) == "yes");  // Okta's group-rule sample
  BOOST_TEST(When("String.len(user.firstName) > 3 AND Arrays.size(user.groups) < 3", Sample()) ==
             "yes");
  BOOST_TEST(When("-1 < 0 AND 2 - 3 == -1", Sample()) == "yes");
  // null orders before every number (SpEL's comparator, Okta's base).
  BOOST_TEST(When("user.missing < 1", Sample()) == "yes");
  BOOST_TEST(When("user.missing >= 1", Sample()) == "no");
  // A value that is not a number cannot be ordered: the login is refused, never guessed.
  BOOST_TEST(When("user.dept < 3", Sample()) == "rules.not_a_number");
  BOOST_TEST(When("user.level < user.dept", Sample()) == "rules.not_a_number");
  BOOST_TEST(When("user.groups > 1", Sample()) == "rules.multiple_values");
  BOOST_TEST(CondCode("'abc' < 3") == "rules.expression_type");
  BOOST_TEST(CondCode("true < 1") == "rules.expression_type");
  BOOST_TEST(CondCode("user.a < null") == "rules.expression_type");
  BOOST_TEST(CondCode("1 < 2 < 3") == "rules.expression_syntax");
  BOOST_TEST(CondCode("user.a <") == "rules.expression_syntax");
}

BOOST_AUTO_TEST_CASE(equality_with_numbers_and_arithmetic) {
  BOOST_TEST(When("user.level == 3", Sample()) == "yes");  // "3" read as a number
  BOOST_TEST(When("user.level == 3.0", Sample()) == "yes");
  BOOST_TEST(When("user.level != 4", Sample()) == "yes");
  BOOST_TEST(When("user.dept == 3", Sample()) == "no");  // not a number: equal to none
  BOOST_TEST(When("user.missing == 0", Sample()) == "no");
  BOOST_TEST(When("user.level == '3'", Sample()) == "yes");  // two strings: text equality
  BOOST_TEST(Eval("String.len(user.firstName) + 1", Sample()) == R"({"out":["5"]})");
  BOOST_TEST(Eval("'v' + 2", Sample()) == R"({"out":["v2"]})");  // '+' with a string joins
  BOOST_TEST(Eval("2.50", Sample()) == R"({"out":["2.5"]})");
  BOOST_TEST(Eval("${String.len(user.firstName)} letters", Sample()) == R"({"out":["4 letters"]})");
  BOOST_TEST(Eval("true ? 1 : 2", Sample()) == R"({"out":["1"]})");
  BOOST_TEST(ValueCode("'a' - 1") == "rules.expression_type");
  BOOST_TEST(ValueCode("-'a'") == "rules.expression_type");
  BOOST_TEST(ValueCode("String.toLowerCase(1)") == "rules.expression_type");
  BOOST_TEST(ValueCode("1" + std::string(400, '0')) == "rules.expression_syntax");  // 1e400
}

BOOST_AUTO_TEST_CASE(worker_names_are_when_only_and_declared) {
  BOOST_TEST(ValueCode("worker.roles") == "rules.unknown_function");
  BOOST_TEST(CondCode("Arrays.contains(worker.nope, 'x')") == "rules.unknown_attribute");
  BOOST_TEST(CondCode("worker.o == 'd'") == "ok");
  BOOST_TEST(CondCode("worker[\"o\"] == 'd'") == "ok");
}

BOOST_AUTO_TEST_CASE(random_new_functions_never_crash) {
  // Seeded: every new function and operator, nested, on empty, multi-byte, multi-valued,
  // numeric and long values. Each login is accepted or refused with a rules.* code.
  std::mt19937 rng(4711);
  const char* const kStr[] = {
      "user.a", "user.b",   "user.missing",        "'x'",
      "''",     "worker.o", "String.trim(user.a)", "Arrays.toCsvString(user.b)"};
  const char* const kNum[] = {
      "1", "-2", "2.5", "String.len(user.a)", "Arrays.size(user.b)", "String.len(worker.o) - 3"};
  std::function<std::string(int, int)> gen = [&](int kind, int depth) -> std::string {
    const auto pick = [&](const auto& arr) { return std::string(arr[rng() % std::size(arr)]); };
    if (depth > 3) return kind == 0 ? pick(kStr) : kind == 1 ? pick(kNum) : "true";
    const std::string s = gen(0, depth + 1), t = gen(0, depth + 1), n = gen(1, depth + 1);
    if (kind == 0) {
      switch (rng() % 4) {
        case 0:
          return "String.substring(" + s + ", " + n + ", " + gen(1, depth + 1) + ")";
        case 1:
          return "String.stringSwitch(" + s + ", " + t + ", " + s + ", 'k')";
        case 2:
          return "(" + s + " + " + n + ")";
        default:
          return pick(kStr);
      }
    }
    if (kind == 1) return rng() % 2 ? "(" + n + " - " + pick(kNum) + ")" : "String.len(" + s + ")";
    switch (rng() % 5) {
      case 0:
        return n + " < " + (rng() % 2 ? "user.a" : "worker.o");  // literals load-fail
      case 1:
        return "String.startsWith(" + s + ", " + t + ") OR String.endsWith(" + t + ", " + s + ")";
      case 2:
        return "String.matches(" + s + ", '(a|\\\\d)+.*')";
      case 3:
        return s + " == " + n;
      default:
        return "Arrays.size(user.b) >= " + n;
    }
  };
  const std::vector<std::string> values = {
      "", "a", "12", "-3.5", "\xf0\x9f\x98\x80", "1e5", std::string(5000, 'a'), " 7 ", "abc,def"};
  int loaded = 0, runs = 0;
  for (int i = 0; i < 1500; ++i) {
    const std::string cond = gen(2, 0);
    const std::string doc = R"({"version":1,"attributes":{"o":{"from":"a","default":"d"},
        "p":{"multi":true,"default":"q"}},"when":[{"if":)" +
                            Quote(cond) + R"(,"set":{"o":"${)" + gen(0, 2) +
                            R"(}"},"add":{"p":"x"}}]})";
    std::vector<Problem> problems;
    Result<RuleSet> rs = LoadRules(doc, "fuzz.json", &problems);
    if (!rs.ok()) {
      BOOST_TEST_REQUIRE(!problems.empty());
      BOOST_TEST(problems[0].path.rfind("$", 0) == 0u, doc);
      continue;
    }
    ++loaded;
    for (int k = 0; k < 3; ++k) {
      const auto any = [&] { return values[rng() % values.size()]; };
      Claims c = MakeClaims({{"a", {any()}}, {"b", {any(), any()}}});
      if (rng() % 3 == 0) c.attributes.pop_back();
      const Mapping m = rs->Apply(c);
      ++runs;
      BOOST_TEST((m.accepted() || m.status.code().rfind("rules.", 0) == 0), doc);
    }
  }
  BOOST_TEST(loaded > 1200);  // the generator must reach the evaluator
  BOOST_TEST(runs > 3600);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::rules::test
