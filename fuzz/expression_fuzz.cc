// expression parser: one expression (or, with bit 0 of the first byte, a ${...} template) through
// the rule language's parser and, when it parses, its evaluation on a fixed login. Bit 1 makes
// worker.<name> readable, as in `when` rules. Promises checked: a parse error has a rules.* code
// and an offset inside the source; a runtime error has a rules.* code.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/check.h"
#include "fuzz/claims_fixture.h"
#include "rules/expr/expr.h"

namespace cg = claimgate;
namespace expr = claimgate::rules::expr;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const std::vector<std::string> kWorkerNames = {"email", "roles", "full_name"};
  static const cg::Claims kClaims = cg::fuzz::ExampleClaims();
  static const std::vector<cg::rules::Field> kWorker = {{"email", {"jane.doe@acme.example"}, false},
                                                        {"roles", {"agent", "supervisor"}, true},
                                                        {"full_name", {"Jane Doe"}, false}};

  const std::string_view src = cg::fuzz::Text(data + 1, size - 1);
  expr::ParseOptions options;
  options.is_template = (data[0] & 1) != 0;
  if (data[0] & 2) options.worker_names = &kWorkerNames;

  expr::Expr e;
  expr::ParseError err;
  if (!expr::Parse(src, options, &e, &err)) {
    CLAIMGATE_FUZZ_CHECK(err.code != nullptr);
    cg::fuzz::CheckFamily(err.code->id, err.message, {"rules."});
    CLAIMGATE_FUZZ_CHECK(err.offset <= src.size());
    return 0;
  }
  expr::Env env;
  env.claims = &kClaims;
  env.worker = &kWorker;
  const expr::Value v = expr::Eval(e, env);
  if (!env.status.ok()) {
    cg::fuzz::CheckFamily(env.status.code(), env.status.message(), {"rules."});
    return 0;
  }
  if (v.type == expr::Type::kNumber) (void)expr::FormatNumber(v.num);
  (void)v.str();
  return 0;
}
