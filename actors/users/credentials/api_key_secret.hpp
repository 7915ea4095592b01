// API keys (session tokens and user-created tokens), Coder-shaped: the client holds
// "<id>-<secret>"; the server stores the id in clear (to find the row) and only SHA-256(secret) as
// lower-case hex, so a leaked database does not leak usable keys. The secret carries
// 22 * log2(62) ≈ 131 bits, enough that a plain (unsalted, fast) hash is safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace coder::credentials {

inline constexpr std::size_t api_key_id_length = 10;
inline constexpr std::size_t api_key_secret_length = 22;
inline constexpr std::size_t api_key_token_length = api_key_id_length + 1 + api_key_secret_length;
inline constexpr std::size_t hashed_secret_hex_length = 64;

struct api_key_parts {
  std::string id;
  std::string secret;
};

struct generated_api_key {
  std::string id;
  std::string secret;
  std::string hashed_secret;  // hex SHA-256 of `secret`: what the database stores
  std::string token() const { return id + "-" + secret; }
};

// Draws id and secret from OpenSSL's CSPRNG; nullopt only when the random source fails.
std::optional<generated_api_key> generate_api_key();

// Splits a presented token. Strict: exactly 10 + '-' + 22 characters, all [a-zA-Z0-9]; anything
// else (whitespace, other lengths, other separators) is nullopt and must be answered with 401.
std::optional<api_key_parts> parse_api_key(std::string_view token);

// Lower-case hex SHA-256 of the secret.
std::string hash_api_key_secret(std::string_view secret);

// Hashes `secret` and compares it with the stored hex digest in constant time.
bool api_key_secret_matches(std::string_view secret, std::string_view stored_hashed_secret);

// Constant-time equality (CRYPTO_memcmp); unequal lengths return false without comparing, which
// only reveals the length — for hex digests that is public anyway.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace coder::credentials
