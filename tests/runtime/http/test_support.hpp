// Helpers for the real-socket tests: a running event loop, a blocking POSIX socket that reads
// responses through the codec, and a self-signed certificate made with OpenSSL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/http/headers.hpp"
#include "runtime/http/http1_codec.hpp"
#include "runtime/uv/event_loop.hpp"

namespace coder::http::test {

struct running_loop {
  running_loop() { loop.start(); }
  ~running_loop() { loop.stop(); }
  uv::event_loop loop;
};

struct wire_response {
  int status = 0;
  header_map headers;
  std::string body;
};

// Blocking client socket on 127.0.0.1 with a 10 s receive timeout, so a broken server fails the
// test instead of hanging it.
class test_socket : private codec_callbacks {
 public:
  explicit test_socket(uint16_t port);
  ~test_socket();
  test_socket(const test_socket&) = delete;
  test_socket& operator=(const test_socket&) = delete;

  void send(std::string_view data);
  // Whether send() succeeded (false once the server closed/reset the connection).
  bool send_ok(std::string_view data);
  // Next response on the connection; nullopt on EOF/timeout before a complete response.
  std::optional<wire_response> read_response(bool head_request = false);
  // Bytes already buffered plus one recv; empty on EOF or timeout.
  std::string read_some();
  // Reads until EOF (true) or timeout/reset (false); data is discarded.
  bool wait_closed();
  void shutdown_write();

 private:
  void on_headers(message_head&& head) override;
  void on_body(std::string_view data) override;
  void on_message_complete() override {}

  int fd_ = -1;
  std::string buffer_;
  http1_codec codec_;
  wire_response current_;
};

struct self_signed {
  std::string dir;
  std::string cert_file;
  std::string key_file;
};
// CN=localhost, SAN DNS:localhost + IP:127.0.0.1, EC P-256, valid for an hour.
self_signed make_self_signed_cert();

}  // namespace coder::http::test
