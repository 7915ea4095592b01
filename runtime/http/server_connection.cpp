#include "runtime/http/server_connection.hpp"

#include <utility>

#include "runtime/http/http1_encoder.hpp"
#include "runtime/http/json_error.hpp"
#include "runtime/log/log.hpp"

namespace coder::http::detail {

namespace {
// While a request is with its handler, pipelined bytes wait here; past this the socket stops
// being read, so a client cannot make the server buffer without bound.
constexpr size_t max_pending_while_busy = 64 * 1024;

std::string_view error_message(int status) {
  switch (status) {
    case 400:
      return "Bad request.";
    case 408:
      return "Request timed out.";
    case 413:
      return "Request body too large.";
    case 414:
      return "Request target too long.";
    case 417:
      return "Expectation failed.";
    case 431:
      return "Request headers too large.";
    case 503:
      return "Server is shutting down.";
    case 505:
      return "HTTP version not supported.";
    default:
      return "Internal error.";
  }
}

codec_limits limits_of(const server_options& o) {
  return codec_limits{.max_header_bytes = o.max_header_bytes,
                      .max_url_bytes = o.max_url_bytes,
                      .max_body_bytes = o.max_body_bytes};
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
}  // namespace

server_connection::server_connection(std::shared_ptr<server_state> state, transport& t)
    : state_(std::move(state)),
      transport_(&t),
      codec_(codec_mode::request, *this, limits_of(state_->options)),
      timer_(state_->loop, [this] { on_timeout(); }) {}

server_connection::~server_connection() = default;

void server_connection::start() {
  // The first request must start promptly: a connection that never speaks is a slowloris too.
  timer_.start(state_->options.header_timeout);
}

bool server_connection::current(uint64_t seq) const {
  return seq == seq_ && phase_ == phase::handling && transport_ != nullptr;
}

bool server_connection::must_close() const {
  return !keep_alive_ || close_after_ || peer_eof_ || state_->shutting_down;
}

void server_connection::on_data(std::string_view data) {
  if (phase_ == phase::closing || phase_ == phase::handed_over) return;
  pending_.append(data);
  if (phase_ == phase::handling) {
    if (pending_.size() > max_pending_while_busy) transport_->pause_reading();
    return;
  }
  process();
}

void server_connection::process() {
  auto keep = shared_from_this();
  while (transport_ != nullptr && !pending_.empty() &&
         (phase_ == phase::idle || phase_ == phase::head || phase_ == phase::body)) {
    if (phase_ == phase::idle) {
      phase_ = phase::head;
      timer_.start(state_->options.header_timeout);
    }
    auto r = codec_.dispatch(pending_);
    pending_.erase(0, r.consumed);
    switch (r.status) {
      case codec_status::need_more:
        if (phase_ == phase::body) timer_.start(state_->options.idle_timeout);
        return;
      case codec_status::error:
        send_error(r.http_status, r.detail);
        return;
      case codec_status::message_complete:
        dispatch_request(false);
        break;
      case codec_status::upgrade:
        dispatch_request(true);
        break;
    }
  }
}

void server_connection::reject(int status, std::string detail) {
  if (reject_status_ != 0) return;
  reject_status_ = status;
  reject_detail_ = std::move(detail);
}

bool server_connection::stop_after_head(const message_head& head) {
  head_only_ = false;
  if (!state_->options.deliver_at_head) return false;
  start_request(message_head(head));
  if (reject_status_ != 0) return false;
  try {
    head_only_ = state_->options.deliver_at_head(current_);
  } catch (const std::exception& e) {
    // Never let an exception unwind through http-parser's C frames.
    log::error("http_deliver_at_head_threw",
               {{"request_id", current_.request_id}, {"error", e.what()}});
    reject(500, "the request could not be routed");
  }
  return head_only_;
}

void server_connection::on_headers(message_head&& head) {
  phase_ = phase::body;
  timer_.start(state_->options.idle_timeout);
  if (!state_->options.deliver_at_head) start_request(std::move(head));
  auto expect = current_.headers.get("Expect");
  // A head-only request's body belongs to whoever takes the connection over, and so does the
  // decision to invite it.
  if (expect && reject_status_ == 0 && current_.http_minor >= 1 && !head_only_) {
    if (iequals(*expect, "100-continue")) {
      // The limits already passed (an oversize Content-Length failed in the codec): invite the
      // body.
      transport_->write("HTTP/1.1 100 Continue\r\n\r\n");
    } else {
      reject(417, "only Expect: 100-continue is supported");
    }
  }
}

void server_connection::start_request(message_head&& head) {
  reject_status_ = 0;
  reject_detail_.clear();
  current_ = request{};
  current_.method = std::move(head.method);
  current_.target = std::move(head.url);
  current_.headers = std::move(head.headers);
  current_.keep_alive = head.keep_alive;
  current_.http_minor = head.http_minor;
  current_.remote_address = transport_->remote_address();
  current_.tls = transport_->is_tls();
  current_.request_id = state_->next_request_id();

  std::string_view target = current_.target;
  if (starts_with(target, "http://") || starts_with(target, "https://")) {
    // Absolute form (RFC 9112 §3.2.2): keep only the path and query.
    auto after_scheme = target.find("//") + 2;
    auto slash = target.find('/', after_scheme);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (starts_with(target, "/")) {
    auto q = target.find('?');
    auto decoded = percent_decode(target.substr(0, q), false);
    if (!decoded || decoded->find('\0') != std::string::npos) {
      reject(400, "the request path has a malformed or NUL percent-escape");
    } else {
      current_.path = std::move(*decoded);
    }
    if (q != std::string_view::npos) current_.query = std::string(target.substr(q + 1));
  } else if (current_.method == "CONNECT" || (current_.method == "OPTIONS" && target == "*")) {
    current_.path = std::string(target);
  } else {
    reject(400, "the request target must be an absolute path");
  }
  if (current_.http_minor >= 1 && !current_.headers.has("Host")) {
    reject(400, "HTTP/1.1 requests need a Host header");
  }
}

void server_connection::on_body(std::string_view data) {
  if (reject_status_ == 0) current_.body.append(data);
}

void server_connection::dispatch_request(bool upgrade) {
  phase_ = phase::handling;
  timer_.stop();
  ++seq_;
  keep_alive_ = current_.keep_alive;
  http10_ = current_.http_minor == 0;
  head_request_ = current_.method == "HEAD";
  // After an upgrade head the remaining bytes are another protocol: unless the handler takes the
  // connection over, it cannot carry another HTTP request.
  close_after_ = upgrade;
  streaming_ = false;
  flow_.reset();
  drain_cb_ = nullptr;
  request_id_ = current_.request_id;
  if (reject_status_ != 0) {
    send_error(reject_status_, reject_detail_);
    return;
  }
  if (state_->shutting_down) {
    send_error(503, "the server is shutting down");
    return;
  }
  header_map upgrade_headers;
  for (const auto& [name, value] : current_.headers) {
    if (iequals(name, "Upgrade") || iequals(name, "Connection") ||
        starts_with(name, "Sec-WebSocket-") || starts_with(name, "sec-websocket-")) {
      upgrade_headers.add(name, value);
    }
  }
  auto ex = std::make_shared<exchange>(weak_from_this(), seq_, state_->loop.get_executor(),
                                       request_id_, std::move(upgrade_headers),
                                       current_.method == "GET", state_->options.stream_high_water);
  request req = std::move(current_);
  current_ = request{};
  try {
    state_->handler(std::move(req), std::move(ex));
  } catch (const std::exception& e) {
    // The exchange (destroyed with the handler's frame) answers 500.
    log::error("http_handler_threw", {{"request_id", request_id_}, {"error", e.what()}});
  }
}

std::string server_connection::finish_head(int status, header_map& h, bool close) {
  h.remove("Connection");
  if (!h.has("Date")) h.add("Date", state_->date());
  if (!request_id_.empty() && !h.has("X-Request-Id")) h.add("X-Request-Id", request_id_);
  if (close) {
    h.add("Connection", "close");
  } else if (http10_) {
    h.add("Connection", "keep-alive");
  }
  return encode_response_head(status, h);
}

void server_connection::send_error(int status, std::string_view detail) {
  if (transport_ == nullptr) return;
  auto r = make_error_response(status, error_message(status), detail);
  r.headers.set("Content-Length", std::to_string(r.body.size()));
  std::string out = finish_head(status, r.headers, true);
  if (!head_request_ || phase_ != phase::handling) out += r.body;
  transport_->write(std::move(out));
  phase_ = phase::closing;
  timer_.stop();
  // Errors raised by the server leave the parser in an unknown state: always close.
  transport_->finish();
}

void server_connection::respond(uint64_t seq, response r) {
  if (!current(seq) || streaming_) return;
  bool close = must_close();
  bool body_allowed = status_allows_body(r.status);
  r.headers.remove("Transfer-Encoding");
  if (!body_allowed) {
    r.headers.remove("Content-Length");
  } else if (!(head_request_ && r.body.empty() && r.headers.has("Content-Length"))) {
    // A HEAD handler may announce the length of the body a GET would get.
    r.headers.set("Content-Length", std::to_string(r.body.size()));
  }
  std::string out = finish_head(r.status, r.headers, close);
  if (body_allowed && !head_request_) out += r.body;
  transport_->write(std::move(out));
  complete_exchange(close);
}

void server_connection::begin_stream(uint64_t seq, int status, header_map h,
                                     std::shared_ptr<stream_flow> flow) {
  if (!current(seq) || streaming_) return;
  streaming_ = true;
  flow_ = std::move(flow);
  h.remove("Content-Length");
  h.remove("Transfer-Encoding");
  // HTTP/1.0 has no chunked coding: the body ends when the connection does.
  if (http10_) close_after_ = true;
  bool close = must_close();
  if (!http10_ && status_allows_body(status)) h.add("Transfer-Encoding", "chunked");
  transport_->write(finish_head(status, h, close));
}

void server_connection::write_chunk(uint64_t seq, std::string chunk) {
  if (!current(seq) || !streaming_) return;
  size_t n = chunk.size();
  if (!head_request_) transport_->write(http10_ ? std::move(chunk) : encode_chunk(chunk));
  flow_->handed_over(n, transport_->buffered());
  check_drain(seq);
}

void server_connection::set_drain_callback(uint64_t seq, std::function<void()> cb) {
  if (seq == seq_) drain_cb_ = std::move(cb);
}

void server_connection::check_drain(uint64_t seq) {
  if (seq == seq_ && flow_ && flow_->take_drain() && drain_cb_) drain_cb_();
}

void server_connection::end_stream(uint64_t seq) {
  if (!current(seq) || !streaming_) return;
  if (!head_request_ && !http10_) transport_->write(std::string(last_chunk));
  complete_exchange(must_close());
}

void server_connection::abort(uint64_t seq) {
  if (current(seq)) transport_->close_with("response aborted");
}

void server_connection::complete_exchange(bool close) {
  streaming_ = false;
  if (close) {
    phase_ = phase::closing;
    transport_->finish();
    return;
  }
  phase_ = phase::idle;
  timer_.start(state_->options.idle_timeout);
  transport_->resume_reading();
  process();
}

void server_connection::hand_over(uint64_t seq, std::string head, handler_factory make) {
  if (!current(seq)) return;
  auto keep = shared_from_this();
  timer_.stop();
  phase_ = phase::handed_over;
  transport& t = *transport_;
  t.write(std::move(head));
  auto next = make(t);
  std::string leftover = std::move(pending_);
  pending_.clear();
  t.set_handler(next);  // drops the transport's reference to this connection
  transport_ = nullptr;
  t.resume_reading();
  if (!leftover.empty()) next->on_data(leftover);
}

void server_connection::on_eof() {
  peer_eof_ = true;
  // A request in progress still gets its answer; otherwise nothing more can arrive.
  if (phase_ != phase::handling && transport_ != nullptr) {
    phase_ = phase::closing;
    transport_->finish();
  }
}

void server_connection::on_write_complete(size_t buffered) {
  if (!flow_) return;
  flow_->set_backlog(buffered);
  check_drain(seq_);
}

void server_connection::on_shutdown_requested() {
  if (phase_ == phase::idle && transport_ != nullptr) {
    phase_ = phase::closing;
    transport_->finish();
  }
  // Otherwise must_close() sees shutting_down and the current answer closes the connection.
}

void server_connection::on_timeout() {
  if (transport_ == nullptr) return;
  if (phase_ == phase::head || phase_ == phase::body) {
    send_error(408, phase_ == phase::head ? "the request head did not arrive in time"
                                          : "the request body stalled");
    return;
  }
  phase_ = phase::closing;
  transport_->finish();
}

void server_connection::on_closed(const std::string&) {
  auto keep = shared_from_this();
  transport_ = nullptr;
  timer_.close();
  if (flow_) {
    flow_->mark_closed();
    // Wakes a streaming writer waiting for drain; it sees client_gone().
    if (drain_cb_) std::exchange(drain_cb_, nullptr)();
  }
}

}  // namespace coder::http::detail
