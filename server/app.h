#pragma once

// claimgate serve's request handling, independent of the HTTP library: a small request struct in,
// a response struct out, so every route is unit-testable without sockets. http.cc adapts
// cpp-httplib to this; nothing here throws.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "pipeline/connection.h"
#include "server/metrics.h"
#include "storage/sqlite.h"

namespace claimgate::server {

struct HttpRequest {
  std::string method;         // "GET", "POST", ...
  std::string path;           // without the query
  std::string query;          // raw, without '?'
  std::string body;           // raw
  std::string content_type;   // header value
  std::string accept;         // header value
  std::string authorization;  // header value
  std::string cookie;         // header value (the request-binding cookies, SECURITY.md F05)
  std::string client_addr;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::map<std::string, std::string> headers;  // besides the security headers http.cc adds
  std::string body;
  std::string code;    // the error code, for the request log ("" when none)
  std::string detail;  // for the log only (never sent): why an internal failure happened
};

struct AppOptions {
  std::string db_path;
  std::optional<std::string> admin_token;  // nullopt: the admin routes do not exist (404)
  // The product backends' bearer token for POST /api/v1/logins/redeem; nullopt: 404.
  std::optional<std::string> api_token;
  const Clock* clock = nullptr;  // nullptr: the system clock
  std::chrono::seconds request_lifetime = std::chrono::minutes(10);
  // Bodies above this are refused (413 input.body_too_large) even if the HTTP layer passed them
  // (a compressed body inflated past the transport's cap).
  std::size_t max_body_bytes = 2 * 1024 * 1024;
};

// Decodes an application/x-www-form-urlencoded string ('+' is a space, %XX escapes). Fails
// (input.bad_request) on a bad escape, a repeated name, or more than 64 fields.
Result<std::map<std::string, std::string>> ParseForm(std::string_view text);

// The routes of DESIGN/issue 5. Thread-safe: every call takes a database handle of its own from
// a pool (a storage::Db is not), and loaded connections are shared read-only.
class App {
 public:
  explicit App(AppOptions options);
  HttpResponse Handle(const HttpRequest& request);
  Metrics& metrics() { return metrics_; }

 private:
  // A database handle borrowed from the pool for one request, given back on destruction.
  class DbLease {
   public:
    DbLease(App* app, std::unique_ptr<storage::Db> db) : app_(app), db_(std::move(db)) {}
    ~DbLease() { app_->ReleaseDb(std::move(db_)); }
    DbLease(const DbLease&) = delete;
    DbLease& operator=(const DbLease&) = delete;
    storage::Db& operator*() { return *db_; }

   private:
    App* app_;
    std::unique_ptr<storage::Db> db_;
  };
  struct CachedConnection {
    std::string config_json;
    std::shared_ptr<const pipeline::Connection> connection;
  };

  Result<std::unique_ptr<storage::Db>> AcquireDb();
  void ReleaseDb(std::unique_ptr<storage::Db> db);
  // The stored connection, loaded once per stored version; input.not_found when unknown.
  Result<std::shared_ptr<const pipeline::Connection>> FindConnection(storage::Db& db,
                                                                     const std::string& name);
  TimePoint Now() const;

  HttpResponse Metadata(const HttpRequest& request, const std::string& name);
  HttpResponse Login(const HttpRequest& request, const std::string& name);
  HttpResponse Acs(const HttpRequest& request, const std::string& name);
  HttpResponse Admin(const HttpRequest& request, const std::string& route);
  HttpResponse Redeem(const HttpRequest& request);

  AppOptions options_;
  Metrics metrics_;
  std::mutex mu_;        // guards idle_dbs_ and connections_
  std::mutex write_mu_;  // one login transaction at a time (see RunAcs)
  std::vector<std::unique_ptr<storage::Db>> idle_dbs_;
  std::map<std::string, CachedConnection> connections_;
};

// A response with `status` and the error `code`: JSON {"error": {"code", "message"}} when
// `json`, else a small HTML page; the message is the registry's fixed text, never input data.
HttpResponse ErrorResponse(int status, const ErrorCode& code, bool json);

}  // namespace claimgate::server
