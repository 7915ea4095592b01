// Every SQL statement of the persistence actor, prepared once per connection. Names are the
// prepared statements' names; the table is all_statements(). No SQL lives anywhere else.
#pragma once

#include <span>

#include "actors/persistence/pg_connection.hpp"

namespace coder::persistence::sql {

inline constexpr const char* first_user_lock = "first_user_lock";
inline constexpr const char* insert_first_user = "insert_first_user";
inline constexpr const char* count_users = "count_users";
inline constexpr const char* insert_user = "insert_user";
inline constexpr const char* get_user_by_id = "get_user_by_id";
inline constexpr const char* get_user_by_email = "get_user_by_email";
inline constexpr const char* get_user_by_username = "get_user_by_username";
inline constexpr const char* list_users = "list_users";
inline constexpr const char* update_user_password = "update_user_password";
inline constexpr const char* update_user_status = "update_user_status";
inline constexpr const char* touch_user_last_seen = "touch_user_last_seen";
inline constexpr const char* insert_api_key = "insert_api_key";
inline constexpr const char* get_api_key = "get_api_key";
inline constexpr const char* list_api_keys = "list_api_keys";
inline constexpr const char* delete_api_key = "delete_api_key";
inline constexpr const char* delete_other_login_sessions = "delete_other_login_sessions";
inline constexpr const char* touch_api_keys_last_used = "touch_api_keys_last_used";
inline constexpr const char* get_deployment_id = "get_deployment_id";

std::span<const pg_statement> all_statements();

// Column counts of the row shapes the statements return.
inline constexpr size_t user_columns = 10;    // user_record's fields, in order
inline constexpr size_t api_key_columns = 9;  // api_key_record's fields, in order

}  // namespace coder::persistence::sql
