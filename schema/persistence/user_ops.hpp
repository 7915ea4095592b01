// Persistence operations on users: one struct per operation, each answered in one transaction
// by the persistence actor (actors/persistence/persistence_actor.hpp lists request -> reply).
// Errors are caf::error in the `db` category (actors/persistence/db_error.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/persistence/common.hpp"
#include "schema/reflect.hpp"
#include "schema/users/user_records.hpp"

namespace coder::db {

// Inserts the owner only while the users table is empty (atomic, also across servers).
// Uses username, email, name, hashed_password, roles; id, status and timestamps come from the
// database. -> user_record; conflict (field "users") once any user exists.
struct insert_first_user {
  user_record user;
};
CODER_SCHEMA(insert_first_user, user)

// -> user_count
struct count_users {};
CODER_SCHEMA_EMPTY(count_users)

struct user_count {
  int64_t count = 0;
};
CODER_SCHEMA(user_count, count)

// Same fields as insert_first_user. -> user_record; conflict naming "username" or "email"
// (both unique case-insensitively).
struct insert_user {
  user_record user;
};
CODER_SCHEMA(insert_user, user)

// -> user_record; not_found
struct get_user_by_id {
  std::string id;
};
CODER_SCHEMA(get_user_by_id, id)

// Case-insensitive. -> user_record; not_found
struct get_user_by_email {
  std::string email;
};
CODER_SCHEMA(get_user_by_email, email)

// Case-insensitive. -> user_record; not_found
struct get_user_by_username {
  std::string username;
};
CODER_SCHEMA(get_user_by_username, username)

// Every user, oldest first. -> user_list
struct list_users {};
CODER_DB_SCHEMA_EMPTY_NAMED(list_users, "db_list_users")

struct user_list {
  std::vector<user_record> users;
};
CODER_SCHEMA(user_list, users)

// -> done; not_found
struct update_user_password {
  std::string user_id;
  std::string hashed_password;
  // Login sessions of the user other than this one are deleted in the same transaction, so a
  // changed password locks out whoever knew the old one. Empty: delete all of them.
  std::string keep_api_key_id;
};
CODER_SCHEMA(update_user_password, user_id, hashed_password, keep_api_key_id)

// status: "active" | "suspended". -> the updated user_record; not_found; invalid (status)
struct update_user_status {
  std::string user_id;
  std::string status;
};
CODER_SCHEMA(update_user_status, user_id, status)

// at: RFC 3339; empty = the database's now(). -> done; not_found
struct touch_user_last_seen {
  std::string user_id;
  std::string at;
};
CODER_SCHEMA(touch_user_last_seen, user_id, at)

}  // namespace coder::db
