#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include "caf/binary_deserializer.hpp"
#include "caf/binary_serializer.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/deep_to_string.hpp"
#include "schema/json_codec.hpp"
#include "schema/users/user_api.hpp"

using namespace coder;

TEST_CASE("json round trip of a nested schema type") {
  api::users_response in;
  in.count = 2;
  in.users.push_back({"u1", "alice", "a@example.com", "Alice \"A\" ünïcode", "active", {"owner"},
                      "password", "2026-01-01T00:00:00Z", "", ""});
  in.users.push_back({});
  auto text = schema::to_json(in);
  CHECK(text.find(R"("name":"Alice \"A\" ünïcode")") != std::string::npos);
  api::users_response out;
  auto err = schema::from_json(text, out);
  REQUIRE_FALSE(err);
  CHECK(out.count == 2);
  REQUIRE(out.users.size() == 2);
  CHECK(out.users[0].roles == std::vector<std::string>{"owner"});
  CHECK(out.users[0].name == in.users[0].name);
}

TEST_CASE("json decode reports each bad field with its path") {
  api::create_first_user_request req;
  auto err = schema::from_json(R"({"email": 5, "password": "x", "name": true})", req);
  REQUIRE(err);
  CHECK(err->message == "Validation failed.");
  REQUIRE(err->validations.size() == 3);
  CHECK(err->validations[0].field == "email");
  CHECK(err->validations[0].detail == "must be a string");
  CHECK(err->validations[1].field == "username");
  CHECK(err->validations[1].detail == "is required");
  CHECK(err->validations[2].field == "name");
}

TEST_CASE("json decode rejects malformed documents, trailing garbage and bad UTF-8") {
  api::login_request req;
  CHECK(schema::from_json("{", req));
  CHECK(schema::from_json(R"({"email":"a","password":"b"} x)", req));
  CHECK(schema::from_json("[]", req));
  CHECK(schema::from_json("\"\xff\xfe\"", req));
  CHECK(schema::from_json("", req));
  CHECK_FALSE(schema::from_json(R"({"email":"a","password":"b","extra":1})", req));
}

TEST_CASE("optional fields are omitted when empty and read back") {
  api::create_token_request req;
  CHECK(schema::to_json(req) == "{}");
  req.lifetime = 3600;
  CHECK(schema::to_json(req) == R"({"lifetime":3600})");
  api::create_token_request back;
  REQUIRE_FALSE(schema::from_json(R"({"lifetime": 3600, "token_name": null})", back));
  CHECK(back.lifetime == std::optional<int64_t>{3600});
  CHECK_FALSE(back.token_name.has_value());
}

TEST_CASE("integer fields reject out-of-range and fractional numbers") {
  api::create_token_request req;
  auto err = schema::from_json(R"({"lifetime": 3600.5})", req);
  REQUIRE(err);
  CHECK(err->validations.at(0).field == "lifetime");
  CHECK(schema::from_json(R"({"lifetime": 99999999999999999999})", req));
}

TEST_CASE("CAF serialisation derived from the same field list round-trips") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  api::create_token_request in;
  in.token_name = "ci";
  api::user u{"u1", "bob", "b@x", "", "active", {"member"}, "password", "t", "t", "t"};
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  REQUIRE_FALSE(sink(in, u));
  api::create_token_request out;
  api::user u2;
  caf::binary_deserializer source{sys, buf};
  REQUIRE_FALSE(source(out, u2));
  CHECK(out.token_name == std::optional<std::string>{"ci"});
  CHECK_FALSE(out.lifetime.has_value());
  CHECK(u2.username == "bob");
  CHECK(u2.roles == std::vector<std::string>{"member"});
  CHECK(caf::deep_to_string(u2).find("bob") != std::string::npos);
}
