// Identifiers and secrets: random UUIDs for resource ids and agent tokens (Coder's server parses
// agent tokens as UUIDs), HMAC for deriving a build's agent token, SHA-256 for parameter env
// names. OpenSSL provides the randomness and the hashes.
#pragma once

#include <string>
#include <string_view>

namespace coder::provider {

std::string random_uuid();
// A version-4-shaped UUID made from the first 16 bytes of `bytes` (which must hold 16 or more).
std::string uuid_from_bytes(std::string_view bytes);
std::string hmac_sha256(std::string_view key, std::string_view message);  // raw 32 bytes
std::string sha256_hex(std::string_view data);

}  // namespace coder::provider
