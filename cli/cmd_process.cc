// claimgate process: the whole pipeline for one stored connection — verify, map, provision,
// audit — printing DESIGN.md's JSON contract.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "base/civil_time.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/io.h"
#include "cli/storage_cli.h"
#include "pipeline/decision_json.h"
#include "pipeline/process.h"

namespace claimgate::cli {

namespace {

struct ProcessArgs {
  std::string connection;
  std::string now;
  std::string in_response_to;
  std::string file;
};

int Run(const CliContext& ctx, const ProcessArgs& args) {
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path);
  if (!db) return kExitUsage;
  Result<pipeline::Connection> connection = pipeline::LoadStoredConnection(*db, args.connection);
  if (!connection.ok()) {
    if (!connection.status().Is(errors::kProvisioningUnknownConnection)) {
      return ReportError(connection.status());
    }
    std::cerr << "claimgate process: --connection: no connection named '" << args.connection
              << "' (see `claimgate connection list`)\n";
    return kExitUsage;
  }

  pipeline::LoginContext context;
  context.now = SystemClock().Now();
  if (!args.now.empty()) {
    std::optional<TimePoint> t = ParseDateTime(args.now);
    if (!t) {
      std::cerr << "claimgate process: --now '" << args.now
                << "' is not an ISO 8601 UTC instant like 2024-05-01T12:00:00Z\n";
      return kExitUsage;
    }
    context.now = *t;
  }
  if (!args.in_response_to.empty()) context.in_response_to = args.in_response_to;
  std::string error;
  std::optional<std::string> raw =
      ReadInput(args.file, &error, connection->verifier().settings().limits.max_input_bytes);
  if (!raw) {
    std::cerr << "claimgate process: " << error << "\n";
    return kExitUsage;
  }
  const pipeline::Decision d = pipeline::Process(*connection, *raw, context, *db);
  std::cout << pipeline::Dump(pipeline::DecisionJson(d)) << std::endl;
  return ExitCodeForDecision(d.accepted(), d.status.code());
}

}  // namespace

void AddProcessCommand(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<ProcessArgs>();
  CLI::App* cmd = app.add_subcommand(
      "process",
      "Run one SAML Response through a stored connection: verify, map, provision the user and "
      "write the audit row. Prints one JSON object; exit 0 accepted, 1 rejected, 2 usage.");
  cmd->add_option("--connection", args->connection, "Stored connection name")->required();
  cmd->add_option("--now", args->now, "Evaluate times at this instant (2024-05-01T12:00:00Z)");
  cmd->add_option("--in-response-to", args->in_response_to,
                  "The AuthnRequest ID this response answers (SP-initiated sign-on)");
  cmd->add_option("FILE", args->file, "The response: raw XML or base64 ('-' = standard input)")
      ->required();
  cmd->callback([&ctx, args] { ctx.exit_code = Run(ctx, *args); });
}

}  // namespace claimgate::cli
