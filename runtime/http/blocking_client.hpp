// A blocking HTTP client for the CLI: it owns a private event_loop and waits for each answer.
// Never use it on an actor or loop thread.
#pragma once

#include <memory>

#include "runtime/http/client.hpp"
#include "runtime/uv/event_loop.hpp"

namespace coder::http {

class blocking_client {
 public:
  explicit blocking_client(client_options options = {});
  ~blocking_client();
  blocking_client(const blocking_client&) = delete;
  blocking_client& operator=(const blocking_client&) = delete;

  client_response request(client_request req);
  client_response get(const std::string& url, header_map headers = {});
  client_response post(const std::string& url, std::string body, header_map headers = {});

  // The asynchronous client on the private loop, e.g. for a WebSocket whose messages the
  // caller hands to its own thread.
  client& async() { return *client_; }

 private:
  std::unique_ptr<uv::event_loop> loop_;
  std::unique_ptr<client> client_;
};

}  // namespace coder::http
