#pragma once

// The front door of `claimgate serve` (issue 15): one thread that owns every client connection
// while it is idle or still sending its request, so a slow or idle client costs a file descriptor
// and a bounded buffer, never a worker thread. A worker gets a connection only once its whole
// request (head and body) is in memory, answers it, and hands the connection back for the next
// request. Here:
//   - the request head must be complete within `header_timeout` of its first byte (of the
//     accept, for a new connection), the body within `request_timeout`; late requests get 408;
//   - head limits (HeadLimits): 414 for the request line, 431 for header count and bytes;
//   - a body above `max_body_bytes` is refused (413) from its Content-Length, before any read;
//   - request bytes held anywhere (gate and workers) are kept near `buffer_budget`: beyond it,
//     bodies are not read further until memory is given back;
//   - at `max_connections`, a new connection evicts the longest-idle keep-alive connection, else
//     the oldest one still sending its request, so new clients always get in.
// Refusals are written by the `refuse` callback's bytes, then the rest of the request is read
// and dropped for `linger` (so the client sees the answer, not a reset) before closing.
// Knows sockets and HTTP/1.1 framing only; http.cc adapts it to cpp-httplib.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/request_head.h"

namespace claimgate::server {

using GateClock = std::chrono::steady_clock;

struct GateOptions {
  HeadLimits head;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds request_timeout{30'000};
  std::chrono::milliseconds keep_alive_timeout{5'000};  // idle between requests
  std::chrono::milliseconds linger{2'000};  // after a refusal: reading and dropping the rest
  std::size_t max_connections = 512;
  std::size_t max_body_bytes = 2 * 1024 * 1024;
  std::size_t buffer_budget = 64 * 1024 * 1024;
};

// Why the gate refuses a request (the HTTP status follows).
enum class Refusal {
  kMalformed,        // 400
  kTimeout,          // 408
  kBodyTooLarge,     // 413
  kUriTooLong,       // 414
  kHeadersTooLarge,  // 431
};
int StatusOf(Refusal r);

// One client connection with a complete request, on its way to a worker and back.
struct GateConnection {
  int fd = -1;
  std::string buffered;         // the request, then maybe the start of the next one (pipelining)
  std::size_t request_end = 0;  // where this request ends in `buffered`
  GateClock::time_point accepted;
  std::size_t requests = 0;  // requests answered on this connection before this one
  std::size_t held = 0;      // the gate's bookkeeping: bytes counted against the budget
};

class ConnectionGate {
 public:
  // Hands a connection with a complete request to a worker; false when none can take it now (the
  // gate keeps it and tries again soon). Runs on the gate thread; must not block.
  using Dispatch = std::function<bool(std::shared_ptr<GateConnection>&)>;
  // The whole HTTP response refusing a request: `received` is what came of it, `accept_json`
  // whether its Accept header asked for JSON. Runs on the gate thread.
  using Refuse =
      std::function<std::string(Refusal, int fd, std::string_view received, bool accept_json)>;

  ConnectionGate(GateOptions options, Dispatch dispatch, Refuse refuse);
  ~ConnectionGate();  // Shutdown()
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // Takes ownership of an accepted socket (any thread). After Shutdown it is closed at once.
  void Admit(int fd);
  // A worker is done with a request (any thread). `keep_alive`: the connection waits for the next
  // request (bytes after request_end are its start); else it is closed.
  void Return(std::shared_ptr<GateConnection> c, bool keep_alive);
  // Stops the gate thread and closes every connection it holds. Idempotent.
  void Shutdown();

  // Connections open: held by the gate or by workers.
  std::size_t open() const { return open_.load(); }

 private:
  struct Slot;
  void Run();
  void TakeInbox(GateClock::time_point now);
  void Read(Slot& s);
  void Advance(Slot& s, GateClock::time_point now);
  void RefuseAndLinger(Slot& s, Refusal why, GateClock::time_point now);
  void Admission();
  void Close(Slot& s);
  void CloseFd(int fd);
  void Wake();

  const GateOptions options_;
  const Dispatch dispatch_;
  const Refuse refuse_;
  int wake_fd_ = -1;  // eventfd: Admit, Return and Shutdown wake the poll
  std::atomic<std::size_t> open_{0};
  std::atomic<std::size_t> buffered_bytes_{0};  // request bytes held by the gate and workers
  std::mutex mu_;                               // guards the inbox and stopping_
  std::vector<int> admitted_;
  std::vector<std::shared_ptr<GateConnection>> returned_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Slot>> slots_;  // gate thread only
  std::thread thread_;
};

}  // namespace claimgate::server
