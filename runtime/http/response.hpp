// A complete HTTP response (status, headers, body). The server adds Date, Content-Length and
// Connection; a handler sets only what is specific to its answer.
#pragma once

#include <string>
#include <string_view>

#include "runtime/http/headers.hpp"

namespace coder::http {

struct response {
  int status = 200;
  header_map headers;
  std::string body;
};

// "OK", "Not Found", ...; "Unknown" for codes without a registered phrase.
std::string_view reason_phrase(int status);

// 1xx, 204 and 304 never carry a body (RFC 9110 §6.4.1).
inline bool status_allows_body(int status) {
  return status >= 200 && status != 204 && status != 304;
}

}  // namespace coder::http
