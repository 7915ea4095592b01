#include "actors/users/credentials/password_hash.hpp"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <vector>

namespace coder::credentials {
namespace {

constexpr std::size_t salt_bytes = 16;
constexpr std::size_t hash_bytes = 32;
// Bounds for stored salts and digests: RFC 9106 allows 8+ byte salts; anything longer than 64
// bytes is not something we ever wrote.
constexpr std::size_t min_stored_salt = 8, max_stored_salt = 64;
constexpr std::size_t min_stored_hash = 16, max_stored_hash = 64;

constexpr std::string_view prefix = "$argon2id$v=19$";

// PHC strings use standard base64 without padding.
int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Strict: rejects padding, foreign characters, impossible lengths and non-zero leftover bits, so
// each byte string has exactly one accepted spelling.
std::optional<std::vector<unsigned char>> b64_decode(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::vector<unsigned char> out;
  out.reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = b64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((acc >> bits) & 0xff));
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

// Decimal without sign or leading zeros, as libargon2 writes it.
std::optional<uint32_t> take_u32(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  if (n == 0 || (n > 1 && s[0] == '0')) return std::nullopt;
  uint32_t value = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + n, value);
  if (ec != std::errc{} || ptr != s.data() + n) return std::nullopt;
  s.remove_prefix(n);
  return value;
}

bool take_literal(std::string_view& s, std::string_view literal) {
  if (s.substr(0, literal.size()) != literal) return false;
  s.remove_prefix(literal.size());
  return true;
}

struct parsed_hash {
  argon2_params params;
  std::vector<unsigned char> salt;
  std::vector<unsigned char> digest;
};

std::optional<parsed_hash> parse(std::string_view s) {
  parsed_hash out;
  if (!take_literal(s, prefix) || !take_literal(s, "m=")) return std::nullopt;
  auto m = take_u32(s);
  if (!m || !take_literal(s, ",t=")) return std::nullopt;
  auto t = take_u32(s);
  if (!t || !take_literal(s, ",p=")) return std::nullopt;
  auto p = take_u32(s);
  if (!p || !take_literal(s, "$")) return std::nullopt;
  auto dollar = s.find('$');
  if (dollar == std::string_view::npos) return std::nullopt;
  auto salt = b64_decode(s.substr(0, dollar));
  auto digest = b64_decode(s.substr(dollar + 1));
  if (!salt || !digest) return std::nullopt;
  out.params = {*m, *t, *p};
  if (*p < 1 || *p > max_lanes || *t < 1 || *t > max_passes) return std::nullopt;
  if (*m < 8 * *p || *m > max_memory_kib) return std::nullopt;
  if (salt->size() < min_stored_salt || salt->size() > max_stored_salt) return std::nullopt;
  if (digest->size() < min_stored_hash || digest->size() > max_stored_hash) return std::nullopt;
  out.salt = std::move(*salt);
  out.digest = std::move(*digest);
  return out;
}

// Secrets derived from a password do not outlive the comparison.
struct cleansed_buffer {
  explicit cleansed_buffer(std::size_t n) : bytes(n) {}
  ~cleansed_buffer() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
  std::vector<unsigned char> bytes;
};

}  // namespace

std::optional<std::string> hash_password(std::string_view password, const argon2_params& params) {
  if (password.size() > max_password_bytes) return std::nullopt;
  std::array<unsigned char, salt_bytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) return std::nullopt;
  auto encoded_len = argon2_encodedlen(params.passes, params.memory_kib, params.lanes,
                                       static_cast<uint32_t>(salt.size()), hash_bytes, Argon2_id);
  std::string encoded(encoded_len, '\0');
  int rc = argon2id_hash_encoded(params.passes, params.memory_kib, params.lanes, password.data(),
                                 password.size(), salt.data(), salt.size(), hash_bytes,
                                 encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return std::nullopt;
  encoded.resize(encoded.find('\0'));  // argon2_encodedlen counts the terminator
  return encoded;
}

verify_result verify_password(std::string_view password, std::string_view phc) {
  auto parsed = parse(phc);
  if (!parsed) return verify_result::malformed_hash;
  if (password.size() > max_password_bytes) {
    // Still spend a hash's worth of time so an oversized guess is not a timing oracle.
    dummy_verify({});
    return verify_result::mismatch;
  }
  cleansed_buffer computed(parsed->digest.size());
  int rc = argon2id_hash_raw(parsed->params.passes, parsed->params.memory_kib, parsed->params.lanes,
                             password.data(), password.size(), parsed->salt.data(),
                             parsed->salt.size(), computed.bytes.data(), computed.bytes.size());
  if (rc != ARGON2_OK) return verify_result::malformed_hash;
  bool equal =
      CRYPTO_memcmp(computed.bytes.data(), parsed->digest.data(), computed.bytes.size()) == 0;
  return equal ? verify_result::match : verify_result::mismatch;
}

void dummy_verify(std::string_view password) {
  // Same parameters, salt and digest sizes as a default hash, and the same final compare, so the
  // work matches verify_password on a real account to within noise.
  static constexpr std::array<unsigned char, salt_bytes> fixed_salt{
      0x63, 0x6f, 0x64, 0x65, 0x72, 0x2d, 0x6e, 0x6f,
      0x64, 0x65, 0x2d, 0x64, 0x75, 0x6d, 0x6d, 0x79};
  static const std::array<unsigned char, hash_bytes> never_matches{};
  if (password.size() > max_password_bytes) password = password.substr(0, max_password_bytes);
  cleansed_buffer computed(hash_bytes);
  const auto& p = default_argon2_params;
  argon2id_hash_raw(p.passes, p.memory_kib, p.lanes, password.data(), password.size(),
                    fixed_salt.data(), fixed_salt.size(), computed.bytes.data(),
                    computed.bytes.size());
  // The result is irrelevant; CRYPTO_memcmp is an opaque call the optimiser cannot drop.
  volatile int sink = CRYPTO_memcmp(computed.bytes.data(), never_matches.data(), hash_bytes);
  (void)sink;
}

std::optional<argon2_params> parse_params(std::string_view phc) {
  auto parsed = parse(phc);
  if (!parsed) return std::nullopt;
  return parsed->params;
}

bool needs_rehash(std::string_view phc, const argon2_params& current) {
  auto parsed = parse(phc);
  return !parsed || parsed->params != current || parsed->salt.size() != salt_bytes ||
         parsed->digest.size() != hash_bytes;
}

}  // namespace coder::credentials
