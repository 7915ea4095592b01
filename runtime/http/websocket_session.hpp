// The loop side of a WebSocket: wslay framing over a transport, for both server and client
// connections. Internal to runtime/http; applications use websocket / websocket_handler.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <string>

#include "runtime/http/stream_flow.hpp"
#include "runtime/http/transport.hpp"
#include "runtime/http/websocket.hpp"

struct wslay_event_context;

namespace coder::http::detail {

class websocket_session;

struct websocket_link {
  websocket_link(std::shared_ptr<uv::executor> exec, size_t high_water)
      : flow(std::move(exec), high_water) {}
  stream_flow flow;
  std::weak_ptr<websocket_session> session;  // loop thread only
  std::atomic<bool> open{true};
};

class websocket_session final : public transport_handler,
                                public std::enable_shared_from_this<websocket_session> {
 public:
  enum class role { server, client };

  // Creates the session, links the handle and calls handler->on_open(). Loop thread.
  static std::shared_ptr<websocket_session> create(transport& t, role r,
                                                   std::shared_ptr<websocket_handler> handler,
                                                   websocket_options options,
                                                   std::shared_ptr<websocket_link> link);
  ~websocket_session() override;

  void send(std::string message, bool text, size_t accounted);
  void close(uint16_t code, std::string reason);
  void pause();
  void resume();
  void check_drain();

  void on_data(std::string_view data) override;
  void on_eof() override;
  void on_write_complete(size_t buffered) override;
  void on_shutdown_requested() override;
  void on_closed(const std::string& error) override;

 private:
  websocket_session(transport& t, role r, std::shared_ptr<websocket_handler> handler,
                    websocket_options options, std::shared_ptr<websocket_link> link);
  void process_input();
  void flush();
  void on_timer();
  void report_close(uint16_t code, std::string reason);

  static ssize_t on_recv(wslay_event_context*, uint8_t*, size_t, int, void*);
  static ssize_t on_send(wslay_event_context*, const uint8_t*, size_t, int, void*);

  transport* transport_;  // valid until on_closed
  role role_;
  std::shared_ptr<websocket_handler> handler_;
  websocket_options options_;
  std::shared_ptr<websocket_link> link_;
  wslay_event_context* ctx_ = nullptr;
  std::string input_;
  size_t input_pos_ = 0;
  std::string output_;
  std::unique_ptr<uv::timer> timer_;
  uint64_t last_rx_ms_ = 0;
  bool paused_ = false;
  bool closing_ = false;  // close frame sent; waiting for the peer's reply
  bool close_reported_ = false;
  uint16_t close_code_ = 1006;
  std::string close_reason_;
};

}  // namespace coder::http::detail
