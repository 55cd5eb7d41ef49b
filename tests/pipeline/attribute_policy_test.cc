// pipeline/attribute_policy.h: policies on create and on return, and the diff (its JSON from
// pipeline/audit_detail.h).
#include "pipeline/attribute_policy.h"

#include <boost/test/unit_test.hpp>

#include "pipeline/audit_detail.h"

namespace claimgate::pipeline {
namespace {

AttributePolicies Policies() {
  AttributePolicies p;
  p.per_attribute = {{"roles", AttributePolicy::kAlways},
                     {"image_url", AttributePolicy::kOnCreate},
                     {"nickname", AttributePolicy::kNever}};
  return p;
}

BOOST_AUTO_TEST_SUITE(attribute_policy)

BOOST_AUTO_TEST_CASE(parse_policy_names) {
  BOOST_TEST((*ParseAttributePolicy("always") == AttributePolicy::kAlways));
  BOOST_TEST((*ParseAttributePolicy("on_create") == AttributePolicy::kOnCreate));
  BOOST_TEST((*ParseAttributePolicy("never") == AttributePolicy::kNever));
  BOOST_TEST(!ParseAttributePolicy("Always").has_value());
  BOOST_TEST(!ParseAttributePolicy("").has_value());
  BOOST_TEST(std::string(AttributePolicyName(AttributePolicy::kOnCreate)) == "on_create");
}

BOOST_AUTO_TEST_CASE(create_takes_always_and_on_create_but_not_never) {
  const AttributeUpdate u = ApplyAttributePolicy(
      std::nullopt, {{"roles", {"agent"}}, {"image_url", {"a.png"}}, {"nickname", {"x"}}},
      Policies());
  BOOST_TEST((u.stored == AttributeValues{{"roles", {"agent"}}, {"image_url", {"a.png"}}}));
  BOOST_TEST(AttributeDiffJson(u.diff) == R"({"added":{"image_url":["a.png"],"roles":["agent"]}})");
}

BOOST_AUTO_TEST_CASE(always_overwrites_and_removes_roles_no_longer_sent) {
  const AttributeValues stored = {{"roles", {"agent", "admin"}}, {"image_url", {"a.png"}}};
  const AttributeUpdate u =
      ApplyAttributePolicy(stored, {{"roles", {"agent", "supervisor"}}}, Policies());
  BOOST_TEST((u.stored.at("roles") == std::vector<std::string>{"agent", "supervisor"}));
  BOOST_TEST((u.stored.at("image_url") == std::vector<std::string>{"a.png"}));  // on_create kept
  BOOST_TEST(AttributeDiffJson(u.diff) ==
             R"({"changed":{"roles":{"added":["supervisor"],"removed":["admin"]}}})");
}

BOOST_AUTO_TEST_CASE(always_attribute_not_sent_at_all_is_removed) {
  const AttributeUpdate u =
      ApplyAttributePolicy(AttributeValues{{"roles", {"admin"}}, {"title", {"Boss"}}},
                           {{"title", {"Boss"}}}, Policies());
  BOOST_TEST(u.stored.count("roles") == 0u);
  BOOST_TEST(AttributeDiffJson(u.diff) == R"({"removed":{"roles":["admin"]}})");
}

BOOST_AUTO_TEST_CASE(on_create_and_never_survive_local_edits) {
  const AttributeValues stored = {{"image_url", {"local.png"}}, {"nickname", {"Bob"}}};
  const AttributeUpdate u = ApplyAttributePolicy(
      stored, {{"image_url", {"idp.png"}}, {"nickname", {"Robert"}}}, Policies());
  BOOST_TEST((u.stored == stored));
  BOOST_TEST(u.diff.empty());
  BOOST_TEST(AttributeDiffJson(u.diff) == "{}");
}

BOOST_AUTO_TEST_CASE(default_policy_applies_to_unlisted_attributes) {
  AttributePolicies p;
  p.default_policy = AttributePolicy::kNever;
  const AttributeUpdate u = ApplyAttributePolicy(std::nullopt, {{"dept", {"x"}}}, p);
  BOOST_TEST(u.stored.empty());
}

BOOST_AUTO_TEST_CASE(diff_reports_reorder_and_new_attribute) {
  const AttributeDiff d =
      DiffAttributes({{"roles", {"a", "b"}}}, {{"roles", {"b", "a"}}, {"email", {"x@y.z"}}});
  BOOST_TEST(AttributeDiffJson(d) ==
             R"({"added":{"email":["x@y.z"]},"changed":{"roles":{"reordered":true}}})");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::pipeline
