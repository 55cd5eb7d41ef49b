// when rules over mapped values (worker.<name>), computed values, clear, deny; the order of
// defaults and when rules; value counts; format "url".
#include <string>

#include "tests/rules/rules_test_util.h"

namespace claimgate::rules::test {
namespace {

std::string Code(const RuleSet& rs, const Claims& c) {
  return std::string(rs.Apply(c).status.code());
}

BOOST_AUTO_TEST_SUITE(when_rules)

BOOST_AUTO_TEST_CASE(conditions_over_mapped_and_split_values) {
  // OneLogin sends every role in one value; the roles mapping splits it, and a when rule reads
  // the mapped roles, which user.roles (one unsplit value) cannot give.
  RuleSet rs = MustLoad(R"J({"version":1,"attributes":{
      "roles":{"from":"roles","split":";","multi":true,
               "map":{"Flex Agents":"agent","Flex Supervisors":"supervisor"},"unmapped":"drop",
               "default":"agent"},
      "queue":{"default":"general"}},
    "when":[{"if":"Arrays.contains(worker.roles, 'supervisor')","set":{"queue":"escalations"}},
            {"if":"Arrays.contains(user.roles, 'supervisor')","set":{"queue":"never"}}]})J");
  BOOST_TEST(Worker(rs, MakeClaims({{"roles", {"Flex Agents;Flex Supervisors"}}})) ==
             R"({"roles":["agent","supervisor"],"queue":"escalations"})");
  BOOST_TEST(Worker(rs, MakeClaims({{"roles", {"Flex Agents"}}})) ==
             R"({"roles":["agent"],"queue":"general"})");
  // worker.<name> sees the defaults, and what earlier when rules did.
  RuleSet order = MustLoad(R"J({"version":1,"attributes":{
      "roles":{"from":"r","multi":true,"default":"agent"},"n":{"from":"n"}},
    "when":[{"if":"Arrays.contains(worker.roles, 'agent')","add":{"roles":"wfo.viewer"}},
            {"if":"Arrays.size(worker.roles) == 2 AND worker.n == null","set":{"n":"two"}}]})J");
  BOOST_TEST(Worker(order, MakeClaims({})) == R"({"roles":["agent","wfo.viewer"],"n":"two"})");
}

BOOST_AUTO_TEST_CASE(set_and_add_compute_templates) {
  RuleSet rs = MustLoad(R"J({"version":1,"attributes":{
      "team":{"default":"none"},
      "tags":{"multi":true,"from":"tags"}},
    "when":[{"if":"user.department != null","set":{"team":"${user.department}"},
             "add":{"tags":["dept:${String.toLowerCase(user.department)}","literal"]}}]})J");
  BOOST_TEST(Worker(rs, MakeClaims({{"department", {"Sales"}}})) ==
             R"({"team":"Sales","tags":["dept:sales","literal"]})");
  BOOST_TEST(Worker(rs, MakeClaims({})) == R"({"team":"none"})");
  // A template whose parts are all null is no value: set then leaves nothing, and the default
  // fills it (see defaults_are_the_last_word).
  RuleSet nulls = MustLoad(R"J({"version":1,"attributes":{"team":{"default":"none"}},
    "when":[{"if":"true","set":{"team":"${user.missing}"}}]})J");
  BOOST_TEST(Worker(nulls, MakeClaims({})) == R"({"team":"none"})");
  // A computed value meets the attribute's format and allowed, with its on_disallowed.
  RuleSet drop = MustLoad(R"J({"version":1,"attributes":{
      "roles":{"from":"r","multi":true,"allowed":["agent","admin"],"default":"agent"}},
    "when":[{"if":"true","add":{"roles":"${user.wish}"}}]})J");
  BOOST_TEST(Worker(drop, MakeClaims({{"wish", {"admin"}}})) == R"({"roles":["agent","admin"]})");
  Mapping dropped = drop.Apply(MakeClaims({{"wish", {"root"}}}));
  BOOST_TEST(WorkerJson(dropped) == R"({"roles":["agent"]})");
  BOOST_TEST(ExplainJson(dropped).find(R"({"attr":"roles","event":"drop",)"
                                       R"("rule":"$.attributes.roles.allowed",)"
                                       R"("values":["root"],"reason":"not in allowed"})") !=
             std::string::npos);
  RuleSet reject = MustLoad(R"J({"version":1,"attributes":{
      "email":{"from":"mail","format":"email","on_disallowed":"reject"}},
    "when":[{"if":"true","set":{"email":"${user.alt}"}}]})J");
  BOOST_TEST(Code(reject, MakeClaims({{"alt", {"not an address"}}})) == "rules.disallowed_value");
  BOOST_TEST(Worker(reject, MakeClaims({{"alt", {"a@b.io"}}})) == R"({"email":"a@b.io"})");
  // Templates parse at load: syntax, names and worker.<name> are checked there.
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"t":{"from":"t"}},
      "when":[{"if":"true","set":{"t":"${user.a"}}]})") == "rules.expression_syntax");
  std::string path;
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"t":{"from":"t","multi":true}},
      "when":[{"if":"true","add":{"t":["x","${String.nope(user.a)}"]}}]})",
                      &path) == "rules.unknown_function");
  BOOST_TEST(path == "$.when[0].add.t[1]");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"t":{"from":"t"}},
      "when":[{"if":"true","set":{"t":"${worker.nope}"}}]})") == "rules.unknown_attribute");
  // A multi-valued attribute in a template is still an error, never its first value.
  RuleSet multi = MustLoad(R"J({"version":1,"attributes":{"t":{"from":"t"}},
    "when":[{"if":"true","set":{"t":"${user.groups}"}}]})J");
  BOOST_TEST(Code(multi, MakeClaims({{"groups", {"a", "b"}}})) == "rules.multiple_values");
}

BOOST_AUTO_TEST_CASE(clear_empties_an_attribute) {
  RuleSet rs = MustLoad(R"J({"version":1,"attributes":{
      "image_url":{"from":"picture"},
      "team":{"from":"team","default":"none"},
      "manager":{"from":"manager","required":true}},
    "when":[{"if":"Arrays.contains(user.groups, 'Contractors')","clear":["image_url","team"]},
            {"if":"Arrays.contains(user.groups, 'Left')","clear":"manager"}]})J");
  const Claims base = MakeClaims({{"picture", {"https://x.io/a.png"}},
                                  {"team", {"t1"}},
                                  {"manager", {"m"}},
                                  {"groups", {"Contractors"}}});
  Mapping m = rs.Apply(base);
  BOOST_TEST(WorkerJson(m) == R"({"team":"none","manager":"m"})");
  BOOST_TEST(ExplainJson(m).find(R"({"attr":"image_url","event":"when","rule":"$.when[0]",)"
                                 R"J("source":"Arrays.contains(user.groups, 'Contractors')",)J"
                                 R"("reason":"clear"})") != std::string::npos);
  Claims left = base;
  left.attributes.back().values = {"Left"};
  BOOST_TEST(Code(rs, left) == "rules.required_missing");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a"}},
      "when":[{"if":"true","clear":["a","b"]}]})") == "rules.unknown_attribute");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a"}},
      "when":[{"if":"true","clear":{"a":"x"}}]})") == "rules.schema");
}

BOOST_AUTO_TEST_CASE(defaults_are_the_last_word) {
  // The decided order: an attribute's default fills it at the end of its own steps (so when
  // rules see it), and again after the when rules if one of them emptied it: an attribute
  // with a default never ends empty, whichever step removed its last value.
  RuleSet rs = MustLoad(R"J({"version":1,"attributes":{
      "roles":{"from":"groups","multi":true,"map":{"Flex Admins":"admin"},"unmapped":"drop",
               "default":"agent"}},
    "when":[{"if":"Arrays.contains(user.groups, 'Contractors')","remove":{"roles":"admin"}}]})J");
  Mapping m = rs.Apply(MakeClaims({{"groups", {"Flex Admins", "Contractors"}}}));
  BOOST_TEST(WorkerJson(m) == R"({"roles":["agent"]})");
  BOOST_TEST(ExplainJson(m).find(R"({"attr":"roles","event":"default",)"
                                 R"("rule":"$.attributes.roles.default","values":["agent"],)"
                                 R"("reason":"no value left after the when rules"})") !=
             std::string::npos);
  // Without a default, the when rule's empty result stands: omitted, or required_missing.
  RuleSet bare = MustLoad(R"J({"version":1,"attributes":{"t":{"from":"t","multi":true},
      "r":{"from":"r","required":true}},
    "when":[{"if":"true","remove":{"t":"x"}},{"if":"true","clear":"r"}]})J");
  Mapping emptied = bare.Apply(MakeClaims({{"t", {"x"}}, {"r", {"y"}}}));
  BOOST_TEST(emptied.status.code() == "rules.required_missing");
  BOOST_TEST(emptied.Find("t") == nullptr);
}

BOOST_AUTO_TEST_CASE(deny_refuses_with_the_rules_message) {
  // A required-group gate (Grafana allowed_organizations, GitLab required_groups, Shibboleth's
  // AttributeChecker).
  RuleSet rs = MustLoad(R"J({"version":1,"extends":"flex",
    "when":[{"if":"!Arrays.contains(user.groups, 'Flex Users')",
             "deny":"Only members of Flex Users may sign in to Flex"}]})J");
  const Claims outsider =
      MakeClaims({{"roles", {"agent"}}, {"displayName", {"X Y"}}, {"groups", {"Everyone"}}});
  Mapping m = rs.Apply(outsider);
  BOOST_TEST(m.status.code() == "rules.denied");
  BOOST_TEST(m.status.message() == "Only members of Flex Users may sign in to Flex");
  BOOST_TEST(MappingJson(m, false) ==
             R"({"decision":"rejected","error":{"code":"rules.denied",)"
             R"("message":"Only members of Flex Users may sign in to Flex"}})");
  BOOST_TEST(ExplainJson(m).find(R"({"event":"reject","rule":"$.when[0].deny",)"
                                 R"("source":"rules.denied",)"
                                 R"("reason":"Only members of Flex Users may sign in to Flex"})") !=
             std::string::npos);
  Claims member = outsider;
  member.attributes.back().values = {"Everyone", "Flex Users"};
  BOOST_TEST(rs.Apply(member).accepted());
  // An earlier failure stays the status; a deny is one more rule, in order.
  const Claims no_roles = MakeClaims({{"displayName", {"X Y"}}, {"groups", {"Everyone"}}});
  BOOST_TEST(Code(rs, no_roles) == "rules.denied");  // deny runs before the final checks
  // deny is a literal, non-empty message, alone in its rule.
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a"}},
      "when":[{"if":"true","deny":""}]})") == "rules.schema");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a"}},
      "when":[{"if":"true","deny":["x"]}]})") == "rules.schema");
  std::string path;
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a"}},
      "when":[{"if":"true","deny":"no","set":{"a":"x"}}]})",
                      &path) == "rules.schema");
  BOOST_TEST(path == "$.when[0].deny");
}

BOOST_AUTO_TEST_CASE(value_counts) {
  // Shibboleth's NumberOfAttributeValues, SimpleSAMLphp's Cardinality: on the final values.
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{
      "groups":{"from":"groups","multi":true,"min_values":1,"max_values":3},
      "id":{"from":"id","multi":true,"max_values":1}}})");
  BOOST_TEST(Worker(rs, MakeClaims({{"groups", {"a", "b", "c"}}})) ==
             R"({"groups":["a","b","c"]})");
  Mapping many = rs.Apply(MakeClaims({{"groups", {"a", "b", "c", "d"}}}));
  BOOST_TEST(many.status.code() == "rules.value_count");
  BOOST_TEST(many.status.message() == "groups: 4 values; max_values is 3");
  BOOST_TEST(Code(rs, MakeClaims({})) == "rules.value_count");  // none, min_values 1
  BOOST_TEST(Code(rs, MakeClaims({{"groups", {"a"}}, {"id", {"1", "2"}}})) == "rules.value_count");
  BOOST_TEST(Worker(rs, MakeClaims({{"groups", {"a"}}, {"id", {"1"}}})) ==
             R"({"groups":["a"],"id":["1"]})");
  // Counted after split and de-duplication: "a;a;b" is two values.
  RuleSet split = MustLoad(R"({"version":1,"attributes":{
      "g":{"from":"g","split":";","multi":true,"max_values":2}}})");
  BOOST_TEST(Worker(split, MakeClaims({{"g", {"a;a;b"}}})) == R"({"g":["a","b"]})");
  std::string path;
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"g":{"from":"g","multi":true,
      "min_values":3,"max_values":2}}})",
                      &path) == "rules.schema");
  BOOST_TEST(path == "$.attributes.g.min_values");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"g":{"from":"g","min_values":2}}})") ==
             "rules.schema");
  for (const char* bad : {"-1", "1.5", "\"2\"", "1001", "true"}) {
    BOOST_TEST(LoadCode(std::string(R"({"version":1,"attributes":{"g":{"from":"g","multi":true,
        "max_values":)") +
                        bad + "}}}") == "rules.schema",
               bad);
  }
}

BOOST_AUTO_TEST_CASE(format_url) {
  RuleSet rs = MustLoad(R"({"version":1,"attributes":{
      "image_url":{"from":"picture","format":"url"}}})");
  for (const char* good :
       {"https://cdn.example.com/u/1.png", "http://example.com", "HTTPS://EXAMPLE.COM/A.PNG?s=64#x",
        "https://[2001:db8::1]:8443/a", "https://intranet:8080/p.jpg"}) {
    BOOST_TEST(Worker(rs, MakeClaims({{"picture", {good}}})) ==
                   std::string(R"({"image_url":")") + good + "\"}",
               good);
  }
  for (const char* bad : {"javascript:alert(1)", "data:image/png;base64,AAAA", "/avatar.png",
                          "https://", "https:///x", "https://user@evil.example/a.png",
                          "https://a b.example/", "ftp://example.com/a.png", "https://x:99999/",
                          "https://ex.com/\"onerror=\"x", "//example.com/a.png"}) {
    BOOST_TEST(Worker(rs, MakeClaims({{"picture", {bad}}})) == R"({})", bad);
  }
  RuleSet reject = MustLoad(R"({"version":1,"attributes":{
      "image_url":{"from":"picture","format":"url","on_disallowed":"reject"}}})");
  BOOST_TEST(Code(reject, MakeClaims({{"picture", {"javascript:alert(1)"}}})) ==
             "rules.disallowed_value");
  BOOST_TEST(LoadCode(R"({"version":1,"attributes":{"a":{"from":"a","format":"uri"}}})") ==
             "rules.schema");
  // The flex profile's image_url drops what is not an http(s) URL.
  RuleSet flex = *LoadProfile("flex");
  BOOST_TEST(flex.Apply(MakeClaims({{"roles", {"agent"}},
                                    {"displayName", {"X"}},
                                    {"image_url", {"javascript:alert(1)"}}}))
                 .Find("image_url") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::rules::test
