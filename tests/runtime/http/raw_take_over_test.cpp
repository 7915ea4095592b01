#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "runtime/http/raw_stream.hpp"
#include "runtime/http/server.hpp"
#include "tests/runtime/http/test_support.hpp"

using namespace coder;
using namespace coder::http;
using namespace std::chrono_literals;

namespace {

// Writes its own 101 head (as a proxy relays the upstream's), then echoes; ends on peer EOF.
struct echo_raw : raw_handler {
  std::shared_ptr<raw_stream> stream;
  std::promise<std::string> closed;
  void on_open(std::shared_ptr<raw_stream> s) override {
    stream = std::move(s);
    stream->write(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
  }
  void on_data(std::string data) override { stream->write(std::move(data)); }
  void on_eof() override { stream->end(); }
  void on_close(std::string error) override { closed.set_value(std::move(error)); }
};

}  // namespace

TEST_CASE("raw take-over receives the bytes read after the head and echoes until EOF") {
  test::running_loop l;
  auto handler = std::make_shared<echo_raw>();
  server srv(l.loop, {}, [&](request req, std::shared_ptr<exchange> ex) {
    CHECK(req.path == "/tunnel");
    CHECK(ex->take_over(handler) != nullptr);
    // Once taken over, nothing else may answer on the connection.
    ex->respond({500, {}, "must be ignored"});
  });
  srv.start();
  test::test_socket s(srv.port());
  s.send(
      "GET /tunnel HTTP/1.1\r\nHost: t\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"
      "early bytes|");
  std::string got;
  std::string head =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n";
  while (got.size() < head.size() + 12) {
    auto more = s.read_some();
    REQUIRE_FALSE(more.empty());
    got += more;
  }
  CHECK(got == head + "early bytes|");
  s.send("later");
  CHECK(s.read_some() == "later");
  s.shutdown_write();
  CHECK(s.wait_closed());
  CHECK(handler->closed.get_future().get() == "");
}

TEST_CASE(
    "raw take-over of a plain request keeps pipelined bytes and moves 8 MiB with back-pressure") {
  test::running_loop l;
  constexpr size_t total = 8 * 1024 * 1024;
  std::thread writer;
  std::atomic<int> refused{0};
  struct sink : raw_handler {
    std::promise<std::string> first;
    bool got_first = false;
    std::mutex mu;
    std::condition_variable cv;
    int drains = 0;
    void on_data(std::string d) override {
      if (!got_first) {
        got_first = true;
        first.set_value(std::move(d));
      }
    }
    void on_drain() override {
      std::lock_guard lock(mu);
      ++drains;
      cv.notify_all();
    }
  };
  auto handler = std::make_shared<sink>();
  server srv(l.loop, {}, [&](request, std::shared_ptr<exchange> ex) {
    auto stream = ex->take_over(handler, 256 * 1024);
    writer = std::thread([stream, handler, &refused] {
      std::string block(64 * 1024, 'z');
      for (size_t sent = 0; sent < total; sent += block.size()) {
        std::unique_lock lock(handler->mu);
        int seen = handler->drains;
        lock.unlock();
        if (!stream->write(block)) {
          ++refused;
          lock.lock();
          handler->cv.wait_for(lock, 10s, [&] { return handler->drains > seen; });
        }
      }
      stream->end();
    });
  });
  srv.start();
  test::test_socket s(srv.port());
  s.send("GET /splice HTTP/1.1\r\nHost: t\r\n\r\npipelined");
  CHECK(handler->first.get_future().get() == "pipelined");
  size_t received = 0;
  for (;;) {
    auto more = s.read_some();
    if (more.empty()) break;
    received += more.size();
  }
  writer.join();
  CHECK(received == total);
  CHECK(refused > 0);
}

TEST_CASE("deliver_at_head streams an upload past max_body_bytes to a taken-over handler") {
  test::running_loop l;
  constexpr size_t upload = 3 * 1024 * 1024;
  struct counting : raw_handler {
    std::shared_ptr<raw_stream> stream;
    size_t received = 0;
    void on_open(std::shared_ptr<raw_stream> s) override { stream = std::move(s); }
    void on_data(std::string d) override {
      received += d.size();
      if (received == upload) {
        stream->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        stream->end();
      }
    }
  };
  std::atomic<bool> body_was_empty{false};
  server_options o;
  o.deliver_at_head = [](const request& head) { return head.path == "/upload"; };
  server srv(l.loop, o, [&](request req, std::shared_ptr<exchange> ex) {
    body_was_empty = req.body.empty();
    if (req.path == "/upload") {
      ex->take_over(std::make_shared<counting>());
    } else {
      ex->respond({200, {}, "buffered"});
    }
  });
  srv.start();
  {
    test::test_socket s(srv.port());
    s.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(upload) +
           "\r\n\r\n");
    s.send(std::string(upload, 'u'));
    auto r = s.read_response();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "ok");
    CHECK(body_was_empty);
  }
  {
    // Other paths keep the limit.
    test::test_socket s(srv.port());
    s.send("POST /other HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(upload) +
           "\r\n\r\n");
    auto r = s.read_response();
    REQUIRE(r);
    CHECK(r->status == 413);
  }
}
