#include "runtime/http/tls.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "runtime/http/blocking_client.hpp"
#include "runtime/http/server.hpp"
#include "tests/runtime/http/test_support.hpp"

using namespace coder;
using namespace coder::http;
using namespace std::chrono_literals;

namespace {

struct tls_server {
  explicit tls_server(uv::event_loop& loop)
      : cert(test::make_self_signed_cert()), srv(loop, options(cert), handle) {
    srv.start();
  }
  ~tls_server() { std::filesystem::remove_all(cert.dir); }

  static server_options options(const test::self_signed& c) {
    server_options o;
    o.tls_cert_file = c.cert_file;
    o.tls_key_file = c.key_file;
    return o;
  }
  static void handle(request req, std::shared_ptr<exchange> ex) {
    if (req.path == "/ws") {
      struct echo : websocket_handler {
        std::shared_ptr<websocket> ws;
        void on_open(std::shared_ptr<websocket> w) override { ws = w; }
        void on_binary(std::string m) override { ws->send_binary(std::move(m)); }
      };
      ex->accept_websocket(std::make_shared<echo>());
      return;
    }
    ex->respond({200, {}, std::string(req.tls ? "tls " : "plain ") + req.body});
  }
  std::string url(std::string_view path, std::string_view host = "localhost") const {
    return "https://" + std::string(host) + ":" + std::to_string(srv.port()) + std::string(path);
  }

  test::self_signed cert;
  server srv;
};

}  // namespace

TEST_CASE("https round trip verified against the test CA, by name and by IP") {
  test::running_loop l;
  tls_server s(l.loop);
  CHECK(s.srv.tls());
  client_options o;
  o.ca_file = s.cert.cert_file;
  blocking_client c(o);
  auto r = c.post(s.url("/x"), std::string(200000, 'b'));
  REQUIRE(r.ok());
  CHECK(r.status == 200);
  CHECK(r.body == "tls " + std::string(200000, 'b'));
  auto by_ip = c.get(s.url("/x", "127.0.0.1"));
  CHECK(by_ip.ok());
}

TEST_CASE("https client refuses an untrusted certificate unless told to skip verification") {
  test::running_loop l;
  tls_server s(l.loop);
  blocking_client strict;  // system CAs: our self-signed certificate is unknown
  auto refused = strict.get(s.url("/"));
  CHECK_FALSE(refused.ok());
  CHECK(refused.error.find("verif") != std::string::npos);
  client_options insecure;
  insecure.insecure_skip_verify = true;
  blocking_client lax(insecure);
  auto r = lax.get(s.url("/"));
  REQUIRE(r.ok());
  CHECK(r.body == "tls ");
}

TEST_CASE("https client checks the address against the certificate") {
  test::running_loop l;
  auto cert = test::make_self_signed_cert();
  // A trusted certificate for localhost/127.0.0.1, served on another loopback address.
  server_options so = tls_server::options(cert);
  so.host = "127.0.0.2";
  server srv(l.loop, so, tls_server::handle);
  srv.start();
  client_options o;
  o.ca_file = cert.cert_file;
  blocking_client c(o);
  auto r = c.get("https://127.0.0.2:" + std::to_string(srv.port()) + "/");
  CHECK_FALSE(r.ok());
  CHECK(r.error.find("verification failed") != std::string::npos);
  std::filesystem::remove_all(cert.dir);
}

TEST_CASE("wss: WebSocket over TLS echoes a 1 MiB binary message") {
  test::running_loop l;
  tls_server s(l.loop);
  client_options o;
  o.ca_file = s.cert.cert_file;
  client c(l.loop, o);
  struct collect : websocket_handler {
    std::shared_ptr<websocket> ws;
    std::promise<std::string> got;
    void on_open(std::shared_ptr<websocket> w) override { ws = w; }
    void on_binary(std::string m) override { got.set_value(std::move(m)); }
  };
  auto h = std::make_shared<collect>();
  std::promise<std::string> connected;
  c.connect_websocket(s.url("/ws"), {}, h, {}, [&](std::string e) { connected.set_value(e); });
  REQUIRE(connected.get_future().get() == "");
  std::string big(1024 * 1024, 'w');
  big[12345] = 'x';
  h->ws->send_binary(big);
  auto f = h->got.get_future();
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  CHECK(f.get() == big);
  h->ws->close();
}

TEST_CASE("TLS server drops plain-text clients without answering or crashing") {
  test::running_loop l;
  tls_server s(l.loop);
  test::test_socket raw(s.srv.port());
  raw.send_ok("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  auto r = raw.read_response();
  CHECK_FALSE(r.has_value());
  client_options o;
  o.ca_file = s.cert.cert_file;
  blocking_client c(o);
  CHECK(c.get(s.url("/still-up")).ok());
}

TEST_CASE("TLS context reports a key that does not match the certificate") {
  auto a = test::make_self_signed_cert();
  auto b = test::make_self_signed_cert();
  CHECK_THROWS_WITH(tls_context::server(a.cert_file, b.key_file),
                    doctest::Contains("does not match"));
  std::ofstream(a.dir + "/garbage.pem") << "not a certificate";
  CHECK_THROWS_WITH(tls_context::server(a.dir + "/garbage.pem", a.key_file),
                    doctest::Contains("garbage.pem"));
  CHECK_THROWS(tls_context::client(a.dir + "/missing-ca.pem", false));
  std::filesystem::remove_all(a.dir);
  std::filesystem::remove_all(b.dir);
}
