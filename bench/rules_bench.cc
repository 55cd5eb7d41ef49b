// rules_bench: microseconds per mapping for the flex profile on an Okta-style attribute set
// (email, firstName, lastName, roles, groups, department). Not a test; run by hand.
#include <chrono>
#include <cstdio>
#include <string>

#include "rules/rule_set.h"

int main(int argc, char** argv) {
  using claimgate::Attribute;
  const int iterations = argc > 1 ? std::stoi(argv[1]) : 200000;
  claimgate::Result<claimgate::rules::RuleSet> rs = claimgate::rules::LoadProfile("flex");
  if (!rs.ok()) {
    std::fprintf(stderr, "%s\n", rs.status().message().c_str());
    return 2;
  }
  claimgate::Claims c;
  c.subject = "jane.doe@example.com";
  c.subject_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
  auto add = [&](const char* name, std::vector<std::string> values) {
    Attribute a;
    a.name = name;
    a.name_format = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic";
    a.values = std::move(values);
    c.attributes.push_back(std::move(a));
  };
  add("email", {"Jane.Doe@Example.com"});
  add("firstName", {"Jane"});
  add("lastName", {"Doe"});
  add("roles", {"agent,supervisor"});
  add("groups", {"Everyone", "Flex Admins", "Sales EMEA"});
  add("department", {"Sales"});
  std::size_t sink = 0;
  for (int i = 0; i < 1000; ++i) sink += rs->Apply(c).worker.size();  // warm-up
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) sink += rs->Apply(c).worker.size();
  const std::chrono::duration<double, std::micro> us = std::chrono::steady_clock::now() - start;
  const claimgate::rules::Mapping m = rs->Apply(c);
  std::printf("flex profile, Okta-style attributes: %.2f us per mapping (%d mappings, %s)\n",
              us.count() / iterations, iterations, m.accepted() ? "accepted" : "rejected");
  std::printf("worker: %s\n", claimgate::rules::WorkerJson(m).c_str());
  return sink == 0 ? 1 : 0;
}
