#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <map>

#include "runtime/node/server_config.hpp"

using namespace coder::node;

namespace {
env_lookup fake_env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& k) -> std::optional<std::string> {
    auto it = vars.find(k);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}
}  // namespace

TEST_CASE("server defaults") {
  auto r = parse_server_config({}, fake_env({{"HOME", "/home/u"}}));
  REQUIRE(std::holds_alternative<server_config>(r));
  auto cfg = std::get<server_config>(r);
  CHECK(cfg.http_host == "127.0.0.1");
  CHECK(cfg.http_port == 3000);
  CHECK(cfg.config_dir == "/home/u/.config/coder-node");
  CHECK(cfg.access_url == "http://127.0.0.1:3000");
  CHECK(cfg.postgres_url.empty());
}

TEST_CASE("flags override env, env overrides defaults") {
  auto env = fake_env({{"HOME", "/h"},
                       {"CODER_HTTP_ADDRESS", "0.0.0.0:8080"},
                       {"CODER_PG_CONNECTION_URL", "postgres://env"},
                       {"CODER_ACCESS_URL", "https://coder.example.com/"}});
  auto r = parse_server_config({"--postgres-url=postgres://flag", "--config-dir", "/srv/c"}, env);
  REQUIRE(std::holds_alternative<server_config>(r));
  auto cfg = std::get<server_config>(r);
  CHECK(cfg.http_host == "0.0.0.0");
  CHECK(cfg.http_port == 8080);
  CHECK(cfg.postgres_url == "postgres://flag");
  CHECK(cfg.config_dir == "/srv/c");
  CHECK(cfg.access_url == "https://coder.example.com");
}

TEST_CASE("bad flags are usage errors with a message") {
  auto env = fake_env({{"HOME", "/h"}});
  for (auto args : std::vector<std::vector<std::string>>{
           {"--http-address", "nope"},
           {"--http-address", "1.2.3.4:99999"},
           {"--http-address", "::1:80"},
           {"--http-address"},
           {"--bogus"},
           {"--tls-cert-file", "/c.pem"},
           {"--access-url", "ftp://x"}}) {
    auto r = parse_server_config(args, env);
    REQUIRE(std::holds_alternative<config_error>(r));
    CHECK_FALSE(std::get<config_error>(r).message.empty());
  }
}

TEST_CASE("host:port parsing") {
  CHECK(parse_host_port("[::1]:0") == std::make_pair(std::string("::1"), uint16_t{0}));
  CHECK(parse_host_port("localhost:3000") == std::make_pair(std::string("localhost"), uint16_t{3000}));
  CHECK_FALSE(parse_host_port(":3000"));
  CHECK_FALSE(parse_host_port("host:"));
  CHECK_FALSE(parse_host_port("host:12a"));
}
