#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "runtime/cli/api_client.hpp"

#include <doctest/doctest.h>

#include "tests/runtime/cli/fake_deployment.hpp"

using namespace coder;
using namespace coder::cli;

namespace {

// A transport that answers every request with one canned response.
struct canned : api_transport {
  explicit canned(http::response r) : response(std::move(r)) {}
  std::variant<http::response, std::string> round_trip(const http::request& r) override {
    seen = r;
    return response;
  }
  http::response response;
  http::request seen;
};

api_client client_with(http::response r, canned** out = nullptr) {
  auto t = std::make_unique<canned>(std::move(r));
  if (out) *out = t.get();
  return api_client(*parse_server_url("http://h:3000/base"), std::move(t));
}

}  // namespace

TEST_CASE("requests carry the token, JSON headers, the base path and encoded segments") {
  canned* t = nullptr;
  auto c = client_with({200,
                        {},
                        R"({"id":"u1","username":"a b","email":"","name":"","status":"",)"
                        R"("roles":[],"login_type":"","created_at":"","updated_at":"",)"
                        R"("last_seen_at":""})"},
                       &t);
  c.set_session_token("abcdeABCDE-0123456789abcdefghijKL");
  auto u = c.user("a b/../x?y");
  REQUIRE(u);
  CHECK(u->username == "a b");
  CHECK(t->seen.method == "GET");
  CHECK(t->seen.target == "/base/api/v2/users/a%20b%2F..%2Fx%3Fy");
  CHECK(t->seen.headers.get("Coder-Session-Token") == "abcdeABCDE-0123456789abcdefghijKL");
  CHECK(t->seen.headers.get("Accept") == "application/json");
  CHECK_FALSE(t->seen.headers.has("Content-Type"));

  canned* t2 = nullptr;
  auto c2 = client_with({201, {}, R"({"key":"k"})"}, &t2);
  api::create_token_request req;
  req.lifetime = 60;
  auto key = c2.create_token("me", req);
  REQUIRE(key);
  CHECK(key->key == "k");
  CHECK(t2->seen.method == "POST");
  CHECK(t2->seen.target == "/base/api/v2/users/me/keys/tokens");
  CHECK(t2->seen.body == R"({"lifetime":60})");
  CHECK(t2->seen.headers.get("Content-Type") == "application/json");
  CHECK_FALSE(t2->seen.headers.has("Coder-Session-Token"));  // no token set, none sent
}

TEST_CASE("API errors are decoded with status, message, detail and validations") {
  auto c = client_with({400,
                        {},
                        R"({"message":"Validation failed.","detail":"d",)"
                        R"("validations":[{"field":"email","detail":"bad"}]})"});
  auto r = c.create_user({"e", "u", "p", std::nullopt});
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 400);
  CHECK(r.error().body.message == "Validation failed.");
  CHECK(r.error().body.detail == "d");
  REQUIRE(r.error().body.validations.size() == 1);
  CHECK(r.error().body.validations[0].field == "email");
}

TEST_CASE("non-JSON error bodies become a status message with the start of the body") {
  auto c = client_with({502, {}, std::string(1000, 'x')});
  auto r = c.users();
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 502);
  CHECK(r.error().body.message == "unexpected response from the server: 502 Bad Gateway");
  CHECK(r.error().body.detail.size() == 303);  // 300 bytes + "..."
}

TEST_CASE("an unreadable success body is an error, not a crash") {
  auto c = client_with({200, {}, R"({"users": 5})"});
  auto r = c.users();
  REQUIRE_FALSE(r);
  CHECK(r.error().body.message == "the server sent a response this CLI cannot read");
  auto c2 = client_with({200, {}, "<html>"});
  CHECK_FALSE(c2.build_info());
}

TEST_CASE("204 and empty bodies are fine for no-content endpoints") {
  canned* t = nullptr;
  auto c = client_with({204, {}, ""}, &t);
  CHECK(c.delete_api_key("me", "abcdeABCDE"));
  CHECK(t->seen.method == "DELETE");
  CHECK(t->seen.target == "/base/api/v2/users/me/keys/abcdeABCDE");
}

TEST_CASE("has_first_user follows Coder: 200 yes, 404 no, anything else an error") {
  CHECK(*client_with({200, {}, "{}"}).has_first_user() == true);
  CHECK(*client_with({404, {}, R"({"message":"none"})"}).has_first_user() == false);
  auto r = client_with({500, {}, R"({"message":"db down"})"}).has_first_user();
  REQUIRE_FALSE(r);
  CHECK(r.error().body.message == "db down");
}

TEST_CASE("transport failures name the URL") {
  testing::fake_deployment d;
  d.reachable = false;
  api_client c(*parse_server_url("http://127.0.0.1:9"), d.transport());
  auto r = c.build_info();
  REQUIRE_FALSE(r);
  CHECK(r.error().status == 0);
  CHECK(r.error().body.message == "could not reach http://127.0.0.1:9");
  CHECK(r.error().body.detail == "connect: connection refused");
}

TEST_CASE("a full session against the in-memory deployment") {
  testing::fake_deployment d;
  api_client c(*parse_server_url("http://fake"), d.transport());
  CHECK(*c.has_first_user() == false);
  REQUIRE(c.create_first_user({"o@x.io", "owner", "Sup3r-secret!", std::nullopt}));
  CHECK(*c.has_first_user() == true);
  auto s = c.login({"o@x.io", "Sup3r-secret!"});
  REQUIRE(s);
  c.set_session_token(s->session_token);
  CHECK(c.user()->username == "owner");
  REQUIRE(c.create_user({"m@x.io", "member", "Sup3r-secret!", std::string("M")}));
  CHECK(c.users()->count == 2);
  CHECK(c.suspend_user("member")->status == "suspended");
  CHECK(c.activate_user("member")->status == "active");
  auto k = c.create_token("me", {std::string("ci"), std::nullopt});
  REQUIRE(k);
  REQUIRE(c.tokens("me")->size() == 1);
  CHECK(c.delete_api_key("me", c.tokens("me")->at(0).id));
  CHECK(c.tokens("me")->empty());
  CHECK(c.logout());
  CHECK(c.user().error().status == 401);
}
