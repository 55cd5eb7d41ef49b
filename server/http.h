#pragma once

// `claimgate serve`: App behind cpp-httplib, with the limits, security headers, request log and
// signal handling. The only file that includes httplib.h.

#include <cstddef>
#include <optional>
#include <string>

#include "base/status.h"

namespace claimgate::server {

struct ServeOptions {
  std::string db_path;
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (the "listening on" line says which)
  std::string public_url;
  std::optional<std::string> admin_token;
  std::optional<std::string> api_token;  // POST /api/v1/logins/redeem (404 without)
  std::size_t max_body_bytes = 2 * 1024 * 1024;
  int read_timeout_s = 10;
  int write_timeout_s = 10;
  std::size_t threads = 8;
  // Accepted connections that may wait for a worker; beyond that the accept loop waits.
  std::size_t max_queued = 64;
  bool log_json = false;
};

// "host:port" → host and port (1-65535, or 0); input.bad_request otherwise.
Status ParseListen(const std::string& text, ServeOptions* options);

// Serves until SIGINT or SIGTERM, then returns ok; prints "listening on http://HOST:PORT" on
// stdout once bound. storage.internal when the address cannot be bound.
Status Serve(const ServeOptions& options);

}  // namespace claimgate::server
