// The typed interface of the persistence actor: one request type per database operation, each
// answered in one transaction, failures as caf::error in the `db` category (db_error.hpp).
// Include this header to talk to it; spawning and type registration are in
// spawn_persistence.hpp, the behaviour in persistence_actor.cpp.
#pragma once

#include "actors/persistence/db_error.hpp"
#include "caf/replies_to.hpp"
#include "caf/typed_actor.hpp"
#include "schema/persistence/api_key_ops.hpp"
#include "schema/persistence/deployment_ops.hpp"
#include "schema/persistence/user_ops.hpp"

namespace coder::persistence {

using persistence_actor = caf::typed_actor<
    // users
    caf::replies_to<db::insert_first_user>::with<db::user_record>,
    caf::replies_to<db::count_users>::with<db::user_count>,
    caf::replies_to<db::insert_user>::with<db::user_record>,
    caf::replies_to<db::get_user_by_id>::with<db::user_record>,
    caf::replies_to<db::get_user_by_email>::with<db::user_record>,
    caf::replies_to<db::get_user_by_username>::with<db::user_record>,
    caf::replies_to<db::list_users>::with<db::user_list>,
    caf::replies_to<db::update_user_password>::with<db::done>,
    caf::replies_to<db::update_user_status>::with<db::user_record>,
    caf::replies_to<db::touch_user_last_seen>::with<db::done>,
    // API keys
    caf::replies_to<db::insert_api_key>::with<db::api_key_record>,
    caf::replies_to<db::get_api_key>::with<db::api_key_record>,
    caf::replies_to<db::list_api_keys>::with<db::api_key_list>,
    caf::replies_to<db::delete_api_key>::with<db::done>,
    caf::replies_to<db::touch_api_keys_last_used>::with<db::done>,
    // deployment and the actor itself
    caf::replies_to<db::get_deployment_id>::with<db::deployment_info>,
    caf::replies_to<db::get_persistence_stats>::with<db::persistence_stats>>;

}  // namespace coder::persistence
