// The typed interface of the users actor family: one `user_directory` per api node, which owns
// one `user` actor per active user (sessions, API-key cache, status). Include this header, not
// the behaviour; spawn with spawn_user_directory (actors/users/user_directory.hpp).
#pragma once

#include "caf/replies_to.hpp"
#include "caf/typed_actor.hpp"
#include "schema/users/user_messages.hpp"

namespace coder::users {

using users_actor = caf::typed_actor<
    caf::replies_to<authenticate>::with<principal>, caf::replies_to<has_first_user>::with<bool>,
    caf::replies_to<create_first_user>::with<api::create_first_user_response>,
    caf::replies_to<sign_in>::with<api::login_response>, caf::replies_to<sign_out>::with<done>,
    caf::replies_to<get_user>::with<api::user>,
    caf::replies_to<list_users>::with<api::users_response>,
    caf::replies_to<create_user>::with<api::user>,
    caf::replies_to<set_user_status>::with<api::user>, caf::replies_to<change_password>::with<done>,
    caf::replies_to<create_token>::with<api::generate_api_key_response>,
    caf::replies_to<list_tokens>::with<token_list>, caf::replies_to<delete_token>::with<done>>;

}  // namespace coder::users
