// The HTTP/1.1 server: listens on host:port (http or https), parses requests with limits, and
// hands each complete request to one handler on the loop thread. Everything that crosses to actor
// threads goes through the thread-safe exchange.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "runtime/http/exchange.hpp"
#include "runtime/http/request.hpp"
#include "runtime/http/response.hpp"
#include "runtime/uv/event_loop.hpp"

namespace coder::http {

struct server_options {
  std::string host = "127.0.0.1";
  uint16_t port = 0;          // 0: an ephemeral port, see server::port()
  std::string tls_cert_file;  // both set: https
  std::string tls_key_file;
  size_t max_header_bytes = 32 * 1024;
  size_t max_url_bytes = 8 * 1024;
  uint64_t max_body_bytes = 1024 * 1024;
  // Slowloris guards: a request head must arrive within header_timeout of its first byte (and
  // of the connection's start); a kept-alive connection may sit idle for idle_timeout. While a
  // body is read, each read must come within idle_timeout.
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds idle_timeout{60000};
  size_t max_connections = 10000;          // beyond: 503 and close
  size_t stream_high_water = 1024 * 1024;  // exchange::write() back-pressure threshold
  // Requests for which this returns true reach the handler right after their head, with an
  // empty body that max_body_bytes does not limit; the handler then take_over()s the connection
  // and reads the body as raw bytes (as sent, chunked framing included). The app proxy streams
  // uploads this way. Gets method, target, path, query, headers, remote_address and tls.
  std::function<bool(const request& head)> deliver_at_head;
};

// Called on the loop thread; must not block. The handler answers through the exchange, now or
// later from any thread.
using request_handler = std::function<void(request, std::shared_ptr<exchange>)>;

class server {
 public:
  server(uv::event_loop& loop, server_options options, request_handler handler);
  ~server();  // shutdown(0) if still running
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Loads TLS files, binds and listens. Throws std::runtime_error with a clear message (bad
  // address, port in use, unreadable certificate). The loop must be running.
  void start();
  uint16_t port() const;
  bool tls() const;

  // Thread-safe: closes the listening socket; existing connections continue.
  void stop_accepting();
  // Graceful stop: stop accepting, close idle connections, let in-flight exchanges finish
  // (responses carry Connection: close; WebSockets get a 1001 close), then force-close whatever
  // remains at the deadline. Calls done(true) when everything finished in time. Thread-safe.
  void shutdown_async(std::chrono::milliseconds deadline, std::function<void(bool)> done);
  // Blocking form; not on the loop thread.
  bool shutdown(std::chrono::milliseconds deadline);

  size_t connection_count() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace coder::http
