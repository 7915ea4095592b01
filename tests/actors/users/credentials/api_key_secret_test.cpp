#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "actors/users/credentials/api_key_secret.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace coder::credentials;

TEST_CASE("generated keys have the documented shape and parse back") {
  std::set<std::string> tokens;
  for (int i = 0; i < 200; ++i) {
    auto key = generate_api_key();
    REQUIRE(key);
    CHECK(key->id.size() == api_key_id_length);
    CHECK(key->secret.size() == api_key_secret_length);
    CHECK(key->hashed_secret == hash_api_key_secret(key->secret));
    auto token = key->token();
    CHECK(token.size() == api_key_token_length);
    auto parts = parse_api_key(token);
    REQUIRE(parts);
    CHECK(parts->id == key->id);
    CHECK(parts->secret == key->secret);
    CHECK(api_key_secret_matches(parts->secret, key->hashed_secret));
    tokens.insert(token);
  }
  CHECK(tokens.size() == 200);
}

TEST_CASE("generated characters cover the whole alphabet") {
  std::set<char> seen;
  for (int i = 0; i < 300; ++i) {
    auto key = generate_api_key();
    REQUIRE(key);
    for (char c : key->id + key->secret) seen.insert(c);
  }
  CHECK(seen.size() == 62);
}

TEST_CASE("parse is strict") {
  const std::string good = "abcdeABCDE-0123456789abcdefghijKL";
  REQUIRE(good.size() == api_key_token_length);
  CHECK(parse_api_key(good));
  const std::string bad[] = {
      "",
      "-",
      "abcdeABCDE-",
      "-0123456789abcdefghijKL",
      "abcdeABCD-0123456789abcdefghijKLM",   // 9 + 23
      "abcdeABCDEF-0123456789abcdefghijK",   // 11 + 21
      "abcdeABCDE-0123456789abcdefghijK",    // short secret
      "abcdeABCDE-0123456789abcdefghijKLM",  // long secret
      "abcdeABCDE_0123456789abcdefghijKL",   // wrong separator
      "abcdeABCDE-0123456789abcdefghij-L",   // hyphen in the secret
      "abcde BCDE-0123456789abcdefghijKL",
      " abcdeABCDE-0123456789abcdefghijK",
      "abcdeABCDE-0123456789abcdefghijK\n",
      "abcdeABCD\xc3\xa9-0123456789abcdefghij",  // non-ASCII, right byte count
      std::string("abcdeABCDE-0123456789abcdefghijK\0", 33),
      "Bearer abcdeABCDE-0123456789abcdefghijKL",
  };
  for (const auto& token : bad) {
    CAPTURE(token);
    CHECK_FALSE(parse_api_key(token));
  }
}

TEST_CASE("SHA-256 hex of the secret matches a known vector") {
  CHECK(hash_api_key_secret("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hash_api_key_secret("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("secret comparison") {
  auto stored = hash_api_key_secret("0123456789abcdefghijKL");
  CHECK(api_key_secret_matches("0123456789abcdefghijKL", stored));
  CHECK_FALSE(api_key_secret_matches("0123456789abcdefghijKM", stored));
  CHECK_FALSE(api_key_secret_matches("0123456789abcdefghijKL", stored.substr(1)));
  CHECK_FALSE(api_key_secret_matches("0123456789abcdefghijKL", ""));
  std::string upper = stored;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK_FALSE(api_key_secret_matches("0123456789abcdefghijKL", upper));
  CHECK(constant_time_equals("", ""));
  CHECK(constant_time_equals("abc", "abc"));
  CHECK_FALSE(constant_time_equals("abc", "abd"));
  CHECK_FALSE(constant_time_equals("abc", "abcd"));
}
