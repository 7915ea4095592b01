#include "runtime/node/message_types.hpp"

#include "actors/persistence/persistence_actor.hpp"
#include "actors/persistence/spawn_persistence.hpp"
#include "actors/users/user_directory.hpp"
#include "caf/actor_system_config.hpp"
#include "runtime/api/api_error.hpp"

namespace coder::node {

void register_message_types(caf::actor_system_config& cfg) {
  persistence::register_persistence_types(cfg);
  users::register_users_types(cfg);
  api::register_api_error_category(cfg);
}

}  // namespace coder::node
