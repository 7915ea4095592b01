#include "runtime/http/client.hpp"

#include <http_parser.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "runtime/http/http1_codec.hpp"
#include "runtime/http/http1_encoder.hpp"
#include "runtime/http/tls.hpp"
#include "runtime/http/transport.hpp"
#include "runtime/http/websocket_session.hpp"

namespace coder::http {

std::optional<parsed_url> parse_url(std::string_view url) {
  http_parser_url u;
  http_parser_url_init(&u);
  if (http_parser_parse_url(url.data(), url.size(), 0, &u) != 0) return std::nullopt;
  auto field = [&](int f) -> std::string_view {
    if ((u.field_set & (1 << f)) == 0) return {};
    return url.substr(u.field_data[f].off, u.field_data[f].len);
  };
  parsed_url out;
  auto schema = field(UF_SCHEMA);
  if (iequals(schema, "https")) {
    out.tls = true;
  } else if (!iequals(schema, "http")) {
    return std::nullopt;
  }
  out.host = std::string(field(UF_HOST));
  if (out.host.empty()) return std::nullopt;
  out.port = (u.field_set & (1 << UF_PORT)) ? u.port : (out.tls ? 443 : 80);
  out.target = std::string(field(UF_PATH));
  if (out.target.empty()) out.target = "/";
  if (auto q = field(UF_QUERY); !q.empty()) out.target += "?" + std::string(q);
  bool ipv6 = out.host.find(':') != std::string::npos;
  out.host_header = ipv6 ? "[" + out.host + "]" : out.host;
  if ((u.field_set & (1 << UF_PORT)) != 0) out.host_header += ":" + std::to_string(out.port);
  return out;
}

namespace {

std::string random_websocket_key() {
  unsigned char raw[16];
  RAND_bytes(raw, sizeof raw);
  unsigned char out[25];
  EVP_EncodeBlock(out, raw, sizeof raw);
  return std::string(reinterpret_cast<char*>(out), 24);
}

struct websocket_request {
  std::shared_ptr<websocket_handler> handler;
  websocket_options options;
  std::string key;
};

// One request on one connection.
class client_connection final : public transport_handler,
                                public codec_callbacks,
                                public std::enable_shared_from_this<client_connection> {
 public:
  client_connection(uv::event_loop& loop, const client_options& opts, bool head_request,
                    std::function<void(client_response)> done)
      : loop_(loop),
        codec_(codec_mode::response, *this,
               codec_limits{.max_header_bytes = opts.max_header_bytes,
                            .max_url_bytes = opts.max_header_bytes,
                            .max_body_bytes = opts.max_response_bytes}),
        timer_(loop, [this] { fail("request timed out"); }),
        done_(std::move(done)) {
    codec_.expect_head_response(head_request);
  }

  void start(const parsed_url& url, std::shared_ptr<tls_context> tls, std::string wire,
             std::chrono::milliseconds timeout) {
    timer_.start(timeout);
    auto self = shared_from_this();
    transport_ = transport::connect(
        loop_, url.host, url.port, std::move(tls),
        [self, wire = std::move(wire)](std::shared_ptr<transport> t, std::string error) mutable {
          if (!t) {
            self->fail(std::move(error));
            return;
          }
          t->set_handler(self);
          t->write(std::move(wire));
        });
  }

  void expect_websocket(websocket_request ws) { ws_ = std::move(ws); }

  void on_data(std::string_view data) override {
    if (finished_) return;
    auto keep = shared_from_this();
    auto r = codec_.dispatch(data);
    switch (r.status) {
      case codec_status::need_more:
        return;
      case codec_status::error:
        fail("bad response: " + r.detail);
        return;
      case codec_status::message_complete:
        complete();
        return;
      case codec_status::upgrade:
        upgrade(data.substr(r.consumed));
        return;
    }
  }

  void on_eof() override {
    if (finished_) return;
    auto r = codec_.finish();
    if (r.status == codec_status::message_complete) {
      complete();
    } else {
      fail(r.status == codec_status::error ? "bad response: " + r.detail
                                           : "connection closed before a response");
    }
  }

  void on_closed(const std::string& error) override {
    if (!finished_) fail(error.empty() ? "connection closed before a response" : error);
  }

  void on_headers(message_head&& head) override {
    response_.status = head.status;
    response_.headers = std::move(head.headers);
  }
  void on_body(std::string_view data) override { response_.body.append(data); }
  void on_message_complete() override {}

 private:
  void finish_with(client_response r) {
    if (finished_) return;
    finished_ = true;
    timer_.close();
    if (auto t = transport_.lock()) t->close_with({});
    if (ws_) {
      ws_->handler.reset();
    }
    auto done = std::move(done_);
    if (done) done(std::move(r));
  }

  void fail(std::string error) {
    client_response r;
    r.error = std::move(error);
    finish_with(std::move(r));
  }

  void complete() {
    if (ws_) {
      fail("websocket handshake refused: HTTP " + std::to_string(response_.status) + ": " +
           response_.body);
      return;
    }
    finish_with(std::move(response_));
  }

  void upgrade(std::string_view leftover) {
    auto t = transport_.lock();
    if (!ws_ || !t) {
      fail("unexpected protocol upgrade");
      return;
    }
    if (response_.status != 101 ||
        response_.headers.get("Sec-WebSocket-Accept") != websocket_accept_key(ws_->key)) {
      fail("websocket handshake failed: bad Sec-WebSocket-Accept");
      return;
    }
    finished_ = true;
    timer_.close();
    auto link =
        std::make_shared<detail::websocket_link>(loop_.get_executor(), ws_->options.high_water);
    auto session = detail::websocket_session::create(*t, detail::websocket_session::role::client,
                                                     std::move(ws_->handler), ws_->options, link);
    std::string rest(leftover);
    t->set_handler(session);
    if (!rest.empty()) session->on_data(rest);
    auto done = std::move(done_);
    client_response ok;
    done(std::move(ok));
  }

  uv::event_loop& loop_;
  http1_codec codec_;
  uv::timer timer_;
  std::function<void(client_response)> done_;
  std::weak_ptr<transport> transport_;
  client_response response_;
  std::optional<websocket_request> ws_;
  bool finished_ = false;
};

}  // namespace

struct client::impl {
  impl(uv::event_loop& l, client_options o) : loop(l), options(std::move(o)) {}

  // Loop thread. Built once: loading a CA bundle costs milliseconds.
  std::shared_ptr<tls_context> tls(std::string& error) {
    if (!tls_ctx) {
      try {
        tls_ctx = tls_context::client(options.ca_file, options.insecure_skip_verify);
      } catch (const std::exception& e) {
        error = e.what();
      }
    }
    return tls_ctx;
  }

  void start(client_request req, std::optional<websocket_request> ws,
             std::function<void(client_response)> done) {
    auto url = parse_url(req.url);
    if (!url) {
      client_response r;
      r.error = "invalid URL: " + req.url;
      done(std::move(r));
      return;
    }
    std::shared_ptr<tls_context> ctx;
    if (url->tls) {
      std::string error;
      ctx = tls(error);
      if (!ctx) {
        client_response r;
        r.error = error;
        done(std::move(r));
        return;
      }
    }
    header_map h = std::move(req.headers);
    if (!h.has("Host")) h.add("Host", url->host_header);
    if (ws) {
      h.set("Upgrade", "websocket");
      h.set("Connection", "Upgrade");
      h.set("Sec-WebSocket-Key", ws->key);
      h.set("Sec-WebSocket-Version", "13");
    } else {
      h.set("Connection", "close");
      if (!req.body.empty() || req.method == "POST" || req.method == "PUT" ||
          req.method == "PATCH") {
        h.set("Content-Length", std::to_string(req.body.size()));
      }
    }
    std::string wire = encode_request_head(req.method, url->target, h) + req.body;
    auto conn =
        std::make_shared<client_connection>(loop, options, req.method == "HEAD", std::move(done));
    if (ws) conn->expect_websocket(std::move(*ws));
    conn->start(*url, std::move(ctx), std::move(wire), req.timeout.value_or(options.timeout));
  }

  uv::event_loop& loop;
  client_options options;
  std::shared_ptr<tls_context> tls_ctx;
};

client::client(uv::event_loop& loop, client_options options)
    : impl_(std::make_shared<impl>(loop, std::move(options))) {}

client::~client() = default;

void client::request(client_request req, std::function<void(client_response)> done) {
  auto impl = impl_;
  // Shared so that the caller still gets an answer when the loop refuses the task.
  auto cb = std::make_shared<std::function<void(client_response)>>(std::move(done));
  if (!impl_->loop.post([impl, req = std::move(req), cb]() mutable {
        impl->start(std::move(req), std::nullopt, std::move(*cb));
      })) {
    client_response r;
    r.error = "event loop is not running";
    (*cb)(std::move(r));
  }
}

void client::connect_websocket(std::string url, header_map headers,
                               std::shared_ptr<websocket_handler> handler,
                               websocket_options options,
                               std::function<void(std::string error)> done) {
  auto impl = impl_;
  auto cb = std::make_shared<std::function<void(std::string)>>(std::move(done));
  if (!impl_->loop.post([impl, url = std::move(url), headers = std::move(headers),
                         handler = std::move(handler), options = std::move(options), cb]() mutable {
        client_request req;
        req.url = std::move(url);
        req.headers = std::move(headers);
        websocket_request ws{std::move(handler), std::move(options), random_websocket_key()};
        impl->start(std::move(req), std::move(ws),
                    [cb](client_response r) { (*cb)(std::move(r.error)); });
      })) {
    (*cb)("event loop is not running");
  }
}

}  // namespace coder::http
