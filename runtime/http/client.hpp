// HTTP/1.1 + WebSocket client on an event_loop, over the same transport, codec and TLS code as the
// server. One connection per request (Connection: close): the CLI and the agent make few requests,
// so pooling is not worth its failure modes yet.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "runtime/http/headers.hpp"
#include "runtime/http/websocket.hpp"
#include "runtime/uv/event_loop.hpp"

namespace coder::http {

struct client_options {
  std::string ca_file;  // https: trust these CAs instead of the system store
  bool insecure_skip_verify = false;
  std::chrono::milliseconds timeout{30000};  // whole request, connect to last byte
  uint64_t max_response_bytes = 64 * 1024 * 1024;
  size_t max_header_bytes = 64 * 1024;
};

struct client_request {
  std::string method = "GET";
  std::string url;  // http://host[:port]/path?query or https://...
  header_map headers;
  std::string body;
  std::optional<std::chrono::milliseconds> timeout;  // overrides client_options::timeout
};

struct client_response {
  std::string error;  // non-empty: no (complete) response; status is then 0
  int status = 0;
  header_map headers;
  std::string body;
  bool ok() const { return error.empty(); }
};

struct parsed_url {
  bool tls = false;
  std::string host;  // without IPv6 brackets
  uint16_t port = 0;
  std::string target;  // path + query, at least "/"
  std::string host_header;
};
// nullopt unless an absolute http:// or https:// URL.
std::optional<parsed_url> parse_url(std::string_view url);

class client {
 public:
  client(uv::event_loop& loop, client_options options = {});
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Thread-safe. done runs once, on the loop thread.
  void request(client_request req, std::function<void(client_response)> done);

  // Thread-safe. On success handler->on_open() runs, then done("") (both on the loop thread);
  // otherwise done(error), with the HTTP status in the message when the server refused.
  void connect_websocket(std::string url, header_map headers,
                         std::shared_ptr<websocket_handler> handler, websocket_options options,
                         std::function<void(std::string error)> done);

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace coder::http
