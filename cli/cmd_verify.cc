// claimgate verify: decode, parse, verify and validate SAML Responses against one IdP's pinned
// keys; one JSON object per input on stdout (DESIGN.md "Interfaces").
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/io.h"
#include "cli/verify_options.h"
#include "base/clock.h"
#include "pipeline/decision_json.h"

namespace claimgate::cli {

namespace {

struct VerifyArgs {
  VerifyOptionsArgs trust;
  std::vector<std::string> files;
};

int RunVerify(const VerifyArgs& args) {
  std::string error;
  std::optional<LoadedVerifier> loaded = BuildVerifier(args.trust, &error);
  if (!loaded) {
    std::cerr << "claimgate verify: " << error << "\n";
    return kExitUsage;
  }
  bool all_accepted = true;
  for (const std::string& file : args.files) {
    std::optional<std::string> raw =
        ReadInput(file, &error, loaded->verifier.settings().limits.max_input_bytes);
    if (!raw) {
      std::cerr << "claimgate verify: " << error << "\n";
      return kExitUsage;
    }
    const Result<saml::Assertion> login = loaded->verifier.Verify(*raw, loaded->clock->Now());
    const pipeline::Json out =
        login.ok() ? pipeline::AcceptedJson(*login) : pipeline::RejectedJson(login.status());
    all_accepted = all_accepted && login.ok();
    std::cout << pipeline::Dump(out) << "\n";
  }
  std::cout.flush();
  return all_accepted ? kExitAccepted : kExitRejected;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Verify SAML Responses (raw XML or the base64 SAMLResponse form value) against one IdP: "
      "XML-DSig with pinned keys, then the Web SSO checks. Prints one JSON object per FILE; "
      "exit 0 when all are accepted, 1 when any is rejected, 2 on a usage or configuration "
      "error.");
  AddVerifyOptions(*cmd, args->trust);
  cmd->add_option("FILE", args->files, "Responses to verify ('-' reads standard input)")
      ->required();
  cmd->callback([args, &ctx] { ctx.exit_code = RunVerify(*args); });
}

}  // namespace claimgate::cli
