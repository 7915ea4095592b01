// An actor system on CAF's deterministic test coordinator (Debian's CAF has no test DSL): no
// actor runs until the test says so, and delayed_send timers fire only when the test fires
// them, so protocols with timeouts and retries are tested in microseconds and without races.
//   coordinated_system cs{[](caf::actor_system_config& cfg) { register_my_types(cfg); }};
//   auto a = cs.sys().spawn(...);  cs.run();  cs.fire_next_timer();
// Detached actors get their own thread and escape the coordinator: spawn scheduled ones.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/scheduler/test_coordinator.hpp"

namespace coder::testing {

class coordinated_system {
 public:
  explicit coordinated_system(std::function<void(caf::actor_system_config&)> configure = {});
  ~coordinated_system();

  caf::actor_system& sys() { return *sys_; }
  caf::scheduler::test_coordinator& sched() { return *sched_; }

  // Runs actors until none has work; never fires timers (periodic actors would never idle).
  size_t run();
  // Fires the earliest pending delayed message, then run()s. False when no timer is pending.
  bool fire_next_timer();
  // Delayed messages waiting to be fired.
  size_t pending_timers();

 private:
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::scheduler::test_coordinator* sched_ = nullptr;
};

}  // namespace coder::testing
