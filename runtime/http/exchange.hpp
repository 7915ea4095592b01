// One request's answer channel. Thread-safe: a handler may hand it to an actor and answer from
// any thread. Exactly one of respond(), begin_stream()..end(), accept_websocket() or take_over()
// takes effect; later calls are ignored. Dropping the last reference without answering sends 500
// (an abandoned stream aborts the connection), so a lost request never hangs its client.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "runtime/http/headers.hpp"
#include "runtime/http/raw_stream.hpp"
#include "runtime/http/response.hpp"
#include "runtime/http/stream_flow.hpp"
#include "runtime/http/websocket.hpp"

namespace coder::http {

class transport;
class transport_handler;

namespace detail {
// The loop side of an exchange (the server connection). Every call is made on the loop thread;
// seq identifies the exchange so that late calls for a finished one are ignored.
class exchange_sink {
 public:
  virtual ~exchange_sink() = default;
  virtual void respond(uint64_t seq, response r) = 0;
  virtual void begin_stream(uint64_t seq, int status, header_map headers,
                            std::shared_ptr<stream_flow> flow) = 0;
  virtual void write_chunk(uint64_t seq, std::string chunk) = 0;
  virtual void set_drain_callback(uint64_t seq, std::function<void()> cb) = 0;
  virtual void check_drain(uint64_t seq) = 0;
  virtual void end_stream(uint64_t seq) = 0;
  virtual void abort(uint64_t seq) = 0;
  // Writes head (may be empty) and gives the connection to the handler made by `make`; bytes
  // already read after the request head are delivered to it first.
  using handler_factory = std::function<std::shared_ptr<transport_handler>(transport&)>;
  virtual void hand_over(uint64_t seq, std::string head, handler_factory make) = 0;
};
}  // namespace detail

class exchange {
 public:
  // Made by the server (on the loop thread); application code only receives it.
  exchange(std::weak_ptr<detail::exchange_sink> sink, uint64_t seq,
           std::shared_ptr<uv::executor> exec, std::string request_id, header_map upgrade_headers,
           bool get_request, size_t high_water);
  ~exchange();
  exchange(const exchange&) = delete;
  exchange& operator=(const exchange&) = delete;

  void respond(response r);

  // Chunked streaming response (HTTP/1.0 clients get a close-delimited body).
  void begin_stream(int status, header_map headers);
  // false: over the high-water mark (the chunk is still queued); wait for the drain callback.
  bool write(std::string chunk);
  // Called on the loop thread when a writer that got false may continue.
  void set_drain_callback(std::function<void()> cb);
  void end();

  // Validates the upgrade request; answers 400 (or 426 for a wrong version) and returns nullptr
  // when it is not a WebSocket handshake.
  std::shared_ptr<websocket> accept_websocket(std::shared_ptr<websocket_handler> handler,
                                              websocket_options options = {});

  // Raw byte splicing from here on; nothing is written for the caller (a proxy relays the
  // upstream's own response head).
  std::shared_ptr<raw_stream> take_over(std::shared_ptr<raw_handler> handler,
                                        size_t high_water = 4 * 1024 * 1024);

  bool answered() const { return state_.load() != state::none; }
  // The client's connection is gone: a streaming writer should stop. The drain callback also
  // fires when this becomes true, so a writer waiting for it wakes up.
  bool client_gone() const { return flow_->closed(); }
  const std::string& request_id() const { return request_id_; }

 private:
  enum class state { none, responded, streaming, ended, upgraded };
  bool claim(state from, state to);
  void post(std::function<void(detail::exchange_sink&)> fn);

  std::weak_ptr<detail::exchange_sink> sink_;
  uint64_t seq_;
  std::shared_ptr<uv::executor> exec_;
  std::string request_id_;
  header_map upgrade_headers_;  // Upgrade/Connection/Sec-WebSocket-* fields of the request
  bool get_request_;
  std::atomic<state> state_{state::none};
  std::shared_ptr<detail::stream_flow> flow_;
};

}  // namespace coder::http
