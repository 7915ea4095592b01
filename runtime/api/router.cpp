#include "runtime/api/router.hpp"

#include "runtime/http/request.hpp"

namespace coder::api {

std::optional<std::vector<std::string>> split_path(std::string_view raw_path) {
  if (raw_path.empty() || raw_path.front() != '/') return std::nullopt;
  std::vector<std::string> segments;
  // Skip the leading '/'; a trailing '/' is ignored so "/api/v2/users/" routes like
  // "/api/v2/users".
  raw_path.remove_prefix(1);
  while (!raw_path.empty()) {
    auto slash = raw_path.find('/');
    auto raw_segment = raw_path.substr(0, slash);
    auto decoded = http::percent_decode(raw_segment, false);
    if (!decoded || decoded->find('/') != std::string::npos ||
        decoded->find('\0') != std::string::npos)
      return std::nullopt;
    segments.push_back(std::move(*decoded));
    if (slash == std::string_view::npos) break;
    raw_path.remove_prefix(slash + 1);
    if (raw_path.empty()) break;
  }
  return segments;
}

}  // namespace coder::api
