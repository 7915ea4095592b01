#include "runtime/http/websocket_session.hpp"

#include <openssl/rand.h>
#include <uv.h>
#include <wslay/wslay.h>

#include <cstring>
#include <utility>

namespace coder::http::detail {

namespace {
constexpr auto close_wait = std::chrono::milliseconds(5000);
}

websocket_session::websocket_session(transport& t, role r,
                                     std::shared_ptr<websocket_handler> handler,
                                     websocket_options options,
                                     std::shared_ptr<websocket_link> link)
    : transport_(&t),
      role_(r),
      handler_(std::move(handler)),
      options_(std::move(options)),
      link_(std::move(link)) {
  wslay_event_callbacks callbacks{};
  callbacks.recv_callback = &websocket_session::on_recv;
  callbacks.send_callback = &websocket_session::on_send;
  callbacks.genmask_callback = [](wslay_event_context_ptr, uint8_t* buf, size_t len, void*) {
    return RAND_bytes(buf, static_cast<int>(len)) == 1 ? 0 : -1;
  };
  callbacks.on_msg_recv_callback = [](wslay_event_context_ptr,
                                      const wslay_event_on_msg_recv_arg* arg, void* user) {
    auto* self = static_cast<websocket_session*>(user);
    std::string msg(reinterpret_cast<const char*>(arg->msg), arg->msg_length);
    switch (arg->opcode) {
      case WSLAY_TEXT_FRAME:
        self->handler_->on_text(std::move(msg));
        break;
      case WSLAY_BINARY_FRAME:
        self->handler_->on_binary(std::move(msg));
        break;
      case WSLAY_CONNECTION_CLOSE:
        self->close_code_ = arg->status_code != 0 ? arg->status_code : 1005;
        self->close_reason_ = msg.size() > 2 ? msg.substr(2) : std::string();
        break;
      default:  // ping (wslay answers it) and pong: liveness only
        break;
    }
  };
  if (role_ == role::server) {
    wslay_event_context_server_init(&ctx_, &callbacks, this);
  } else {
    wslay_event_context_client_init(&ctx_, &callbacks, this);
  }
  wslay_event_config_set_max_recv_msg_length(ctx_, options_.max_message_bytes);
}

websocket_session::~websocket_session() {
  if (ctx_ != nullptr) wslay_event_context_free(ctx_);
}

std::shared_ptr<websocket_session> websocket_session::create(
    transport& t, role r, std::shared_ptr<websocket_handler> handler, websocket_options options,
    std::shared_ptr<websocket_link> link) {
  std::shared_ptr<websocket_session> s(
      new websocket_session(t, r, std::move(handler), std::move(options), link));
  link->session = s;
  s->last_rx_ms_ = uv_now(t.loop().native());
  if (s->options_.ping_interval.count() > 0) {
    s->timer_ = std::make_unique<uv::timer>(t.loop(), [raw = s.get()] { raw->on_timer(); });
    s->timer_->start(s->options_.ping_interval, s->options_.ping_interval);
  }
  s->handler_->on_open(std::make_shared<websocket>(std::move(link)));
  return s;
}

ssize_t websocket_session::on_recv(wslay_event_context* ctx, uint8_t* buf, size_t len, int,
                                   void* user) {
  auto* self = static_cast<websocket_session*>(user);
  size_t available = self->input_.size() - self->input_pos_;
  if (available == 0) {
    wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
    return -1;
  }
  size_t n = std::min(len, available);
  std::memcpy(buf, self->input_.data() + self->input_pos_, n);
  self->input_pos_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t websocket_session::on_send(wslay_event_context*, const uint8_t* data, size_t len, int,
                                   void* user) {
  auto* self = static_cast<websocket_session*>(user);
  self->output_.append(reinterpret_cast<const char*>(data), len);
  return static_cast<ssize_t>(len);
}

void websocket_session::flush() {
  if (transport_ == nullptr) return;
  // The send callback takes everything, so one call empties wslay's queue; our backlog is the
  // transport's, which the stream_flow reports to writers.
  wslay_event_send(ctx_);
  if (!output_.empty()) transport_->write(std::exchange(output_, {}));
  bool close_done = wslay_event_get_close_sent(ctx_) && wslay_event_get_close_received(ctx_);
  bool read_failed = !wslay_event_get_read_enabled(ctx_) && wslay_event_get_close_sent(ctx_);
  if (close_done || read_failed) transport_->finish();
}

void websocket_session::process_input() {
  if (transport_ == nullptr || paused_) return;
  auto keep = shared_from_this();
  if (wslay_event_recv(ctx_) != 0) {
    // Protocol error or oversize message: wslay queued the close frame (1002/1009).
    flush();
    if (transport_ != nullptr) transport_->finish();
    return;
  }
  if (input_pos_ == input_.size()) {
    input_.clear();
    input_pos_ = 0;
  }
  flush();
}

void websocket_session::on_data(std::string_view data) {
  last_rx_ms_ = uv_now(transport_->loop().native());
  input_.append(data);
  process_input();
}

void websocket_session::on_eof() {
  // The peer vanished without a close handshake.
  if (transport_ != nullptr) transport_->finish();
}

void websocket_session::on_write_complete(size_t buffered) {
  link_->flow.set_backlog(buffered);
  check_drain();
}

void websocket_session::check_drain() {
  if (link_->flow.take_drain()) handler_->on_drain();
}

void websocket_session::on_shutdown_requested() {
  close(1001, "server shutting down");
}

void websocket_session::send(std::string message, bool text, size_t accounted) {
  if (transport_ == nullptr || closing_ || wslay_event_get_close_sent(ctx_)) {
    link_->flow.handed_over(accounted, 0);
    return;
  }
  wslay_event_msg msg{};
  msg.opcode = text ? WSLAY_TEXT_FRAME : WSLAY_BINARY_FRAME;
  msg.msg = reinterpret_cast<const uint8_t*>(message.data());
  msg.msg_length = message.size();
  wslay_event_queue_msg(ctx_, &msg);
  flush();
  link_->flow.handed_over(accounted, transport_ != nullptr ? transport_->buffered() : 0);
  check_drain();
}

void websocket_session::close(uint16_t code, std::string reason) {
  if (transport_ == nullptr || closing_) return;
  closing_ = true;
  if (reason.size() > 123) reason.resize(123);  // a control frame carries at most 125 bytes
  wslay_event_queue_close(ctx_, code, reinterpret_cast<const uint8_t*>(reason.data()),
                          reason.size());
  flush();
  // A peer that never answers the close frame does not keep the connection forever.
  if (!timer_) timer_ = std::make_unique<uv::timer>(transport_->loop(), [this] { on_timer(); });
  timer_->start(close_wait);
}

void websocket_session::pause() {
  paused_ = true;
  if (transport_ != nullptr) transport_->pause_reading();
}

void websocket_session::resume() {
  if (!paused_) return;
  paused_ = false;
  if (transport_ == nullptr) return;
  transport_->resume_reading();
  process_input();
}

void websocket_session::on_timer() {
  if (transport_ == nullptr) return;
  if (closing_) {
    transport_->close_with("websocket close handshake timed out");
    return;
  }
  uint64_t now = uv_now(transport_->loop().native());
  auto interval = static_cast<uint64_t>(options_.ping_interval.count());
  if (now - last_rx_ms_ >= 2 * interval && !paused_) {
    close(1001, "ping timeout");
    return;
  }
  if (now - last_rx_ms_ >= interval) {
    wslay_event_msg ping{};
    ping.opcode = WSLAY_PING;
    wslay_event_queue_msg(ctx_, &ping);
    flush();
  }
}

void websocket_session::report_close(uint16_t code, std::string reason) {
  if (close_reported_) return;
  close_reported_ = true;
  link_->open = false;
  handler_->on_close(code, std::move(reason));
}

void websocket_session::on_closed(const std::string&) {
  auto keep = shared_from_this();
  transport_ = nullptr;
  if (timer_) timer_->close();
  report_close(close_code_, close_reason_);
}

}  // namespace coder::http::detail
