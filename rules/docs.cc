// Documentation generated from the code: the function table (from the parser's registry) and
// the alias table (from the name resolver's), for `claimgate rules functions|aliases` and the
// README, which rules_tests compares with these.
#include <string>
#include <vector>

#include "rules/expr/expr.h"
#include "rules/rule_set.h"

namespace claimgate::rules {
namespace {

const char* ResultName(expr::Type t) {
  switch (t) {
    case expr::Type::kBool:
      return "boolean";
    case expr::Type::kNumber:
      return "number";
    default:
      return "string";
  }
}

}  // namespace

std::vector<FunctionDoc> Functions() {
  std::vector<FunctionDoc> out;
  for (const expr::FunctionInfo& f : expr::FunctionTable()) {
    out.push_back(FunctionDoc{f.name, f.signature, ResultName(f.result), f.doc});
  }
  return out;
}

std::string FunctionsMarkdown() {
  std::string out = "| function | result | semantics |\n|---|---|---|\n";
  for (const FunctionDoc& f : Functions()) {
    out += "| `" + f.name + f.signature + "` | " + f.result + " | " + f.doc + " |\n";
  }
  return out;
}

std::string AliasesMarkdown() {
  std::string out = "| key | also matches (Name or FriendlyName) |\n|---|---|\n";
  for (const AliasDoc& a : Aliases()) {
    out += "| `" + a.key + "` | ";
    for (std::size_t i = 0; i < a.names.size(); ++i) {
      out += (i ? ", `" : "`") + a.names[i] + "`";
    }
    out += " |\n";
  }
  return out;
}

}  // namespace claimgate::rules
