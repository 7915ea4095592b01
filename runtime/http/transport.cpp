#include "runtime/http/transport.hpp"

#include <uv.h>

#include <utility>

#include "runtime/http/tls.hpp"

namespace coder::http {

namespace {
constexpr size_t read_buffer_size = 64 * 1024;
constexpr auto linger_time = std::chrono::milliseconds(2000);

std::string peer_ip(uv_tcp_t* tcp) {
  sockaddr_storage addr{};
  int len = sizeof addr;
  if (uv_tcp_getpeername(tcp, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return {};
  char ip[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    uv_ip4_name(reinterpret_cast<sockaddr_in*>(&addr), ip, sizeof ip);
  } else if (addr.ss_family == AF_INET6) {
    uv_ip6_name(reinterpret_cast<sockaddr_in6*>(&addr), ip, sizeof ip);
  }
  return ip;
}

std::string uv_error(const char* what, int rc) {
  return std::string(what) + ": " + uv_strerror(rc);
}
}  // namespace

struct transport::write_req {
  uv_write_t req{};
  std::string data;
  transport* owner = nullptr;
};

transport::transport(uv::event_loop& loop, std::shared_ptr<tls_context> tls, const std::string& sni)
    : loop_(loop), tcp_(new uv_tcp_t{}), read_buffer_(new char[read_buffer_size]) {
  uv_tcp_init(loop_.native(), tcp_);
  tcp_->data = this;
  if (tls) tls_ = std::make_unique<tls_session>(std::move(tls), sni);
  loop_.attach(this);
}

transport::~transport() {
  loop_.detach(this);
}

std::shared_ptr<transport> transport::accept(uv::event_loop& loop, uv_stream_t* listener,
                                             std::shared_ptr<tls_context> tls) {
  std::shared_ptr<transport> t(new transport(loop, std::move(tls), {}));
  t->self_ = t;
  if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(t->tcp_)) != 0) {
    t->close_with("accept failed");
    return nullptr;
  }
  uv_tcp_nodelay(t->tcp_, 1);
  t->remote_address_ = peer_ip(t->tcp_);
  return t;
}

namespace {
struct connect_state {
  std::weak_ptr<transport> target;
  transport::connect_callback done;
  uint16_t port = 0;
  uv_getaddrinfo_t resolve{};
  uv_connect_t connect{};
};
}  // namespace

std::shared_ptr<transport> transport::connect(uv::event_loop& loop, const std::string& host,
                                              uint16_t port, std::shared_ptr<tls_context> tls,
                                              connect_callback done) {
  std::shared_ptr<transport> t(new transport(loop, std::move(tls), host));
  t->self_ = t;
  auto* st = new connect_state{};
  st->target = t;
  st->done = std::move(done);
  st->port = port;
  st->resolve.data = st;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  auto on_resolved = [](uv_getaddrinfo_t* req, int status, addrinfo* res) {
    auto* st = static_cast<connect_state*>(req->data);
    auto t = st->target.lock();
    if (!t || t->is_closed() || status != 0 || res == nullptr) {
      std::string error = status != 0 ? uv_error("resolve", status) : "connection closed";
      if (res != nullptr) uv_freeaddrinfo(res);
      if (t) t->close_with(error);
      st->done(nullptr, error);
      delete st;
      return;
    }
    reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_port = htons(st->port);
    st->connect.data = st;
    int rc = uv_tcp_connect(&st->connect, t->tcp_, res->ai_addr, [](uv_connect_t* c, int status) {
      auto* st = static_cast<connect_state*>(c->data);
      auto t = st->target.lock();
      std::string error;
      if (status != 0) error = uv_error("connect", status);
      if (!t || t->is_closed()) error = error.empty() ? "connection closed" : error;
      if (!error.empty()) {
        if (t) t->close_with(error);
        st->done(nullptr, error);
      } else {
        uv_tcp_nodelay(t->tcp_, 1);
        t->remote_address_ = peer_ip(t->tcp_);
        if (t->tls_) {
          std::string hello;
          if (!t->tls_->start(hello)) {
            t->close_with(t->tls_->error());
            st->done(nullptr, t->tls_->error());
            delete st;
            return;
          }
          t->raw_write(std::move(hello));
        }
        st->done(t, {});
      }
      delete st;
    });
    uv_freeaddrinfo(res);
    if (rc != 0) {
      std::string error = uv_error("connect", rc);
      t->close_with(error);
      st->done(nullptr, error);
      delete st;
    }
  };
  std::string port_text = std::to_string(port);
  int rc = uv_getaddrinfo(loop.native(), &st->resolve, on_resolved, host.c_str(), port_text.c_str(),
                          &hints);
  if (rc != 0) {
    std::string error = uv_error("resolve", rc);
    t->close_with(error);
    auto cb = std::move(st->done);
    delete st;
    cb(nullptr, error);
    return nullptr;
  }
  return t;
}

void transport::set_handler(std::shared_ptr<transport_handler> handler) {
  handler_ = std::move(handler);
  if (!reading_ && !paused_) start_reading();
}

void transport::start_reading() {
  if (tcp_ == nullptr || reading_) return;
  reading_ = true;
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(tcp_),
      [](uv_handle_t* h, size_t, uv_buf_t* buf) {
        auto* self = static_cast<transport*>(h->data);
        buf->base = self->read_buffer_.get();
        buf->len = read_buffer_size;
      },
      [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
        auto* self = static_cast<transport*>(s->data);
        auto keep = self->shared_from_this();
        if (n > 0) {
          self->on_network(std::string_view(buf->base, static_cast<size_t>(n)));
        } else if (n == UV_EOF) {
          self->on_peer_eof();
        } else if (n < 0) {
          self->close_with(uv_error("read", static_cast<int>(n)));
        }
      });
}

void transport::pause_reading() {
  paused_ = true;
  if (tcp_ != nullptr && reading_) uv_read_stop(reinterpret_cast<uv_stream_t*>(tcp_));
  reading_ = false;
}

void transport::resume_reading() {
  paused_ = false;
  if (handler_ && !peer_eof_) start_reading();
}

void transport::on_network(std::string_view bytes) {
  if (finishing_) return;  // discarding until the peer closes
  if (!tls_) {
    if (handler_) handler_->on_data(bytes);
    return;
  }
  std::string plain;
  std::string out;
  bool ok = tls_->receive(bytes, plain, out);
  if (!out.empty()) raw_write(std::move(out));
  if (!ok) {
    close_with(tls_->error());
    return;
  }
  if (!plain.empty() && handler_) handler_->on_data(plain);
  if (tls_ && tls_->peer_closed() && !peer_eof_ && tcp_ != nullptr) on_peer_eof();
}

void transport::on_peer_eof() {
  if (peer_eof_) return;
  peer_eof_ = true;
  if (tcp_ != nullptr && reading_) uv_read_stop(reinterpret_cast<uv_stream_t*>(tcp_));
  reading_ = false;
  if (!finishing_ && handler_) handler_->on_eof();
  // Both directions are done once our FIN is out too.
  if (fin_sent_ && tcp_ != nullptr) close_with({});
}

void transport::write(std::string data) {
  if (tcp_ == nullptr || fin_wanted_ || data.empty()) return;
  if (!tls_) {
    raw_write(std::move(data));
    return;
  }
  std::string out;
  if (!tls_->send(data, out)) {
    close_with(tls_->error());
    return;
  }
  if (!out.empty()) raw_write(std::move(out));
}

void transport::raw_write(std::string data) {
  if (tcp_ == nullptr || data.empty()) return;
  auto* w = new write_req{};
  w->data = std::move(data);
  w->owner = this;
  w->req.data = w;
  buffered_ += w->data.size();
  uv_buf_t buf = uv_buf_init(w->data.data(), static_cast<unsigned>(w->data.size()));
  int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(tcp_), &buf, 1,
                    [](uv_write_t* req, int status) {
                      auto* w = static_cast<write_req*>(req->data);
                      size_t n = w->data.size();
                      transport* owner = w->owner;
                      delete w;
                      owner->on_written(n, status);
                    });
  if (rc != 0) {
    buffered_ -= w->data.size();
    delete w;
    close_with(uv_error("write", rc));
  }
}

void transport::on_written(size_t n, int status) {
  // Write callbacks also run (with UV_ECANCELED) after close; the handle keeps `this` alive
  // until its close callback, which libuv runs after these.
  buffered_ -= n;
  if (status != 0) {
    close_with(uv_error("write", status));
    return;
  }
  if (fin_wanted_ && !fin_sent_ && buffered_ == 0) begin_fin();
  if (handler_ && tcp_ != nullptr) {
    auto keep = shared_from_this();
    handler_->on_write_complete(buffered_);
  }
}

void transport::shutdown_write() {
  if (tcp_ == nullptr || fin_wanted_) return;
  if (tls_) {
    std::string out;
    tls_->shutdown(out);
    raw_write(std::move(out));
  }
  fin_wanted_ = true;
  if (buffered_ == 0) begin_fin();
}

void transport::begin_fin() {
  if (tcp_ == nullptr || fin_sent_) return;
  fin_sent_ = true;
  auto* req = new uv_shutdown_t{};
  req->data = this;
  int rc = uv_shutdown(req, reinterpret_cast<uv_stream_t*>(tcp_), [](uv_shutdown_t* r, int) {
    auto* self = static_cast<transport*>(r->data);
    delete r;
    if (self->tcp_ == nullptr) return;
    if (self->peer_eof_) self->close_with({});
  });
  if (rc != 0) {
    delete req;
    close_with({});
  }
}

void transport::finish() {
  if (tcp_ == nullptr || finishing_) return;
  finishing_ = true;
  shutdown_write();
  if (peer_eof_ && fin_sent_) {
    close_with({});
    return;
  }
  // Keep reading (and dropping) so the peer's pending upload does not turn into a reset.
  paused_ = false;
  if (!peer_eof_) start_reading();
  linger_ = std::make_unique<uv::timer>(loop_, [this] { close_with({}); });
  linger_->start(linger_time);
}

void transport::request_shutdown() {
  if (handler_ && tcp_ != nullptr) {
    auto keep = shared_from_this();
    handler_->on_shutdown_requested();
  }
}

void transport::close_with(std::string error) {
  if (tcp_ == nullptr) return;
  error_ = std::move(error);
  if (linger_) linger_->close();
  uv_close(reinterpret_cast<uv_handle_t*>(tcp_), [](uv_handle_t* h) {
    auto* self = static_cast<transport*>(h->data);
    delete reinterpret_cast<uv_tcp_t*>(h);
    auto handler = std::move(self->handler_);
    auto keep = std::move(self->self_);  // may be the last reference
    if (handler) handler->on_closed(self->error_);
    if (auto observer = std::move(self->close_observer_)) observer();
  });
  tcp_ = nullptr;
  reading_ = false;
}

}  // namespace coder::http
