// claimgate users list|show|add|disable|enable|grant|revoke: thin wrappers over storage/admin.h
// and storage/users.h. Every change is audited by the storage layer.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "cli/actor.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/storage_cli.h"
#include "pipeline/admit.h"
#include "pipeline/connection.h"
#include "pipeline/decision_json.h"
#include "storage/admin.h"
#include "storage/connections.h"
#include "storage/users.h"

namespace claimgate::cli {

namespace {

struct UserArgs {
  std::string connection, subject, email, permission;
  std::vector<std::string> permissions, attributes;
  bool json = false;
};

// provisioning.unknown_connection unless `name` is stored; nullopt config when it is but does
// not load (the command goes on: the check it serves is only about the name).
Result<std::optional<pipeline::ConnectionConfig>> StoredConfig(storage::Db& db,
                                                               const std::string& name) {
  Result<std::optional<storage::ConnectionRecord>> record = storage::GetConnection(db, name);
  if (!record.ok()) return record.status();
  if (!*record) {
    return Status::Error(errors::kProvisioningUnknownConnection,
                         "no connection named '" + name + "' (see `claimgate connection list`)");
  }
  Result<pipeline::ConnectionConfig> config =
      pipeline::FromStoredJson((*record)->config_json, name);
  if (!config.ok()) return std::optional<pipeline::ConnectionConfig>();
  return std::optional<pipeline::ConnectionConfig>(*std::move(config));
}

int List(CliContext& ctx, const UserArgs& a) {
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path, DbAccess::kRead);
  if (!db) return kExitError;
  if (!a.connection.empty()) {
    Result<std::optional<pipeline::ConnectionConfig>> c = StoredConfig(*db, a.connection);
    if (!c.ok()) return ReportError(c.status());
  }
  Result<std::vector<storage::User>> users = storage::ListUsers(
      *db, a.connection.empty() ? std::nullopt : std::optional<std::string>(a.connection));
  if (!users.ok()) return ReportError(users.status());
  if (a.json) {
    for (const storage::User& u : *users)
      std::cout << pipeline::Dump(pipeline::UserJson(u)) << "\n";
    return kExitAccepted;
  }
  std::vector<std::vector<std::string>> rows;
  for (const storage::User& u : *users) {
    std::string perms;
    for (const std::string& p : u.permissions) perms += (perms.empty() ? "" : ",") + p;
    rows.push_back({std::to_string(u.id), u.connection, u.subject, u.email,
                    storage::UserStatusName(u.status), storage::UserOriginName(u.origin), perms,
                    u.last_login.empty() ? "-" : u.last_login});
  }
  PrintTable(
      {"ID", "CONNECTION", "SUBJECT", "EMAIL", "STATUS", "ORIGIN", "PERMISSIONS", "LAST LOGIN"},
      rows);
  return kExitAccepted;
}

int Show(CliContext& ctx, const UserArgs& a) {
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path, DbAccess::kRead);
  if (!db) return kExitError;
  if (Result<std::optional<pipeline::ConnectionConfig>> c = StoredConfig(*db, a.connection);
      !c.ok()) {
    return ReportError(c.status());
  }
  Result<std::optional<storage::User>> u = storage::FindUser(*db, a.connection, a.subject);
  if (!u.ok()) return ReportError(u.status());
  if (!*u) {
    return ReportError(
        Status::Error(errors::kStorageNotFound,
                      "no user '" + a.subject + "' on connection '" + a.connection + "'"));
  }
  std::cout << pipeline::Dump(pipeline::UserJson(**u), 2) << "\n";
  return kExitAccepted;
}

int Add(CliContext& ctx, const UserArgs& a) {
  storage::NewUser n{
      a.connection, a.subject, a.email, {}, a.permissions, storage::UserOrigin::kAdmin, false};
  for (const std::string& kv : a.attributes) {
    const std::size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return ReportError(Status::Error(errors::kStorageInvalidArgument,
                                       "--attribute '" + kv + "' is not NAME=VALUE"));
    }
    n.attributes[kv.substr(0, eq)].push_back(kv.substr(eq + 1));
  }
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path);
  if (!db) return kExitError;
  Result<std::optional<pipeline::ConnectionConfig>> config = StoredConfig(*db, a.connection);
  if (!config.ok()) return ReportError(config.status());
  if (!a.email.empty()) {
    // The stored connection's enforced domains; its address format only when it does not load.
    const pipeline::ConnectionConfig none;
    if (Status s = pipeline::CheckAccountEmail(*config ? **config : none, a.email); !s.ok()) {
      return ReportError(std::move(s).Prefixed("--email: "));
    }
  }
  for (const std::string& p : a.permissions) {
    if (Status s = storage::CheckPermission(p); !s.ok()) {
      return ReportError(std::move(s).Prefixed("--permission: "));
    }
  }
  Result<std::int64_t> id = storage::AdminAddUser(*db, n, SystemClock().Now(), CliActor());
  if (!id.ok()) return ReportError(id.status());
  std::cout << pipeline::Dump({{"user_id", *id}, {"action", "created"}}) << "\n";
  return kExitAccepted;
}

int SetStatus(CliContext& ctx, const UserArgs& a, storage::UserStatus status) {
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path);
  if (!db) return kExitError;
  const Result<bool> changed = storage::AdminSetUserStatus(*db, a.connection, a.subject, status,
                                                           SystemClock().Now(), CliActor());
  if (!changed.ok()) return ReportError(changed.status());
  std::cout << pipeline::Dump({{"subject", a.subject},
                               {"status", storage::UserStatusName(status)},
                               {"changed", *changed}})
            << "\n";
  return kExitAccepted;
}

int EditPermission(CliContext& ctx, const UserArgs& a, bool grant) {
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path);
  if (!db) return kExitError;
  const TimePoint now = SystemClock().Now();
  const std::string actor = CliActor();
  Result<bool> changed =
      grant
          ? storage::AdminGrantPermission(*db, a.connection, a.subject, a.permission, now, actor)
          : storage::AdminRevokePermission(*db, a.connection, a.subject, a.permission, now, actor);
  if (!changed.ok()) return ReportError(changed.status());
  std::cout << pipeline::Dump({{"subject", a.subject},
                               {"permission", a.permission},
                               {grant ? "granted" : "revoked", *changed}})
            << "\n";
  return kExitAccepted;
}

// Adds --connection (required) and the SUBJECT positional.
CLI::App* Target(CLI::App* parent, const char* name, const char* help, UserArgs& a) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("--connection", a.connection, "Connection the account belongs to")->required();
  cmd->add_option("subject", a.subject, "The account's subject (SAML NameID)")->required();
  return cmd;
}

}  // namespace

void AddUsersCommand(CLI::App& app, CliContext& ctx) {
  CLI::App* users = app.add_subcommand("users", "List, inspect and manage provisioned accounts");
  users->require_subcommand(1);
  auto a = std::make_shared<UserArgs>();
  CLI::App* list = users->add_subcommand("list", "List accounts (a table, or JSON lines)");
  list->add_option("--connection", a->connection, "Only this connection's accounts");
  list->add_flag("--json", a->json, "One JSON object per line instead of a table");
  list->callback([&ctx, a] { ctx.exit_code = List(ctx, *a); });

  Target(users, "show", "Print one account as JSON", *a)->callback([&ctx, a] {
    ctx.exit_code = Show(ctx, *a);
  });
  CLI::App* add = Target(users, "add", "Create an account (for existing-only connections)", *a);
  add->add_option("--email", a->email, "The account's email");
  add->add_option("--permission", a->permissions, "A permission to grant (repeatable)");
  add->add_option("--attribute", a->attributes, "NAME=VALUE worker attribute (repeatable)");
  add->callback([&ctx, a] { ctx.exit_code = Add(ctx, *a); });
  Target(users, "disable", "Disable an account: its logins are rejected", *a)->callback([&ctx, a] {
    ctx.exit_code = SetStatus(ctx, *a, storage::UserStatus::kDisabled);
  });
  Target(users, "enable", "Enable a disabled account", *a)->callback([&ctx, a] {
    ctx.exit_code = SetStatus(ctx, *a, storage::UserStatus::kActive);
  });
  for (const bool grant : {true, false}) {
    CLI::App* cmd = Target(users, grant ? "grant" : "revoke",
                           grant ? "Grant a permission" : "Revoke a permission", *a);
    cmd->add_option("permission", a->permission, "The permission")->required();
    cmd->callback([&ctx, a, grant] { ctx.exit_code = EditPermission(ctx, *a, grant); });
  }
}

}  // namespace claimgate::cli
