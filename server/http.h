#pragma once

// `claimgate serve`: App behind cpp-httplib, with the limits, security headers, request log and
// signal handling. The only file that includes httplib.h. Connections are held by a
// ConnectionGate (connection_gate.h) until their whole request is in memory; httplib parses and
// routes it on a worker, reading from that memory, and writes the answer to the socket.

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
  // A request's head must arrive within header_timeout_s of its first byte (of the accept, for a
  // new connection), its body within request_timeout_s; else 408 input.request_timeout.
  int header_timeout_s = 10;
  int request_timeout_s = 30;
  int keep_alive_timeout_s = 5;
  int write_timeout_s = 10;  // a whole response, from its first byte
  // Header lines after the request line: bytes and count (431 input.headers_too_large beyond).
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_header_count = 100;
  // Open connections; a new one beyond evicts an idle or still-sending one. Lowered to fit the
  // open-file limit.
  std::size_t max_connections = 512;
  std::size_t threads = 8;
  // Complete requests that may wait for a worker; beyond that the gate holds them.
  std::size_t max_queued = 64;
  bool log_json = false;
};

// "host:port" → host and port (1-65535, or 0); input.bad_request otherwise.
Status ParseListen(const std::string& text, ServeOptions* options);

// Serves until SIGINT or SIGTERM, then returns ok; prints "listening on http://HOST:PORT" on
// stdout once bound. storage.internal when the address cannot be bound.
Status Serve(const ServeOptions& options);

}  // namespace claimgate::server
