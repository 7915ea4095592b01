// A parsed HTTP request as the server hands it to a handler (body complete, limits enforced).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/http/headers.hpp"

namespace coder::http {

struct request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as on the request line: "/a%20b?x=1"
  std::string path;    // percent-decoded path: "/a b"
  std::string query;   // raw query without '?': "x=1"
  header_map headers;
  std::string body;
  std::string remote_address;  // peer IP, no port
  bool tls = false;
  std::string request_id;  // unique per request; also sent back as X-Request-Id
  int http_minor = 1;      // HTTP/1.<minor>
  bool keep_alive = true;

  // The first value of query parameter name, percent-decoded ('+' is a space).
  std::optional<std::string> query_param(std::string_view name) const;
  // Every parameter in order; parameters that fail to decode are skipped.
  std::vector<std::pair<std::string, std::string>> query_params() const;
};

// Percent-decoding. nullopt on a malformed escape ("%zz", "%4") so callers can answer 400.
// plus_as_space: form/query encoding where '+' means ' '.
std::optional<std::string> percent_decode(std::string_view in, bool plus_as_space);
std::string percent_encode(std::string_view in);

}  // namespace coder::http
