#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "actors/users/credentials/password_hash.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace coder::credentials;

namespace {

// Cheap parameters keep the suite fast; the format and checks are the same at any cost.
constexpr argon2_params cheap{64, 1, 1};

std::string must_hash(std::string_view password, const argon2_params& p = cheap) {
  auto h = hash_password(password, p);
  REQUIRE(h);
  return *h;
}

}  // namespace

TEST_CASE("hash and verify round trip, with the PHC format") {
  auto h = must_hash("correct horse battery staple");
  CHECK(h.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0) == 0);
  CHECK(verify_password("correct horse battery staple", h) == verify_result::match);
  CHECK(verify_password("correct horse battery stapler", h) == verify_result::mismatch);
  CHECK(verify_password("", h) == verify_result::mismatch);
}

TEST_CASE("default parameters are the documented ones and round-trip") {
  auto h = must_hash("Sup3r-secret!", default_argon2_params);
  CHECK(h.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK(verify_password("Sup3r-secret!", h) == verify_result::match);
  CHECK_FALSE(needs_rehash(h));
  CHECK(needs_rehash(must_hash("x")));  // cheap parameters ask for an upgrade
  CHECK(parse_params(h) == default_argon2_params);
}

TEST_CASE("every hash gets its own salt") {
  auto a = must_hash("same password");
  auto b = must_hash("same password");
  CHECK(a != b);
  CHECK(verify_password("same password", a) == verify_result::match);
  CHECK(verify_password("same password", b) == verify_result::match);
}

TEST_CASE("a hash written by libargon2 elsewhere verifies (interoperable format)") {
  // argon2id, m=65536, t=3, p=1, salt = 01 00.. (16 bytes), password "password".
  const std::string known =
      "$argon2id$v=19$m=65536,t=3,p=1$AQAAAAAAAAAAAAAAAAAAAA$"
      "SFQWvooEou94wu89i7bSDf+xwqu/cDIRIjkfm3edKJ4";
  CHECK(verify_password("password", known) == verify_result::match);
  CHECK(verify_password("Password", known) == verify_result::mismatch);
}

TEST_CASE("odd unicode passwords: bytes are hashed exactly, no normalisation") {
  const std::string composed =
      "caf\xc3\xa9 \xf0\x9f\x94\x91 \xe6\x97\xa5\xe6\x9c\xac";  // café 🔑 日本
  const std::string decomposed = "cafe\xcc\x81 \xf0\x9f\x94\x91 \xe6\x97\xa5\xe6\x9c\xac";
  auto h = must_hash(composed);
  CHECK(verify_password(composed, h) == verify_result::match);
  CHECK(verify_password(decomposed, h) == verify_result::mismatch);
  std::string with_nul("ab\0cd", 5);
  auto h2 = must_hash(with_nul);
  CHECK(verify_password(with_nul, h2) == verify_result::match);
  CHECK(verify_password("ab", h2) == verify_result::mismatch);
  auto rtl = must_hash("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\xe2\x80\x8f");  // Hebrew + RLM
  CHECK(verify_password("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\xe2\x80\x8f", rtl) ==
        verify_result::match);
}

TEST_CASE("oversized passwords are refused for hashing and never match") {
  std::string huge(max_password_bytes + 1, 'a');
  CHECK_FALSE(hash_password(huge, cheap));
  auto h = must_hash(std::string(max_password_bytes, 'a'));
  CHECK(verify_password(huge, h) == verify_result::mismatch);
}

TEST_CASE("tampered or foreign hash strings are malformed, never a match") {
  auto h = must_hash("pw");
  auto tamper = [&](std::string from, std::string to) {
    auto copy = h;
    auto pos = copy.find(from);
    REQUIRE(pos != std::string::npos);
    copy.replace(pos, from.size(), to);
    return copy;
  };
  const std::string bad[] = {
      "",
      "$argon2i$v=19$m=64,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$argon2d$v=19$m=64,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "$pbkdf2-sha256$65535$c2FsdA$aGFzaA",
      tamper("v=19", "v=16"),
      tamper("m=64", "m=064"),
      tamper("m=64", "m=-64"),
      tamper("m=64", "m=4294967296"),
      tamper("m=64", "m=99999999"),  // beyond max_memory_kib: refused, not allocated
      tamper("m=64", "m=4"),         // below 8 KiB per lane
      tamper("t=1", "t=0"),
      tamper("t=1", "t=1000"),
      tamper("p=1", "p=0"),
      tamper("p=1", "p=1,x=2"),
      tamper(",t=", ";t="),
      h + "$",
      h + "=",
      h + "AA",                    // length 4n+1 is impossible in base64
      h.substr(0, h.size() - 30),  // digest shorter than 16 bytes
      h.substr(0, h.rfind('$')),
      tamper("$argon2id", " $argon2id"),
  };
  for (const auto& s : bad) {
    CAPTURE(s);
    CHECK(verify_password("pw", s) == verify_result::malformed_hash);
    CHECK(needs_rehash(s));
    CHECK_FALSE(parse_params(s));
  }
  // A flipped digest character is well-formed but no longer matches.
  auto flipped = h;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  auto r = verify_password("pw", flipped);
  CHECK(r != verify_result::match);
}

TEST_CASE("dummy_verify costs about as much as a real verify") {
  auto h = must_hash("Sup3r-secret!", default_argon2_params);
  using clock = std::chrono::steady_clock;
  auto time = [](auto&& f) {
    auto best = clock::duration::max();
    for (int i = 0; i < 3; ++i) {
      auto start = clock::now();
      f();
      best = std::min(best, clock::now() - start);
    }
    return std::chrono::duration<double, std::milli>(best).count();
  };
  double real = time([&] { (void)verify_password("wrong", h); });
  double dummy = time([&] { dummy_verify("wrong"); });
  MESSAGE("verify " << real << " ms, dummy " << dummy << " ms");
  // Not a benchmark: only catches a dummy that skips the work (e.g. 0 ms against ~26 ms).
  CHECK(dummy > real / 4);
  CHECK(real > dummy / 4);
}
