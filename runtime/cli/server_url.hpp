// The deployment URL as the CLI takes it: "http(s)://host[:port][/base]". A bare host
// ("coder.example.com") means https, as in Coder's CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coder::cli {

struct server_url {
  std::string scheme;     // "http" or "https"
  std::string host;       // name, IPv4, or IPv6 without brackets
  uint16_t port = 0;      // explicit or the scheme's default
  std::string base_path;  // "" or "/prefix" without a trailing slash

  bool tls() const { return scheme == "https"; }
  // Canonical text: scheme://host[:port]/base, port omitted when it is the default.
  std::string text() const;
  // "host:port" / "[v6]:port" for the Host header and for dialing.
  std::string authority() const;
};

// nullopt for anything that is not an http(s) URL with a host: other schemes, user info,
// queries or fragments, bad ports.
std::optional<server_url> parse_server_url(std::string_view text);

}  // namespace coder::cli
