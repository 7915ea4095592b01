// Spawns the users actor family for one api node. The directory answers users_actor's messages
// (actors/users/users_actor.hpp): it authorises, validates, talks to persistence, hashes
// passwords on detached hashers and owns one user actor per recently active user.
#pragma once

#include "actors/persistence/persistence_actor.hpp"
#include "actors/users/users_actor.hpp"
#include "caf/fwd.hpp"

namespace coder::users {

struct directory_options {
  // Concurrent argon2id hashes; each occupies one detached thread while it runs.
  int password_hashers = 2;
};

users_actor spawn_user_directory(caf::actor_system& sys, persistence::persistence_actor db,
                                 directory_options options = {});

// Registers every message type of the family with CAF (type names are the wire contract).
void register_users_types(caf::actor_system_config& cfg);

}  // namespace coder::users
