#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace claimgate::cli {

// State shared by every command: global options and the exit code the command chose.
struct CliContext {
  std::string db_path = "claimgate.db";
  int exit_code = 0;
};

// Each command lives in its own cmd_<name>.cc and registers itself on the root app.
void AddErrorCodesCommand(CLI::App& app, CliContext& ctx);
void AddVerifyCommand(CLI::App& app, CliContext& ctx);
void AddConnectionCommand(CLI::App& app, CliContext& ctx);
void AddProcessCommand(CLI::App& app, CliContext& ctx);
// claimgate c14n: exclusive canonical form of an element (cmd_c14n.cc).
void AddC14nCommand(CLI::App& app, CliContext& ctx);
void AddUsersCommand(CLI::App& app, CliContext& ctx);
void AddAuditCommand(CLI::App& app, CliContext& ctx);
void AddRulesCommand(CLI::App& app, CliContext& ctx);  // cli/cmd_rules.cc
// serve, sp-metadata, login-url (cli/cmd_serve.cc)
void AddServeCommands(CLI::App& app, CliContext& ctx);

}  // namespace claimgate::cli
