#include "runtime/http/json_error.hpp"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "runtime/http/request.hpp"

using namespace coder::http;

TEST_CASE("make_error_response builds the project's error shape with escaping") {
  auto r = make_error_response(400, "Bad \"input\"\n", "line1\\line2\x01",
                               {{"email", "must contain @"}});
  CHECK(r.status == 400);
  CHECK(r.headers.get("content-type") == "application/json");
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(std::string(doc["message"].GetString()) == "Bad \"input\"\n");
  CHECK(std::string(doc["detail"].GetString()) == "line1\\line2\x01");
  REQUIRE(doc["validations"].Size() == 1);
  CHECK(std::string(doc["validations"][0]["field"].GetString()) == "email");
}

TEST_CASE("make_error_body keeps empty validations as [] and repairs invalid UTF-8") {
  std::string body = make_error_body("x", std::string("\xff\xc3\xa9\xed\xa0\x80", 6));
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(doc["validations"].IsArray());
  CHECK(doc["validations"].Empty());
  CHECK(std::string(doc["detail"].GetString()) ==
        "\xEF\xBF\xBD\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("request query helpers decode parameters and reject bad escapes") {
  request req;
  req.query = "a=1&b=hello+world&c=%2F%3f&bad=%zz&empty&a=2";
  CHECK(req.query_param("a") == "1");
  CHECK(req.query_param("b") == "hello world");
  CHECK(req.query_param("c") == "/?");
  CHECK_FALSE(req.query_param("bad").has_value());
  CHECK(req.query_param("empty") == "");
  CHECK_FALSE(req.query_param("missing").has_value());
  CHECK(req.query_params().size() == 5);
  CHECK(percent_decode("%4", false) == std::nullopt);
  CHECK(percent_decode("a+b%20c", false) == "a+b c");
  CHECK(percent_encode("a b/ü") == "a%20b%2F%C3%BC");
}

TEST_CASE("header_map lookups ignore case and set replaces every copy") {
  header_map h;
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  CHECK(h.get_all("SET-COOKIE").size() == 2);
  h.set("Set-Cookie", "c=3");
  CHECK(h.get_all("set-cookie").size() == 1);
  CHECK(has_token("keep-alive, Upgrade", "upgrade"));
  CHECK_FALSE(has_token("keep-alive", "close"));
}
