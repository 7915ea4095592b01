// Password hashing and verification (argon2id, ~20-50 ms of CPU each) run on detached actors so
// a burst of logins never occupies CAF's scheduler threads, which serve every other request.
#pragma once

#include <string>

#include "caf/fwd.hpp"
#include "caf/replies_to.hpp"
#include "caf/typed_actor.hpp"
#include "schema/reflect.hpp"

namespace coder::users {

struct hash_password {
  std::string password;
};
CODER_SCHEMA(hash_password, password)

// An empty `phc` runs a dummy verification of equal cost and answers false, so that an unknown
// email takes as long as a wrong password.
struct verify_password {
  std::string password;
  std::string phc;
};
CODER_SCHEMA(verify_password, password, phc)

struct password_hash {
  std::string phc;
};
CODER_SCHEMA(password_hash, phc)

using password_hasher_actor = caf::typed_actor<caf::replies_to<hash_password>::with<password_hash>,
                                               caf::replies_to<verify_password>::with<bool>>;

password_hasher_actor spawn_password_hasher(caf::actor_system& sys);

}  // namespace coder::users
