// One actor per recently active user: its record and a cache of its API keys, so that an
// authenticated request costs two actor hops and a SHA-256, not a database round trip. Every
// change that affects authentication reaches it from the directory in FIFO order before the
// client hears "done" — so a suspension or revocation holds from the very next request.
#pragma once

#include <optional>
#include <string>

#include "caf/replies_to.hpp"
#include "caf/typed_actor.hpp"
#include "schema/persistence/api_key_ops.hpp"
#include "schema/persistence/common.hpp"
#include "schema/reflect.hpp"
#include "schema/users/user_messages.hpp"
#include "schema/users/user_records.hpp"

namespace coder::users {

// `fetched` carries the key row when the directory just loaded it from the database.
struct check_key {
  std::string key_id;
  std::string secret;
  std::optional<db::api_key_record> fetched;
};
CODER_SCHEMA(check_key, key_id, secret, fetched)

struct user_changed {
  db::user_record record;
};
CODER_SCHEMA(user_changed, record)

struct key_revoked {
  std::string key_id;
};
CODER_SCHEMA(key_revoked, key_id)

// The user's login sessions except `keep_api_key_id` were deleted (a password change).
struct sessions_revoked {
  std::string keep_api_key_id;
};
CODER_SCHEMA(sessions_revoked, keep_api_key_id)

// Sent when the directory evicts an idle user; queued behind everything forwarded before it.
struct retire {};
CODER_SCHEMA_EMPTY(retire)

// The persistence operations a user actor needs: loading a key it has not cached and recording
// last_used. The persistence actor's handle converts to it; tests drive a user actor with a small
// recorder instead.
using user_key_store =
    caf::typed_actor<caf::replies_to<db::get_api_key>::with<db::api_key_record>,
                     caf::replies_to<db::touch_api_keys_last_used>::with<db::done>>;

using user_actor = caf::typed_actor<caf::replies_to<check_key>::with<principal>,
                                    caf::reacts_to<user_changed>, caf::reacts_to<key_revoked>,
                                    caf::reacts_to<sessions_revoked>, caf::reacts_to<retire>>;

user_actor spawn_user_actor(caf::actor_system& sys, db::user_record record, user_key_store db);

}  // namespace coder::users
