#include "runtime/http/exchange.hpp"

#include "runtime/http/http1_encoder.hpp"
#include "runtime/http/json_error.hpp"
#include "runtime/http/raw_session.hpp"
#include "runtime/http/websocket_session.hpp"

namespace coder::http {

exchange::exchange(std::weak_ptr<detail::exchange_sink> sink, uint64_t seq,
                   std::shared_ptr<uv::executor> exec, std::string request_id,
                   header_map upgrade_headers, bool get_request, size_t high_water)
    : sink_(std::move(sink)),
      seq_(seq),
      exec_(std::move(exec)),
      request_id_(std::move(request_id)),
      upgrade_headers_(std::move(upgrade_headers)),
      get_request_(get_request),
      flow_(std::make_shared<detail::stream_flow>(exec_, high_water)) {}

exchange::~exchange() {
  switch (state_.load()) {
    case state::none:
      post([seq = seq_](detail::exchange_sink& s) {
        s.respond(seq, make_error_response(500, "Internal error.",
                                           "the request was dropped without a response"));
      });
      break;
    case state::streaming:
      // The body is incomplete: ending it normally would pass a truncated body off as whole.
      post([seq = seq_](detail::exchange_sink& s) { s.abort(seq); });
      break;
    default:
      break;
  }
}

bool exchange::claim(state from, state to) {
  return state_.compare_exchange_strong(from, to);
}

void exchange::post(std::function<void(detail::exchange_sink&)> fn) {
  exec_->post([sink = sink_, fn = std::move(fn)] {
    if (auto s = sink.lock()) fn(*s);
  });
}

void exchange::respond(response r) {
  if (!claim(state::none, state::responded)) return;
  post([seq = seq_, r = std::move(r)](detail::exchange_sink& s) mutable {
    s.respond(seq, std::move(r));
  });
}

void exchange::begin_stream(int status, header_map headers) {
  if (!claim(state::none, state::streaming)) return;
  post([seq = seq_, status, h = std::move(headers), flow = flow_](
           detail::exchange_sink& s) mutable { s.begin_stream(seq, status, std::move(h), flow); });
}

bool exchange::write(std::string chunk) {
  if (state_.load() != state::streaming || flow_->closed()) return false;
  bool below = flow_->account_send(chunk.size(), [sink = sink_, seq = seq_] {
    if (auto s = sink.lock()) s->check_drain(seq);
  });
  post([seq = seq_, c = std::move(chunk)](detail::exchange_sink& s) mutable {
    s.write_chunk(seq, std::move(c));
  });
  return below;
}

void exchange::set_drain_callback(std::function<void()> cb) {
  post([seq = seq_, cb = std::move(cb)](detail::exchange_sink& s) mutable {
    s.set_drain_callback(seq, std::move(cb));
  });
}

void exchange::end() {
  if (!claim(state::streaming, state::ended)) return;
  post([seq = seq_](detail::exchange_sink& s) { s.end_stream(seq); });
}

std::shared_ptr<websocket> exchange::accept_websocket(std::shared_ptr<websocket_handler> handler,
                                                      websocket_options options) {
  if (state_.load() != state::none) return nullptr;
  auto key = upgrade_headers_.get("Sec-WebSocket-Key");
  auto version = upgrade_headers_.get("Sec-WebSocket-Version");
  bool upgrade = has_token(upgrade_headers_.get_or("Upgrade", ""), "websocket") &&
                 has_token(upgrade_headers_.get_or("Connection", ""), "upgrade");
  if (!get_request_ || !upgrade || !key || key->size() != 24) {
    respond(make_error_response(400, "Bad WebSocket handshake.",
                                "expected a GET with Upgrade: websocket, Connection: Upgrade and "
                                "a 16-byte Sec-WebSocket-Key"));
    return nullptr;
  }
  if (version != "13") {
    response r = make_error_response(426, "Unsupported WebSocket version.", "only 13 is supported");
    r.headers.set("Sec-WebSocket-Version", "13");
    respond(std::move(r));
    return nullptr;
  }
  if (!claim(state::none, state::upgraded)) return nullptr;
  header_map h{{"Upgrade", "websocket"},
               {"Connection", "Upgrade"},
               {"Sec-WebSocket-Accept", websocket_accept_key(*key)}};
  if (!options.subprotocol.empty()) h.add("Sec-WebSocket-Protocol", options.subprotocol);
  auto link = std::make_shared<detail::websocket_link>(exec_, options.high_water);
  auto ws = std::make_shared<websocket>(link);
  post([seq = seq_, h = std::move(h), link, handler = std::move(handler),
        options = std::move(options)](detail::exchange_sink& s) mutable {
    s.hand_over(seq, encode_response_head(101, h), [&](transport& t) {
      return detail::websocket_session::create(t, detail::websocket_session::role::server,
                                               std::move(handler), std::move(options), link);
    });
  });
  return ws;
}

std::shared_ptr<raw_stream> exchange::take_over(std::shared_ptr<raw_handler> handler,
                                                size_t high_water) {
  if (!claim(state::none, state::upgraded)) return nullptr;
  auto link = std::make_shared<detail::raw_link>(exec_, high_water);
  auto stream = std::make_shared<raw_stream>(link);
  post([seq = seq_, link, handler = std::move(handler)](detail::exchange_sink& s) mutable {
    s.hand_over(seq, {}, [&](transport& t) {
      return detail::raw_session::create(t, std::move(handler), link);
    });
  });
  return stream;
}

}  // namespace coder::http
