// rules loader: a rule document through LoadRules and, when it loads, Apply on a login. An input
// holding the line "#claims" is split there: the rest is the login as `claimgate verify` prints it
// (ClaimsFromJson), else the fixed login of claims_fixture.h is used. Promises checked: a
// refused document has a rules.* code and at least one problem; a mapping has a rules.* code
// when rejected and renders as valid JSON.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fuzz/check.h"
#include "fuzz/claims_fixture.h"
#include "rules/rule_set.h"

namespace cg = claimgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view doc = cg::fuzz::Text(data, size);
  cg::Claims claims = cg::fuzz::ExampleClaims();
  static constexpr std::string_view kSplit = "\n#claims\n";
  if (const std::size_t at = doc.find(kSplit); at != std::string_view::npos) {
    cg::Result<cg::Claims> given = cg::rules::ClaimsFromJson(doc.substr(at + kSplit.size()), "c");
    if (given.ok()) claims = *std::move(given);
    doc = doc.substr(0, at);
  }

  std::vector<cg::rules::Problem> problems;
  cg::Result<cg::rules::RuleSet> rules = cg::rules::LoadRules(doc, "fuzz.json", &problems);
  if (!rules.ok()) {
    cg::fuzz::CheckFamily(rules.status().code(), rules.status().message(), {"rules."});
    CLAIMGATE_FUZZ_CHECK(!problems.empty());
    for (const cg::rules::Problem& p : problems) (void)cg::rules::FormatProblem("fuzz.json", p);
    return 0;
  }
  const cg::rules::Mapping m = rules->Apply(claims);
  if (!m.accepted()) cg::fuzz::CheckFamily(m.status.code(), m.status.message(), {"rules."});
  CLAIMGATE_FUZZ_CHECK(nlohmann::json::accept(cg::rules::MappingJson(m, true)));
  (void)rules->OutputNames();
  return 0;
}
