// claimgate rules check | test | profile | functions | aliases: lint a rule document, dry-run
// it on a set of attributes with an explanation, print a built-in profile, the expression
// functions or the alias table (both generated from the code; --markdown for the README).
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/io.h"
#include "cli/verify_options.h"
#include "pipeline/decision_json.h"
#include "rules/rule_set.h"

namespace claimgate::cli {
namespace {

// Reads FILE (cli/io.h); prints "FILE: is a directory [input.unreadable]" and the like.
bool ReadFile(const std::string& path, std::string* out) {
  Result<std::string> text = ReadArg(path);
  if (!text.ok()) {
    std::cerr << text.status().message() << " [" << text.status().code() << "]\n";
    return false;
  }
  *out = *std::move(text);
  return true;
}

// RULES.json, or "profile:NAME" for a built-in profile. Prints every problem on stderr.
bool LoadRuleArg(const std::string& arg, std::unique_ptr<rules::RuleSet>* out) {
  if (arg.rfind("profile:", 0) == 0) {
    Result<rules::RuleSet> r = rules::LoadProfile(arg.substr(8));
    if (!r.ok()) {
      std::cerr << arg << ": " << r.status().message() << "\n";
      return false;
    }
    *out = std::make_unique<rules::RuleSet>(*std::move(r));
    return true;
  }
  std::string text;
  if (!ReadFile(arg, &text)) return false;
  std::vector<rules::Problem> problems;
  Result<rules::RuleSet> r = rules::LoadRules(text, arg, &problems);
  if (!r.ok()) {
    for (const rules::Problem& p : problems) {
      std::cerr << rules::FormatProblem(arg, p) << " [" << p.code->id << "]\n";
    }
    return false;
  }
  *out = std::make_unique<rules::RuleSet>(*std::move(r));
  return true;
}

struct TestArgs {
  std::string rules;
  std::string attributes;
  std::string assertion;
  VerifyOptionsArgs verify;
  bool explain = false;
};

// The Claims of --assertion FILE, verified with the verify options first (an unverified
// response is never mapped). Prints verify's rejection and returns nullopt with *exit_code set.
std::optional<Claims> VerifiedClaims(const TestArgs& a, int* exit_code) {
  std::string error;
  std::optional<LoadedVerifier> loaded = BuildVerifier(a.verify, &error);
  if (!loaded) {
    std::cerr << "rules test: " << error << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  std::optional<std::string> raw =
      ReadInput(a.assertion, &error, loaded->verifier.settings().limits.max_input_bytes);
  if (!raw) {
    std::cerr << "rules test: --assertion " << error << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  Result<saml::Assertion> login = loaded->verifier.Verify(*raw, loaded->clock->Now());
  if (!login.ok()) {
    std::cout << pipeline::Dump(pipeline::RejectedJson(login.status())) << "\n";
    *exit_code = kExitRejected;
    return std::nullopt;
  }
  return login->claims;
}

int RunTest(const TestArgs& a) {
  if (a.attributes.empty() == a.assertion.empty()) {
    std::cerr << "rules test: give exactly one of --attributes ATTRS.json or --assertion FILE\n";
    return kExitUsage;
  }
  std::unique_ptr<rules::RuleSet> rs;
  if (!LoadRuleArg(a.rules, &rs)) return kExitUsage;
  if (!a.assertion.empty()) {
    int exit_code = kExitAccepted;
    std::optional<Claims> claims = VerifiedClaims(a, &exit_code);
    if (!claims) return exit_code;
    const rules::Mapping m = rs->Apply(*claims);
    std::cout << rules::MappingJson(m, a.explain) << "\n";
    return m.accepted() ? kExitAccepted : kExitRejected;
  }
  std::string text;
  if (!ReadFile(a.attributes, &text)) return kExitUsage;
  Result<Claims> claims = rules::ClaimsFromJson(text, a.attributes);
  if (!claims.ok()) {
    std::cerr << claims.status().message() << " [" << claims.status().code() << "]\n";
    return kExitUsage;
  }
  const rules::Mapping m = rs->Apply(*claims);
  std::cout << rules::MappingJson(m, a.explain) << "\n";
  return m.accepted() ? kExitAccepted : kExitRejected;
}

}  // namespace

void AddRulesCommand(CLI::App& app, CliContext& ctx) {
  CLI::App* cmd = app.add_subcommand("rules", "Check and dry-run claims-mapping rules");
  cmd->require_subcommand(1);

  CLI::App* check = cmd->add_subcommand(
      "check", "Check RULES.json; exit 0, or 2 listing every problem as FILE:LINE:COL: PATH: why");
  auto check_file = std::make_shared<std::string>();
  check->add_option("RULES", *check_file, "rule document, or profile:NAME")->required();
  check->callback([check_file, &ctx] {
    std::unique_ptr<rules::RuleSet> rs;
    if (!LoadRuleArg(*check_file, &rs)) {
      ctx.exit_code = kExitUsage;
      return;
    }
    std::cout << *check_file << ": ok (";
    const std::vector<std::string> names = rs->OutputNames();
    for (std::size_t i = 0; i < names.size(); ++i) std::cout << (i ? ", " : "") << names[i];
    std::cout << ")\n";
  });

  CLI::App* test = cmd->add_subcommand(
      "test", "Apply RULES.json to the attributes `claimgate verify` printed; print the worker");
  auto args = std::make_shared<TestArgs>();
  test->add_option("RULES", args->rules, "rule document, or profile:NAME")->required();
  test->add_option("--attributes", args->attributes,
                   "JSON printed by `claimgate verify` (subject, subject_format, attributes)");
  test->add_option("--assertion", args->assertion,
                   "a SAML Response, verified first with the verify options below");
  AddVerifyOptions(*test, args->verify, /*required=*/false);
  test->add_flag("--explain", args->explain, "explain every value produced, dropped or rejected");
  test->callback([args, &ctx] { ctx.exit_code = RunTest(*args); });

  CLI::App* profile = cmd->add_subcommand("profile", "Print a built-in profile's rule document");
  auto name = std::make_shared<std::string>();
  profile->add_option("NAME", *name, "flex, frontline, console or sendgrid")->required();
  profile->callback([name, &ctx] {
    const std::string_view text = rules::ProfileText(*name);
    if (text.empty()) {
      std::cerr << "unknown profile '" << *name << "' (flex, frontline, console, sendgrid)\n";
      ctx.exit_code = kExitUsage;
      return;
    }
    std::cout << text;
  });

  auto markdown = std::make_shared<bool>(false);
  CLI::App* functions = cmd->add_subcommand("functions", "List the expression functions");
  functions->add_flag("--markdown", *markdown, "Print the README table");
  functions->callback([markdown] {
    if (*markdown) {
      std::cout << rules::FunctionsMarkdown();
      return;
    }
    for (const rules::FunctionDoc& f : rules::Functions()) {
      std::cout << f.name << f.signature << " -> " << f.result << "\n    " << f.doc << "\n";
    }
  });
  CLI::App* aliases = cmd->add_subcommand(
      "aliases", "List the built-in alias table: which IdP attribute names fill each key");
  aliases->add_flag("--markdown", *markdown, "Print the README table");
  aliases->callback([markdown] {
    if (*markdown) {
      std::cout << rules::AliasesMarkdown();
      return;
    }
    for (const rules::AliasDoc& a : rules::Aliases()) {
      std::cout << a.key << ":";
      for (const std::string& n : a.names) std::cout << " " << n;
      std::cout << "\n";
    }
  });
}

}  // namespace claimgate::cli
