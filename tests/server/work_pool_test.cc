// WorkPool: every task runs, the queue never holds more than its bound (Enqueue blocks instead,
// TryEnqueue refuses and leaves the task with its caller), and Shutdown drains what was queued.
#include "server/work_pool.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <thread>

namespace claimgate::server {

BOOST_AUTO_TEST_SUITE(work_pool)

BOOST_AUTO_TEST_CASE(runs_every_task_on_the_workers) {
  std::atomic<int> done{0};
  {
    WorkPool pool(3, 8);
    for (int i = 0; i < 1000; ++i) pool.Enqueue([&done] { done.fetch_add(1); });
    pool.Shutdown();
    BOOST_CHECK_LE(pool.high_water(), 8u);
  }
  BOOST_CHECK_EQUAL(done.load(), 1000);
}

BOOST_AUTO_TEST_CASE(enqueue_waits_when_the_queue_is_full) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> done{0};
  WorkPool pool(1, 2);
  std::atomic<bool> started{false};
  pool.Enqueue([&] {  // occupies the only worker until released
    started = true;
    gate.wait();
    done.fetch_add(1);
  });
  while (!started) std::this_thread::yield();
  pool.Enqueue([&] { done.fetch_add(1); });  // queued: 1
  pool.Enqueue([&] { done.fetch_add(1); });  // queued: 2 = the bound
  BOOST_CHECK_EQUAL(pool.queued(), 2u);
  std::atomic<bool> fourth_enqueued{false};
  std::thread producer([&] {
    pool.Enqueue([&] { done.fetch_add(1); });
    fourth_enqueued = true;
  });
  // Blocked while the worker is busy and the queue is full (whatever the wait, never done).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  BOOST_CHECK(!fourth_enqueued.load());
  BOOST_CHECK_EQUAL(pool.queued(), 2u);
  release.set_value();
  producer.join();
  BOOST_CHECK(fourth_enqueued.load());
  pool.Shutdown();
  BOOST_CHECK_EQUAL(done.load(), 4);
  BOOST_CHECK_EQUAL(pool.high_water(), 2u);
}

BOOST_AUTO_TEST_CASE(try_enqueue_refuses_when_full_and_keeps_the_task) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<bool> started{false};
  std::atomic<int> done{0};
  WorkPool pool(1, 1);
  pool.Enqueue([&] {  // occupies the only worker until released
    started = true;
    gate.wait();
  });
  while (!started) std::this_thread::yield();
  std::function<void()> first = [&] { done.fetch_add(1); };
  std::function<void()> second = [&] { done.fetch_add(10); };
  BOOST_CHECK(pool.TryEnqueue(std::move(first)));
  BOOST_CHECK(!pool.TryEnqueue(std::move(second)));  // the queue holds its one task
  BOOST_REQUIRE(second);                             // refused: still the caller's
  release.set_value();
  while (pool.queued() != 0) std::this_thread::yield();
  BOOST_CHECK(pool.TryEnqueue(std::move(second)));
  pool.Shutdown();
  BOOST_CHECK_EQUAL(done.load(), 11);
  std::function<void()> late = [] {};
  BOOST_CHECK(!pool.TryEnqueue(std::move(late)));  // stopped: refused, never run inline
}

BOOST_AUTO_TEST_CASE(after_shutdown_tasks_run_on_the_caller) {
  WorkPool pool(2, 4);
  pool.Shutdown();
  pool.Shutdown();  // idempotent
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id ran_on;
  pool.Enqueue([&] { ran_on = std::this_thread::get_id(); });
  BOOST_CHECK(ran_on == caller);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace claimgate::server
