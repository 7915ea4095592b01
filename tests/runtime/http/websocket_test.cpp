#include "runtime/http/websocket.hpp"

#include <doctest/doctest.h>

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>

#include "runtime/http/blocking_client.hpp"
#include "runtime/http/client.hpp"
#include "runtime/http/server.hpp"
#include "tests/runtime/http/test_support.hpp"

using namespace coder;
using namespace coder::http;
using namespace std::chrono_literals;

namespace {

// Echoes every message back; records how the connection ended.
struct echo_handler : websocket_handler {
  std::shared_ptr<websocket> ws;
  std::promise<std::pair<uint16_t, std::string>> closed;
  void on_open(std::shared_ptr<websocket> w) override { ws = std::move(w); }
  void on_text(std::string m) override { ws->send_text(std::move(m)); }
  void on_binary(std::string m) override { ws->send_binary(std::move(m)); }
  void on_close(uint16_t code, std::string reason) override {
    closed.set_value({code, std::move(reason)});
  }
};

// Collects what a client receives, for the test thread to wait on.
struct collector : websocket_handler {
  struct message {
    bool text;
    std::string data;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::deque<message> messages;
  std::shared_ptr<websocket> ws;
  bool is_closed = false;
  uint16_t close_code = 0;
  size_t drains = 0;

  void on_open(std::shared_ptr<websocket> w) override {
    std::lock_guard lock(mu);
    ws = std::move(w);
  }
  void on_text(std::string m) override { push({true, std::move(m)}); }
  void on_binary(std::string m) override { push({false, std::move(m)}); }
  void on_drain() override {
    std::lock_guard lock(mu);
    ++drains;
    cv.notify_all();
  }
  void on_close(uint16_t code, std::string) override {
    std::lock_guard lock(mu);
    is_closed = true;
    close_code = code;
    cv.notify_all();
  }
  void push(message m) {
    std::lock_guard lock(mu);
    messages.push_back(std::move(m));
    cv.notify_all();
  }
  std::optional<message> next() {
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, 10s, [&] { return !messages.empty() || is_closed; })) return {};
    if (messages.empty()) return {};
    auto m = std::move(messages.front());
    messages.pop_front();
    return m;
  }
  uint16_t wait_closed() {
    std::unique_lock lock(mu);
    cv.wait_for(lock, 10s, [&] { return is_closed; });
    return is_closed ? close_code : 0;
  }
};

std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + 7) & 0xFF);
  return s;
}

struct ws_server {
  explicit ws_server(uv::event_loop& loop, websocket_options opts = {})
      : srv(loop, {}, [this, opts](request, std::shared_ptr<exchange> ex) {
          auto h = std::make_shared<echo_handler>();
          server_side = h;
          ex->accept_websocket(h, opts);
        }) {
    srv.start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(srv.port()) + "/ws"; }
  std::shared_ptr<echo_handler> server_side;
  server srv;
};

std::string connect(client& c, const std::string& url, std::shared_ptr<collector> h,
                    websocket_options opts = {}) {
  std::promise<std::string> done;
  c.connect_websocket(url, {}, h, opts, [&](std::string e) { done.set_value(std::move(e)); });
  return done.get_future().get();
}

}  // namespace

TEST_CASE("websocket echo of text, binary and a 1 MiB message through our client") {
  test::running_loop l;
  ws_server s(l.loop);
  client c(l.loop);
  auto h = std::make_shared<collector>();
  REQUIRE(connect(c, s.url(), h) == "");
  h->ws->send_text("hello");
  h->ws->send_binary(std::string("\x00\x01\x02", 3));
  std::string big = pattern(1024 * 1024);
  h->ws->send_binary(big);
  auto m1 = h->next();
  auto m2 = h->next();
  auto m3 = h->next();
  REQUIRE(m1);
  REQUIRE(m2);
  REQUIRE(m3);
  CHECK(m1->text);
  CHECK(m1->data == "hello");
  CHECK_FALSE(m2->text);
  CHECK(m2->data == std::string("\x00\x01\x02", 3));
  CHECK(m3->data == big);
  h->ws->close(1000, "bye");
  CHECK(h->wait_closed() == 1000);
  auto [code, reason] = s.server_side->closed.get_future().get();
  CHECK(code == 1000);
  CHECK(reason == "bye");
  CHECK_FALSE(h->ws->is_open());
  CHECK_FALSE(h->ws->send_text("after close"));
}

TEST_CASE("websocket messages over the limit close with 1009") {
  test::running_loop l;
  websocket_options o;
  o.max_message_bytes = 1024;
  ws_server s(l.loop, o);
  client c(l.loop);
  auto h = std::make_shared<collector>();
  REQUIRE(connect(c, s.url(), h) == "");
  h->ws->send_binary(std::string(2048, 'x'));
  CHECK(h->wait_closed() == 1009);
}

TEST_CASE("websocket bulk transfer both ways with back-pressure") {
  test::running_loop l;
  websocket_options small;
  small.high_water = 256 * 1024;
  ws_server s(l.loop, small);
  client c(l.loop);
  auto h = std::make_shared<collector>();
  REQUIRE(connect(c, s.url(), h, small) == "");
  constexpr int count = 64;
  std::string block = pattern(256 * 1024);
  int refused = 0;
  for (int i = 0; i < count; ++i) {
    if (!h->ws->send_binary(block)) {
      ++refused;
      std::unique_lock lock(h->mu);
      size_t seen = h->drains;
      h->cv.wait_for(lock, 10s, [&] { return h->drains > seen || h->is_closed; });
    }
  }
  size_t received = 0;
  for (int i = 0; i < count; ++i) {
    auto m = h->next();
    REQUIRE(m);
    CHECK(m->data.size() == block.size());
    received += m->data.size();
  }
  CHECK(received == count * block.size());
  CHECK(refused > 0);
}

TEST_CASE("websocket server pings an idle peer and closes 1001 when nothing comes back") {
  test::running_loop l;
  websocket_options o;
  o.ping_interval = 50ms;
  ws_server s(l.loop, o);
  test::test_socket raw(s.srv.port());
  raw.send(
      "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  std::string got;
  while (got.find("\r\n\r\n") == std::string::npos) {
    auto more = raw.read_some();
    REQUIRE_FALSE(more.empty());
    got += more;
  }
  CHECK(got.rfind("HTTP/1.1 101", 0) == 0);
  // RFC 6455's own example key and answer.
  CHECK(got.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != std::string::npos);
  got.erase(0, got.find("\r\n\r\n") + 4);
  // This peer never answers: first a ping (0x89), later a close frame (0x88) with 1001.
  while (got.find('\x88') == std::string::npos) {
    auto more = raw.read_some();
    REQUIRE_FALSE(more.empty());
    got += more;
  }
  REQUIRE(got.size() >= 2);
  CHECK(static_cast<unsigned char>(got[0]) == 0x89);
  auto close_at = got.find('\x88');
  REQUIRE(got.size() >= close_at + 4);
  CHECK(static_cast<unsigned char>(got[close_at + 2]) == 0x03);  // 1001 = 0x03E9
  CHECK(static_cast<unsigned char>(got[close_at + 3]) == 0xE9);
}

TEST_CASE("websocket handshake errors: plain GET gets 400, wrong version 426, refusal reported") {
  test::running_loop l;
  ws_server s(l.loop);
  {
    test::test_socket raw(s.srv.port());
    raw.send("GET /ws HTTP/1.1\r\nHost: t\r\n\r\n");
    auto r = raw.read_response();
    REQUIRE(r);
    CHECK(r->status == 400);
  }
  {
    test::test_socket raw(s.srv.port());
    raw.send(
        "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
    auto r = raw.read_response();
    REQUIRE(r);
    CHECK(r->status == 426);
    CHECK(r->headers.get("Sec-WebSocket-Version") == "13");
  }
  server plain(l.loop, {}, [](request, std::shared_ptr<exchange> ex) {
    ex->respond({404, {}, "no"});
  });
  plain.start();
  client c(l.loop);
  auto h = std::make_shared<collector>();
  auto err = connect(c, "http://127.0.0.1:" + std::to_string(plain.port()) + "/", h);
  CHECK(err.find("404") != std::string::npos);
}

TEST_CASE("websocket graceful server shutdown closes sessions with 1001") {
  test::running_loop l;
  ws_server s(l.loop);
  client c(l.loop);
  auto h = std::make_shared<collector>();
  REQUIRE(connect(c, s.url(), h) == "");
  CHECK(s.srv.shutdown(5s));
  CHECK(h->wait_closed() == 1001);
}
