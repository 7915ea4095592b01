// End to end: the real coder-node binary against a fresh database on the test run's Postgres,
// driven over real HTTP. Covers issue 2's acceptance (first user, login, whoami, suspension,
// restart keeps users) and the bad-input rules: every bad request gets a clear 4xx and changes
// nothing.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstdlib>

#include "schema/json_codec.hpp"
#include "schema/users/user_api.hpp"
#include "tests/runtime/node/server_process.hpp"
#include "tests/support/test_postgres.hpp"

using namespace coder;
using namespace coder::testing;

namespace {

template <class T>
T parse(const http_reply& r) {
  T out;
  auto err = schema::from_json(r.body, out);
  INFO("body: " << r.body);
  REQUIRE_FALSE(err);
  return out;
}

using header_list = std::vector<std::pair<std::string, std::string>>;
header_list auth(const std::string& token) {
  return {{"Coder-Session-Token", token}};
}

const std::string owner_json =
    R"({"email":"admin@example.com","username":"admin","password":"correct-horse-battery-9","name":"Ada Admin"})";

std::string create_owner_and_login(uint16_t port) {
  auto r = http_call(port, "POST", "/api/v2/users/first", owner_json);
  REQUIRE(r.status == 201);
  r = http_call(port, "POST", "/api/v2/users/login",
                R"({"email":"admin@example.com","password":"correct-horse-battery-9"})");
  REQUIRE(r.status == 201);
  return parse<api::login_response>(r).session_token;
}

std::string create_member_and_login(uint16_t port, const std::string& owner_token,
                                    const std::string& name) {
  auto r = http_call(port, "POST", "/api/v2/users",
                     R"({"email":")" + name + R"(@example.com","username":")" + name +
                         R"(","password":"member-password-42x"})",
                     auth(owner_token));
  REQUIRE(r.status == 201);
  r = http_call(port, "POST", "/api/v2/users/login",
                R"({"email":")" + name + R"(@example.com","password":"member-password-42x"})");
  REQUIRE(r.status == 201);
  return parse<api::login_response>(r).session_token;
}

int user_count(uint16_t port, const std::string& owner_token) {
  auto r = http_call(port, "GET", "/api/v2/users", "", auth(owner_token));
  REQUIRE(r.status == 200);
  return static_cast<int>(parse<api::users_response>(r).count);
}

}  // namespace

TEST_CASE("healthz and buildinfo answer without a session") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  auto r = http_call(server.port(), "GET", "/healthz");
  CHECK(r.status == 200);
  CHECK(r.body == "OK");
  r = http_call(server.port(), "GET", "/api/v2/buildinfo");
  REQUIRE(r.status == 200);
  auto info = parse<api::build_info>(r);
  CHECK_FALSE(info.version.empty());
  CHECK(info.deployment_id.size() == 36);
}

TEST_CASE("first user: 404 before, 201 once, 409 after; the owner logs in and sees itself") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  auto port = server.port();
  CHECK(http_call(port, "GET", "/api/v2/users/first").status == 404);
  auto token = create_owner_and_login(port);
  CHECK(http_call(port, "GET", "/api/v2/users/first").status == 200);
  auto again =
      http_call(port, "POST", "/api/v2/users/first",
                R"({"email":"x@example.com","username":"x","password":"another-password-77"})");
  CHECK(again.status == 409);
  auto me = http_call(port, "GET", "/api/v2/users/me", "", auth(token));
  REQUIRE(me.status == 200);
  auto user = parse<api::user>(me);
  CHECK(user.username == "admin");
  CHECK(user.email == "admin@example.com");
  CHECK(user.roles == std::vector<std::string>{"owner"});
  CHECK(user.status == "active");
  // The cookie works as well as the header.
  auto by_cookie = http_call(port, "GET", "/api/v2/users/me", "",
                             {{"Cookie", "a=b; coder_session_token=" + token}});
  CHECK(by_cookie.status == 200);
}

TEST_CASE("login sets an HttpOnly cookie; wrong password and unknown email are the same 401") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  auto port = server.port();
  create_owner_and_login(port);
  auto ok = http_call(port, "POST", "/api/v2/users/login",
                      R"({"email":"ADMIN@example.com","password":"correct-horse-battery-9"})");
  REQUIRE(ok.status == 201);
  CHECK(ok.headers["set-cookie"].find("coder_session_token=") == 0);
  CHECK(ok.headers["set-cookie"].find("HttpOnly") != std::string::npos);
  CHECK(ok.headers["set-cookie"].find("SameSite=Lax") != std::string::npos);
  auto wrong = http_call(port, "POST", "/api/v2/users/login",
                         R"({"email":"admin@example.com","password":"nope-nope-nope"})");
  auto unknown = http_call(port, "POST", "/api/v2/users/login",
                           R"({"email":"ghost@example.com","password":"nope-nope-nope"})");
  CHECK(wrong.status == 401);
  CHECK(unknown.status == 401);
  CHECK(parse<api::error_response>(wrong).message == parse<api::error_response>(unknown).message);
}

TEST_CASE("login attempts are rate limited per email") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  auto port = server.port();
  int limited = 0;
  for (int i = 0; i < 14; ++i) {
    auto r = http_call(
        port, "POST", "/api/v2/users/login",
        R"({"email":"victim@example.com","password":"guess-)" + std::to_string(i) + R"("})");
    if (r.status == 429)
      ++limited;
    else
      CHECK(r.status == 401);
  }
  CHECK(limited >= 4);
}

TEST_CASE("requests without a valid session are 401") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  auto port = server.port();
  create_owner_and_login(port);
  CHECK(http_call(port, "GET", "/api/v2/users/me").status == 401);
  CHECK(http_call(port, "GET", "/api/v2/users/me", "", auth("garbage")).status == 401);
  CHECK(http_call(port, "GET", "/api/v2/users/me", "", auth("AAAAAAAAAA-BBBBBBBBBBBBBBBBBBBBBB"))
            .status == 401);
  CHECK(http_call(port, "GET", "/api/v2/users/me", "", auth("'; DROP TABLE users; --")).status ==
        401);
}

TEST_CASE("owner creates a member; members cannot list or see others; suspension is immediate") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  auto port = server.port();
  auto owner = create_owner_and_login(port);
  auto member = create_member_and_login(port, owner, "bob");
  CHECK(user_count(port, owner) == 2);
  CHECK(http_call(port, "GET", "/api/v2/users", "", auth(member)).status == 403);
  CHECK(http_call(port, "GET", "/api/v2/users/admin", "", auth(member)).status == 404);
  CHECK(http_call(port, "GET", "/api/v2/users/bob", "", auth(member)).status == 200);
  CHECK(
      http_call(port, "POST", "/api/v2/users",
                R"({"email":"c@example.com","username":"carol","password":"member-password-42x"})",
                auth(member))
          .status == 403);
  CHECK(http_call(port, "PUT", "/api/v2/users/admin/status/suspend", "", auth(member)).status ==
        403);

  // The member's session works, is cached, and stops at once when suspended.
  CHECK(http_call(port, "GET", "/api/v2/users/me", "", auth(member)).status == 200);
  auto s = http_call(port, "PUT", "/api/v2/users/bob/status/suspend", "", auth(owner));
  REQUIRE(s.status == 200);
  CHECK(parse<api::user>(s).status == "suspended");
  CHECK(http_call(port, "GET", "/api/v2/users/me", "", auth(member)).status == 401);
  CHECK(http_call(port, "POST", "/api/v2/users/login",
                  R"({"email":"bob@example.com","password":"member-password-42x"})")
            .status == 401);
  CHECK(http_call(port, "PUT", "/api/v2/users/admin/status/suspend", "", auth(owner)).status ==
        400);
  REQUIRE(http_call(port, "PUT", "/api/v2/users/bob/status/activate", "", auth(owner)).status ==
          200);
  CHECK(http_call(port, "GET", "/api/v2/users/me", "", auth(member)).status == 200);
}

TEST_CASE("API tokens: create, list, use, delete; a deleted token is 401 at once") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  auto port = server.port();
  auto owner = create_owner_and_login(port);
  auto r = http_call(port, "POST", "/api/v2/users/me/keys/tokens",
                     R"({"token_name":"ci","lifetime":3600})", auth(owner));
  REQUIRE(r.status == 201);
  auto key = parse<api::generate_api_key_response>(r).key;
  CHECK(key.size() == 33);
  CHECK(http_call(port, "GET", "/api/v2/users/me", "", auth(key)).status == 200);
  CHECK(
      http_call(port, "POST", "/api/v2/users/me/keys/tokens", R"({"token_name":"ci"})", auth(owner))
          .status == 409);
  r = http_call(port, "GET", "/api/v2/users/me/keys/tokens", "", auth(owner));
  REQUIRE(r.status == 200);
  CHECK(r.body.find("\"token_name\":\"ci\"") != std::string::npos);
  CHECK(r.body.find(key.substr(11)) == std::string::npos);  // the secret is never listed
  auto id = key.substr(0, 10);
  CHECK(http_call(port, "DELETE", "/api/v2/users/me/keys/" + id, "", auth(owner)).status == 204);
  CHECK(http_call(port, "GET", "/api/v2/users/me", "", auth(key)).status == 401);
  CHECK(http_call(port, "DELETE", "/api/v2/users/me/keys/" + id, "", auth(owner)).status == 404);
}

TEST_CASE("logout revokes the session") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  auto port = server.port();
  auto owner = create_owner_and_login(port);
  auto r = http_call(port, "POST", "/api/v2/users/logout", "", auth(owner));
  CHECK(r.status == 200);
  CHECK(r.headers["set-cookie"].find("Max-Age=0") != std::string::npos);
  CHECK(http_call(port, "GET", "/api/v2/users/me", "", auth(owner)).status == 401);
}

TEST_CASE("password change needs the old password, works, and ends the other sessions") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  auto port = server.port();
  auto owner = create_owner_and_login(port);
  auto other_session =
      parse<api::login_response>(
          http_call(port, "POST", "/api/v2/users/login",
                    R"({"email":"admin@example.com","password":"correct-horse-battery-9"})"))
          .session_token;
  REQUIRE(http_call(port, "GET", "/api/v2/users/me", "", auth(other_session)).status == 200);
  CHECK(http_call(port, "PUT", "/api/v2/users/me/password",
                  R"({"password":"brand-new-password-5","old_password":"wrong-one-entirely"})",
                  auth(owner))
            .status == 400);
  CHECK(http_call(port, "PUT", "/api/v2/users/me/password",
                  R"({"password":"short","old_password":"correct-horse-battery-9"})", auth(owner))
            .status == 400);
  CHECK(http_call(port, "PUT", "/api/v2/users/me/password",
                  R"({"password":"brand-new-password-5","old_password":"correct-horse-battery-9"})",
                  auth(owner))
            .status == 204);
  CHECK(http_call(port, "POST", "/api/v2/users/login",
                  R"({"email":"admin@example.com","password":"correct-horse-battery-9"})")
            .status == 401);
  CHECK(http_call(port, "POST", "/api/v2/users/login",
                  R"({"email":"admin@example.com","password":"brand-new-password-5"})")
            .status == 201);
  // The change ended the other login session at once; the one that made it goes on.
  CHECK(http_call(port, "GET", "/api/v2/users/me", "", auth(other_session)).status == 401);
  CHECK(http_call(port, "GET", "/api/v2/users/me", "", auth(owner)).status == 200);
}

TEST_CASE("bad input gets a clear 4xx and changes nothing") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  auto port = server.port();
  auto owner = create_owner_and_login(port);
  struct bad_case {
    std::string body;
    std::string content_type;
    int status;
    std::string field;  // a validation that must be named, or ""
  };
  std::vector<bad_case> cases = {
      {"{", "application/json", 400, ""},
      {"[]", "application/json", 400, ""},
      {"{\"email\": 5, \"username\": \"ok\", \"password\": \"member-password-42x\"}",
       "application/json", 400, "email"},
      {"{\"email\":\"a@b.co\",\"username\":\"Robert'); DROP TABLE "
       "users;--\",\"password\":\"member-password-42x\"}",
       "application/json", 400, "username"},
      {"{\"email\":\"a@b.co\",\"username\":\"../../etc/"
       "passwd\",\"password\":\"member-password-42x\"}",
       "application/json", 400, "username"},
      {"{\"email\":\"a@b.co\",\"username\":\"\xe2\x80\xae"
       "evil\",\"password\":\"member-password-42x\"}",
       "application/json", 400, "username"},
      {"{\"email\":\"not-an-email\",\"username\":\"okname\",\"password\":\"member-password-42x\"}",
       "application/json", 400, "email"},
      {"{\"email\":\"a@b.co\",\"username\":\"okname\",\"password\":\"short\"}", "application/json",
       400, "password"},
      {"{\"email\":\"a@b.co\",\"username\":\"okname\",\"password\":\"member-password-42x\"} "
       "trailing",
       "application/json", 400, ""},
      {"{\"email\":\"a@b.co\",\"username\":\"okname\",\"password\":\"member-password-42x\"}",
       "text/plain", 415, ""},
      {"\"\xff\xfe\"", "application/json", 400, ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto r = http_call(port, "POST", "/api/v2/users", c.body,
                       {{"Coder-Session-Token", owner}, {"Content-Type", c.content_type}});
    CHECK(r.status == c.status);
    auto err = parse<api::error_response>(r);
    CHECK_FALSE(err.message.empty());
    if (!c.field.empty()) {
      bool named = false;
      for (const auto& v : err.validations) named = named || v.field == c.field;
      CHECK_MESSAGE(named, "no validation names " << c.field);
    }
  }
  // A body over the 1 MiB limit is refused before it is read.
  auto huge =
      http_call(port, "POST", "/api/v2/users", std::string(2 * 1024 * 1024, 'x'), auth(owner));
  CHECK(huge.status == 413);
  // Paths: smuggled separators, unknown routes and wrong methods.
  CHECK(http_call(port, "GET", "/api/v2/users/..%2F..%2Fetc%2Fpasswd", "", auth(owner)).status ==
        400);
  CHECK(http_call(port, "GET", "/api/v2/users/%E2%80%AEevil", "", auth(owner)).status == 404);
  CHECK(http_call(port, "GET", "/api/v2/nothing-here", "", auth(owner)).status == 404);
  auto wrong_method = http_call(port, "DELETE", "/api/v2/users", "", auth(owner));
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.headers["allow"].find("GET") != std::string::npos);
  // Malformed HTTP is a 400, not a crash.
  CHECK(http_raw(port, "GARBAGE\r\n\r\n").status == 400);
  CHECK(http_call(port, "GET", "/healthz").status == 200);
  // Nothing above created a user.
  CHECK(user_count(port, owner) == 1);
}

TEST_CASE("a restarted server keeps its users and sessions") {
  test_database database;
  const auto& db = database.url();
  std::string token;
  {
    server_process server({"--postgres-url", db});
    token = create_owner_and_login(server.port());
    // An authenticated request spawns the user's actor: shutdown must stop it too.
    REQUIRE(http_call(server.port(), "GET", "/api/v2/users/me", "", auth(token)).status == 200);
    CHECK(server.stop() == 0);
    CHECK(server.log_text().find("event=server.stopped") != std::string::npos);
  }
  server_process again({"--postgres-url", db});
  CHECK(http_call(again.port(), "GET", "/api/v2/users/me", "", auth(token)).status == 200);
  CHECK(http_call(again.port(), "GET", "/api/v2/users/first").status == 200);
}

TEST_CASE("embedded PostgreSQL: created on first start, reused with its data on the next") {
  char tmpl[] = "/tmp/coder-embedded.XXXXXX";
  std::string config_dir = mkdtemp(tmpl);
  std::string token;
  {
    server_process server({"--config-dir", config_dir});
    token = create_owner_and_login(server.port());
    CHECK(server.stop() == 0);
  }
  {
    server_process server({"--config-dir", config_dir});
    CHECK(http_call(server.port(), "GET", "/api/v2/users/me", "", auth(token)).status == 200);
    CHECK(server.stop() == 0);
    CHECK(server.log_text().find("server.stopped") != std::string::npos);
  }
  // As root the cluster may live outside the config dir (see docs); remove it wherever it is.
  auto target = run_command({"readlink", "-f", config_dir + "/postgres"});
  if (target.status == 0 && target.out.size() > 1) {
    target.out.pop_back();
    run_command({"rm", "-rf", target.out});
  }
  run_command({"rm", "-rf", config_dir});
}

TEST_CASE("every JSON endpoint refuses malformed bodies with 400/415 and changes nothing") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  auto port = server.port();
  // Before the first user exists: a bad first-user body must not create it.
  for (const std::string body :
       {"{", "null", R"({"email":[],"username":{},"password":1})",
        R"({"email":"a@b.co","username":"x;--","password":"member-password-42x"})"}) {
    CAPTURE(body);
    auto r = http_call(port, "POST", "/api/v2/users/first", body);
    CHECK(r.status == 400);
    CHECK_FALSE(parse<api::error_response>(r).message.empty());
  }
  CHECK(http_call(port, "GET", "/api/v2/users/first").status == 404);
  auto owner = create_owner_and_login(port);

  struct endpoint {
    std::string method;
    std::string path;
  };
  const std::vector<endpoint> endpoints = {
      {"POST", "/api/v2/users/login"},
      {"POST", "/api/v2/users"},
      {"PUT", "/api/v2/users/me/password"},
      {"POST", "/api/v2/users/me/keys/tokens"},
  };
  const std::vector<std::pair<std::string, int>> bodies = {
      {"{", 400},
      {"[1,2]", 400},
      {R"({"email": true, "password": 5, "username": null, "token_name": 7, "lifetime": "x"})",
       400},
      {"\"\xc3\x28\"", 400},                      // invalid UTF-8
      {std::string(600 * 1024, ' ') + "{", 400},  // large and truncated
  };
  for (const auto& ep : endpoints) {
    for (const auto& [body, status] : bodies) {
      CAPTURE(ep.path);
      CAPTURE(body.substr(0, 40));
      auto r = http_call(port, ep.method, ep.path, body, auth(owner));
      CHECK(r.status == status);
      CHECK(r.headers["content-type"] == "application/json");
    }
    auto wrong_type = http_call(port, ep.method, ep.path, "{}",
                                {{"Coder-Session-Token", owner}, {"Content-Type", "text/xml"}});
    CHECK(wrong_type.status == 415);
  }
  // Nothing changed: one user, no tokens, the owner's password still the original.
  CHECK(user_count(port, owner) == 1);
  auto tokens = http_call(port, "GET", "/api/v2/users/me/keys/tokens", "", auth(owner));
  REQUIRE(tokens.status == 200);
  CHECK(tokens.body == "[]");
  CHECK(http_call(port, "POST", "/api/v2/users/login",
                  R"({"email":"admin@example.com","password":"correct-horse-battery-9"})")
            .status == 201);
}
