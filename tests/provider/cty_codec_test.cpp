// Unit tests of the cty value codec: msgpack (DynamicValue) and JSON (stored state).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include "cty_json.hpp"
#include "cty_msgpack.hpp"

using coder::provider::cty::decode_json;
using coder::provider::cty::decode_msgpack;
using coder::provider::cty::Decoded;
using coder::provider::cty::encode_msgpack;
using coder::provider::cty::Type;
using coder::provider::cty::Value;

namespace {

std::string bytes(std::initializer_list<unsigned> b) {
  std::string s;
  for (unsigned c : b) s += static_cast<char>(c);
  return s;
}

Value round_trip(const Value& v, const Type& t) {
  Decoded d = decode_msgpack(encode_msgpack(v, t), t);
  REQUIRE_MESSAGE(d.ok(), d.error);
  return d.value;
}

}  // namespace

TEST_CASE("primitive values survive a msgpack round trip") {
  CHECK(round_trip(Value::string("héllo"), Type::string()) == Value::string("héllo"));
  CHECK(round_trip(Value::string(""), Type::string()) == Value::string(""));
  CHECK(round_trip(Value::boolean(true), Type::boolean()) == Value::boolean(true));
  CHECK(round_trip(Value::boolean(false), Type::boolean()) == Value::boolean(false));
  CHECK(round_trip(Value::number(std::int64_t{-42}), Type::number()) ==
        Value::number(std::int64_t{-42}));
  CHECK(round_trip(Value::number(1.5), Type::number()).number_as_text() == "1.5");
}

TEST_CASE("null is msgpack nil and unknown is extension 0") {
  CHECK(encode_msgpack(Value::null(), Type::string()) == bytes({0xc0}));
  CHECK(encode_msgpack(Value::unknown(), Type::string()) == bytes({0xd4, 0x00, 0x00}));
  CHECK(round_trip(Value::null(), Type::number()).is_null());
  CHECK(round_trip(Value::unknown(), Type::list(Type::string())).is_unknown());
}

TEST_CASE("a refined unknown (extension 12) decodes as unknown") {
  // fixext1 type 12 and an ext8 with a refinement payload, as Terraform 1.6+ sends them
  Decoded a = decode_msgpack(bytes({0xd4, 0x0c, 0x00}), Type::string());
  REQUIRE(a.ok());
  CHECK(a.value.is_unknown());
  Decoded b = decode_msgpack(bytes({0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc3}), Type::string());
  REQUIRE_MESSAGE(b.ok(), b.error);
  CHECK(b.value.is_unknown());
  CHECK_FALSE(decode_msgpack(bytes({0xd4, 0x05, 0x00}), Type::string()).ok());
}

TEST_CASE("objects carry every attribute of their type, absent ones as nil") {
  const Type t = Type::object({{"a", Type::string()}, {"b", Type::number()}});
  const std::string encoded = encode_msgpack(Value::object({{"a", Value::string("x")}}), t);
  // fixmap of 2: "a" -> "x", "b" -> nil
  CHECK(encoded == bytes({0x82, 0xa1, 'a', 0xa1, 'x', 0xa1, 'b', 0xc0}));
  Decoded d = decode_msgpack(bytes({0x81, 0xa1, 'a', 0xa1, 'x'}), t);
  REQUIRE(d.ok());
  CHECK(d.value.get("a") == Value::string("x"));
  CHECK(d.value.entries().count("b") == 1);
  CHECK(d.value.get("b").is_null());
}

TEST_CASE("integers are msgpack ints, fractions float64, and huge numbers decimal strings") {
  CHECK(encode_msgpack(Value::number(std::int64_t{5}), Type::number()) == bytes({0x05}));
  CHECK(static_cast<unsigned char>(encode_msgpack(Value::number(0.1), Type::number())[0]) == 0xcb);
  const Value huge =
      Value::number_text("1180591620717411303425");  // 2^70 + 1: no int64, no exact double
  const std::string enc = encode_msgpack(huge, Type::number());
  CHECK(static_cast<unsigned char>(enc[0]) == 0xb6);  // fixstr of 22 bytes
  // 2^70 itself is an exact double, so it travels as float64.
  const Value pow70 = Value::number_text("1180591620717411303424");
  CHECK(static_cast<unsigned char>(encode_msgpack(pow70, Type::number())[0]) == 0xcb);
  CHECK(round_trip(pow70, Type::number()) == pow70);
  CHECK(round_trip(huge, Type::number()) == huge);
  const Value precise = Value::number_text("0.10000000000000000000000001");
  CHECK(round_trip(precise, Type::number()).number_as_text() == "0.10000000000000000000000001");
}

TEST_CASE("numbers arrive as uint64, negative int, float32/64 or decimal string") {
  Decoded max_u64 =
      decode_msgpack(bytes({0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), Type::number());
  REQUIRE(max_u64.ok());
  CHECK(max_u64.value.number_as_text() == "18446744073709551615");
  // It does not fit int64, so it goes back out as text, not as a wrapped-around negative.
  CHECK(round_trip(max_u64.value, Type::number()).number_as_text() == "18446744073709551615");
  Decoded neg = decode_msgpack(bytes({0xd0, 0x80}), Type::number());
  REQUIRE(neg.ok());
  CHECK(neg.value.as_int64() == -128);
  Decoded f32 = decode_msgpack(bytes({0xca, 0x3f, 0xc0, 0x00, 0x00}), Type::number());
  REQUIRE(f32.ok());
  CHECK(f32.value.number_as_text() == "1.5");
  Decoded text = decode_msgpack(bytes({0xa4, '1', '.', '5', '0'}), Type::number());
  REQUIRE(text.ok());
  CHECK(text.value == Value::number(1.5));
  CHECK_FALSE(decode_msgpack(bytes({0xa3, 'a', 'b', 'c'}), Type::number()).ok());
}

TEST_CASE("nested collections keep list order and set semantics") {
  const Type inner =
      Type::object({{"m", Type::map(Type::string())}, {"s", Type::set(Type::number())}});
  const Type t = Type::list(inner);
  const Value v = Value::list({
      Value::object(
          {{"m", Value::map({{"k", Value::string("v")}, {"u", Value::unknown()}})},
           {"s", Value::set({Value::number(std::int64_t{3}), Value::number(std::int64_t{1})})}}),
      Value::object({{"m", Value::null()}, {"s", Value::set({})}}),
  });
  const Value back = round_trip(v, t);
  CHECK(back == v);
  CHECK(back.elements()[0].get("m").get("u").is_unknown());
  CHECK(back.elements()[0].get("s").kind() == Value::Kind::Set);
  // Set equality ignores order; list equality does not.
  CHECK(Value::set({Value::string("a"), Value::string("b")}) ==
        Value::set({Value::string("b"), Value::string("a")}));
  CHECK(Value::list({Value::string("a"), Value::string("b")}) !=
        Value::list({Value::string("b"), Value::string("a")}));
  CHECK(Value::set({Value::string("a"), Value::string("a")}).elements().size() == 1);
}

TEST_CASE("malformed msgpack is an error that says where, not a crash") {
  const Type t = Type::object({{"name", Type::string()}, {"tags", Type::list(Type::string())}});
  Decoded wrong = decode_msgpack(bytes({0x81, 0xa4, 't', 'a', 'g', 's', 0x91, 0x05}), t);
  CHECK_FALSE(wrong.ok());
  CHECK(wrong.error.find("tags[0]") != std::string::npos);
  Decoded unexpected = decode_msgpack(bytes({0x81, 0xa1, 'x', 0xc0}), t);
  CHECK(unexpected.error.find("unexpected attribute \"x\"") != std::string::npos);
  CHECK_FALSE(decode_msgpack(bytes({0x82, 0xa4, 'n', 'a'}), t).ok());  // truncated
  CHECK_FALSE(decode_msgpack(bytes({0xc0, 0xc0}), t).ok());            // trailing bytes
  CHECK_FALSE(decode_msgpack("", t).ok());
}

TEST_CASE("stored JSON state decodes against the current schema") {
  const Type t = Type::object(
      {{"id", Type::string()},
       {"port", Type::number()},
       {"env", Type::map(Type::string())},
       {"items", Type::list(Type::object({{"key", Type::string()}, {"on", Type::boolean()}}))},
       {"added_later", Type::string()}});
  Decoded d = decode_json(R"({"id":"a1","port":123456789012345678901234567890,"env":{"A":"1"},)"
                          R"("items":[{"key":"k","on":true}],"removed_since":"x"})",
                          t);
  REQUIRE_MESSAGE(d.ok(), d.error);
  CHECK(d.value.get("id") == Value::string("a1"));
  CHECK(d.value.get("port").number_as_text() == "123456789012345678901234567890");
  CHECK(d.value.get("env").get("A") == Value::string("1"));
  CHECK(d.value.get("items").elements()[0].get("on") == Value::boolean(true));
  CHECK(d.value.get("added_later").is_null());
  CHECK(d.value.entries().count("removed_since") == 0);
  CHECK_FALSE(decode_json(R"({"id": [5]})", t).ok());
  CHECK_FALSE(decode_json(R"({"port": "many"})", t).ok());
  CHECK_FALSE(decode_json("{not json", t).ok());
}

TEST_CASE("types render as Terraform's JSON type constraints") {
  CHECK(Type::string().to_json() == "\"string\"");
  CHECK(Type::map(Type::list(Type::number())).to_json() == R"(["map",["list","number"]])");
  CHECK(Type::object({{"b", Type::boolean()}, {"a", Type::set(Type::string())}}).to_json() ==
        R"(["object",{"a":["set","string"],"b":"bool"}])");
}
