#pragma once

// A fixed set of worker threads with a bounded queue. cpp-httplib's own ThreadPool (0.11) queues
// without limit; here at most `max_queued` tasks wait for a worker: beyond that Enqueue blocks
// and TryEnqueue refuses. serve's connection gate (connection_gate.h) queues complete requests
// with TryEnqueue and keeps the rest itself; nothing here knows about HTTP.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace claimgate::server {

class WorkPool {
 public:
  WorkPool(std::size_t threads, std::size_t max_queued);
  ~WorkPool();  // Shutdown()
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Queues `task`; blocks while `max_queued` tasks are already waiting. After Shutdown() the task
  // is run on the caller's thread (nothing is dropped: a dropped httplib task leaks its socket).
  void Enqueue(std::function<void()> task);
  // Queues `task` unless `max_queued` tasks are already waiting or the pool is stopping; never
  // blocks. On false `task` is left as it was.
  bool TryEnqueue(std::function<void()>&& task);
  // Runs every queued task, then joins the workers. Idempotent.
  void Shutdown();

  // For tests and metrics: tasks waiting, and the most that ever waited at once.
  std::size_t queued() const;
  std::size_t high_water() const;

 private:
  void Work();

  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable has_work_;
  std::condition_variable has_room_;
  std::deque<std::function<void()>> queue_;
  std::size_t high_water_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace claimgate::server
