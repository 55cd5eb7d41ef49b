#include "server/http.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/app.h"
#include "server/responses.h"
#include "server/work_pool.h"

namespace claimgate::server {

namespace {

// httplib's task queue interface over WorkPool (bounded; see work_pool.h).
class BoundedQueue : public httplib::TaskQueue {
 public:
  BoundedQueue(std::size_t threads, std::size_t max_queued) : pool_(threads, max_queued) {}
  void enqueue(std::function<void()> fn) override { pool_.Enqueue(std::move(fn)); }
  void shutdown() override { pool_.Shutdown(); }

 private:
  WorkPool pool_;
};

// Every response carries these: nothing may be framed, sniffed, cached, referred or loaded from
// elsewhere; the pages' only style is inline.
void AddSecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                 "frame-ancestors 'none'; base-uri 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
}

HttpRequest FromHttplib(const httplib::Request& req) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  const std::size_t q = req.target.find('?');
  if (q != std::string::npos) r.query = req.target.substr(q + 1);
  r.body = req.body;
  r.content_type = req.get_header_value("Content-Type");
  r.accept = req.get_header_value("Accept");
  r.authorization = req.get_header_value("Authorization");
  r.cookie = req.get_header_value("Cookie");
  r.client_addr = req.remote_addr;
  return r;
}

// The failure detail of the response being sent by this thread, for its log line only: httplib
// calls the logger on the handler's thread right after the handler.
thread_local std::string t_log_detail;

void ToHttplib(const HttpResponse& from, httplib::Response& res) {
  t_log_detail = from.detail;
  res.status = from.status;
  for (const auto& [name, value] : from.headers) res.set_header(name, value);
  res.set_content(from.body, from.content_type.c_str());
  AddSecurityHeaders(res);
  // The error code, for clients and the request log (codes are public, see the README).
  if (!from.code.empty()) res.set_header("X-Claimgate-Code", from.code);
}

void LogRequest(bool json, const httplib::Request& req, const httplib::Response& res,
                const std::string& code) {
  std::string detail;
  detail.swap(t_log_detail);
  const std::string audit_id = res.get_header_value("X-Claimgate-Audit-Id");
  if (json) {
    nlohmann::json j = {{"method", req.method},      {"path", req.path},
                        {"status", res.status},      {"code", code},
                        {"audit_id", audit_id},      {"detail", detail},
                        {"client", req.remote_addr}, {"bytes_out", res.body.size()}};
    spdlog::info(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    // {:?}-style quoting is not in this fmt: detail is made one line by hand.
    for (char& c : detail) {
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    spdlog::info("{} {} {} {} audit={} client={} out={} {}", req.method, req.path, res.status,
                 code.empty() ? "-" : code, audit_id.empty() ? "-" : audit_id, req.remote_addr,
                 res.body.size(), detail);
  }
}

// Blocks SIGINT/SIGTERM in every thread (call before starting any), then one thread waits for
// them and stops the server.
std::thread StopOnSignal(httplib::Server& server) {
  return std::thread([&server] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);  // sent by Serve itself when listening fails
    int sig = 0;
    sigwait(&set, &sig);
    server.stop();
  });
}

void Configure(httplib::Server& server, App& app, const ServeOptions& o) {
  const std::size_t threads = o.threads;
  const std::size_t max_queued = o.max_queued;
  server.new_task_queue = [threads, max_queued] { return new BoundedQueue(threads, max_queued); };
  server.set_payload_max_length(o.max_body_bytes);
  // Headers and body go out in separate writes: without TCP_NODELAY, Nagle plus the client's
  // delayed ACK add 40 ms to every response.
  server.set_tcp_nodelay(true);
  server.set_read_timeout(o.read_timeout_s, 0);
  server.set_write_timeout(o.write_timeout_s, 0);
  server.set_keep_alive_max_count(100);
  server.set_keep_alive_timeout(5);
  auto handler = [&app](const httplib::Request& req, httplib::Response& res) {
    ToHttplib(app.Handle(FromHttplib(req)), res);
  };
  // POST bodies are read here, not by httplib: its built-in form parsing refuses
  // application/x-www-form-urlencoded bodies above 8 KiB (a compiled-in limit), far below real
  // SAML responses. The cap counts bytes after any Content-Encoding was undone.
  const std::size_t cap = o.max_body_bytes;
  server.Post(".*", [&app, cap](const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader& reader) {
    HttpRequest r = FromHttplib(req);
    bool too_large = false;
    const bool read = reader([&](const char* data, std::size_t n) {
      if (r.body.size() + n > cap) {
        too_large = true;
        return false;
      }
      r.body.append(data, n);
      return true;
    });
    // httplib refuses a Content-Length above its cap by failing the read with status 413.
    if (too_large || (!read && res.status == 413)) {
      ToHttplib(ErrorResponse(413, errors::kInputBodyTooLarge, WantsJson(r)), res);
      return;
    }
    if (!read) {  // truncated, bad chunking, a corrupt Content-Encoding
      ToHttplib(ErrorResponse(400, errors::kInputBadRequest, WantsJson(r)), res);
      return;
    }
    ToHttplib(app.Handle(r), res);
  });
  server.Get(".*", handler);
  server.Put(".*", handler);
  server.Delete(".*", handler);
  server.Patch(".*", handler);
  server.Options(".*", handler);
  // Errors httplib decides before any handler (body too large, malformed request line).
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.has_header("X-Claimgate-Code")) return;  // a handler's own response
    const bool json = req.get_header_value("Accept").find("application/json") != std::string::npos;
    const ErrorCode& code = res.status == 413   ? errors::kInputBodyTooLarge
                            : res.status == 404 ? errors::kInputNotFound
                                                : errors::kInputBadRequest;
    const int status = res.status == 413 || res.status == 404 ? res.status : 400;
    ToHttplib(ErrorResponse(status, code, json), res);
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        ToHttplib(ErrorResponse(500, errors::kStorageInternal, false), res);
      });
  const bool log_json = o.log_json;
  server.set_logger([log_json](const httplib::Request& req, const httplib::Response& res) {
    LogRequest(log_json, req, res, res.get_header_value("X-Claimgate-Code"));
  });
}

}  // namespace

Status ParseListen(const std::string& text, ServeOptions* options) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size() ||
      text.size() - colon > 6 ||
      text.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
    return Status::Error(errors::kInputBadRequest, "--listen wants HOST:PORT, like 127.0.0.1:8080");
  }
  const int port = std::stoi(text.substr(colon + 1));
  if (port > 65535) return Status::Error(errors::kInputBadRequest, "--listen: port above 65535");
  options->host = text.substr(0, colon);
  options->port = port;
  return Status::Ok();
}

Status Serve(const ServeOptions& options) {
  // Logs go to stderr (stdout carries only the "listening on" line).
  if (!spdlog::get("claimgate-serve")) {
    spdlog::set_default_logger(spdlog::stderr_color_mt("claimgate-serve"));
  }
  if (options.log_json) spdlog::set_pattern("%v");
  AppOptions app_options;
  app_options.db_path = options.db_path;
  app_options.admin_token = options.admin_token;
  app_options.api_token = options.api_token;
  app_options.max_body_bytes = options.max_body_bytes;
  App app(app_options);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  httplib::Server server;
  Configure(server, app, options);
  int port = options.port;
  const bool bound = port == 0 ? (port = server.bind_to_any_port(options.host)) > 0
                               : server.bind_to_port(options.host, port);
  if (!bound) {
    return Status::Error(errors::kStorageInternal,
                         "cannot listen on " + options.host + ":" + std::to_string(options.port));
  }
  std::thread stopper = StopOnSignal(server);
  std::cout << "claimgate serve: listening on http://" << options.host << ":" << port << std::endl;
  if (!options.public_url.empty()) spdlog::info("public URL {}", options.public_url);
  server.listen_after_bind();
  // Wakes the stopper if the server ended by itself (blocked everywhere: stays pending if the
  // stopper already returned).
  kill(getpid(), SIGUSR1);
  stopper.join();
  spdlog::info("claimgate serve: stopped");
  return Status::Ok();
}

}  // namespace claimgate::server
