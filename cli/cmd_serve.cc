// claimgate serve / sp-metadata / login-url: the HTTP front (server/) and the two commands that
// print what it would send (SP metadata, an SP-initiated sign-on URL).
#include <algorithm>
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
  std::string api_token_file;
  std::size_t threads = 8;
  std::size_t max_queued = 64;
  int header_timeout_s = 10;
  int request_timeout_s = 30;
  std::size_t max_connections = 512;
  std::size_t max_header_bytes = 16 * 1024;
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
std::optional<std::string> ReadToken(const std::string& path, const char* option) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    std::cerr << "claimgate serve: " << option << ": cannot read " << Printable(path) << "\n";
    return std::nullopt;
  }
  const std::size_t b = line.find_first_not_of(" \t\r\n");
  const std::size_t e = line.find_last_not_of(" \t\r\n");
  line = b == std::string::npos ? "" : line.substr(b, e - b + 1);
  if (line.size() < 16) {
    std::cerr << "claimgate serve: " << option << ": the token must have 16 characters or more\n";
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
    o.admin_token = ReadToken(a.admin_token_file, "--admin-token-file");
    if (!o.admin_token) return kExitUsage;
  }
  if (!a.api_token_file.empty()) {
    o.api_token = ReadToken(a.api_token_file, "--api-token-file");
    if (!o.api_token) return kExitUsage;
  }
  o.public_url = a.public_url;
  o.threads = a.threads == 0 ? 1 : a.threads;
  o.max_queued = a.max_queued == 0 ? 1 : a.max_queued;
  o.header_timeout_s = a.header_timeout_s;
  o.request_timeout_s = std::max(a.request_timeout_s, a.header_timeout_s);
  o.max_connections = a.max_connections;
  o.max_header_bytes = a.max_header_bytes;
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
      "/metrics, /admin with /api/users and /api/audit when an admin token file is given, and "
      "/api/v1/logins/redeem when an API token file is given. "
      "Stops on SIGINT or SIGTERM.");
  serve->add_option("--listen", a->listen, "HOST:PORT to listen on (port 0: any free port)");
  serve->add_option(
      "--public-url", a->public_url,
      "The URL users reach this server at; connections whose acs_url is not under it are reported");
  serve->add_option("--admin-token-file", a->admin_token_file,
                    "File whose first line is the admin bearer token (16+ characters); "
                    "without it there is no admin route at all");
  serve->add_option("--api-token-file", a->api_token_file,
                    "File whose first line is the bearer token (16+ characters) product backends "
                    "present to POST /api/v1/logins/redeem; without it that route is 404");
  serve->add_option("--threads", a->threads, "Worker threads (default 8)");
  serve->add_option("--max-queued", a->max_queued,
                    "Complete requests that may wait for a worker (default 64); beyond that "
                    "they wait, unread further, with their connection");
  serve
      ->add_option("--header-timeout", a->header_timeout_s,
                   "Seconds a request's head may take from its first byte (a new connection: "
                   "from the accept); 408 input.request_timeout after (default 10)")
      ->check(CLI::Range(1, 3600));
  serve
      ->add_option("--request-timeout", a->request_timeout_s,
                   "Seconds a whole request, head and body, may take (default 30)")
      ->check(CLI::Range(1, 3600));
  serve
      ->add_option("--max-connections", a->max_connections,
                   "Open connections (default 512); a new one beyond that closes the longest "
                   "idle keep-alive connection, else the oldest one still sending its request")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20));
  serve
      ->add_option("--max-header-bytes", a->max_header_bytes,
                   "Bytes of header lines in a request (default 16384; also at most 100 lines "
                   "and 8 KiB per line); 431 input.headers_too_large beyond")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 20));
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
