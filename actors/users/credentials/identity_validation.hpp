// Validation of what a person types when an account is created or changed. Each check returns
// nullopt when the value is acceptable, else a short human detail for the API's
// `validations[].detail` (and the CLI's prompts), e.g. "must be <= 32 characters".
//
// The rules follow Coder's so accounts and scripts carry over:
//  - usernames: codersdk.NameValid — 1..32 characters matching ^[a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*$,
//    not a reserved route word. Case is kept as typed (Coder does not lower-case), but uniqueness
//    is case-insensitive (Coder's unique index is on lower(username)): compare `identity_key`s.
//  - passwords: coderd/userpassword.Validate — an entropy estimate of at least 52 bits (the
//    go-password-validator model) and at most 64 characters; we add a floor of 8 characters.
//  - emails: a pragmatic subset of RFC 5322 addr-spec (see validate_email).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace coder::credentials {

inline constexpr std::size_t username_max_length = 32;
inline constexpr std::size_t email_max_bytes = 254;  // RFC 5321 forward-path limit
inline constexpr std::size_t email_local_max_bytes = 64;
inline constexpr std::size_t password_min_chars = 8;
inline constexpr std::size_t password_max_chars = 64;
inline constexpr double password_min_entropy_bits = 52.0;
inline constexpr std::size_t real_name_max_bytes = 128;

std::optional<std::string> validate_username(std::string_view username);

// One '@'; a non-empty local part (≤ 64 bytes) of RFC 5322 atext in dot-separated runs; a domain
// of ≥ 2 dot-separated labels (letters, digits, inner hyphens, or UTF-8 for IDNs) whose last label
// is not all digits; no spaces or control characters; ≤ 254 bytes; valid UTF-8. Quoted local
// parts and IP-literal domains are refused: nobody signs up with them, and they are a classic
// source of parser disagreements.
std::optional<std::string> validate_email(std::string_view email);

// Characters are Unicode code points; the input must be valid UTF-8.
std::optional<std::string> validate_password(std::string_view password);

// Coder's optional display name: ≤ 128 bytes, no leading or trailing whitespace.
std::optional<std::string> validate_real_name(std::string_view name);

// go-password-validator's estimate: log2(pool size) * length, where the pool is the sum of the
// character classes used and each distinct character counts at most twice toward the length.
double password_entropy_bits(std::string_view password);

// ASCII lower-case of a username or email: the key for uniqueness and lookup.
std::string identity_key(std::string_view value);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace coder::credentials
