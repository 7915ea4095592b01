// Rows of the users and api_keys tables as they travel between the persistence actor and the
// user actors. Secrets appear only hashed; these never leave the server (see user_api.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/reflect.hpp"

namespace coder::db {

struct user_record {
  std::string id;  // uuid
  std::string username;
  std::string email;
  std::string name;
  std::string hashed_password;  // "$argon2id$..." (PHC string)
  std::string status;           // "active" | "suspended"
  std::vector<std::string> roles;
  std::string created_at;  // RFC 3339, UTC
  std::string updated_at;
  std::string last_seen_at;
};
CODER_SCHEMA(user_record, id, username, email, name, hashed_password, status, roles, created_at,
             updated_at, last_seen_at)

struct api_key_record {
  std::string id;             // 10 chars [a-zA-Z0-9], the public half of "<id>-<secret>"
  std::string user_id;
  std::string hashed_secret;  // hex SHA-256 of the secret half
  std::string token_name;
  std::string login_type;  // "password" (login session) | "token"
  std::string created_at;
  std::string expires_at;
  std::string last_used;
  int64_t lifetime_seconds = 0;
};
CODER_SCHEMA(api_key_record, id, user_id, hashed_secret, token_name, login_type, created_at,
             expires_at, last_used, lifetime_seconds)

}  // namespace coder::db
