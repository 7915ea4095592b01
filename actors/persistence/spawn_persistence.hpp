// Starting the persistence actor: register its message types on every node's config (type
// names are the wire contract), then spawn it once per api node.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "actors/persistence/persistence_actor.hpp"
#include "caf/expected.hpp"

namespace caf {
class actor_system;
class actor_system_config;
}  // namespace caf

namespace coder::persistence {

class batch_executor;

// Every request/reply type of persistence_actor.hpp (names = schema_name<T>()), the row types
// and the `db` error category.
void register_persistence_types(caf::actor_system_config& cfg);

struct persistence_options {
  // Most operations per pipeline; more waiting operations run in further pipelines.
  size_t max_batch = 512;
};

// Connects (blocking: call at start-up, not from an actor), applies missing migrations, then
// spawns the actor detached (its own thread: libpq blocks). Errors: unavailable (cannot
// connect), schema_too_new, internal (a migration failed).
caf::expected<persistence_actor> spawn_persistence(caf::actor_system& sys,
                                                   std::string connection_url,
                                                   persistence_options options = {});

// The same behaviour on an injected executor, spawned as a *scheduled* actor so that CAF's
// test coordinator drives it deterministically (a detached actor has its own thread).
persistence_actor spawn_persistence_with_executor_ForTest(caf::actor_system& sys,
                                                          std::shared_ptr<batch_executor> exec,
                                                          persistence_options options = {});

}  // namespace coder::persistence
