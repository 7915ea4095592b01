// WebSocket (RFC 6455) as seen by application code: a handler receives whole messages on the
// loop thread; a thread-safe handle sends. Server side: exchange::accept_websocket(); client
// side: client::connect_websocket(). Framing (wslay) lives in websocket_session.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "runtime/http/stream_flow.hpp"

namespace coder::http {

namespace detail {
struct websocket_link;
}

struct websocket_options {
  uint64_t max_message_bytes = 16 * 1024 * 1024;  // larger messages close with 1009
  size_t high_water = 4 * 1024 * 1024;            // send() returns false above this backlog
  // A ping is sent after this long without traffic; no traffic for twice as long closes (1001).
  // Zero disables both.
  std::chrono::milliseconds ping_interval{30000};
  std::string subprotocol;  // echoed in Sec-WebSocket-Protocol when non-empty
};

class websocket;

// Callbacks run on the loop thread and must not block. on_open comes first and hands over the
// handle (so a handler can reply from on_text); on_close comes last, exactly once.
class websocket_handler {
 public:
  virtual ~websocket_handler() = default;
  virtual void on_open(std::shared_ptr<websocket> ws) { (void)ws; }
  virtual void on_text(std::string message) { (void)message; }
  virtual void on_binary(std::string message) { (void)message; }
  // The backlog fell to half the high-water mark after a send returned false.
  virtual void on_drain() {}
  // code 1006 when the connection dropped without a close frame.
  virtual void on_close(uint16_t code, std::string reason) {
    (void)code;
    (void)reason;
  }
};

// Thread-safe. Calls after the connection closed are ignored.
class websocket {
 public:
  explicit websocket(std::shared_ptr<detail::websocket_link> link);

  // Queue a message. false: the backlog is above the high-water mark; the message is still
  // queued, but wait for on_drain before sending more.
  bool send_text(std::string message);
  bool send_binary(std::string message);
  void close(uint16_t code = 1000, std::string reason = {});
  // Stop / restart delivering received messages (TCP back-pressure toward the peer).
  void pause();
  void resume();
  size_t buffered_amount() const;
  bool is_open() const;

 private:
  bool send(std::string message, bool text);
  std::shared_ptr<detail::websocket_link> link_;
};

// "Sec-WebSocket-Accept" for a client key: base64(SHA-1(key + RFC 6455 GUID)).
std::string websocket_accept_key(std::string_view client_key);

}  // namespace coder::http
