#include "actors/users/credentials/api_key_secret.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

namespace coder::credentials {
namespace {

constexpr std::string_view alphabet =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
static_assert(alphabet.size() == 62);

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool all_alnum(std::string_view s) {
  for (char c : s)
    if (!is_alnum(c)) return false;
  return true;
}

// Uniform over the 62 characters: bytes >= 248 (= 4 * 62) are discarded instead of reduced
// modulo 62, which would favour the first eight characters.
std::optional<std::string> random_alnum(std::size_t length) {
  std::string out;
  out.reserve(length);
  std::array<unsigned char, 64> pool{};
  while (out.size() < length) {
    if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1) return std::nullopt;
    for (unsigned char b : pool) {
      if (b >= 248) continue;
      out.push_back(alphabet[b % alphabet.size()]);
      if (out.size() == length) break;
    }
  }
  OPENSSL_cleanse(pool.data(), pool.size());
  return out;
}

}  // namespace

std::optional<generated_api_key> generate_api_key() {
  auto id = random_alnum(api_key_id_length);
  auto secret = random_alnum(api_key_secret_length);
  if (!id || !secret) return std::nullopt;
  generated_api_key key;
  key.hashed_secret = hash_api_key_secret(*secret);
  key.id = std::move(*id);
  key.secret = std::move(*secret);
  return key;
}

std::optional<api_key_parts> parse_api_key(std::string_view token) {
  if (token.size() != api_key_token_length || token[api_key_id_length] != '-') return std::nullopt;
  auto id = token.substr(0, api_key_id_length);
  auto secret = token.substr(api_key_id_length + 1);
  if (!all_alnum(id) || !all_alnum(secret)) return std::nullopt;
  return api_key_parts{std::string(id), std::string(secret)};
}

std::string hash_api_key_secret(std::string_view secret) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_len = 0;
  // EVP_Digest fails only on allocation failure; the empty result then matches no stored digest,
  // so the failure denies access rather than granting it.
  EVP_Digest(secret.data(), secret.size(), digest.data(), &digest_len, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest_len * 2);
  for (unsigned int i = 0; i < digest_len; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0x0f]);
  }
  return out;
}

bool api_key_secret_matches(std::string_view secret, std::string_view stored_hashed_secret) {
  return constant_time_equals(hash_api_key_secret(secret), stored_hashed_secret);
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace coder::credentials
