#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "runtime/cli/server_url.hpp"

#include <doctest/doctest.h>

#include "runtime/cli/duration.hpp"

using namespace coder::cli;

TEST_CASE("deployment URLs") {
  auto a = parse_server_url("http://127.0.0.1:3000");
  REQUIRE(a);
  CHECK(a->scheme == "http");
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 3000);
  CHECK(a->base_path == "");
  CHECK(a->text() == "http://127.0.0.1:3000");
  CHECK(a->authority() == "127.0.0.1:3000");

  auto b = parse_server_url("coder.example.com");  // no scheme: https, as in Coder's CLI
  REQUIRE(b);
  CHECK(b->tls());
  CHECK(b->port == 443);
  CHECK(b->text() == "https://coder.example.com");

  auto c = parse_server_url("HTTP://[::1]:8080/coder/");
  REQUIRE(c);
  CHECK(c->host == "::1");
  CHECK(c->base_path == "/coder");
  CHECK(c->text() == "http://[::1]:8080/coder");
  CHECK(c->authority() == "[::1]:8080");

  CHECK(parse_server_url("http://h:80")->text() == "http://h");
  CHECK(parse_server_url("  http://h/  ")->text() == "http://h");

  for (const char* bad :
       {"", "ftp://h", "http://", "http://:80", "http://h:", "http://h:0", "http://h:65536",
        "http://h:8o", "http://u:p@h", "http://h/?x=1", "http://h/#f", "http://h x", "http://[::1",
        "http://::1:80", "http://[::1]x", "http://h\x01"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_server_url(bad));
  }
}

TEST_CASE("durations") {
  CHECK(parse_duration_seconds("30d") == 30 * 86400);
  CHECK(parse_duration_seconds("720h") == 720 * 3600);
  CHECK(parse_duration_seconds("1h30m") == 5400);
  CHECK(parse_duration_seconds("90s") == 90);
  CHECK(parse_duration_seconds("3600") == 3600);
  CHECK(parse_duration_seconds("0s") == 0);
  for (const char* bad : {"", "h", "-1h", "1.5h", "1w", "1h30", "1h 30m", "99999999999999999999",
                          "106751991167301d"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_duration_seconds(bad));
  }
}
