// claimgate: verify signed SAML Responses, map their claims, provision users, audit decisions.
#include <CLI/CLI.hpp>
#include <iostream>

#include "claimgate/version.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) {
  claimgate::cli::CliContext ctx;
  CLI::App app{
      "claimgate: verify signed SAML 2.0 Responses (XML-DSig, exclusive c14n, pinned keys), map "
      "their claims with JSON rules, provision users just in time and audit every decision."};
  app.set_version_flag("--version", std::string("claimgate ") + CLAIMGATE_VERSION,
                       "Print the version and exit");
  app.require_subcommand(1);
  app.add_option("--db", ctx.db_path, "SQLite database (default ./claimgate.db)")
      ->check([](const std::string& path) {
        // An empty name would make SQLite use a private, temporary database: every write lost.
        return path.empty() ? std::string("must name a database file, not ''") : std::string();
      });
  claimgate::cli::AddErrorCodesCommand(app, ctx);
  claimgate::cli::AddVerifyCommand(app, ctx);
  claimgate::cli::AddConnectionCommand(app, ctx);
  claimgate::cli::AddProcessCommand(app, ctx);
  claimgate::cli::AddC14nCommand(app, ctx);
  claimgate::cli::AddUsersCommand(app, ctx);
  claimgate::cli::AddAuditCommand(app, ctx);
  claimgate::cli::AddRulesCommand(app, ctx);
  claimgate::cli::AddServeCommands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : claimgate::cli::kExitUsage;
  }
  return ctx.exit_code;
}
