// claimgate verify: decode, parse, verify and validate SAML Responses against one IdP's pinned
// keys; one JSON object per input on stdout (DESIGN.md "Interfaces").
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/io.h"
#include "cli/verify_options.h"
#include "pipeline/decision_json.h"

namespace claimgate::cli {

namespace {

struct VerifyArgs {
  VerifyOptionsArgs trust;
  std::vector<std::string> files;
  bool progress = false;
};

// The signal that asked the run to stop (SIGINT, SIGTERM), 0 while none did. The handler only
// sets it: the line being written is finished, then the run stops.
volatile std::sig_atomic_t g_stop_signal = 0;
extern "C" void OnStopSignal(int signo) { g_stop_signal = signo; }

void InstallStopHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // reads and writes in progress complete
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

struct Tally {
  std::size_t done = 0, accepted = 0, rejected = 0, errors = 0;
};

void PrintProgress(const Tally& t, std::size_t total) {
  std::fprintf(stderr,
               "claimgate verify: %zu/%zu inputs, %zu accepted, %zu rejected, %zu unreadable\n",
               t.done, total, t.accepted, t.rejected, t.errors);
}

// One input's JSON line; "input" names the file when several are verified.
pipeline::Json VerifyOne(const LoadedVerifier& loaded, const std::string& file, bool name_input,
                         Tally* tally, int* exit_code) {
  pipeline::Json out = pipeline::Json::object();
  if (name_input) out["input"] = file;
  Result<std::string> raw = ReadArg(file, loaded.verifier.settings().limits.max_input_bytes);
  if (!raw.ok()) {
    out["decision"] = "error";
    out["error"] = {{"code", std::string(raw.status().code())},
                    {"message", raw.status().message()}};
    ++tally->errors;
    *exit_code = CombineExitCodes(*exit_code, kExitError);
    return out;
  }
  const Result<saml::Assertion> login = loaded.verifier.Verify(*raw, loaded.clock->Now());
  const pipeline::Json decided =
      login.ok() ? pipeline::AcceptedJson(*login) : pipeline::RejectedJson(login.status());
  for (auto it = decided.begin(); it != decided.end(); ++it) out[it.key()] = it.value();
  ++(login.ok() ? tally->accepted : tally->rejected);
  *exit_code = CombineExitCodes(
      *exit_code, ExitCodeForDecision(login.ok(), login.ok() ? "" : login.status().code()));
  return out;
}

int RunVerify(const VerifyArgs& args) {
  std::string error;
  std::optional<LoadedVerifier> loaded = BuildVerifier(args.trust, &error);
  if (!loaded) {
    std::cerr << "claimgate verify: " << error << "\n";
    return kExitUsage;
  }
  InstallStopHandlers();
  const bool name_input = args.files.size() > 1;
  const bool progress = args.progress || ::isatty(STDERR_FILENO) == 1;
  const auto every = std::chrono::seconds(2);
  auto next_report = std::chrono::steady_clock::now() + every;
  Tally tally;
  int exit_code = kExitAccepted;
  for (const std::string& file : args.files) {
    if (g_stop_signal != 0) break;
    const std::string line =
        pipeline::Dump(VerifyOne(*loaded, file, name_input, &tally, &exit_code)) + "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);  // whole lines only
    std::fflush(stdout);
    ++tally.done;
    if (progress && std::chrono::steady_clock::now() >= next_report) {
      PrintProgress(tally, args.files.size());
      next_report = std::chrono::steady_clock::now() + every;
    }
  }
  if (g_stop_signal != 0) {
    PrintProgress(tally, args.files.size());
    std::fprintf(stderr, "claimgate verify: interrupted after %zu of %zu inputs\n", tally.done,
                 args.files.size());
    return kExitInterrupted + g_stop_signal;
  }
  if (progress && args.files.size() > 1) PrintProgress(tally, args.files.size());
  return exit_code;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Verify SAML Responses (raw XML or the base64 SAMLResponse form value) against one IdP: "
      "XML-DSig with pinned keys, then the Web SSO checks. Prints one JSON object per FILE (with "
      "several, each names its \"input\"; an unreadable one gets \"decision\": \"error\" and the "
      "run goes on); exit 0 when all are accepted, 1 when any is rejected, 2 when any could not "
      "be read or on a usage or configuration error, 128+N when stopped by signal N.");
  AddVerifyOptions(*cmd, args->trust);
  cmd->add_option("FILE", args->files, "Responses to verify ('-' reads standard input)")
      ->required();
  cmd->add_flag("--progress", args->progress,
                "Report progress on stderr every 2 s (the default when stderr is a terminal)");
  cmd->callback([args, &ctx] { ctx.exit_code = RunVerify(*args); });
}

}  // namespace claimgate::cli
