#include "actors/persistence/queries.hpp"

namespace coder::persistence::sql {
namespace {

// Timestamps leave the database as RFC 3339 UTC with microseconds, the format of
// schema/timestamp.hpp; a NULL timestamp becomes "".
#define CODER_TS(col) \
  "coalesce(to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '')"

#define CODER_USER_COLUMNS                                                            \
  "id::text, username, email, name, hashed_password, status, roles::text, " CODER_TS( \
      "created_at") ", " CODER_TS("updated_at") ", " CODER_TS("last_seen_at")

#define CODER_KEY_COLUMNS                                                \
  "id, user_id::text, hashed_secret, token_name, login_type, " CODER_TS( \
      "created_at") ", " CODER_TS("expires_at") ", " CODER_TS("last_used") ", lifetime_seconds"

const pg_statement statements[] = {
    // Serialises first-user inserts across transactions (and servers): the NOT EXISTS below
    // then sees any first user committed while we waited, because READ COMMITTED takes a new
    // snapshot per statement. Same key space as nothing else.
    {first_user_lock, "SELECT pg_advisory_xact_lock(7237669006032742762)"},
    {insert_first_user,
     "INSERT INTO users (username, email, name, hashed_password, roles) "
     "SELECT $1, $2, $3, $4, $5::text[] WHERE NOT EXISTS (SELECT 1 FROM users) "
     "RETURNING " CODER_USER_COLUMNS},
    {count_users, "SELECT count(*) FROM users"},
    {insert_user,
     "INSERT INTO users (username, email, name, hashed_password, roles) "
     "VALUES ($1, $2, $3, $4, $5::text[]) RETURNING " CODER_USER_COLUMNS},
    {get_user_by_id, "SELECT " CODER_USER_COLUMNS " FROM users WHERE id = $1::uuid"},
    {get_user_by_email, "SELECT " CODER_USER_COLUMNS " FROM users WHERE lower(email) = lower($1)"},
    {get_user_by_username,
     "SELECT " CODER_USER_COLUMNS " FROM users WHERE lower(username) = lower($1)"},
    {list_users, "SELECT " CODER_USER_COLUMNS " FROM users ORDER BY created_at, id"},
    {update_user_password,
     "UPDATE users SET hashed_password = $2, updated_at = now() WHERE id = $1::uuid"},
    {update_user_status,
     "UPDATE users SET status = $2, updated_at = now() WHERE id = $1::uuid "
     "RETURNING " CODER_USER_COLUMNS},
    {touch_user_last_seen,
     "UPDATE users SET last_seen_at = coalesce(nullif($2::text, '')::timestamptz, now()) "
     "WHERE id = $1::uuid"},
    {insert_api_key,
     "INSERT INTO api_keys (id, user_id, hashed_secret, token_name, login_type, expires_at, "
     "last_used, lifetime_seconds) VALUES ($1, $2::uuid, $3, $4, $5, $6::timestamptz, "
     "nullif($7::text, '')::timestamptz, $8::bigint) RETURNING " CODER_KEY_COLUMNS},
    {get_api_key, "SELECT " CODER_KEY_COLUMNS " FROM api_keys WHERE id = $1"},
    {list_api_keys, "SELECT " CODER_KEY_COLUMNS " FROM api_keys WHERE user_id = $1::uuid "
                    "AND ($2::text = '' OR login_type = $2::text) ORDER BY created_at, id"},
    {delete_api_key, "DELETE FROM api_keys WHERE id = $1 AND user_id = $2::uuid"},
    {delete_other_login_sessions,
     "DELETE FROM api_keys WHERE user_id = $1::uuid AND login_type = 'password' AND id <> $2"},
    // One statement for a whole batch of keys; last_used never moves backwards, and keys
    // already at or past `at` are not rewritten.
    {touch_api_keys_last_used,
     "UPDATE api_keys SET last_used = $2::timestamptz WHERE id = ANY($1::text[]) "
     "AND (last_used IS NULL OR last_used < $2::timestamptz)"},
    {get_deployment_id, "SELECT deployment_id::text FROM deployment"},
};

#undef CODER_KEY_COLUMNS
#undef CODER_USER_COLUMNS
#undef CODER_TS

}  // namespace

std::span<const pg_statement> all_statements() {
  return statements;
}

}  // namespace coder::persistence::sql
