// ConnectionGate over socket pairs: a worker gets a connection only with its whole request in
// memory; slow heads and bodies are refused at their deadline, hostile heads at their limit;
// idle connections are closed; a full gate makes room for a new client (issue 15).
#include "server/connection_gate.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace claimgate::server {

namespace {

using std::chrono::milliseconds;

// A gate whose "workers" are this test: dispatched connections are collected.
class Harness {
 public:
  explicit Harness(GateOptions o, bool accept_work = true)
      : accept_work_(accept_work),
        gate_(
            o,
            [this](std::shared_ptr<GateConnection>& c) {
              std::lock_guard<std::mutex> lock(mu_);
              if (!accept_work_) return false;
              dispatched_.push_back(c);
              cv_.notify_all();
              return true;
            },
            [this](Refusal why, int, std::string_view, bool json) {
              std::lock_guard<std::mutex> lock(mu_);
              refusals_.push_back(why);
              return std::string("HTTP/1.1 ") + std::to_string(StatusOf(why)) +
                     (json ? " json" : " html") + "\r\nContent-Length: 0\r\n\r\n";
            }) {}

  // A new client: returns its end of a socket pair whose other end the gate owns.
  int Connect() {
    int sv[2];
    BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    gate_.Admit(sv[1]);
    clients_.push_back(sv[0]);
    return sv[0];
  }

  // Waits up to `wait` for the n-th dispatched connection (0-based).
  std::shared_ptr<GateConnection> Dispatched(std::size_t n,
                                             milliseconds wait = milliseconds(2000)) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, wait, [&] { return dispatched_.size() > n; });
    return dispatched_.size() > n ? dispatched_[n] : nullptr;
  }
  std::size_t dispatched() {
    std::lock_guard<std::mutex> lock(mu_);
    return dispatched_.size();
  }
  std::vector<Refusal> refusals() {
    std::lock_guard<std::mutex> lock(mu_);
    return refusals_;
  }
  void AcceptWork() {
    std::lock_guard<std::mutex> lock(mu_);
    accept_work_ = true;
  }
  ConnectionGate& gate() { return gate_; }

  ~Harness() {
    gate_.Shutdown();
    for (int fd : clients_) ::close(fd);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool accept_work_;
  std::vector<std::shared_ptr<GateConnection>> dispatched_;
  std::vector<Refusal> refusals_;
  std::vector<int> clients_;
  ConnectionGate gate_;  // last: its thread uses the members above
};

void Send(int fd, const std::string& s) {
  BOOST_REQUIRE(::send(fd, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size()));
}

// Reads until the peer closes or `wait` passes; `closed` says which.
std::string ReadUntilClosed(int fd, milliseconds wait, bool* closed) {
  std::string out;
  *closed = false;
  const auto end = std::chrono::steady_clock::now() + wait;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(end - std::chrono::steady_clock::now()).count();
    if (left <= 0) return out;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return out;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) {
      *closed = true;
      return out;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

GateOptions Fast() {
  GateOptions o;
  o.header_timeout = milliseconds(300);
  o.request_timeout = milliseconds(600);
  o.keep_alive_timeout = milliseconds(300);
  o.linger = milliseconds(100);
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(connection_gate)

BOOST_AUTO_TEST_CASE(a_worker_gets_the_whole_request_and_keep_alive_brings_the_next) {
  Harness h(Fast());
  const int client = h.Connect();
  const std::string first = "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\n";
  const std::string second = "GET /b HTTP/1.1\r\n\r\n";
  Send(client, first + "he");
  std::this_thread::sleep_for(milliseconds(50));
  BOOST_TEST(h.dispatched() == 0u);  // the body is not complete yet
  Send(client, "llo" + second);      // the rest, and a pipelined second request
  std::shared_ptr<GateConnection> c = h.Dispatched(0);
  BOOST_REQUIRE(c);
  BOOST_TEST(c->buffered.substr(0, c->request_end) == first + "hello");
  h.gate().Return(c, true);
  std::shared_ptr<GateConnection> next = h.Dispatched(1);
  BOOST_REQUIRE(next);
  BOOST_TEST(next->buffered.substr(0, next->request_end) == second);
  BOOST_TEST(h.gate().open() == 1u);
  h.gate().Return(next, false);
  BOOST_TEST(h.gate().open() == 0u);
  bool closed = false;
  ReadUntilClosed(client, milliseconds(500), &closed);
  BOOST_TEST(closed);
}

BOOST_AUTO_TEST_CASE(a_chunked_body_is_read_to_its_last_chunk) {
  Harness h(Fast());
  const int client = h.Connect();
  const std::string request =
      "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  Send(client, request.substr(0, request.size() - 4));
  std::this_thread::sleep_for(milliseconds(50));
  BOOST_TEST(h.dispatched() == 0u);
  Send(client, request.substr(request.size() - 4));
  std::shared_ptr<GateConnection> c = h.Dispatched(0);
  BOOST_REQUIRE(c);
  BOOST_TEST(c->request_end == request.size());
  h.gate().Return(c, false);
}

BOOST_AUTO_TEST_CASE(a_slow_head_gets_408_at_its_deadline_and_is_closed) {
  Harness h(Fast());
  const int client = h.Connect();
  const auto start = std::chrono::steady_clock::now();
  Send(client, "GET / HTTP/1.1\r\n");
  std::thread slow([client] {  // one byte every 50 ms: each read is quick, the head never ends
    for (int i = 0; i < 20; ++i) {
      std::this_thread::sleep_for(milliseconds(50));
      if (::send(client, "X", 1, MSG_NOSIGNAL) != 1) return;
    }
  });
  bool closed = false;
  const std::string answer = ReadUntilClosed(client, milliseconds(3000), &closed);
  const long took = static_cast<long>(
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count());
  slow.join();
  BOOST_TEST(closed);
  BOOST_TEST(answer.rfind("HTTP/1.1 408", 0) == 0u);
  BOOST_TEST(took >= 250);
  BOOST_TEST(took < 1500);
  BOOST_TEST(h.dispatched() == 0u);
  BOOST_TEST((h.refusals() == std::vector<Refusal>{Refusal::kTimeout}));
}

BOOST_AUTO_TEST_CASE(a_slow_body_gets_408_at_the_request_deadline) {
  Harness h(Fast());
  const int client = h.Connect();
  Send(client, "POST / HTTP/1.1\r\nContent-Length: 100\r\nAccept: application/json\r\n\r\nab");
  bool closed = false;
  const std::string answer = ReadUntilClosed(client, milliseconds(3000), &closed);
  BOOST_TEST(closed);
  BOOST_TEST(answer.rfind("HTTP/1.1 408 json", 0) == 0u);
  BOOST_TEST(h.dispatched() == 0u);
}

BOOST_AUTO_TEST_CASE(hostile_heads_are_refused_at_their_limit) {
  struct Case {
    std::string bytes;
    Refusal why;
  };
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 101; ++i) many += "X-A: b\r\n";
  const std::vector<Case> cases = {
      {many + "\r\n", Refusal::kHeadersTooLarge},
      {"GET / HTTP/1.1\r\nCookie: " + std::string(17 * 1024, 'c'), Refusal::kHeadersTooLarge},
      {"GET /" + std::string(9000, 'u'), Refusal::kUriTooLong},
      {"POST / HTTP/1.1\r\nContent-Length: 9\r\nContent-Length: 8\r\n\r\n", Refusal::kMalformed},
      {"POST / HTTP/1.1\r\nContent-Length: 3000000\r\n\r\n", Refusal::kBodyTooLarge},
  };
  for (const Case& test : cases) {
    Harness h(Fast());
    const int client = h.Connect();
    Send(client, test.bytes);
    bool closed = false;
    const std::string answer = ReadUntilClosed(client, milliseconds(2000), &closed);
    BOOST_TEST_CONTEXT(test.bytes.substr(0, 40)) {
      BOOST_TEST(closed);
      BOOST_TEST(answer.rfind("HTTP/1.1 " + std::to_string(StatusOf(test.why)), 0) == 0u);
      BOOST_TEST((h.refusals() == std::vector<Refusal>{test.why}));
      BOOST_TEST(h.dispatched() == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(unused_and_idle_connections_are_closed_without_a_word) {
  Harness h(Fast());
  const int unused = h.Connect();
  bool closed = false;
  BOOST_TEST(ReadUntilClosed(unused, milliseconds(2000), &closed).empty());
  BOOST_TEST(closed);
  const int client = h.Connect();
  Send(client, "GET / HTTP/1.1\r\n\r\n");
  std::shared_ptr<GateConnection> c = h.Dispatched(0);
  BOOST_REQUIRE(c);
  h.gate().Return(c, true);  // now idle: closed after keep_alive_timeout
  BOOST_TEST(ReadUntilClosed(client, milliseconds(2000), &closed).empty());
  BOOST_TEST(closed);
  BOOST_TEST(h.refusals().empty());
}

BOOST_AUTO_TEST_CASE(a_full_gate_evicts_the_oldest_unfinished_connection) {
  GateOptions o = Fast();
  o.header_timeout = milliseconds(5000);
  o.max_connections = 2;
  Harness h(o);
  const int oldest = h.Connect();
  Send(oldest, "GET / HT");
  std::this_thread::sleep_for(milliseconds(30));
  const int second = h.Connect();
  Send(second, "GET / HT");
  std::this_thread::sleep_for(milliseconds(30));
  const int newest = h.Connect();  // one too many: the oldest goes
  bool closed = false;
  ReadUntilClosed(oldest, milliseconds(1000), &closed);
  BOOST_TEST(closed);
  Send(newest, "GET / HTTP/1.1\r\n\r\n");
  BOOST_TEST(h.Dispatched(0) != nullptr);
  ReadUntilClosed(second, milliseconds(50), &closed);
  BOOST_TEST(!closed);
  BOOST_TEST(h.gate().open() == 2u);
}

BOOST_AUTO_TEST_CASE(a_request_no_worker_can_take_waits_in_the_gate) {
  Harness h(Fast(), /*accept_work=*/false);
  const int client = h.Connect();
  Send(client, "GET / HTTP/1.1\r\n\r\n");
  std::this_thread::sleep_for(milliseconds(100));
  BOOST_TEST(h.dispatched() == 0u);
  h.AcceptWork();
  BOOST_TEST(h.Dispatched(0) != nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimgate::server
