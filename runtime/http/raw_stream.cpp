#include "runtime/http/raw_stream.hpp"

#include "runtime/http/raw_session.hpp"

namespace coder::http {

namespace detail {

std::shared_ptr<raw_session> raw_session::create(transport& t, std::shared_ptr<raw_handler> handler,
                                                 std::shared_ptr<raw_link> link) {
  std::shared_ptr<raw_session> s(new raw_session(t, std::move(handler), link));
  link->session = s;
  s->handler_->on_open(std::make_shared<raw_stream>(std::move(link)));
  return s;
}

void raw_session::write(std::string data, size_t accounted) {
  if (transport_ != nullptr) transport_->write(std::move(data));
  link_->flow.handed_over(accounted, transport_ != nullptr ? transport_->buffered() : 0);
  check_drain();
}

void raw_session::end() {
  if (transport_ != nullptr) transport_->shutdown_write();
}

void raw_session::abort() {
  if (transport_ != nullptr) transport_->close_with({});
}

void raw_session::pause() {
  if (transport_ != nullptr) transport_->pause_reading();
}

void raw_session::resume() {
  if (transport_ != nullptr) transport_->resume_reading();
}

void raw_session::check_drain() {
  if (link_->flow.take_drain()) handler_->on_drain();
}

void raw_session::on_data(std::string_view data) {
  handler_->on_data(std::string(data));
}

void raw_session::on_eof() {
  handler_->on_eof();
}

void raw_session::on_write_complete(size_t buffered) {
  link_->flow.set_backlog(buffered);
  check_drain();
}

void raw_session::on_closed(const std::string& error) {
  auto keep = shared_from_this();
  transport_ = nullptr;
  handler_->on_close(error);
}

}  // namespace detail

raw_stream::raw_stream(std::shared_ptr<detail::raw_link> link) : link_(std::move(link)) {}

bool raw_stream::write(std::string data) {
  size_t n = data.size();
  auto link = link_;
  bool below = link_->flow.account_send(n, [link] {
    if (auto s = link->session.lock()) s->check_drain();
  });
  bool posted = link_->flow.executor().post([link, n, d = std::move(data)]() mutable {
    if (auto s = link->session.lock()) {
      s->write(std::move(d), n);
    } else {
      link->flow.handed_over(n, 0);
    }
  });
  if (!posted) link_->flow.handed_over(n, 0);
  return below && posted;
}

namespace {
template <typename F>
void on_session(const std::shared_ptr<detail::raw_link>& link, F f) {
  link->flow.executor().post([link, f] {
    if (auto s = link->session.lock()) f(*s);
  });
}
}  // namespace

void raw_stream::end() {
  on_session(link_, [](detail::raw_session& s) { s.end(); });
}
void raw_stream::close() {
  on_session(link_, [](detail::raw_session& s) { s.abort(); });
}
void raw_stream::pause() {
  on_session(link_, [](detail::raw_session& s) { s.pause(); });
}
void raw_stream::resume() {
  on_session(link_, [](detail::raw_session& s) { s.resume(); });
}
size_t raw_stream::buffered_amount() const {
  return link_->flow.buffered();
}

}  // namespace coder::http
