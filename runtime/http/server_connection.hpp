// One HTTP/1.1 server connection: parses requests one at a time (pipelined ones wait their turn),
// runs the slowloris timers, writes responses, and hands the connection over for WebSocket or
// raw splicing. Loop thread only. Internal to runtime/http.
#pragma once

#include <memory>
#include <string>

#include "runtime/http/exchange.hpp"
#include "runtime/http/http1_codec.hpp"
#include "runtime/http/server_state.hpp"
#include "runtime/http/transport.hpp"

namespace coder::http::detail {

class server_connection final : public transport_handler,
                                public codec_callbacks,
                                public exchange_sink,
                                public std::enable_shared_from_this<server_connection> {
 public:
  server_connection(std::shared_ptr<server_state> state, transport& t);
  ~server_connection() override;
  void start();

  // transport_handler
  void on_data(std::string_view data) override;
  void on_eof() override;
  void on_write_complete(size_t buffered) override;
  void on_shutdown_requested() override;
  void on_closed(const std::string& error) override;

  // codec_callbacks
  bool stop_after_head(const message_head& head) override;
  void on_headers(message_head&& head) override;
  void on_body(std::string_view data) override;
  void on_message_complete() override {}

  // exchange_sink
  void respond(uint64_t seq, response r) override;
  void begin_stream(uint64_t seq, int status, header_map headers,
                    std::shared_ptr<stream_flow> flow) override;
  void write_chunk(uint64_t seq, std::string chunk) override;
  void set_drain_callback(uint64_t seq, std::function<void()> cb) override;
  void check_drain(uint64_t seq) override;
  void end_stream(uint64_t seq) override;
  void abort(uint64_t seq) override;
  void hand_over(uint64_t seq, std::string head, handler_factory make) override;

 private:
  enum class phase { idle, head, body, handling, closing, handed_over };

  void process();
  // Fills method, target, path, query, headers and peer fields of current_ from head.
  void start_request(message_head&& head);
  void dispatch_request(bool upgrade);
  void reject(int status, std::string detail);
  void send_error(int status, std::string_view detail);
  std::string finish_head(int status, header_map& headers, bool close);
  void complete_exchange(bool close);
  void on_timeout();
  bool current(uint64_t seq) const;
  bool must_close() const;

  std::shared_ptr<server_state> state_;
  transport* transport_;  // valid until on_closed
  http1_codec codec_;
  uv::timer timer_;
  phase phase_ = phase::idle;
  std::string pending_;  // received, not yet parsed
  request current_;
  int reject_status_ = 0;  // the request is refused once fully read
  std::string reject_detail_;
  uint64_t seq_ = 0;
  std::string request_id_;
  bool keep_alive_ = true;
  bool http10_ = false;
  bool head_request_ = false;
  bool close_after_ = false;
  bool peer_eof_ = false;
  bool head_only_ = false;  // deliver_at_head chose this request
  bool streaming_ = false;
  std::shared_ptr<stream_flow> flow_;
  std::function<void()> drain_cb_;
};

}  // namespace coder::http::detail
