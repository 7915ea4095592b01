#include "runtime/cli/duration.hpp"

#include <limits>

namespace coder::cli {

std::optional<int64_t> parse_duration_seconds(std::string_view text) {
  if (text.empty()) return std::nullopt;
  constexpr int64_t max = std::numeric_limits<int64_t>::max();
  int64_t total = 0;
  std::size_t i = 0;
  bool any_unit = false;
  while (i < text.size()) {
    int64_t number = 0;
    std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      int digit = text[i] - '0';
      if (number > (max - digit) / 10) return std::nullopt;
      number = number * 10 + digit;
      ++i;
    }
    if (i == start) return std::nullopt;  // a unit without a number, or a sign
    if (i == text.size()) {
      // A bare number is seconds, but only on its own: "1h30" is a typo, not 1h + 30s.
      if (any_unit) return std::nullopt;
      return number;
    }
    int64_t unit = 0;
    switch (text[i]) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      default:
        return std::nullopt;
    }
    ++i;
    if (number > (max - total) / unit) return std::nullopt;
    total += number * unit;
    any_unit = true;
  }
  return total;
}

}  // namespace coder::cli
