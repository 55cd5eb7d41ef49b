#include "server/connection_gate.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <utility>

namespace claimgate::server {

int StatusOf(Refusal r) {
  switch (r) {
    case Refusal::kMalformed:
      return 400;
    case Refusal::kTimeout:
      return 408;
    case Refusal::kBodyTooLarge:
      return 413;
    case Refusal::kUriTooLong:
      return 414;
    case Refusal::kHeadersTooLarge:
      return 431;
  }
  return 400;
}

struct ConnectionGate::Slot {
  enum class State {
    kHead,   // receiving the request head
    kBody,   // receiving the body
    kReady,  // complete, waiting for a worker (not polled)
    kIdle,   // keep-alive, between requests
    kDrain,  // refused: reading and dropping until the linger ends
    kGone,   // closed or handed to a worker: removed after this round
  };
  Slot(std::shared_ptr<GateConnection> c, State s, const HeadLimits& limits)
      : conn(std::move(c)), state(s), head(limits) {}

  std::shared_ptr<GateConnection> conn;
  State state;
  HeadScanner head;
  std::optional<ChunkedScanner> chunked;
  GateClock::time_point since;             // this state's start (the request's, in head and body)
  GateClock::time_point deadline;          // of this state
  GateClock::time_point request_deadline;  // of the body
  std::size_t request_end = 0;             // when known (a Content-Length)
  bool eof = false;                        // the client closed or the socket failed
};

ConnectionGate::ConnectionGate(GateOptions options, Dispatch dispatch, Refuse refuse)
    : options_(std::move(options)), dispatch_(std::move(dispatch)), refuse_(std::move(refuse)) {
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  thread_ = std::thread([this] { Run(); });
}

ConnectionGate::~ConnectionGate() {
  Shutdown();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void ConnectionGate::Admit(int fd) {
  open_.fetch_add(1);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      admitted_.push_back(fd);
      Wake();
      return;
    }
  }
  CloseFd(fd);
}

void ConnectionGate::Return(std::shared_ptr<GateConnection> c, bool keep_alive) {
  buffered_bytes_.fetch_sub(c->held);
  c->held = 0;
  if (keep_alive) {
    c->buffered.erase(0, c->request_end);
    c->request_end = 0;
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      returned_.push_back(std::move(c));
      Wake();
      return;
    }
  }
  CloseFd(c->fd);
}

void ConnectionGate::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    Wake();
  }
  if (thread_.joinable()) thread_.join();
}

void ConnectionGate::Wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof(one));
}

void ConnectionGate::CloseFd(int fd) {
  ::close(fd);
  open_.fetch_sub(1);
}

void ConnectionGate::Close(Slot& s) {
  buffered_bytes_.fetch_sub(s.conn->buffered.size());
  CloseFd(s.conn->fd);
  s.conn.reset();
  s.state = Slot::State::kGone;
}

void ConnectionGate::Run() {
  std::vector<pollfd> fds;
  std::vector<Slot*> polled;
  for (;;) {
    const GateClock::time_point start = GateClock::now();
    GateClock::time_point next = start + std::chrono::seconds(1);
    const bool budget_full = buffered_bytes_.load() >= options_.buffer_budget;
    bool waiting = budget_full;
    fds.assign(1, pollfd{wake_fd_, POLLIN, 0});
    polled.clear();
    for (const std::unique_ptr<Slot>& s : slots_) {
      if (s->state == Slot::State::kReady) {  // waits for a worker: tried again soon
        waiting = true;
        continue;
      }
      next = std::min(next, s->deadline);
      if (s->state == Slot::State::kBody && budget_full) continue;  // waits for memory
      fds.push_back(pollfd{s->conn->fd, POLLIN, 0});
      polled.push_back(s.get());
    }
    if (waiting) next = std::min(next, start + std::chrono::milliseconds(10));
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - start).count();
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(wait, 0)));
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) break;
    }
    const GateClock::time_point now = GateClock::now();
    if (ready > 0) {
      if (fds[0].revents != 0) {
        std::uint64_t count = 0;
        [[maybe_unused]] const ssize_t n = ::read(wake_fd_, &count, sizeof(count));
      }
      for (std::size_t i = 0; i < polled.size(); ++i) {
        if (fds[i + 1].revents != 0) Read(*polled[i]);
      }
    }
    TakeInbox(now);
    for (const std::unique_ptr<Slot>& s : slots_) Advance(*s, now);
    Admission();
    slots_.erase(std::remove_if(
                     slots_.begin(), slots_.end(),
                     [](const std::unique_ptr<Slot>& s) { return s->state == Slot::State::kGone; }),
                 slots_.end());
  }
  for (const std::unique_ptr<Slot>& s : slots_) {
    if (s->state != Slot::State::kGone) Close(*s);
  }
  slots_.clear();
  std::vector<int> admitted;
  std::vector<std::shared_ptr<GateConnection>> returned;
  {
    std::lock_guard<std::mutex> lock(mu_);
    admitted.swap(admitted_);
    returned.swap(returned_);
  }
  for (int fd : admitted) CloseFd(fd);
  for (const std::shared_ptr<GateConnection>& c : returned) {
    buffered_bytes_.fetch_sub(c->buffered.size());
    CloseFd(c->fd);
  }
}

void ConnectionGate::TakeInbox(GateClock::time_point now) {
  std::vector<int> admitted;
  std::vector<std::shared_ptr<GateConnection>> returned;
  {
    std::lock_guard<std::mutex> lock(mu_);
    admitted.swap(admitted_);
    returned.swap(returned_);
  }
  for (int fd : admitted) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    auto c = std::make_shared<GateConnection>();
    c->fd = fd;
    c->accepted = now;
    auto s = std::make_unique<Slot>(std::move(c), Slot::State::kHead, options_.head);
    // A new connection's head is due header_timeout after the accept.
    s->since = now;
    s->deadline = now + options_.header_timeout;
    s->request_deadline = now + options_.request_timeout;
    slots_.push_back(std::move(s));
  }
  for (std::shared_ptr<GateConnection>& c : returned) {
    buffered_bytes_.fetch_add(c->buffered.size());
    auto s = std::make_unique<Slot>(std::move(c), Slot::State::kIdle, options_.head);
    s->since = now;
    s->deadline = now + options_.keep_alive_timeout;
    slots_.push_back(std::move(s));
  }
}

void ConnectionGate::Read(Slot& s) {
  char buf[16 * 1024];
  const bool body = s.state == Slot::State::kBody;
  const bool drain = s.state == Slot::State::kDrain;
  // A head is scanned after every read (it is refused beyond 16 KiB or so); a body or a drain
  // may take a few reads per round.
  const int rounds = body || drain ? 4 : 1;
  for (int i = 0; i < rounds; ++i) {
    std::size_t want = sizeof(buf);
    if (body && s.request_end > 0) {  // not past a Content-Length body: the rest is the next one
      want = std::min(want, s.request_end - s.conn->buffered.size());
      if (want == 0) return;
    }
    const ssize_t n = ::recv(s.conn->fd, buf, want, 0);
    if (n > 0) {
      if (!drain) {
        s.conn->buffered.append(buf, static_cast<std::size_t>(n));
        buffered_bytes_.fetch_add(static_cast<std::size_t>(n));
      }
      continue;
    }
    if (n < 0 && errno == EINTR) {
      --i;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    s.eof = true;  // closed by the client, or reset
    return;
  }
}

void ConnectionGate::RefuseAndLinger(Slot& s, Refusal why, GateClock::time_point now) {
  const std::string response =
      refuse_(why, s.conn->fd, s.conn->buffered, s.head.head().accept_json);
  // One try: a refusal is small and the socket's buffer empty, and nothing here may block.
  [[maybe_unused]] const ssize_t n =
      ::send(s.conn->fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(s.conn->fd, SHUT_WR);
  buffered_bytes_.fetch_sub(s.conn->buffered.size());
  std::string().swap(s.conn->buffered);
  s.state = Slot::State::kDrain;
  s.since = now;
  s.deadline = now + options_.linger;
}

void ConnectionGate::Advance(Slot& s, GateClock::time_point now) {
  using State = Slot::State;
  GateConnection& c = *s.conn.get();
  if (s.state == State::kGone) return;
  if (s.state == State::kDrain) {
    if (s.eof || now >= s.deadline) Close(s);
    return;
  }
  if (s.state == State::kIdle) {
    if (c.buffered.empty()) {
      if (s.eof || now >= s.deadline) Close(s);
      return;
    }
    s.state = State::kHead;  // the next request has begun
    s.head = HeadScanner(options_.head);
    s.chunked.reset();
    s.request_end = 0;
    s.since = now;
    s.deadline = now + options_.header_timeout;
    s.request_deadline = now + options_.request_timeout;
  }
  if (s.state == State::kHead) {
    switch (s.head.Scan(c.buffered)) {
      case HeadState::kIncomplete:
        if (s.eof) {
          Close(s);
        } else if (now >= s.deadline) {
          // Nothing received at all: an unused connection, closed without a word.
          if (c.buffered.empty()) {
            Close(s);
          } else {
            RefuseAndLinger(s, Refusal::kTimeout, now);
          }
        }
        return;
      case HeadState::kRequestLineTooLong:
        return RefuseAndLinger(s, Refusal::kUriTooLong, now);
      case HeadState::kHeadersTooLarge:
        return RefuseAndLinger(s, Refusal::kHeadersTooLarge, now);
      case HeadState::kMalformed:
        return RefuseAndLinger(s, Refusal::kMalformed, now);
      case HeadState::kComplete:
        break;
    }
    const RequestHead& h = s.head.head();
    if (h.has_content_length && h.content_length > options_.max_body_bytes) {
      return RefuseAndLinger(s, Refusal::kBodyTooLarge, now);
    }
    if (h.chunked) {
      s.chunked.emplace(options_.max_body_bytes);
    } else {
      s.request_end = h.size + static_cast<std::size_t>(h.content_length);
    }
    if (h.expect_continue && (h.chunked || h.content_length > 0) && c.buffered.size() == h.size) {
      // The client waits for this before sending the body. httplib sends another one when it
      // handles the request: a client reads any number of 1xx answers (RFC 9110 §15.2).
      static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      [[maybe_unused]] const ssize_t n =
          ::send(c.fd, kContinue, sizeof(kContinue) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    s.state = State::kBody;
    s.deadline = s.request_deadline;
  }
  if (s.state == State::kBody) {
    if (s.chunked) {
      const std::size_t head_size = s.head.head().size;
      switch (s.chunked->Scan(std::string_view(c.buffered).substr(head_size))) {
        case ChunkedScanner::State::kIncomplete:
          break;
        case ChunkedScanner::State::kComplete:
          s.request_end = head_size + s.chunked->size();
          break;
        case ChunkedScanner::State::kMalformed:
          return RefuseAndLinger(s, Refusal::kMalformed, now);
        case ChunkedScanner::State::kTooLarge:
          return RefuseAndLinger(s, Refusal::kBodyTooLarge, now);
      }
    }
    if (s.request_end == 0 || c.buffered.size() < s.request_end) {
      if (s.eof) {
        Close(s);
      } else if (now >= s.deadline) {
        RefuseAndLinger(s, Refusal::kTimeout, now);
      }
      return;
    }
    s.state = State::kReady;
  }
  if (s.state == State::kReady) {
    c.request_end = s.request_end;
    c.held = c.buffered.size();
    if (dispatch_(s.conn)) {
      s.conn.reset();
      s.state = State::kGone;
    }
  }
}

void ConnectionGate::Admission() {
  using State = Slot::State;
  while (open_.load() > options_.max_connections) {
    // The longest-idle keep-alive connection, else a refused one still lingering, else the one
    // that has been sending its request the longest. Never one that is complete.
    Slot* victim = nullptr;
    auto rank = [](State st) { return st == State::kIdle ? 0 : st == State::kDrain ? 1 : 2; };
    for (const std::unique_ptr<Slot>& s : slots_) {
      if (s->state == State::kGone || s->state == State::kReady) continue;
      if (victim == nullptr || rank(s->state) < rank(victim->state) ||
          (rank(s->state) == rank(victim->state) && s->since < victim->since)) {
        victim = s.get();
      }
    }
    if (victim == nullptr) return;
    Close(*victim);
  }
}

}  // namespace claimgate::server
