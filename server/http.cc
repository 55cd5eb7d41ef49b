#include "server/http.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <thread>

#include "server/app.h"
#include "server/connection_gate.h"
#include "server/responses.h"
#include "server/work_pool.h"

namespace claimgate::server {

namespace {

// Every response carries these: nothing may be framed, sniffed, cached, referred or loaded from
// elsewhere; the pages' only style is inline.
constexpr std::pair<const char*, const char*> kSecurityHeaders[] = {
    {"Content-Security-Policy",
     "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
     "frame-ancestors 'none'; base-uri 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cache-Control", "no-store"},
};

void AddSecurityHeaders(httplib::Response& res) {
  for (const auto& [name, value] : kSecurityHeaders) res.set_header(name, value);
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

// The reason phrases of the statuses the gate refuses with.
const char* ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return "Error";
  }
}

// "ip" and port of a socket's peer (or, with `local`, its own end).
void SocketAddress(int fd, bool local, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  ip.clear();
  port = 0;
  if ((local ? ::getsockname(fd, sa, &len) : ::getpeername(fd, sa, &len)) != 0) return;
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    port = ntohs(in6->sin6_port);
  }
  ip = text;
}

// A request the gate holds in memory, seen by httplib as a stream: reads come from the buffer and
// end (EOF) where the request ends, so a worker never waits for a client's bytes; writes go to
// the socket, the whole response within `write_timeout` of its first byte.
class GateStream final : public httplib::Stream {
 public:
  GateStream(GateConnection& c, std::chrono::milliseconds write_timeout)
      : c_(c), write_timeout_(write_timeout) {}

  bool is_readable() const override { return pos_ < c_.request_end; }
  bool is_writable() const override { return !failed_ && WaitWritable(); }
  ssize_t read(char* ptr, std::size_t size) override {
    const std::size_t n = std::min(size, c_.request_end - pos_);
    std::memcpy(ptr, c_.buffered.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, std::size_t size) override {
    if (failed_) return -1;
    if (!write_deadline_) write_deadline_ = GateClock::now() + write_timeout_;
    for (;;) {
      const ssize_t n = ::send(c_.fd, ptr, size, MSG_NOSIGNAL);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if ((errno == EAGAIN || errno == EWOULDBLOCK) && WaitWritable()) continue;
      failed_ = true;
      return -1;
    }
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    SocketAddress(c_.fd, false, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    SocketAddress(c_.fd, true, ip, port);
  }
  socket_t socket() const override { return c_.fd; }
  bool failed() const { return failed_; }

 private:
  bool WaitWritable() const {
    const GateClock::time_point deadline =
        write_deadline_.value_or(GateClock::now() + write_timeout_);
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - GateClock::now()).count();
    if (left <= 0) return false;
    pollfd p{c_.fd, POLLOUT, 0};
    return ::poll(&p, 1, static_cast<int>(left)) > 0 && (p.revents & POLLOUT) != 0;
  }

  GateConnection& c_;
  const std::chrono::milliseconds write_timeout_;
  std::size_t pos_ = 0;
  std::optional<GateClock::time_point> write_deadline_;
  bool failed_ = false;
};

// httplib's accept loop hands each socket to the gate (process_and_close_socket is httplib's
// per-connection entry point, virtual for its TLS server); the gate hands complete requests to
// the work pool, whose workers run httplib's own request processing over a GateStream.
class GatedServer : public httplib::Server {
 public:
  GatedServer(const ServeOptions& o, ConnectionGate::Refuse refuse)
      : pool_(o.threads, o.max_queued),
        write_timeout_(std::chrono::seconds(o.write_timeout_s)),
        gate_(
            GateOptionsFrom(o),
            [this](std::shared_ptr<GateConnection>& c) {
              std::function<void()> task = [this, c] { ServeOne(c); };
              return pool_.TryEnqueue(std::move(task));
            },
            std::move(refuse)) {
    new_task_queue = [this] { return new InlineQueue(this); };
  }

  // Stops taking requests: the gate closes what it holds, the workers finish what they have.
  void StopGate() {
    gate_.Shutdown();
    pool_.Shutdown();
  }

 private:
  // The accept loop's "queue": admitting a socket to the gate is quick and never blocks.
  class InlineQueue : public httplib::TaskQueue {
   public:
    explicit InlineQueue(GatedServer* server) : server_(server) {}
    void enqueue(std::function<void()> fn) override { fn(); }
    void shutdown() override { server_->StopGate(); }

   private:
    GatedServer* server_;
  };

  static GateOptions GateOptionsFrom(const ServeOptions& o) {
    GateOptions g;
    g.head.max_header_bytes = o.max_header_bytes;
    g.head.max_header_count = o.max_header_count;
    g.header_timeout = std::chrono::seconds(o.header_timeout_s);
    g.request_timeout = std::chrono::seconds(o.request_timeout_s);
    g.keep_alive_timeout = std::chrono::seconds(o.keep_alive_timeout_s);
    g.max_connections = o.max_connections;
    g.max_body_bytes = o.max_body_bytes;
    g.buffer_budget = std::max<std::size_t>(64 * 1024 * 1024, 8 * o.max_body_bytes);
    return g;
  }

  bool process_and_close_socket(socket_t sock) override {
    gate_.Admit(sock);
    return true;
  }

  // One request on a worker; the connection goes back to the gate unless it ends here.
  void ServeOne(std::shared_ptr<GateConnection> c) {
    GateStream strm(*c, write_timeout_);
    const bool last = c->requests + 1 >= keep_alive_max_count_;
    bool connection_closed = false;
    bool ok = false;
    try {
      ok = process_request(strm, last, connection_closed, nullptr);
    } catch (...) {  // httplib catches the handlers' own; nothing may escape a worker
      ok = false;
    }
    ++c->requests;
    gate_.Return(std::move(c), ok && !connection_closed && !last && !strm.failed());
  }

  WorkPool pool_;
  const std::chrono::milliseconds write_timeout_;
  ConnectionGate gate_;  // last: its thread may dispatch to pool_ as soon as it starts
};

// The gate's refusals, shaped like every other error response, and logged like a request.
std::string RefusalResponse(App& app, bool log_json, Refusal why, int fd, std::string_view received,
                            bool accept_json) {
  const int status = StatusOf(why);
  const ErrorCode& code = why == Refusal::kHeadersTooLarge ? errors::kInputHeadersTooLarge
                          : why == Refusal::kTimeout       ? errors::kInputRequestTimeout
                          : why == Refusal::kBodyTooLarge  ? errors::kInputBodyTooLarge
                                                           : errors::kInputBadRequest;
  const HttpResponse r = ErrorResponse(status, code, accept_json);
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + ReasonPhrase(status) + "\r\n";
  out += "Content-Type: " + r.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += "Connection: close\r\n";
  for (const auto& [name, value] : kSecurityHeaders) {
    out += std::string(name) + ": " + value + "\r\n";
  }
  out += std::string("X-Claimgate-Code: ") + code.id + "\r\n\r\n";
  out += r.body;
  // The log line: method and path from the request line, when it came.
  httplib::Request req;
  const std::string_view line = received.substr(0, std::min<std::size_t>(received.find('\n'), 256));
  const std::size_t sp1 = line.find(' ');
  if (sp1 != std::string_view::npos) {
    req.method = std::string(line.substr(0, sp1));
    const std::size_t sp2 = line.find(' ', sp1 + 1);
    req.path = std::string(line.substr(sp1 + 1, sp2 == std::string_view::npos ? 0 : sp2 - sp1 - 1));
  }
  for (std::string* s : {&req.method, &req.path}) {
    for (char& ch : *s) {
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
    }
  }
  int port = 0;
  SocketAddress(fd, false, req.remote_addr, port);
  httplib::Response res;
  res.status = status;
  res.body = r.body;
  t_log_detail = why == Refusal::kTimeout ? "the request did not arrive in time" : "";
  LogRequest(log_json, req, res, code.id);
  app.metrics().RecordHttp(status);
  return out;
}

void Configure(httplib::Server& server, App& app, const ServeOptions& o) {
  server.set_payload_max_length(o.max_body_bytes);
  // Headers and body go out in separate writes: without TCP_NODELAY, Nagle plus the client's
  // delayed ACK add 40 ms to every response.
  server.set_tcp_nodelay(true);
  // Reads and writes happen in GateStream; these only shape the Keep-Alive header.
  server.set_keep_alive_max_count(100);
  server.set_keep_alive_timeout(o.keep_alive_timeout_s);
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

// Every connection is a file descriptor: raises the soft open-file limit toward the hard one when
// `max_connections` needs it (plus room for the database and logs), else lowers it to fit.
std::size_t FitOpenFileLimit(std::size_t max_connections) {
  constexpr rlim_t kSpare = 64;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return max_connections;
  const rlim_t want = static_cast<rlim_t>(max_connections) + kSpare;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < want) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? want : std::min(want, limit.rlim_max);
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < want) {
    const std::size_t fit = limit.rlim_cur > 2 * kSpare ? limit.rlim_cur - kSpare : kSpare;
    spdlog::warn("--max-connections {} lowered to {} (open-file limit {})", max_connections, fit,
                 limit.rlim_cur);
    return fit;
  }
  return max_connections;
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
  ServeOptions o = options;
  o.max_connections = FitOpenFileLimit(o.max_connections);
  const bool log_json = o.log_json;
  GatedServer server(
      o, [&app, log_json](Refusal why, int fd, std::string_view received, bool accept_json) {
        return RefusalResponse(app, log_json, why, fd, received, accept_json);
      });
  Configure(server, app, o);
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
