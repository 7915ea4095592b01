// Messages of the users actor family (actors/users): what the HTTP API and the CLI-facing
// handlers ask of the user directory. Authorisation is decided by the actors from `principal`,
// never by the HTTP layer, so every entry point (HTTP, admin console, tests) gets the same rules.
#pragma once

#include <string>
#include <vector>

#include "schema/reflect.hpp"
#include "schema/users/user_api.hpp"

namespace coder::users {

// Who is calling, as established by `authenticate`.
struct principal {
  std::string user_id;
  std::string username;
  std::vector<std::string> roles;
  std::string api_key_id;
  bool is_owner = false;
};
CODER_SCHEMA(principal, user_id, username, roles, api_key_id, is_owner)

// `token` is "<id>-<secret>" from the Coder-Session-Token header or cookie.
struct authenticate {
  std::string token;
};
CODER_SCHEMA(authenticate, token)

struct has_first_user {};
CODER_SCHEMA_EMPTY(has_first_user)

struct create_first_user {
  api::create_first_user_request request;
};
CODER_SCHEMA(create_first_user, request)

struct sign_in {
  api::login_request request;
  std::string remote_ip;
};
CODER_SCHEMA(sign_in, request, remote_ip)

// Deletes the session key the caller used.
struct sign_out {
  principal caller;
};
CODER_SCHEMA(sign_out, caller)

// `user_ref` is a user id, a username, or "me".
struct get_user {
  principal caller;
  std::string user_ref;
};
CODER_SCHEMA(get_user, caller, user_ref)

struct list_users {
  principal caller;
};
CODER_SCHEMA(list_users, caller)

struct create_user {
  principal caller;
  api::create_user_request request;
};
CODER_SCHEMA(create_user, caller, request)

struct set_user_status {
  principal caller;
  std::string user_ref;
  std::string status;  // "active" | "suspended"
};
CODER_SCHEMA(set_user_status, caller, user_ref, status)

struct change_password {
  principal caller;
  std::string user_ref;
  api::update_password_request request;
};
CODER_SCHEMA(change_password, caller, user_ref, request)

struct create_token {
  principal caller;
  std::string user_ref;
  api::create_token_request request;
};
CODER_SCHEMA(create_token, caller, user_ref, request)

struct list_tokens {
  principal caller;
  std::string user_ref;
};
CODER_SCHEMA(list_tokens, caller, user_ref)

struct delete_token {
  principal caller;
  std::string user_ref;
  std::string key_id;
};
CODER_SCHEMA(delete_token, caller, user_ref, key_id)

// Replies that carry no data.
struct done {};
CODER_SCHEMA_EMPTY(done)

struct token_list {
  std::vector<api::api_key> keys;
};
CODER_SCHEMA(token_list, keys)

}  // namespace coder::users
