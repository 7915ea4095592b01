#include "runtime/api/router.hpp"

namespace coder::api {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::vector<std::string>> split_path(std::string_view raw_path) {
  if (raw_path.empty() || raw_path.front() != '/') return std::nullopt;
  std::vector<std::string> segments;
  std::string current;
  // Skip the leading '/'; a trailing '/' is ignored so "/api/v2/users/" routes like
  // "/api/v2/users".
  for (size_t i = 1; i < raw_path.size(); ++i) {
    char c = raw_path[i];
    if (c == '/') {
      segments.push_back(std::move(current));
      current.clear();
      continue;
    }
    if (c == '%') {
      if (i + 2 >= raw_path.size()) return std::nullopt;
      int hi = hex_value(raw_path[i + 1]);
      int lo = hex_value(raw_path[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '/' || decoded == '\0') return std::nullopt;
      current += decoded;
      i += 2;
      continue;
    }
    if (c == '\0') return std::nullopt;
    current += c;
  }
  if (!current.empty()) segments.push_back(std::move(current));
  return segments;
}

}  // namespace coder::api
