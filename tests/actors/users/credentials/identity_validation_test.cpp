#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "actors/users/credentials/identity_validation.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

using namespace coder::credentials;

namespace {

struct row {
  std::string input;
  std::optional<std::string> detail;  // nullopt = valid
};

template <class F>
void check_table(F validate, std::initializer_list<row> rows) {
  for (const auto& r : rows) {
    CAPTURE(r.input);
    auto got = validate(r.input);
    if (!r.detail) {
      CHECK_FALSE(got);
    } else {
      REQUIRE(got);
      CHECK(*got == *r.detail);
    }
  }
}

}  // namespace

TEST_CASE("usernames follow Coder's NameValid") {
  const std::string alnum_hyphens = "must be alphanumeric with hyphens";
  check_table(validate_username, {
                                     {"alice", std::nullopt},
                                     {"Alice", std::nullopt},  // case kept as typed, like Coder
                                     {"a", std::nullopt},
                                     {"a-b-c", std::nullopt},
                                     {"user-1", std::nullopt},
                                     {"123", std::nullopt},
                                     {std::string(32, 'x'), std::nullopt},
                                     {"", "must be >= 1 character"},
                                     {std::string(33, 'x'), "must be <= 32 characters"},
                                     {"-alice", alnum_hyphens},
                                     {"alice-", alnum_hyphens},
                                     {"al--ice", alnum_hyphens},
                                     {"al_ice", alnum_hyphens},
                                     {"al.ice", alnum_hyphens},
                                     {"al ice", alnum_hyphens},
                                     {"alice@example.com", alnum_hyphens},
                                     {"\xc3\xa9lise", alnum_hyphens},
                                     {"-", alnum_hyphens},
                                     {"new", "cannot use \"new\" as a name"},
                                     {"Create", "cannot use \"Create\" as a name"},
                                     {"me", "cannot use \"me\" as a name"},
                                     {"ME", "cannot use \"ME\" as a name"},
                                     {"meet", std::nullopt},
                                 });
}

TEST_CASE("identity keys are ASCII lower-case") {
  CHECK(identity_key("Alice-01") == "alice-01");
  CHECK(identity_key("Bob@Example.COM") == "bob@example.com");
  CHECK(identity_key("\xc3\x89") == "\xc3\x89");  // non-ASCII untouched
}

TEST_CASE("emails: a pragmatic RFC 5322 subset") {
  check_table(
      validate_email,
      {
          {"alice@example.com", std::nullopt},
          {"Alice.Smith+tag@mail.example.co.uk", std::nullopt},
          {"o'brien@example.ie", std::nullopt},
          {"x@a.io", std::nullopt},
          {"user@xn--bcher-kva.example", std::nullopt},
          {"j\xc3\xb6rg@b\xc3\xbc"
           "cher.de",
           std::nullopt},  // RFC 6531 UTF-8 address
          {"", "must not be empty"},
          {"alice", "must contain an @"},
          {"alice@@example.com", "must contain exactly one @"},
          {"a@b@example.com", "must contain exactly one @"},
          {"@example.com", "must have a name before the @"},
          {"alice@", "must have a domain after the @"},
          {"alice@localhost", "domain must contain a dot"},
          {"alice @example.com", "must not contain spaces or control characters"},
          {"alice@example.com\n", "must not contain spaces or control characters"},
          {std::string("al\0ce@example.com", 17), "must not contain spaces or control characters"},
          {"alice\x7f@example.com", "must not contain spaces or control characters"},
          {"al\xffice@example.com", "must be valid UTF-8"},
          {".alice@example.com",
           "part before the @ must not start or end with a dot or contain two dots in a row"},
          {"al..ice@example.com",
           "part before the @ must not start or end with a dot or contain two dots in a row"},
          {"\"alice\"@example.com", "part before the @ contains a character not allowed there"},
          {"a(b)@example.com", "part before the @ contains a character not allowed there"},
          {"alice@.example.com",
           "domain must not have empty labels (leading, trailing or double dots)"},
          {"alice@example..com",
           "domain must not have empty labels (leading, trailing or double dots)"},
          {"alice@example.com.",
           "domain must not have empty labels (leading, trailing or double dots)"},
          {"alice@-example.com", "domain labels must not start or end with a hyphen"},
          {"alice@exa_mple.com", "domain may contain only letters, digits, hyphens and dots"},
          {"alice@[127.0.0.1]", "domain may contain only letters, digits, hyphens and dots"},
          {"alice@127.0.0.1", "domain must end in a name, not a number"},
          {"alice@" + std::string(64, 'a') + ".com", "domain labels must be <= 63 bytes"},
          {std::string(65, 'a') + "@example.com", "part before the @ must be <= 64 bytes"},
      });
  // 254 bytes is the limit, 255 is over it.
  std::string domain = std::string(60, 'd') + "." + std::string(60, 'd') + "." +
                       std::string(60, 'd') + "." + std::string(7, 'd') + ".com";
  std::string at_limit = std::string(254 - domain.size() - 1, 'l') + "@" + domain;
  REQUIRE(at_limit.size() == 254);
  CHECK_FALSE(validate_email(at_limit));
  CHECK(validate_email("l" + at_limit) == std::optional<std::string>("must be <= 254 bytes"));
}

TEST_CASE("password entropy follows the go-password-validator model") {
  // "password": 26-letter pool, 8 counted characters (the s repeats once) → 8 * log2(26).
  CHECK(password_entropy_bits("password") == doctest::Approx(37.603).epsilon(0.001));
  // Each character counts at most twice.
  CHECK(password_entropy_bits("aaaaaaaaaaaa") == doctest::Approx(2 * std::log2(26.0)));
  // Classes add their whole size to the pool: lower 26 + upper 26 + digits 10 + "!@$&*" 5.
  CHECK(password_entropy_bits("aA1!") == doctest::Approx(4 * std::log2(67.0)));
  // Characters outside the classes add one each.
  CHECK(password_entropy_bits("\xc3\xa9\xc3\xa8") == doctest::Approx(2 * std::log2(2.0)));
  CHECK(password_entropy_bits("") == 0.0);
  CHECK(password_entropy_bits("\xff") == 0.0);
}

TEST_CASE("passwords: length bounds and Coder's entropy floor") {
  const std::string weak = "is too easy to guess; try a longer password or add ";
  check_table(
      validate_password,
      {
          {"SomeSecurePassword!", std::nullopt},
          {"correct horse battery staple", std::nullopt},
          {"Tr0ub4dor&3x", std::nullopt},
          {"\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd\xe5\x8d\x83\xe4\xbb\xa3\xe7\x94\xb0\xe5\x8c\xba"
           "\xe4\xb8\xb8\xe3\x81\xae\xe5\x86\x85\xe4\xb8\x80\xe4\xb8\x81\xe7\x9b\xae\xe4\xb9\x9d"
           "\xe7\x95\xaa\xe4\xba\x8c\xe5\x8f\xb7\xe3\x83\x93\xe3\x83\xab",  // 19 distinct CJK
           std::nullopt},
          {"", "must be at least 8 characters"},
          {"Ab1!xyz", "must be at least 8 characters"},
          // 8 code points, 16 bytes: counted as characters, not bytes.
          {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
           "is too easy to guess; try a longer password or add lowercase letters, uppercase "
           "letters, "
           "numbers"},
          {"password", weak + "special characters, uppercase letters, numbers"},
          {"aaaaaaaaaaaaaaaa", weak + "special characters, uppercase letters, numbers"},
          {"12345678", weak + "special characters, lowercase letters, uppercase letters"},
          {"aA1!aA1!aA1!aA1!", "is too easy to guess; try a longer password"},
          {"pass\xff"
           "word-long-enough",
           "must be valid UTF-8"},
          {std::string(65, 'x'), "must be no more than 64 characters"},
      });
  // 64 characters is allowed when varied enough; 64 multi-byte characters too.
  std::string sixty_four;
  const std::string pool = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
  for (int i = 0; i < 64; ++i) sixty_four.push_back(pool[i]);
  CHECK_FALSE(validate_password(sixty_four));
  std::string cjk;
  for (int i = 0; i < 64; ++i) {
    char32_t cp = 0x4e00 + i;  // distinct CJK ideographs, 3 bytes each
    cjk.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    cjk.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    cjk.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
  CHECK_FALSE(validate_password(cjk));
  CHECK(validate_password(cjk + "x") ==
        std::optional<std::string>("must be no more than 64 characters"));
}

TEST_CASE("UTF-8 well-formedness") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain"));
  CHECK(is_valid_utf8("\xf0\x9f\x94\x91"));
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xe6\x97"));          // truncated
  CHECK_FALSE(is_valid_utf8("\x80"));
}

TEST_CASE("real names") {
  check_table(validate_real_name, {
                                      {"", std::nullopt},
                                      {"Alice Smith", std::nullopt},
                                      {"Zo\xc3\xab", std::nullopt},
                                      {" Alice", "must not have leading or trailing whitespace"},
                                      {"Alice\t", "must not have leading or trailing whitespace"},
                                      {std::string(129, 'a'), "must be <= 128 characters"},
                                  });
}
