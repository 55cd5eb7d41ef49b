// pipeline/decision_json.h: the decision JSON says what was stored, and whose login a refusal
// after verification was.
#include "pipeline/decision_json.h"

#include <boost/test/unit_test.hpp>

namespace claimgate::pipeline {
namespace {

Decision Accepted() {
  Decision d;
  d.login.emplace();
  d.login->issuer = "https://idp.example";
  d.login->claims.subject = "alice";
  d.mapping.emplace();
  d.mapping->worker = {{"email", {"alice@acme.example"}, false},
                       {"image_url", {"new.png"}, false},
                       {"roles", {"agent"}, true},
                       {"nickname", {"al"}, false}};
  return d;
}

BOOST_AUTO_TEST_SUITE(decision_json)

BOOST_AUTO_TEST_CASE(worker_is_what_was_stored) {
  Decision d = Accepted();
  d.provisioning.action = ProvisionAction::kUpdated;
  d.provisioning.stored = {{"email", {"alice@acme.example"}},
                           {"image_url", {"old.png"}},  // on_create kept the old value
                           {"roles", {"agent"}}};       // nickname: policy never, not stored
  const Json j = DecisionJson(d);
  BOOST_TEST(j["worker"]["image_url"] == "old.png");
  BOOST_TEST(j["worker"]["roles"] == Json::array({"agent"}));
  BOOST_TEST(!j["worker"].contains("nickname"));
  BOOST_TEST(j["worker"].begin().key() == "email");  // the mapping's order
}

BOOST_AUTO_TEST_CASE(refusal_after_verification_names_subject_and_issuer) {
  Decision d = Accepted();
  d.status = Status::Error(errors::kRulesRequiredMissing, "no role");
  const Json j = DecisionJson(d);
  BOOST_TEST(j["decision"] == "rejected");
  BOOST_TEST(j["subject"] == "alice");
  BOOST_TEST(j["issuer"] == "https://idp.example");
  BOOST_TEST(!j.contains("worker"));
  Decision before;  // refused before verification passed: nothing to name
  before.status = Status::Error(errors::kSignatureInvalid, "bad");
  BOOST_TEST(!DecisionJson(before).contains("subject"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace claimgate::pipeline
