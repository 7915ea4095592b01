#include "actors/users/password_hasher.hpp"

#include "actors/users/credentials/password_hash.hpp"
#include "caf/actor_system.hpp"
#include "caf/typed_event_based_actor.hpp"
#include "runtime/api/api_error.hpp"

namespace coder::users {
namespace {

password_hasher_actor::behavior_type password_hasher(password_hasher_actor::pointer) {
  return {
      [](hash_password& msg) -> caf::result<password_hash> {
        auto phc = credentials::hash_password(msg.password);
        if (!phc)
          return api::make_api_error(api::api_errc::internal, "Could not hash the password.");
        return password_hash{std::move(*phc)};
      },
      [](verify_password& msg) -> caf::result<bool> {
        if (msg.phc.empty()) {
          credentials::dummy_verify(msg.password);
          return false;
        }
        return credentials::verify_password(msg.password, msg.phc) ==
               credentials::verify_result::match;
      },
  };
}

}  // namespace

password_hasher_actor spawn_password_hasher(caf::actor_system& sys) {
  return sys.spawn<caf::detached>(password_hasher);
}

}  // namespace coder::users
