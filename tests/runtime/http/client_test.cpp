#include "runtime/http/client.hpp"

#include <doctest/doctest.h>

#include <future>

#include "runtime/http/blocking_client.hpp"
#include "runtime/http/server.hpp"
#include "tests/runtime/http/test_support.hpp"

using namespace coder;
using namespace coder::http;
using namespace std::chrono_literals;

namespace {

struct app {
  explicit app(uv::event_loop& loop, server_options o = {})
      : srv(loop, o, [this](request req, std::shared_ptr<exchange> ex) {
          handle(std::move(req), std::move(ex));
        }) {
    srv.start();
  }
  void handle(request req, std::shared_ptr<exchange> ex) {
    if (req.path == "/echo") {
      response r{201, {{"X-Method", req.method}}, req.body};
      ex->respond(std::move(r));
    } else if (req.path == "/stream") {
      ex->begin_stream(200, {});
      ex->write("part1,");
      ex->write("part2");
      ex->end();
    } else if (req.path == "/hang") {
      held = ex;  // never answered during the test
    } else if (req.path == "/big") {
      ex->respond({200, {}, std::string(2 * 1024 * 1024, 'b')});
    } else {
      ex->respond({404, {{"Content-Type", "text/plain"}}, "nope"});
    }
  }
  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(srv.port()) + std::string(path);
  }
  std::shared_ptr<exchange> held;
  server srv;
};

}  // namespace

TEST_CASE("client round trips: body, status, headers, chunked and HEAD responses") {
  test::running_loop l;
  app a(l.loop);
  blocking_client c;
  auto r = c.post(a.url("/echo"), "payload", {{"X-Test", "1"}});
  REQUIRE(r.ok());
  CHECK(r.status == 201);
  CHECK(r.body == "payload");
  CHECK(r.headers.get("x-method") == "POST");
  auto missing = c.get(a.url("/missing"));
  REQUIRE(missing.ok());
  CHECK(missing.status == 404);
  CHECK(missing.body == "nope");
  auto chunked = c.get(a.url("/stream"));
  REQUIRE(chunked.ok());
  CHECK(chunked.body == "part1,part2");
  client_request head;
  head.method = "HEAD";
  head.url = a.url("/echo");
  auto h = c.request(head);
  REQUIRE(h.ok());
  CHECK(h.body.empty());
  CHECK(h.headers.get("Content-Length") == "0");
}

TEST_CASE("client async requests from many threads all complete") {
  test::running_loop l;
  app a(l.loop);
  client c(l.loop);
  constexpr int n = 50;
  std::vector<std::promise<client_response>> results(n);
  for (int i = 0; i < n; ++i) {
    client_request req;
    req.method = "POST";
    req.url = a.url("/echo");
    req.body = std::to_string(i);
    c.request(req, [&results, i](client_response r) { results[i].set_value(std::move(r)); });
  }
  for (int i = 0; i < n; ++i) {
    auto r = results[i].get_future().get();
    REQUIRE(r.ok());
    CHECK(r.body == std::to_string(i));
  }
}

TEST_CASE("client errors: timeout, refused connection, bad URL, oversize response") {
  test::running_loop l;
  app a(l.loop);
  blocking_client c;
  client_request slow;
  slow.url = a.url("/hang");
  slow.timeout = 100ms;
  auto t = c.request(slow);
  CHECK_FALSE(t.ok());
  CHECK(t.error.find("timed out") != std::string::npos);

  uint16_t closed_port = 0;
  {
    server gone(l.loop, {}, [](request, std::shared_ptr<exchange>) {});
    gone.start();
    closed_port = gone.port();
  }
  auto refused = c.get("http://127.0.0.1:" + std::to_string(closed_port) + "/");
  CHECK_FALSE(refused.ok());
  CHECK(refused.error.find("connect") != std::string::npos);

  auto bad = c.get("ftp://example.com/");
  CHECK_FALSE(bad.ok());
  CHECK(bad.error.find("invalid URL") != std::string::npos);

  client_options small;
  small.max_response_bytes = 1024 * 1024;
  blocking_client limited(small);
  auto big = limited.get(a.url("/big"));
  CHECK_FALSE(big.ok());
  CHECK(big.error.find("larger") != std::string::npos);
}

TEST_CASE("parse_url handles ports, IPv6 literals, queries and defaults") {
  auto a = parse_url("https://example.com/a/b?c=d");
  REQUIRE(a);
  CHECK(a->tls);
  CHECK(a->port == 443);
  CHECK(a->target == "/a/b?c=d");
  CHECK(a->host_header == "example.com");
  auto b = parse_url("http://[::1]:8080");
  REQUIRE(b);
  CHECK(b->host == "::1");
  CHECK(b->port == 8080);
  CHECK(b->target == "/");
  CHECK(b->host_header == "[::1]:8080");
  CHECK_FALSE(parse_url("/relative"));
  CHECK_FALSE(parse_url("ws://x/"));
}
