// HTTP API shapes for users, sessions and API tokens (`/api/v2/users...`), shaped after Coder's.
// Server, CLI and dashboard all use these; the dashboard's TypeScript is generated from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schema/reflect.hpp"

namespace coder::api {

// Roles: "owner" (the first user; administers the deployment) and "member".
// Status: "active" or "suspended".
struct user {
  std::string id;
  std::string username;
  std::string email;
  std::string name;
  std::string status;
  std::vector<std::string> roles;
  std::string login_type;  // "password"
  std::string created_at;  // RFC 3339, UTC
  std::string updated_at;
  std::string last_seen_at;
};
CODER_SCHEMA(user, id, username, email, name, status, roles, login_type, created_at, updated_at,
             last_seen_at)

struct users_response {
  std::vector<user> users;
  int64_t count = 0;
};
CODER_SCHEMA(users_response, users, count)

struct create_first_user_request {
  std::string email;
  std::string username;
  std::string password;
  std::optional<std::string> name;
};
CODER_SCHEMA(create_first_user_request, email, username, password, name)

struct create_first_user_response {
  std::string user_id;
};
CODER_SCHEMA(create_first_user_response, user_id)

struct create_user_request {
  std::string email;
  std::string username;
  std::string password;
  std::optional<std::string> name;
};
CODER_SCHEMA(create_user_request, email, username, password, name)

struct login_request {
  std::string email;
  std::string password;
};
CODER_SCHEMA(login_request, email, password)

struct login_response {
  std::string session_token;
};
CODER_SCHEMA(login_response, session_token)

struct update_password_request {
  std::string password;
  std::optional<std::string> old_password;  // required when changing one's own password
};
CODER_SCHEMA(update_password_request, password, old_password)

// An API key as listed (the secret is never returned after creation).
struct api_key {
  std::string id;
  std::string user_id;
  std::string token_name;
  std::string login_type;  // "password" (a login session) or "token" (created by the user)
  std::string created_at;
  std::string expires_at;
  std::string last_used;
  int64_t lifetime_seconds = 0;
};
CODER_SCHEMA(api_key, id, user_id, token_name, login_type, created_at, expires_at, last_used,
             lifetime_seconds)

struct create_token_request {
  std::optional<std::string> token_name;
  std::optional<int64_t> lifetime;  // seconds; default 30 days, at most 365 days
};
CODER_SCHEMA(create_token_request, token_name, lifetime)

struct generate_api_key_response {
  std::string key;  // "<id>-<secret>", shown once
};
CODER_SCHEMA(generate_api_key_response, key)

struct first_user_status {
  bool has_first_user = false;
};
CODER_SCHEMA(first_user_status, has_first_user)

struct build_info {
  std::string version;
  std::string external_url;
  std::string dashboard_url;
  std::string deployment_id;
};
CODER_SCHEMA(build_info, version, external_url, dashboard_url, deployment_id)

struct validation {
  std::string field;
  std::string detail;
};
CODER_SCHEMA(validation, field, detail)

// Every error body: {"message", "detail", "validations"}.
struct error_response {
  std::string message;
  std::string detail;
  std::vector<validation> validations;
};
CODER_SCHEMA(error_response, message, detail, validations)

}  // namespace coder::api
