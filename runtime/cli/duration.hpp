// Durations on the command line ("30d", "720h", "1h30m", "90s", or plain seconds), as used by
// `tokens create --lifetime`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace coder::cli {

// Seconds, or nullopt for empty, zero-unit, unknown-unit, negative or overflowing input.
std::optional<int64_t> parse_duration_seconds(std::string_view text);

}  // namespace coder::cli
