#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include "runtime/api/router.hpp"

using coder::api::router;
using coder::api::split_path;
using outcome = router<int>::outcome;

TEST_CASE("split_path decodes segments and rejects smuggled separators") {
  CHECK(split_path("/api/v2/users") == std::vector<std::string>{"api", "v2", "users"});
  CHECK(split_path("/api/v2/users/") == std::vector<std::string>{"api", "v2", "users"});
  CHECK(split_path("/a%20b/%C3%BC") == std::vector<std::string>{"a b", "\xc3\xbc"});
  CHECK_FALSE(split_path("/a%2Fb"));
  CHECK_FALSE(split_path("/a%2fb"));
  CHECK_FALSE(split_path("/a%00b"));
  CHECK_FALSE(split_path("/a%"));
  CHECK_FALSE(split_path("/a%4"));
  CHECK_FALSE(split_path("/a%zz"));
  CHECK_FALSE(split_path("relative"));
  CHECK_FALSE(split_path(""));
}

TEST_CASE("router finds handlers, captures params, and reports 405 with allowed methods") {
  router<int> r;
  r.add("GET", "/api/v2/users/{user}", 1);
  r.add("PUT", "/api/v2/users/{user}/status/suspend", 2);
  r.add("DELETE", "/api/v2/users/{user}/keys/{id}", 3);
  r.add("GET", "/api/v2/users/me", 4);  // literal after capture: first added wins

  auto m = r.find("GET", "/api/v2/users/alice");
  REQUIRE(m.result == outcome::found);
  CHECK(*m.handler == 1);
  CHECK(m.params.get("user") == "alice");

  m = r.find("DELETE", "/api/v2/users/bob/keys/Ab12-x");
  REQUIRE(m.result == outcome::found);
  CHECK(*m.handler == 3);
  CHECK(m.params.get("user") == "bob");
  CHECK(m.params.get("id") == "Ab12-x");
  CHECK(m.params.get("missing").empty());

  m = r.find("POST", "/api/v2/users/alice");
  CHECK(m.result == outcome::method_not_allowed);
  CHECK(m.allowed == "GET");

  CHECK(r.find("HEAD", "/api/v2/users/x").result == outcome::found);
  CHECK(r.find("GET", "/api/v2/nope").result == outcome::not_found);
  CHECK(r.find("GET", "/api/v2/users/..%2F..%2Fetc").result == outcome::bad_path);
  CHECK(r.find("GET", "/api/v2/users//keys").result == outcome::not_found);
}
