#include "runtime/http/server.hpp"

#include <netdb.h>
#include <uv.h>

#include <cassert>
#include <cstring>
#include <ctime>
#include <future>
#include <stdexcept>
#include <utility>

#include "runtime/http/http1_encoder.hpp"
#include "runtime/http/json_error.hpp"
#include "runtime/http/server_connection.hpp"
#include "runtime/http/server_state.hpp"
#include "runtime/http/tls.hpp"
#include "runtime/log/log.hpp"

namespace coder::http {

namespace detail {

const std::string& server_state::date() {
  long long now = static_cast<long long>(std::time(nullptr));
  if (now != date_second_) {
    date_second_ = now;
    date_ = http_date(now);
  }
  return date_;
}

std::string server_state::next_request_id() {
  uint64_t a = rng_();
  uint64_t b = rng_();
  a = (a & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFFF),
                static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buf;
}

}  // namespace detail

struct server::impl final : public uv::closable {
  explicit impl(std::shared_ptr<detail::server_state> s) : state(std::move(s)) {}

  void close() override { close_listener(); }

  void close_listener() {
    if (listener == nullptr) return;
    uv_close(reinterpret_cast<uv_handle_t*>(listener),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
    listener = nullptr;
  }

  void on_connection() {
    auto t = transport::accept(state->loop, reinterpret_cast<uv_stream_t*>(listener), state->tls);
    if (!t) return;
    auto conn = std::make_shared<detail::server_connection>(state, *t);
    transport* key = t.get();
    state->connections.emplace(key, t);
    t->set_close_observer([weak = std::weak_ptr<impl>(self), key] {
      if (auto s = weak.lock()) s->on_connection_closed(key);
    });
    if (state->connections.size() > state->options.max_connections) {
      auto r = make_error_response(503, "Server is busy.", "too many connections");
      r.headers.set("Content-Length", std::to_string(r.body.size()));
      r.headers.set("Connection", "close");
      t->write(encode_response_head(503, r.headers) + r.body);
      t->finish();
      return;
    }
    t->set_handler(conn);
    conn->start();
  }

  void on_connection_closed(transport* key) {
    state->connections.erase(key);
    if (shutdown_done && state->connections.empty()) {
      if (shutdown_timer) shutdown_timer->close();
      std::exchange(shutdown_done, nullptr)(!deadline_passed);
    }
  }

  void begin_shutdown(std::chrono::milliseconds deadline, std::function<void(bool)> done) {
    close_listener();
    state->shutting_down = true;
    if (state->connections.empty()) {
      done(true);
      return;
    }
    if (shutdown_done) {
      // A second shutdown joins the first.
      auto first = std::move(shutdown_done);
      shutdown_done = [first = std::move(first), done = std::move(done)](bool ok) {
        first(ok);
        done(ok);
      };
    } else {
      shutdown_done = std::move(done);
    }
    for (auto& [key, weak] : snapshot()) {
      if (auto t = weak.lock()) t->request_shutdown();
    }
    if (state->connections.empty()) return;  // closed synchronously (never: closes are async)
    shutdown_timer = std::make_unique<uv::timer>(state->loop, [this] {
      deadline_passed = true;
      for (auto& [key, weak] : snapshot()) {
        if (auto t = weak.lock()) t->close_with("server shutdown deadline passed");
      }
    });
    shutdown_timer->start(deadline);
  }

  std::vector<std::pair<transport*, std::weak_ptr<transport>>> snapshot() const {
    return {state->connections.begin(), state->connections.end()};
  }

  std::shared_ptr<detail::server_state> state;
  std::weak_ptr<impl> self;
  uv_tcp_t* listener = nullptr;
  uint16_t port = 0;
  bool started = false;
  std::function<void(bool)> shutdown_done;
  std::unique_ptr<uv::timer> shutdown_timer;
  bool deadline_passed = false;
};

server::server(uv::event_loop& loop, server_options options, request_handler handler)
    : impl_(std::make_shared<impl>(
          std::make_shared<detail::server_state>(loop, std::move(options), std::move(handler)))) {
  impl_->self = impl_;
}

server::~server() {
  auto& loop = impl_->state->loop;
  if (!impl_->started) return;
  if (loop.running() && !loop.in_loop_thread()) {
    shutdown(std::chrono::milliseconds(0));
    loop.run_sync([this] {
      impl_->shutdown_timer.reset();
      impl_->state->loop.detach(impl_.get());
    });
  } else if (loop.in_loop_thread()) {
    impl_->close_listener();
    impl_->shutdown_timer.reset();
    loop.detach(impl_.get());
  }
}

void server::start() {
  auto& opts = impl_->state->options;
  if (!opts.tls_cert_file.empty() || !opts.tls_key_file.empty()) {
    impl_->state->tls = tls_context::server(opts.tls_cert_file, opts.tls_key_file);
  }
  // Resolved here, before touching the loop: start() runs on a start-up thread that may block.
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  std::string port_text = std::to_string(opts.port);
  if (int rc = getaddrinfo(opts.host.c_str(), port_text.c_str(), &hints, &res); rc != 0) {
    throw std::runtime_error("cannot resolve listen address " + opts.host + ": " +
                             gai_strerror(rc));
  }
  sockaddr_storage addr{};
  std::memcpy(&addr, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);

  std::string error;
  impl_->state->loop.run_sync([&] {
    auto* l = new uv_tcp_t{};
    uv_tcp_init(impl_->state->loop.native(), l);
    l->data = impl_.get();
    impl_->listener = l;
    int rc = uv_tcp_bind(l, reinterpret_cast<sockaddr*>(&addr), 0);
    if (rc == 0) {
      rc = uv_listen(reinterpret_cast<uv_stream_t*>(l), 511, [](uv_stream_t* s, int status) {
        if (status == 0) static_cast<impl*>(s->data)->on_connection();
      });
    }
    if (rc != 0) {
      error = "cannot listen on " + opts.host + ":" + std::to_string(opts.port) + ": " +
              uv_strerror(rc);
      impl_->close_listener();
      return;
    }
    sockaddr_storage bound{};
    int len = sizeof bound;
    uv_tcp_getsockname(l, reinterpret_cast<sockaddr*>(&bound), &len);
    impl_->port =
        ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                          : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    impl_->started = true;
    impl_->state->loop.attach(impl_.get());
  });
  if (!error.empty()) throw std::runtime_error(error);
  log::info("http_listening", {{"address", opts.host},
                               {"port", static_cast<int>(impl_->port)},
                               {"tls", impl_->state->tls != nullptr}});
}

uint16_t server::port() const {
  return impl_->port;
}
bool server::tls() const {
  return impl_->state->tls != nullptr;
}

void server::stop_accepting() {
  impl_->state->loop.post([impl = impl_] { impl->close_listener(); });
}

void server::shutdown_async(std::chrono::milliseconds deadline, std::function<void(bool)> done) {
  if (!impl_->state->loop.post([impl = impl_, deadline, done]() mutable {
        impl->begin_shutdown(deadline, std::move(done));
      })) {
    done(true);  // the loop is gone, and with it every connection
  }
}

bool server::shutdown(std::chrono::milliseconds deadline) {
  // Waiting on the loop thread would block the very loop that has to finish the connections.
  assert(!impl_->state->loop.in_loop_thread());
  auto finished = std::make_shared<std::promise<bool>>();
  auto result = finished->get_future();
  shutdown_async(deadline, [finished](bool ok) { finished->set_value(ok); });
  return result.get();
}

size_t server::connection_count() const {
  if (!impl_->state->loop.running()) return 0;  // a stopped loop closed every connection
  size_t n = 0;
  impl_->state->loop.run_sync([&] { n = impl_->state->connections.size(); });
  return n;
}

}  // namespace coder::http
