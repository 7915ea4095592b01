// A TCP connection with optional TLS, on the loop thread. It moves plaintext between the socket
// and whichever protocol handler currently owns the connection (HTTP/1.1, WebSocket, raw bytes):
// handing a connection over is just set_handler(). Internal to runtime/http.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "runtime/uv/event_loop.hpp"

typedef struct uv_tcp_s uv_tcp_t;
typedef struct uv_stream_s uv_stream_t;

namespace coder::http {

class tls_context;
class tls_session;

class transport_handler {
 public:
  virtual ~transport_handler() = default;
  virtual void on_data(std::string_view plaintext) = 0;
  // The peer finished sending (FIN or TLS close_notify). Writing may continue.
  virtual void on_eof() = 0;
  // After each completed socket write; `buffered` bytes are still waiting for the socket.
  virtual void on_write_complete(size_t buffered) { (void)buffered; }
  // The server is shutting down gracefully: finish the current exchange, then close.
  virtual void on_shutdown_requested() {}
  // Last call: the socket is closed. error is empty after an orderly close.
  virtual void on_closed(const std::string& error) = 0;
};

class transport final : public std::enable_shared_from_this<transport>, public uv::closable {
 public:
  // Accepts one pending connection of listener. nullptr when accept fails.
  static std::shared_ptr<transport> accept(uv::event_loop& loop, uv_stream_t* listener,
                                           std::shared_ptr<tls_context> tls);

  using connect_callback = std::function<void(std::shared_ptr<transport>, std::string error)>;
  // Resolves host, connects and (with tls) starts the handshake; writes before the handshake
  // completes are sent after it. server_name is the TLS SNI / verified name.
  static std::shared_ptr<transport> connect(uv::event_loop& loop, const std::string& host,
                                            uint16_t port, std::shared_ptr<tls_context> tls,
                                            connect_callback done);

  ~transport();

  // Replaces the protocol handler and (re)starts reading. The transport keeps the handler alive.
  void set_handler(std::shared_ptr<transport_handler> handler);
  void write(std::string data);
  size_t buffered() const { return buffered_; }
  void pause_reading();
  void resume_reading();
  // Orderly end: flush, TLS close_notify, FIN, then discard input until the peer closes or a
  // short linger expires. Closing at once would reset the socket and could destroy the last
  // response (e.g. a 413 sent while the client is still uploading).
  void finish();
  // Half-close: flush, then FIN (and close_notify). Reading continues.
  void shutdown_write();
  // Abort now.
  void close_with(std::string error);
  void close() override { close_with("event loop stopped"); }
  void request_shutdown();
  // Runs after the handler's on_closed (the server's connection registry uses it).
  void set_close_observer(std::function<void()> observer) { close_observer_ = std::move(observer); }

  const std::string& remote_address() const { return remote_address_; }
  bool is_tls() const { return tls_ != nullptr; }
  bool is_closed() const { return tcp_ == nullptr; }
  uv::event_loop& loop() { return loop_; }

 private:
  struct write_req;
  transport(uv::event_loop& loop, std::shared_ptr<tls_context> tls, const std::string& sni);
  void start_reading();
  void on_network(std::string_view bytes);
  void on_peer_eof();
  void raw_write(std::string data);
  void on_written(size_t n, int status);
  void begin_fin();

  uv::event_loop& loop_;
  uv_tcp_t* tcp_ = nullptr;
  std::shared_ptr<transport> self_;  // alive until the close callback
  std::shared_ptr<transport_handler> handler_;
  std::function<void()> close_observer_;
  std::unique_ptr<tls_session> tls_;
  std::unique_ptr<char[]> read_buffer_;
  std::unique_ptr<uv::timer> linger_;
  std::string remote_address_;
  std::string error_;
  size_t buffered_ = 0;
  bool reading_ = false;
  bool paused_ = false;
  bool finishing_ = false;   // finish(): close after FIN + peer EOF/linger
  bool fin_wanted_ = false;  // FIN once writes are flushed
  bool fin_sent_ = false;
  bool peer_eof_ = false;
};

}  // namespace coder::http
