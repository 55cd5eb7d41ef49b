// Expressions: every function and operator, null semantics, load-time type and name errors.
#include <string>

#include "tests/rules/rules_test_util.h"

namespace claimgate::rules::test {
namespace {

// Evaluates `expr` as the value of attribute "out" and returns the worker JSON.
std::string Eval(const std::string& expr, const Claims& c) {
  std::string doc = R"({"version": 1, "attributes": {"out": {"multi": true, "value": )";
  std::string quoted;
  for (char ch : expr) {
    if (ch == '"' || ch == '\\') quoted.push_back('\\');
    quoted.push_back(ch);
  }
  doc += "\"" + quoted + "\"}}}";
  RuleSet rs = MustLoad(doc);
  Mapping m = rs.Apply(c);
  if (!m.accepted()) return std::string(m.status.code());
  return WorkerJson(m);
}

const Claims& Sample() {
  static const Claims c = MakeClaims({{"firstName", {"Jane"}},
                                      {"lastName", {"Doe"}},
                                      {"groups", {"Flex Admins", "Everyone"}},
                                      {"dept", {"Sales.EMEA"}}},
                                     "Jane.Doe@Example.com");
  return c;
}

BOOST_AUTO_TEST_SUITE(expressions)

BOOST_AUTO_TEST_CASE(attributes_and_subject) {
  BOOST_TEST(Eval("user.firstName", Sample()) == R"({"out":["Jane"]})");
  BOOST_TEST(Eval("user.groups", Sample()) == R"({"out":["Flex Admins","Everyone"]})");
  BOOST_TEST(Eval("user[\"dept\"]", Sample()) == R"({"out":["Sales.EMEA"]})");
  BOOST_TEST(Eval("user.nameId", Sample()) == R"({"out":["Jane.Doe@Example.com"]})");
  BOOST_TEST(Eval("user.missing", Sample()) == R"({})");
}

BOOST_AUTO_TEST_CASE(string_functions) {
  BOOST_TEST(Eval("String.toLowerCase(user.nameId)", Sample()) ==
             R"({"out":["jane.doe@example.com"]})");
  BOOST_TEST(Eval("String.toUpperCase(user.lastName)", Sample()) == R"({"out":["DOE"]})");
  BOOST_TEST(Eval("String.substringBefore(user.nameId, \"@\")", Sample()) ==
             R"({"out":["Jane.Doe"]})");
  BOOST_TEST(Eval("String.substringAfter(user.nameId, \"@\")", Sample()) ==
             R"({"out":["Example.com"]})");
  BOOST_TEST(Eval("String.substringBefore(user.dept, \"#\")", Sample()) ==
             R"({"out":["Sales.EMEA"]})");
  // An empty result is no value: empty strings are dropped before the worker is built.
  BOOST_TEST(Eval("String.substringAfter(user.dept, \"#\")", Sample()) == R"({})");
  BOOST_TEST(Eval("String.replace(user.dept, \".\", \"/\")", Sample()) ==
             R"({"out":["Sales/EMEA"]})");
  BOOST_TEST(Eval("String.join(\" \", user.firstName, user.missing, user.lastName)", Sample()) ==
             R"({"out":["Jane Doe"]})");
  BOOST_TEST(Eval("String.join(\",\", user.groups)", Sample()) ==
             R"({"out":["Flex Admins,Everyone"]})");
  BOOST_TEST(Eval("user.firstName + \" \" + user.lastName", Sample()) == R"({"out":["Jane Doe"]})");
}

BOOST_AUTO_TEST_CASE(conditions) {
  BOOST_TEST(Eval("Arrays.contains(user.groups, \"Everyone\") ? \"yes\" : \"no\"", Sample()) ==
             R"({"out":["yes"]})");
  BOOST_TEST(Eval("Arrays.isEmpty(user.missing) AND !Arrays.isEmpty(user.groups) ? 'a' : 'b'",
                  Sample()) == R"({"out":["a"]})");
  BOOST_TEST(Eval("String.stringContains(user.dept, 'EMEA') OR false ? 'a' : 'b'", Sample()) ==
             R"({"out":["a"]})");
  BOOST_TEST(Eval("user.missing == null ? 'none' : 'some'", Sample()) == R"({"out":["none"]})");
  BOOST_TEST(Eval("user.firstName != 'Jane' ? 'x' : 'y'", Sample()) == R"({"out":["y"]})");
}

BOOST_AUTO_TEST_CASE(templates_and_null) {
  BOOST_TEST(Eval("${user.firstName} ${user.lastName}", Sample()) == R"({"out":["Jane Doe"]})");
  BOOST_TEST(Eval("${user.missing} ${user.other}", Sample()) == R"({})");  // all null: absent
  BOOST_TEST(Eval("id-${String.substringBefore(user.nameId, \"@\")}", Sample()) ==
             R"({"out":["id-Jane.Doe"]})");
}

BOOST_AUTO_TEST_CASE(multi_valued_in_string_position_is_an_error) {
  BOOST_TEST(Eval("String.toLowerCase(user.groups)", Sample()) == "rules.multiple_values");
  BOOST_TEST(Eval("${user.groups}", Sample()) == "rules.multiple_values");
}

BOOST_AUTO_TEST_CASE(load_time_errors) {
  auto code = [](const std::string& e) {
    return LoadCode(R"({"version":1,"attributes":{"o":{"value":")" + e + R"("}}})");
  };
  BOOST_TEST(code("agent") == "rules.unknown_function");
  BOOST_TEST(code("String.nope(user.a)") == "rules.unknown_function");
  BOOST_TEST(code("String.toLowerCase()") == "rules.expression_type");
  BOOST_TEST(code("user.a == 'x'") == "rules.expression_type");  // boolean value
  BOOST_TEST(code("!user.a") == "rules.expression_type");
  BOOST_TEST(code("user.a AND user.b") == "rules.expression_type");
  BOOST_TEST(code("(user.a") == "rules.expression_syntax");
  BOOST_TEST(code("'unterminated") == "rules.expression_syntax");
  BOOST_TEST(code("${user.a") == "rules.expression_syntax");
  BOOST_TEST(code("user.a == 'x' == 'y' ? 'a' : 'b'") == "rules.expression_syntax");
  BOOST_TEST(code("user.a # 1") == "rules.expression_syntax");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"o":{"from":"a"}},
      "when":[{"if":"user.a","set":{"o":"x"}}]})") == "rules.expression_type");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::rules::test
