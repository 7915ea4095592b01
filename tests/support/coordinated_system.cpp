#include "tests/support/coordinated_system.hpp"

#include <stdexcept>

#include "caf/atom.hpp"

namespace coder::testing {

coordinated_system::coordinated_system(std::function<void(caf::actor_system_config&)> configure) {
  cfg_.set("scheduler.policy", caf::atom("testing"));
  // A stray caf-application.ini must not change the test (see PLATFORM-NOTES).
  cfg_.set("logger.verbosity", caf::atom("quiet"));
  if (configure) configure(cfg_);
  sys_ = std::make_unique<caf::actor_system>(cfg_);
  sched_ = dynamic_cast<caf::scheduler::test_coordinator*>(&sys_->scheduler());
  if (!sched_) throw std::logic_error("coordinated_system: scheduler is not the test coordinator");
}

coordinated_system::~coordinated_system() {
  // Actors still alive hold the system open: let queued exit messages run before tear-down.
  sched_->run();
}

size_t coordinated_system::run() {
  return sched_->run();
}

bool coordinated_system::fire_next_timer() {
  if (!sched_->trigger_timeout()) return false;
  sched_->run();
  return true;
}

size_t coordinated_system::pending_timers() {
  return sched_->clock().schedule().size();
}

}  // namespace coder::testing
