#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "runtime/http/server.hpp"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/http/json_error.hpp"
#include "tests/runtime/http/test_support.hpp"

using namespace coder;
using namespace coder::http;
using namespace std::chrono_literals;

namespace {

// Echoes method, decoded path and body; the handler answers synchronously on the loop thread.
void echo(request req, std::shared_ptr<exchange> ex) {
  response r;
  r.headers.set("Content-Type", "text/plain");
  r.body = req.method + " " + req.path + " " + req.body;
  ex->respond(std::move(r));
}

std::string get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

bool is_json_error(const test::wire_response& r) {
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  return !doc.HasParseError() && doc.IsObject() && doc.HasMember("message") &&
         doc["message"].IsString() && doc.HasMember("detail") && doc.HasMember("validations") &&
         doc["validations"].IsArray() && r.headers.get("Content-Type") == "application/json";
}

}  // namespace

TEST_CASE("server answers with Date, Content-Length and X-Request-Id and keeps the connection") {
  test::running_loop l;
  server srv(l.loop, {}, echo);
  srv.start();
  REQUIRE(srv.port() != 0);
  test::test_socket s(srv.port());
  s.send("POST /a%20b HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  auto r1 = s.read_response();
  REQUIRE(r1);
  CHECK(r1->status == 200);
  CHECK(r1->body == "POST /a b hello");
  CHECK(r1->headers.get("Content-Length") == "15");
  CHECK(r1->headers.has("Date"));
  CHECK(r1->headers.get("X-Request-Id")->size() == 36);
  CHECK_FALSE(r1->headers.has("Connection"));
  s.send(get("/second"));
  auto r2 = s.read_response();
  REQUIRE(r2);
  CHECK(r2->body == "GET /second ");
  CHECK(r2->headers.get("X-Request-Id") != r1->headers.get("X-Request-Id"));
}

TEST_CASE("server hands request fields to the handler: query, headers, remote address") {
  test::running_loop l;
  std::promise<request> seen;
  server srv(l.loop, {}, [&](request req, std::shared_ptr<exchange> ex) {
    seen.set_value(req);
    ex->respond({204, {}, {}});
  });
  srv.start();
  test::test_socket s(srv.port());
  s.send(get("/p?name=J%C3%BCrgen+K&x=1", "X-Custom: Yes\r\n"));
  auto r = s.read_response();
  REQUIRE(r);
  CHECK(r->status == 204);
  CHECK_FALSE(r->headers.has("Content-Length"));
  auto req = seen.get_future().get();
  CHECK(req.query_param("name") == "Jürgen K");
  CHECK(req.query == "name=J%C3%BCrgen+K&x=1");
  CHECK(req.headers.get("x-custom") == "Yes");
  CHECK(req.remote_address == "127.0.0.1");
  CHECK_FALSE(req.tls);
  CHECK(req.request_id.size() == 36);
}

TEST_CASE("server answers pipelined requests in order, one handler call at a time") {
  test::running_loop l;
  std::mutex mu;
  std::vector<std::string> order;
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
  std::vector<std::thread> workers;
  server srv(l.loop, {}, [&](request req, std::shared_ptr<exchange> ex) {
    int now = ++in_flight;
    max_in_flight = std::max(max_in_flight.load(), now);
    // Answered from another thread, as an actor would.
    std::lock_guard lock(mu);
    order.push_back(req.path);
    workers.emplace_back([&, ex, path = req.path] {
      --in_flight;
      ex->respond({200, {}, path});
    });
  });
  srv.start();
  test::test_socket s(srv.port());
  s.send(get("/1") + "POST /2 HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nab" + get("/3"));
  for (std::string expected : {"/1", "/2", "/3"}) {
    auto r = s.read_response();
    REQUIRE(r);
    CHECK(r->body == expected);
  }
  CHECK(max_in_flight == 1);
  {
    std::lock_guard lock(mu);
    CHECK(order == std::vector<std::string>{"/1", "/2", "/3"});
  }
  srv.shutdown(1s);
  for (auto& w : workers) w.join();
}

TEST_CASE("server closes a slowloris connection with 408 after the header timeout") {
  test::running_loop l;
  server_options o;
  o.header_timeout = 200ms;
  server srv(l.loop, o, echo);
  srv.start();
  test::test_socket s(srv.port());
  s.send("GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ");
  auto r = s.read_response();
  REQUIRE(r);
  CHECK(r->status == 408);
  CHECK(r->headers.get("Connection") == "close");
  CHECK(is_json_error(*r));
  CHECK(s.wait_closed());
}

TEST_CASE("server closes an idle kept-alive connection after the idle timeout") {
  test::running_loop l;
  server_options o;
  o.idle_timeout = 200ms;
  server srv(l.loop, o, echo);
  srv.start();
  test::test_socket s(srv.port());
  s.send(get("/"));
  REQUIRE(s.read_response());
  CHECK(s.wait_closed());
}

TEST_CASE("server refuses an oversize Content-Length with 413 before reading the body") {
  test::running_loop l;
  server_options o;
  o.max_body_bytes = 1000;
  std::atomic<int> calls{0};
  server srv(l.loop, o, [&](request, std::shared_ptr<exchange> ex) {
    ++calls;
    ex->respond({});
  });
  srv.start();
  test::test_socket s(srv.port());
  // No body is sent at all: the answer must come from the head alone.
  s.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
  auto r = s.read_response();
  REQUIRE(r);
  CHECK(r->status == 413);
  CHECK(is_json_error(*r));
  CHECK(calls == 0);
}

TEST_CASE("server 413 for a chunked body over the limit, 431 for big heads, 414 for long URLs") {
  test::running_loop l;
  server_options o;
  o.max_body_bytes = 100;
  o.max_header_bytes = 2048;
  o.max_url_bytes = 256;
  server srv(l.loop, o, echo);
  srv.start();
  {
    test::test_socket s(srv.port());
    s.send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n80\r\n" +
           std::string(128, 'x') + "\r\n");
    auto r = s.read_response();
    REQUIRE(r);
    CHECK(r->status == 413);
  }
  {
    test::test_socket s(srv.port());
    s.send_ok(get("/", "X-Big: " + std::string(4000, 'a') + "\r\n"));
    auto r = s.read_response();
    REQUIRE(r);
    CHECK(r->status == 431);
    CHECK(is_json_error(*r));
  }
  {
    test::test_socket s(srv.port());
    s.send(get("/" + std::string(300, 'u')));
    auto r = s.read_response();
    REQUIRE(r);
    CHECK(r->status == 414);
  }
}

TEST_CASE("server sends 100 Continue for Expect: 100-continue within limits") {
  test::running_loop l;
  server srv(l.loop, {}, echo);
  srv.start();
  test::test_socket s(srv.port());
  s.send("PUT /x HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  auto cont = s.read_some();
  CHECK(cont == "HTTP/1.1 100 Continue\r\n\r\n");
  s.send("abc");
  auto r = s.read_response();
  REQUIRE(r);
  CHECK(r->body == "PUT /x abc");
}

TEST_CASE("server answers malformed requests with a JSON 400 and closes") {
  test::running_loop l;
  std::atomic<int> calls{0};
  server srv(l.loop, {}, [&](request req, std::shared_ptr<exchange> ex) {
    ++calls;
    echo(std::move(req), std::move(ex));
  });
  srv.start();
  for (std::string bad : {std::string("NOT HTTP AT ALL\r\n\r\n"),
                          std::string("GET / HTTP/1.1\r\n\r\n"),  // no Host
                          std::string("GET /%zz HTTP/1.1\r\nHost: t\r\n\r\n"),
                          std::string("GET /a%00b HTTP/1.1\r\nHost: t\r\n\r\n"),
                          std::string("GET relative HTTP/1.1\r\nHost: t\r\n\r\n"),
                          std::string("GET / HTTP/1.1\r\nHost: t\0\r\n\r\n", 28)}) {
    CAPTURE(bad);
    test::test_socket s(srv.port());
    s.send(bad);
    auto r = s.read_response();
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(is_json_error(*r));
    CHECK(r->headers.get("Connection") == "close");
    CHECK(s.wait_closed());
  }
  CHECK(calls == 0);
}

TEST_CASE("server answers 500 when the exchange is dropped or the handler throws") {
  test::running_loop l;
  server srv(l.loop, {}, [&](request req, std::shared_ptr<exchange> ex) {
    if (req.path == "/throw") throw std::runtime_error("handler bug");
    // /drop: the exchange goes away unanswered (on another thread, as a dying actor would).
    std::thread([ex = std::move(ex)]() mutable { ex.reset(); }).detach();
  });
  srv.start();
  test::test_socket s(srv.port());
  for (const char* path : {"/drop", "/throw"}) {
    s.send(get(path));
    auto r = s.read_response();
    REQUIRE(r);
    CHECK(r->status == 500);
    CHECK(is_json_error(*r));
  }
}

TEST_CASE("server HEAD: no body, but the length a GET would have") {
  test::running_loop l;
  server srv(l.loop, {}, echo);
  srv.start();
  test::test_socket s(srv.port());
  s.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n" + get("/after"));
  auto r = s.read_response(true);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.empty());
  CHECK(r->headers.get("Content-Length") == std::to_string(std::string("HEAD /h ").size()));
  auto r2 = s.read_response();
  REQUIRE(r2);
  CHECK(r2->body == "GET /after ");
}

TEST_CASE("server HTTP/1.0 closes by default and keeps alive on request") {
  test::running_loop l;
  server srv(l.loop, {}, echo);
  srv.start();
  {
    test::test_socket s(srv.port());
    s.send("GET /old HTTP/1.0\r\n\r\n");
    auto r = s.read_response();
    REQUIRE(r);
    CHECK(r->headers.get("Connection") == "close");
    CHECK(s.wait_closed());
  }
  {
    test::test_socket s(srv.port());
    s.send("GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto r = s.read_response();
    REQUIRE(r);
    CHECK(r->headers.get("Connection") == "keep-alive");
    s.send("GET /again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    REQUIRE(s.read_response());
  }
}

TEST_CASE("server streams a chunked response written from another thread with back-pressure") {
  test::running_loop l;
  server_options o;
  o.stream_high_water = 64 * 1024;
  std::thread writer;
  std::atomic<int> refused{0};
  server srv(l.loop, o, [&](request, std::shared_ptr<exchange> ex) {
    ex->begin_stream(200, {{"Content-Type", "application/octet-stream"}});
    writer = std::thread([ex, &refused] {
      // Shared: the drain callback may outlive this thread (it also fires on disconnect).
      struct signal {
        std::mutex mu;
        std::condition_variable cv;
        bool drained = false;
      };
      auto sig = std::make_shared<signal>();
      ex->set_drain_callback([sig] {
        std::lock_guard lock(sig->mu);
        sig->drained = true;
        sig->cv.notify_one();
      });
      for (int i = 0; i < 256; ++i) {
        if (!ex->write(std::string(16 * 1024, static_cast<char>('a' + i % 26)))) {
          ++refused;
          std::unique_lock lock(sig->mu);
          sig->cv.wait(lock, [&] { return sig->drained || ex->client_gone(); });
          sig->drained = false;
        }
      }
      ex->end();
    });
  });
  srv.start();
  test::test_socket s(srv.port());
  s.send(get("/stream"));
  auto r = s.read_response();
  REQUIRE(r);
  writer.join();
  CHECK(r->status == 200);
  CHECK(r->headers.get("Transfer-Encoding") == "chunked");
  REQUIRE(r->body.size() == 256u * 16 * 1024);
  CHECK(r->body[0] == 'a');
  CHECK(r->body[16 * 1024] == 'b');
  // 4 MiB through a 64 KiB window: the writer must have been held back at least once.
  CHECK(refused > 0);
}

TEST_CASE("server streaming writer learns that the client went away") {
  test::running_loop l;
  server_options o;
  o.stream_high_water = 16 * 1024;
  std::promise<bool> writer_done;
  std::thread writer;
  server srv(l.loop, o, [&](request, std::shared_ptr<exchange> ex) {
    ex->begin_stream(200, {});
    writer = std::thread([ex, &writer_done] {
      struct signal {
        std::mutex mu;
        std::condition_variable cv;
        int wakes = 0;
      };
      auto sig = std::make_shared<signal>();
      ex->set_drain_callback([sig] {
        std::lock_guard lock(sig->mu);
        ++sig->wakes;
        sig->cv.notify_all();
      });
      // Write until refused and wait for a drain, again and again: the kernel buffers absorb a
      // few megabytes, but once the client is gone the wake-up must say so.
      // A safety net, not a speed limit: generous so a sanitizer build under load still passes.
      auto deadline = std::chrono::steady_clock::now() + 60s;
      while (!ex->client_gone() && std::chrono::steady_clock::now() < deadline) {
        std::unique_lock lock(sig->mu);
        int seen = sig->wakes;
        lock.unlock();
        if (ex->write(std::string(64 * 1024, 'x'))) continue;
        lock.lock();
        sig->cv.wait_until(lock, deadline, [&] { return sig->wakes > seen; });
      }
      // Before the deadline: the disconnect itself must wake the waiting writer.
      writer_done.set_value(std::chrono::steady_clock::now() < deadline && ex->client_gone() &&
                            !ex->write("more"));
    });
  });
  srv.start();
  {
    test::test_socket s(srv.port());
    s.send(get("/logs"));
    std::this_thread::yield();
  }  // the client disconnects without reading
  auto f = writer_done.get_future();
  REQUIRE(f.wait_for(90s) == std::future_status::ready);
  CHECK(f.get());
  writer.join();
}

TEST_CASE("server graceful shutdown lets an in-flight request finish, then closes") {
  test::running_loop l;
  std::promise<std::shared_ptr<exchange>> held;
  server srv(l.loop, {}, [&](request, std::shared_ptr<exchange> ex) { held.set_value(ex); });
  srv.start();
  test::test_socket busy(srv.port());
  test::test_socket idle(srv.port());
  busy.send(get("/slow"));
  auto ex = held.get_future().get();
  std::promise<bool> result;
  std::thread stopper([&] { result.set_value(srv.shutdown(10s)); });
  // The idle connection is closed right away; the busy one waits for its answer.
  CHECK(idle.wait_closed());
  ex->respond({200, {}, "done"});
  ex.reset();
  auto r = busy.read_response();
  REQUIRE(r);
  CHECK(r->body == "done");
  CHECK(r->headers.get("Connection") == "close");
  CHECK(busy.wait_closed());
  stopper.join();
  CHECK(result.get_future().get());
  CHECK(srv.connection_count() == 0);
  CHECK_THROWS(test::test_socket(srv.port()));
}

TEST_CASE("server shutdown deadline force-closes exchanges that never finish") {
  test::running_loop l;
  std::promise<std::shared_ptr<exchange>> held;
  server srv(l.loop, {}, [&](request, std::shared_ptr<exchange> ex) { held.set_value(ex); });
  srv.start();
  test::test_socket s(srv.port());
  s.send(get("/forever"));
  auto ex = held.get_future().get();
  CHECK_FALSE(srv.shutdown(100ms));
  CHECK(s.wait_closed());
  ex->respond({});  // too late: ignored, no crash
}

TEST_CASE("server answers 503 beyond max_connections and serves again once one closes") {
  test::running_loop l;
  server_options o;
  o.max_connections = 1;
  server srv(l.loop, o, echo);
  srv.start();
  auto first = std::make_unique<test::test_socket>(srv.port());
  first->send(get("/one"));
  REQUIRE(first->read_response());
  {
    test::test_socket second(srv.port());
    auto r = second.read_response();
    REQUIRE(r);
    CHECK(r->status == 503);
    CHECK(is_json_error(*r));
  }
  first.reset();
  // The closed connections leave the registry asynchronously: wait for it to empty (bounded),
  // then a new connection must be served.
  for (int i = 0; i < 10000 && srv.connection_count() > 0; ++i) std::this_thread::sleep_for(1ms);
  REQUIRE(srv.connection_count() == 0);
  test::test_socket again(srv.port());
  again.send(get("/again"));
  auto ok = again.read_response();
  REQUIRE(ok);
  CHECK(ok->status == 200);
}

TEST_CASE("server start fails clearly on a port in use and on bad TLS files") {
  test::running_loop l;
  server first(l.loop, {}, echo);
  first.start();
  server_options o;
  o.port = first.port();
  server second(l.loop, o, echo);
  CHECK_THROWS_WITH(second.start(), doctest::Contains("address already in use"));
  server_options t;
  t.tls_cert_file = "/nonexistent/cert.pem";
  t.tls_key_file = "/nonexistent/key.pem";
  server third(l.loop, t, echo);
  CHECK_THROWS_WITH(third.start(), doctest::Contains("/nonexistent/cert.pem"));
}
