#pragma once
// Helpers for the rules tests: build Claims and rule sets tersely.
#include <boost/test/unit_test.hpp>
#include <string>
#include <utility>
#include <vector>

#include "rules/rule_set.h"

namespace claimgate::rules::test {

inline Claims MakeClaims(std::vector<std::pair<std::string, std::vector<std::string>>> attrs,
                         std::string subject = "jane@example.com") {
  Claims c;
  c.subject = std::move(subject);
  for (auto& [name, values] : attrs) {
    Attribute a;
    a.name = name;
    a.values = values;
    c.attributes.push_back(std::move(a));
  }
  return c;
}

inline RuleSet MustLoad(const std::string& json) {
  std::vector<Problem> problems;
  Result<RuleSet> r = LoadRules(json, "t.json", &problems);
  for (const Problem& p : problems) BOOST_TEST_MESSAGE(FormatProblem("t.json", p));
  BOOST_REQUIRE(r.ok());
  return *std::move(r);
}

// The code of the first problem of a document that must not load.
inline std::string LoadCode(const std::string& json, std::string* path = nullptr) {
  std::vector<Problem> problems;
  Result<RuleSet> r = LoadRules(json, "t.json", &problems);
  if (r.ok() || problems.empty()) return "ok";
  if (path != nullptr) *path = problems.front().path;
  return problems.front().code->id;
}

inline std::string Worker(const RuleSet& rs, const Claims& c) { return WorkerJson(rs.Apply(c)); }

}  // namespace claimgate::rules::test
