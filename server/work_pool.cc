#include "server/work_pool.h"

#include <algorithm>
#include <utility>

namespace claimgate::server {

WorkPool::WorkPool(std::size_t threads, std::size_t max_queued)
    : max_queued_(std::max<std::size_t>(max_queued, 1)) {
  threads = std::max<std::size_t>(threads, 1);
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
}

WorkPool::~WorkPool() { Shutdown(); }

void WorkPool::Enqueue(std::function<void()> task) {
  std::unique_lock<std::mutex> lock(mu_);
  has_room_.wait(lock, [this] { return stopping_ || queue_.size() < max_queued_; });
  if (stopping_) {
    lock.unlock();
    task();
    return;
  }
  queue_.push_back(std::move(task));
  high_water_ = std::max(high_water_, queue_.size());
  has_work_.notify_one();
}

bool WorkPool::TryEnqueue(std::function<void()>&& task) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_ || queue_.size() >= max_queued_) return false;
  queue_.push_back(std::move(task));
  high_water_ = std::max(high_water_, queue_.size());
  has_work_.notify_one();
  return true;
}

void WorkPool::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
  }
  has_work_.notify_all();
  has_room_.notify_all();
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
  std::lock_guard<std::mutex> lock(mu_);
  workers_.clear();
}

std::size_t WorkPool::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

std::size_t WorkPool::high_water() const {
  std::lock_guard<std::mutex> lock(mu_);
  return high_water_;
}

void WorkPool::Work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      has_work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has run
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    has_room_.notify_one();
    task();
  }
}

}  // namespace claimgate::server
