// claimgate connection add|update|list|show|remove: connections stored with their metadata and
// rules embedded (DESIGN.md "A connection").
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/clock.h"
#include "cli/actor.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/storage_cli.h"
#include "pipeline/connection.h"
#include "pipeline/connection_admin.h"
#include "storage/connections.h"

namespace claimgate::cli {

namespace {

int AddOrUpdate(const CliContext& ctx, const std::string& file, bool update) {
  Result<pipeline::ConnectionConfig> config = pipeline::ReadConnectionFile(file);
  if (!config.ok()) {
    std::cerr << "claimgate connection: " << config.status().code() << ": "
              << config.status().message() << "\n";
    return kExitUsage;
  }
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path, DbAccess::kCreate);
  if (!db) return kExitError;
  // The change and its audit row ("connection.add" / "connection.update") commit together.
  Result<pipeline::ConnectionChange> change =
      pipeline::StoreConnection(*db, *config, update, CliActor(), SystemClock().Now());
  if (!change.ok()) {
    if (change.status().Is(errors::kStorageConstraint) ||
        change.status().Is(errors::kStorageNotFound)) {
      std::cerr << "claimgate connection: " << file << ": $.name: connection '" << config->name
                << (update ? "' does not exist (use add)\n" : "' already exists (use update)\n");
      return kExitUsage;
    }
    Status s = change.status();
    if (s.Is(errors::kProvisioningSpConflict))
      return ReportError(std::move(s).Prefixed(file + ": "));
    return ReportError(s);
  }
  if (*change == pipeline::ConnectionChange::kUnchanged) {
    std::cout << "connection " << config->name << " unchanged\n";
    return kExitAccepted;
  }
  std::cout << (update ? "updated" : "added") << " connection " << config->name << " ("
            << config->profile << ", " << pipeline::ProvisioningModeName(config->mode) << ")\n";
  return kExitAccepted;
}

int List(const CliContext& ctx) {
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path, DbAccess::kRead);
  if (!db) return kExitError;
  Result<std::vector<storage::ConnectionRecord>> all = storage::ListConnections(*db);
  if (!all.ok()) return ReportError(all.status());
  std::vector<std::vector<std::string>> rows;
  for (const storage::ConnectionRecord& r : *all) {
    Result<pipeline::ConnectionConfig> c = pipeline::FromStoredJson(r.config_json, r.name);
    if (!c.ok()) {
      rows.push_back({r.name, "?", "?", "?", r.updated});
      continue;
    }
    rows.push_back(
        {r.name, c->profile, pipeline::ProvisioningModeName(c->mode), c->sp_entity_id, r.updated});
  }
  PrintTable({"NAME", "PROFILE", "MODE", "SP ENTITY ID", "UPDATED"}, rows);
  return kExitAccepted;
}

int Show(const CliContext& ctx, const std::string& name) {
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path, DbAccess::kRead);
  if (!db) return kExitError;
  Result<std::optional<storage::ConnectionRecord>> r = storage::GetConnection(*db, name);
  if (!r.ok()) return ReportError(r.status());
  if (!r->has_value()) {
    return ReportError(
        Status::Error(errors::kProvisioningUnknownConnection,
                      "no connection named '" + name + "' (see `claimgate connection list`)"));
  }
  const nlohmann::json doc =
      nlohmann::json::parse((*r)->config_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return ReportError(Status::Error(errors::kStorageCorrupt,
                                     "connection '" + name + "': the stored JSON is malformed"));
  }
  std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return kExitOk;
}

int Remove(const CliContext& ctx, const std::string& name, bool force) {
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path);
  if (!db) return kExitError;
  // The removal, each user's "user.remove" row and the "connection.remove" row commit together.
  Result<std::int64_t> users = pipeline::RemoveConnection(*db, name, force, CliActor());
  if (!users.ok()) return ReportError(users.status());
  std::cout << "removed connection " << name << " (" << *users
            << " users and its replay entries; audit rows stay)\n";
  return kExitAccepted;
}

}  // namespace

void AddConnectionCommand(CLI::App& app, CliContext& ctx) {
  CLI::App* cmd = app.add_subcommand(
      "connection", "Manage connections: one customer's IdP trust plus one product profile");
  cmd->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  CLI::App* add = cmd->add_subcommand(
      "add",
      "Check CONNECTION.json (metadata, certificates, rules, URLs) and store it with its "
      "files embedded");
  add->add_option("CONNECTION.json", *file, "The connection file")->required();
  add->callback([&ctx, file] { ctx.exit_code = AddOrUpdate(ctx, *file, false); });
  CLI::App* update = cmd->add_subcommand(
      "update", "Re-read CONNECTION.json and replace the stored connection of that name");
  update->add_option("CONNECTION.json", *file, "The connection file")->required();
  update->callback([&ctx, file] { ctx.exit_code = AddOrUpdate(ctx, *file, true); });
  cmd->add_subcommand("list", "List stored connections")->callback([&ctx] {
    ctx.exit_code = List(ctx);
  });
  CLI::App* show = cmd->add_subcommand("show", "Print a stored connection as JSON");
  show->add_option("NAME", *name, "Connection name")->required();
  show->callback([&ctx, name] { ctx.exit_code = Show(ctx, *name); });
  CLI::App* remove = cmd->add_subcommand(
      "remove",
      "Remove a connection with its replay entries (audit rows stay); one with users "
      "needs --force, and each user's removal is audited");
  remove->add_option("NAME", *name, "Connection name")->required();
  auto force = std::make_shared<bool>(false);
  remove->add_flag("--force", *force, "Remove the connection's users too");
  remove->callback([&ctx, name, force] { ctx.exit_code = Remove(ctx, *name, *force); });
}

}  // namespace claimgate::cli
