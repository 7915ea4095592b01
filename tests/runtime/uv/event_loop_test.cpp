#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "runtime/uv/event_loop.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <csignal>
#include <future>
#include <thread>
#include <vector>

using namespace coder::uv;
using namespace std::chrono_literals;

TEST_CASE("event_loop runs every posted task exactly once, in order, from many threads") {
  event_loop loop;
  loop.start();
  constexpr int threads = 4;
  constexpr int per_thread = 5000;
  std::vector<std::vector<int>> seen(threads);
  std::atomic<int> total{0};
  std::vector<std::thread> posters;
  for (int t = 0; t < threads; ++t) {
    posters.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        // seen[t] is only touched on the loop thread.
        loop.post([&, t, i] {
          seen[t].push_back(i);
          total++;
        });
      }
    });
  }
  for (auto& p : posters) p.join();
  // uv_async_send coalesces wake-ups; a queue drained only once per wake-up would lose tasks.
  loop.run_sync([] {});
  CHECK(total == threads * per_thread);
  for (const auto& s : seen) {
    REQUIRE(s.size() == per_thread);
    bool ordered = true;
    for (int i = 0; i < per_thread; ++i) ordered = ordered && s[i] == i;
    CHECK(ordered);
  }
  loop.stop();
}

TEST_CASE("event_loop in_loop_thread and run_sync") {
  event_loop loop;
  loop.start();
  CHECK_FALSE(loop.in_loop_thread());
  bool inside = false;
  loop.run_sync([&] { inside = loop.in_loop_thread(); });
  CHECK(inside);
  // run_sync from the loop thread runs inline instead of deadlocking.
  int nested = 0;
  loop.run_sync([&] { loop.run_sync([&] { nested = 1; }); });
  CHECK(nested == 1);
  CHECK_THROWS(loop.run_sync([] { throw std::runtime_error("boom"); }));
}

TEST_CASE("event_loop timers fire, repeat and stop") {
  event_loop loop;
  loop.start();
  std::promise<int> fired;
  std::unique_ptr<timer> t;
  int count = 0;
  loop.run_sync([&] {
    t = std::make_unique<timer>(loop, [&] {
      if (++count == 3) {
        t->stop();
        fired.set_value(count);
      }
    });
    t->start(1ms, 1ms);
  });
  CHECK(fired.get_future().get() == 3);
  bool active = true;
  loop.run_sync([&] { active = t->active(); });
  CHECK_FALSE(active);
  loop.run_sync([&] { t.reset(); });

  std::promise<void> delayed;
  loop.post_after(1ms, [&] { delayed.set_value(); });
  CHECK(delayed.get_future().wait_for(10s) == std::future_status::ready);
}

TEST_CASE("event_loop stop closes live timers and drops later posts") {
  auto loop = std::make_unique<event_loop>();
  loop->start();
  std::unique_ptr<timer> t;
  loop->run_sync([&] {
    t = std::make_unique<timer>(*loop, [] {});
    t->start(1h);
  });
  bool ran_late = false;
  loop->post_after(1h, [&] { ran_late = true; });
  auto exec = loop->get_executor();
  // Without closing the timer itself, stop() would hang on an active handle.
  loop->stop();
  CHECK_FALSE(loop->post([] {}));
  CHECK_FALSE(exec->post([] {}));
  t.reset();
  loop.reset();
  CHECK_FALSE(exec->post([] {}));
  CHECK_FALSE(ran_late);
}

TEST_CASE("event_loop stop requested from the loop thread ends the loop") {
  event_loop loop;
  loop.start();
  loop.post([&] { loop.stop(); });
  std::this_thread::yield();
  loop.stop();  // joins
  CHECK_FALSE(loop.running());
  CHECK_FALSE(loop.post([] {}));
}

TEST_CASE("event_loop start ignores SIGPIPE so a vanished peer cannot kill the process") {
  event_loop loop;
  loop.start();
  struct sigaction current {};
  REQUIRE(sigaction(SIGPIPE, nullptr, &current) == 0);
  bool ignored = current.sa_handler == SIG_IGN;
  CHECK(ignored);
}
