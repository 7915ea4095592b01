#include "runtime/cli/server_url.hpp"

#include <cctype>
#include <charconv>

namespace coder::cli {

std::string server_url::authority() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

std::string server_url::text() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  bool default_port = (tls() && port == 443) || (!tls() && port == 80);
  return scheme + "://" + h + (default_port ? "" : ":" + std::to_string(port)) + base_path;
}

std::optional<server_url> parse_server_url(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  server_url out;
  auto sep = text.find("://");
  if (sep == std::string_view::npos) {
    out.scheme = "https";
  } else {
    std::string scheme(text.substr(0, sep));
    for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "http" && scheme != "https") return std::nullopt;
    out.scheme = scheme;
    text.remove_prefix(sep + 3);
  }
  auto slash = text.find('/');
  std::string_view authority = text.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : text.substr(slash);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  if (path.find_first_of("?#") != std::string_view::npos) return std::nullopt;
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;

  std::string_view port_text;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(authority.substr(1, close - 1));
    auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port_text = rest.substr(1);
      if (port_text.empty()) return std::nullopt;
    }
  } else {
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      authority = authority.substr(0, colon);
      if (port_text.empty()) return std::nullopt;
    }
    out.host = std::string(authority);
    if (out.host.find(':') != std::string::npos) return std::nullopt;  // IPv6 needs brackets
  }
  if (out.host.empty()) return std::nullopt;
  if (port_text.empty()) {
    out.port = out.tls() ? 443 : 80;
  } else {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || value == 0 ||
        value > 65535)
      return std::nullopt;
    out.port = static_cast<uint16_t>(value);
  }
  std::string base(path);
  while (!base.empty() && base.back() == '/') base.pop_back();
  out.base_path = std::move(base);
  return out;
}

}  // namespace coder::cli
