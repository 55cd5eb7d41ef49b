// claimgate serve / sp-metadata / login-url: the HTTP front (server/) and the two commands that
// print what it would send (SP metadata, an SP-initiated sign-on URL).
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/storage_cli.h"
#include "pipeline/login_start.h"
#include "server/http.h"
#include "storage/connections.h"

namespace claimgate::cli {

namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string public_url;
  std::string admin_token_file;
  std::size_t threads = 8;
  std::size_t max_queued = 64;
  bool log_json = false;
  std::string connection;
  std::string relay_state;
};

// The stored connection, loaded; prints the problem and returns nullopt.
std::optional<pipeline::Connection> LoadConnection(storage::Db& db, const std::string& name) {
  Result<pipeline::Connection> connection = pipeline::LoadStoredConnection(db, name);
  if (!connection.ok()) {
    if (connection.status().Is(errors::kProvisioningUnknownConnection)) {
      std::cerr << "claimgate: --connection: no connection named '" << Printable(name)
                << "' (see `claimgate connection list`)\n";
    } else {
      ReportError(connection.status());
    }
    return std::nullopt;
  }
  return *std::move(connection);
}

// The token file's first line, without surrounding whitespace; nullopt (reported) when the file
// cannot be read or holds fewer than 16 characters.
std::optional<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    std::cerr << "claimgate serve: --admin-token-file: cannot read " << Printable(path) << "\n";
    return std::nullopt;
  }
  const std::size_t b = line.find_first_not_of(" \t\r\n");
  const std::size_t e = line.find_last_not_of(" \t\r\n");
  line = b == std::string::npos ? "" : line.substr(b, e - b + 1);
  if (line.size() < 16) {
    std::cerr << "claimgate serve: --admin-token-file: the token must have 16 characters or more\n";
    return std::nullopt;
  }
  return line;
}

// Warns about stored connections whose ACS URL is not under --public-url: the IdP would post
// somewhere this server is not (or Destination/Recipient checks would refuse every login).
void CheckPublicUrl(storage::Db& db, const std::string& public_url) {
  Result<std::vector<storage::ConnectionRecord>> all = storage::ListConnections(db);
  if (!all.ok()) return;
  for (const storage::ConnectionRecord& record : *all) {
    Result<pipeline::ConnectionConfig> c =
        pipeline::FromStoredJson(record.config_json, record.name);
    if (c.ok() && c->acs_url.rfind(public_url, 0) != 0) {
      std::cerr << "claimgate serve: warning: connection '" << Printable(record.name)
                << "' has acs_url " << Printable(c->acs_url) << ", not under --public-url "
                << Printable(public_url) << "\n";
    }
  }
}

int Serve(const CliContext& ctx, const ServeArgs& a) {
  server::ServeOptions o;
  o.db_path = ctx.db_path;
  if (Status s = server::ParseListen(a.listen, &o); !s.ok()) {
    std::cerr << "claimgate serve: " << s.message() << "\n";
    return kExitUsage;
  }
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path);
  if (!db) return kExitUsage;  // a missing database is not "empty"
  if (!a.public_url.empty()) CheckPublicUrl(*db, a.public_url);
  if (!a.admin_token_file.empty()) {
    o.admin_token = ReadToken(a.admin_token_file);
    if (!o.admin_token) return kExitUsage;
  }
  o.public_url = a.public_url;
  o.threads = a.threads == 0 ? 1 : a.threads;
  o.max_queued = a.max_queued == 0 ? 1 : a.max_queued;
  o.log_json = a.log_json;
  Status s = server::Serve(o);
  if (!s.ok()) {
    ReportError(s);
    return kExitUsage;
  }
  return kExitAccepted;
}

int SpMetadata(const CliContext& ctx, const ServeArgs& a) {
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path, DbAccess::kRead);
  if (!db) return kExitUsage;
  std::optional<pipeline::Connection> c = LoadConnection(*db, a.connection);
  if (!c) return kExitUsage;
  std::cout << pipeline::SpMetadataXml(c->config());
  return kExitAccepted;
}

int LoginUrl(const CliContext& ctx, const ServeArgs& a) {
  std::optional<storage::Db> db = OpenDbOrReport(ctx.db_path);
  if (!db) return kExitUsage;
  std::optional<pipeline::Connection> c = LoadConnection(*db, a.connection);
  if (!c) return kExitUsage;
  Result<pipeline::LoginStart> start =
      pipeline::StartLogin(*db, *c, a.relay_state, SystemClock().Now());
  if (!start.ok()) return ReportError(start.status());
  if (!a.relay_state.empty() && !pipeline::RelayStateAllowed(c->config(), a.relay_state)) {
    std::cerr << "claimgate login-url: --relay-state is not on the connection's "
                 "relay_state_allow_list; it was left out\n";
  }
  std::cout << start->url << "\n";
  return kExitAccepted;
}

}  // namespace

void AddServeCommands(CLI::App& app, CliContext& ctx) {
  auto a = std::make_shared<ServeArgs>();
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Run the HTTP front: /saml/{connection}/metadata, /login, /acs, /healthz, "
      "/metrics, and /admin with /api/users and /api/audit when a token file is given. "
      "Stops on SIGINT or SIGTERM.");
  serve->add_option("--listen", a->listen, "HOST:PORT to listen on (port 0: any free port)");
  serve->add_option(
      "--public-url", a->public_url,
      "The URL users reach this server at; connections whose acs_url is not under it are reported");
  serve->add_option("--admin-token-file", a->admin_token_file,
                    "File whose first line is the admin bearer token (16+ characters); "
                    "without it there is no admin route at all");
  serve->add_option("--threads", a->threads, "Worker threads (default 8)");
  serve->add_option("--max-queued", a->max_queued,
                    "Accepted connections that may wait for a worker (default 64); beyond that "
                    "new connections wait in the kernel's listen backlog");
  serve->add_flag("--log-json", a->log_json, "One JSON object per log line");
  serve->callback([&ctx, a] { ctx.exit_code = Serve(ctx, *a); });

  CLI::App* metadata = app.add_subcommand(
      "sp-metadata", "Print the SP metadata XML of a stored connection (as GET .../metadata)");
  metadata->add_option("--connection", a->connection, "Stored connection name")->required();
  metadata->callback([&ctx, a] { ctx.exit_code = SpMetadata(ctx, *a); });

  CLI::App* login = app.add_subcommand(
      "login-url",
      "Start an SP-initiated sign-on: store a fresh AuthnRequest ID (10 minutes) and "
      "print the IdP URL (HTTP-Redirect binding), as GET .../login does");
  login->add_option("--connection", a->connection, "Stored connection name")->required();
  login->add_option("--relay-state", a->relay_state,
                    "Where to land after sign-on (kept only if on the allow-list)");
  login->callback([&ctx, a] { ctx.exit_code = LoginUrl(ctx, *a); });
}

}  // namespace claimgate::cli
