// Password hashing for login: argon2id (libargon2), stored as a PHC string
//   $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt b64>$<hash b64>
// with a fresh 16-byte salt per hash from OpenSSL's CSPRNG. The parameters live in the string, so
// raising them later only affects new hashes; `needs_rehash` tells the login path when to upgrade.
// Plain C++ (no CAF): the user actors, the CLI and the tests share it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coder::credentials {

struct argon2_params {
  uint32_t memory_kib = 0;
  uint32_t passes = 0;
  uint32_t lanes = 0;
  friend bool operator==(const argon2_params&, const argon2_params&) = default;
};

// m=19 MiB, t=2, p=1 is OWASP's recommended argon2id floor; it costs ~26 ms on this project's
// 2-core reference machine (measured with libargon2 20190702, Debian 12), inside the 20–50 ms
// budget that keeps a login cheap for the server and an offline guess expensive for an attacker.
// One lane: the server handles many logins at once, so parallelism per hash buys nothing.
inline constexpr argon2_params default_argon2_params{19456, 2, 1};

// Upper bounds accepted when *reading* a stored hash, so a tampered or corrupted row cannot make
// one login allocate gigabytes or spin for minutes.
inline constexpr uint32_t max_memory_kib = 1u << 20;  // 1 GiB
inline constexpr uint32_t max_passes = 32;
inline constexpr uint32_t max_lanes = 16;

// Passwords longer than this are refused before hashing; identity_validation allows far less
// (64 characters), this only bounds the work done for a request that skipped validation.
inline constexpr std::size_t max_password_bytes = 4096;

// Returns the PHC string, or nullopt when the OS random source or the allocator fails or the
// password exceeds max_password_bytes — the caller answers 500/400, never stores anything.
std::optional<std::string> hash_password(std::string_view password,
                                         const argon2_params& params = default_argon2_params);

enum class verify_result {
  match,
  mismatch,
  malformed_hash,  // the stored string is not an argon2id PHC string we accept
};

// Recomputes the hash with the stored salt and parameters and compares in constant time.
verify_result verify_password(std::string_view password, std::string_view phc);

// Spends the same time as verify_password against a default-parameter hash, for logins naming an
// unknown user: the response time then does not reveal whether an account exists.
void dummy_verify(std::string_view password);

// The parameters of a well-formed stored hash, nullopt otherwise.
std::optional<argon2_params> parse_params(std::string_view phc);

// True when the stored hash was made with other parameters than `current` (or is unreadable), so
// a successful login should store a fresh hash.
bool needs_rehash(std::string_view phc, const argon2_params& current = default_argon2_params);

}  // namespace coder::credentials
