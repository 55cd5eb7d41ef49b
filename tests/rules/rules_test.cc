// Applying rules: from/fallback/alias/ambiguity, split, transforms, map, allowed, default,
// required, multi, when, groups overflow, pass-through and the explanation.
#include <string>

#include "tests/rules/rules_test_util.h"

namespace claimgate::rules::test {
namespace {

std::string Code(const RuleSet& rs, const Claims& c) {
  return std::string(rs.Apply(c).status.code());
}

BOOST_AUTO_TEST_SUITE(apply)

BOOST_AUTO_TEST_CASE(from_fallback_friendly_name_alias_and_name_format) {
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{"mail":{"from":["nope","email"]}}})");
  BOOST_TEST(Worker(rs, MakeClaims({{"email", {"a@b.c"}}})) == R"({"mail":"a@b.c"})");
  BOOST_TEST(Worker(rs, MakeClaims({{"urn:oid:0.9.2342.19200300.100.1.3", {"o@b.c"}}})) ==
             R"({"mail":"o@b.c"})");
  BOOST_TEST(Worker(rs, MakeClaims({{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"
                                     "emailaddress",
                                     {"x@b.c"}}})) == R"({"mail":"x@b.c"})");
  Claims fn = MakeClaims({{"urn:oid:2.5.4.42", {"Jane"}}});
  fn.attributes[0].friendly_name = "givenName";
  fn.attributes[0].name_format = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";
  RuleSet by_fn = MustLoad(R"({"version":1,"attributes":{"g":{"from":"givenName"}}})");
  BOOST_TEST(Worker(by_fn, fn) == R"({"g":"Jane"})");
  RuleSet fmt = MustLoad(R"({"version":1,"attributes":{"g":{"from":[{"name":"urn:oid:2.5.4.42",
      "name_format":"urn:oasis:names:tc:SAML:2.0:attrname-format:basic"}]}}})");
  BOOST_TEST(Worker(fmt, fn) == R"({})");  // NameFormat differs: no match
}

BOOST_AUTO_TEST_CASE(exact_by_default_case_insensitive_on_request) {
  RuleSet exact = MustLoad(R"({"version":1,"attributes":{"d":{"from":"Dept"}}})");
  BOOST_TEST(Worker(exact, MakeClaims({{"dept", {"x"}}})) == R"({})");
  RuleSet ci =
      MustLoad(R"({"version":1,"attributes":{"d":{"from":"Dept","name_match":"ignore_case"}}})");
  BOOST_TEST(Worker(ci, MakeClaims({{"dept", {"x"}}})) == R"({"d":"x"})");
  BOOST_TEST(Code(ci, MakeClaims({{"dept", {"x"}}, {"DEPT", {"y"}}})) ==
             "rules.ambiguous_attribute");
}

BOOST_AUTO_TEST_CASE(two_aliases_are_ambiguous_never_first_wins) {
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{"m":{"from":"email"}}})");
  // Name tier decides first: an attribute named exactly "email" wins over aliases.
  BOOST_TEST(Worker(rs, MakeClaims({{"email", {"a@b.c"}}, {"mail", {"z@b.c"}}})) ==
             R"({"m":"a@b.c"})");
  BOOST_TEST(Code(rs, MakeClaims({{"Email", {"a@b.c"}}, {"mail", {"z@b.c"}}})) ==
             "rules.ambiguous_attribute");
}

BOOST_AUTO_TEST_CASE(split_trim_dedup_transforms) {
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{"r":{"from":"r","split":",","multi":true,
      "transform":["lowercase"]},
      "n":{"from":"n","transform":["trim","collapse_spaces","uppercase"]},
      "l":{"from":"m","transform":["email_local_part"]},
      "x":{"from":"m","transform":[{"regex":"^(.*)@(.*)$","replace":"$2/$1"}]},
      "y":{"from":"n","transform":[{"regex":"A","replace":"<$&>","ignore_case":true}]}}})");
  BOOST_TEST(Worker(rs, MakeClaims({{"r", {" Agent ,admin,, agent", "ADMIN"}},
                                    {"n", {"  ann   \t marie "}},
                                    {"m", {"jo.x@ex.com"}}})) ==
             R"({"r":["agent","admin"],"n":"ANN MARIE","l":"jo.x","x":"ex.com/jo.x",)"
             R"("y":"  <a>nn   \t m<a>rie "})");
}

BOOST_AUTO_TEST_CASE(catastrophic_patterns_run_in_linear_time) {
  // ReDoS: with a backtracking engine each of these takes exponential time on the value below
  // (std::regex: 13 s for "^(a|aa)+$" on 41 bytes). Users often edit their own displayName, so
  // the value is attacker-controlled even when the IdP is trusted. RE2 answers at once; a hang
  // here would hit the CTest timeout.
  const std::string evil = std::string(4000, 'a') + "!";
  for (const char* pattern : {"^(a|aa)+$", "^(a+)+$", "^(\\\\w+\\\\s?)+$", "((a|a)*)*b"}) {
    RuleSet rs = MustLoad(std::string(R"({"version":1,"attributes":{
        "t":{"from":"n","transform":[{"regex":")") +
                          pattern + R"(","replace":"X"}]},
        "m":{"from":"n","map":[{"regex":")" +
                          pattern + R"(","to":"hit"}],"unmapped":"drop",
        "default":"none"}}})");
    const std::string out = Worker(rs, MakeClaims({{"n", {evil}}}));
    // No match: "t" unchanged, "m" unmapped (dropped, then its default).
    BOOST_TEST(out == R"({"t":")" + evil + R"(","m":"none"})", pattern);
  }
  // The same patterns still match what they should.
  RuleSet ok = MustLoad(R"({"version":1,"attributes":{"t":{"from":"n","transform":[
      {"regex":"^(a|aa)+$","replace":"[$&]"}]}}})");
  BOOST_TEST(Worker(ok, MakeClaims({{"n", {"aaaa"}}})) == R"({"t":"[aaaa]"})");
}

BOOST_AUTO_TEST_CASE(empty_matches_step_over_whole_characters) {
  // An empty match advances one character, not one byte: a multi-byte character is copied whole
  // (and, as in JavaScript and Python, the end of the value is one more empty match).
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{"t":{"from":"n","transform":[
      {"regex":"x*","replace":"-"}]}}})");
  BOOST_TEST(Worker(rs, MakeClaims({{"n",
                                     {"\xc3\xa9"
                                      "ax"}}})) ==
             "{\"t\":\"-\xc3\xa9"
             "-a--\"}");
}

BOOST_AUTO_TEST_CASE(values_are_strings_whatever_their_xsi_type) {
  // SECURITY.md B12: exclusive c14n does not cover a prefix used only in xsi:type, so an
  // attacker can rebind it outside the signed Assertion. Rules never read value types: the
  // mapping of "true" is the same whether it claims to be xs:boolean, xs:string or untyped.
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{
      "admin":{"from":"isAdmin","map":[{"equals":"true","to":"yes"}],"unmapped":"drop",
               "default":"no"}}})");
  Claims typed = MakeClaims({{"isAdmin", {"true"}}});
  const std::string untyped = Worker(rs, typed);
  BOOST_TEST(untyped == R"({"admin":"yes"})");
  for (const char* type : {"xs:boolean", "xs:string", "evil:anything", "xsd:int"}) {
    typed.attributes[0].value_types = {type};
    BOOST_TEST(Worker(rs, typed) == untyped, type);
  }
  Claims one = MakeClaims({{"isAdmin", {"1"}}});
  one.attributes[0].value_types = {"xs:boolean"};  // "1" is true to XML Schema; not to the rules
  BOOST_TEST(Worker(rs, one) == R"({"admin":"no"})");
}

BOOST_AUTO_TEST_CASE(map_precedence_and_unmapped) {
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{"r":{"from":"g","multi":true,
      "map":[{"equals":"Flex Admins","to":"admin"},
             {"equals_ignore_case":"flex supervisors","to":["supervisor","agent"]},
             {"regex":"^team-(.*)$","to":"agent-$1"},
             {"regex":".*","to":[]}],
      "default":"agent"}}})");
  BOOST_TEST(
      Worker(rs, MakeClaims({{"g", {"Flex Admins", "FLEX SUPERVISORS", "team-x", "other"}}})) ==
      R"({"r":["admin","supervisor","agent","agent-x"]})");
  RuleSet drop = MustLoad(R"({"version":1,"attributes":{"r":{"from":"g","multi":true,
      "map":{"A":"a"},"unmapped":"drop","required":true}}})");
  BOOST_TEST(Worker(drop, MakeClaims({{"g", {"A", "B"}}})) == R"({"r":["a"]})");
  BOOST_TEST(Code(drop, MakeClaims({{"g", {"B"}}})) == "rules.required_missing");
}

BOOST_AUTO_TEST_CASE(allowed_drop_reject_format_default_required_multi) {
  RuleSet drop = MustLoad(R"({"version":1,"attributes":{"r":{"from":"r","multi":true,
      "allowed":["agent",{"regex":"wfo\\..*"}],"default":"agent"}}})");
  BOOST_TEST(Worker(drop, MakeClaims({{"r", {"root", "wfo.qm"}}})) == R"({"r":["wfo.qm"]})");
  BOOST_TEST(Worker(drop, MakeClaims({{"r", {"root"}}})) == R"({"r":["agent"]})");
  RuleSet rej = MustLoad(R"({"version":1,"attributes":{"r":{"from":"r","multi":true,
      "allowed":[{"equals_ignore_case":"AGENT"}],"on_disallowed":"reject","required":true}}})");
  BOOST_TEST(Code(rej, MakeClaims({{"r", {"agent", "root"}}})) == "rules.disallowed_value");
  BOOST_TEST(Code(rej, MakeClaims({})) == "rules.required_missing");
  RuleSet fmt = MustLoad(R"({"version":1,"attributes":{"e":{"value":"user.nameId",
      "format":"email","on_disallowed":"reject"}}})");
  BOOST_TEST(Worker(fmt, MakeClaims({}, "a@b.co")) == R"({"e":"a@b.co"})");
  BOOST_TEST(Code(fmt, MakeClaims({}, "not-an-email")) == "rules.disallowed_value");
  RuleSet single = MustLoad(R"({"version":1,"attributes":{"s":{"from":"s"}}})");
  BOOST_TEST(Code(single, MakeClaims({{"s", {"1", "2"}}})) == "rules.multiple_values");
}

BOOST_AUTO_TEST_CASE(when_add_set_remove) {
  RuleSet rs = MustLoad(R"J({"version":1,"attributes":{
      "roles":{"from":"roles","multi":true,"allowed":["agent","admin","supervisor"],"default":"agent"},
      "team":{"default":"none"}},
    "when":[{"if":"Arrays.contains(user.groups, \"Flex Admins\")","add":{"roles":"admin"}},
            {"if":"Arrays.contains(user.groups, \"Contractors\")","remove":{"roles":["admin","supervisor"]},
             "set":{"team":"external"}}]})J");
  BOOST_TEST(Worker(rs, MakeClaims({{"groups", {"Flex Admins"}}})) ==
             R"({"roles":["agent","admin"],"team":"none"})");
  BOOST_TEST(Worker(rs, MakeClaims({{"groups", {"Flex Admins", "Contractors"}}})) ==
             R"({"roles":["agent"],"team":"external"})");
}

BOOST_AUTO_TEST_CASE(entra_groups_overflow_is_reported_not_empty) {
  // SECURITY.md H02: Entra leaves the groups claim out past 150 groups and sends groups.link
  // instead. Absent is not empty: a rule that reads groups refuses the login (fail closed)
  // rather than mapping "no groups", which could revoke or grant by accident.
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{"g":{"from":"groups","multi":true}}})");
  Claims c = MakeClaims({{"http://schemas.microsoft.com/claims/groups.link",
                          {"https://graph.microsoft.com/v1.0/users/x/getMemberObjects"}}});
  BOOST_TEST(Code(rs, c) == "rules.groups_overflow");
  RuleSet by_expr = MustLoad(R"J({"version":1,"attributes":{"e":{"default":"x"}},
      "when":[{"if":"Arrays.contains(user.groups, 'A')","set":{"e":"y"}}]})J");
  BOOST_TEST(Code(by_expr, c) == "rules.groups_overflow");
  RuleSet unrelated = MustLoad(R"({"version":1,"attributes":{"e":{"value":"user.nameId"}}})");
  BOOST_TEST(Code(unrelated, c) == "");
}

BOOST_AUTO_TEST_CASE(pass_through_skips_read_attributes) {
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{"email":{"from":"email"}},
      "pass_through":{"exclude":["secret"]}})");
  Claims c = MakeClaims({{"mail", {"a@b.c"}},
                         {"http://schemas.microsoft.com/identity/claims/tenantid", {"t1"}},
                         {"secret", {"s"}},
                         {"email", {"e@b.c"}}});
  BOOST_TEST(Worker(rs, c) == R"({"email":"e@b.c","tenantid":"t1"})");
}

BOOST_AUTO_TEST_CASE(explanation_is_compact_and_stable) {
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{"roles":{"from":"r","split":",","multi":true,
      "allowed":["agent"],"required":true}}})");
  Mapping m = rs.Apply(MakeClaims({{"r", {"agent,root"}}}));
  BOOST_TEST(ExplainJson(m) ==
             R"([{"attr":"roles","event":"from","rule":"$.attributes.roles.from",)"
             R"("source":"r","values":["agent,root"],"reason":"name"},)"
             R"({"attr":"roles","event":"drop","rule":"$.attributes.roles.allowed",)"
             R"("values":["root"],"reason":"not in allowed"}])");
  Mapping bad = rs.Apply(MakeClaims({{"r", {"root"}}}));
  BOOST_TEST(MappingJson(bad, false) ==
             R"({"decision":"rejected","error":{"code":"rules.required_missing",)"
             R"("message":"roles: required, and no value is left"}})");
}

BOOST_AUTO_TEST_CASE(claims_from_verify_json) {
  Result<Claims> c = ClaimsFromJson(R"({"decision":"accepted","subject":"s@x.io",
      "subject_format":"f","attributes":{"a":["1","2"]}})",
                                    "a.json");
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(c->subject == "s@x.io");
  BOOST_TEST(c->attributes.at(0).values.size() == 2u);
  BOOST_TEST(ClaimsFromJson(R"({"attributes":{"a":[1]}})", "a.json").status().code() ==
             "rules.attributes_file");
  BOOST_TEST(ClaimsFromJson("{", "a.json").status().code() == "rules.json_syntax");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::rules::test
