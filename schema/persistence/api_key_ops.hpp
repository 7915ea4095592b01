// Persistence operations on API keys (login sessions and named tokens); see user_ops.hpp for
// the conventions.
#pragma once

#include <string>
#include <vector>

#include "schema/persistence/common.hpp"
#include "schema/reflect.hpp"
#include "schema/users/user_records.hpp"

namespace coder::db {

// Stores every field but created_at (database now()) and last_used (empty = never).
// expires_at is required. -> the stored api_key_record; conflict naming "id" or "token_name"
// (token names are unique per user); invalid naming "user_id" when the user does not exist.
struct insert_api_key {
  api_key_record key;
};
CODER_SCHEMA(insert_api_key, key)

// -> api_key_record; not_found
struct get_api_key {
  std::string id;
};
CODER_SCHEMA(get_api_key, id)

// login_type: "password" | "token" | "" (both). Oldest first. -> api_key_list
struct list_api_keys {
  std::string user_id;
  std::string login_type;
};
CODER_SCHEMA(list_api_keys, user_id, login_type)

struct api_key_list {
  std::vector<api_key_record> keys;
};
CODER_SCHEMA(api_key_list, keys)

// Deletes the key only if it belongs to user_id. -> done; not_found
struct delete_api_key {
  std::string id;
  std::string user_id;
};
CODER_SCHEMA(delete_api_key, id, user_id)

// One statement for many keys; a last_used never moves backwards. at: RFC 3339.
// -> done (unknown ids are ignored: their keys were deleted meanwhile)
struct touch_api_keys_last_used {
  std::vector<std::string> ids;
  std::string at;
};
CODER_SCHEMA(touch_api_keys_last_used, ids, at)

}  // namespace coder::db
