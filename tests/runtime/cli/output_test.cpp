#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "runtime/cli/output.hpp"

#include <doctest/doctest.h>

using namespace coder;
using namespace coder::cli;

TEST_CASE("tables align columns by code points and trim trailing spaces") {
  auto text = render_table({"NAME", "EMAIL", "STATUS"},
                           {{"alice", "a@x.io", "active"}, {"zo\xc3\xab", "zoe@example.com", ""}});
  CHECK(text ==
        "NAME   EMAIL            STATUS\n"
        "alice  a@x.io           active\n"
        "zo\xc3\xab    zoe@example.com\n");
}

TEST_CASE("tables: header only when empty; short rows padded") {
  CHECK(render_table({"ID", "NAME"}, {}) == "ID  NAME\n");
  CHECK(render_table({"A", "B"}, {{"x"}}) == "A  B\nx\n");
}

TEST_CASE("cells cannot drive the terminal") {
  auto text = render_table({"NAME"}, {{"evil\x1b]0;pwned\x07\n\xc2\x9b"
                                       "2J"}});
  CHECK(text == "NAME\nevil?]0;pwned???2J\n");
  CHECK(terminal_safe("tab\there") == "tab?here");
  CHECK(terminal_safe("caf\xc3\xa9") == "caf\xc3\xa9");  // ordinary UTF-8 untouched
}

TEST_CASE("JSON output is the API shape, indented") {
  api::user u;
  u.id = "u1";
  u.username = "alice";
  u.roles = {"owner"};
  auto text = to_pretty_json(u);
  CHECK(text.rfind("{\n  \"id\": \"u1\",\n  \"username\": \"alice\",", 0) == 0);
  CHECK(text.find("\"roles\": [\n    \"owner\"\n  ]") != std::string::npos);
  CHECK(text.back() == '\n');
  api::user back;
  CHECK_FALSE(schema::from_json(text, back));
  CHECK(back.username == "alice");
  std::vector<api::api_key> none;
  CHECK(to_pretty_json(none) == "[]\n");
}

TEST_CASE("API errors: message, detail, then one line per field") {
  api::error_response e{"Validation failed.",
                        "The request body is invalid.",
                        {{"email", "must contain an @"}, {"password", "is too easy to guess"}}};
  CHECK(format_error(e) ==
        "error: Validation failed.\n"
        "The request body is invalid.\n"
        "  email: must contain an @\n"
        "  password: is too easy to guess\n");
  CHECK(format_error({"Not found.", "", {}}) == "error: Not found.\n");
  CHECK(format_error({"", "", {}}) == "error: request failed\n");
  CHECK(format_error({"bad\x1b[31m", "", {}}) == "error: bad?[31m\n");
}

TEST_CASE("timestamps") {
  CHECK(display_time("2026-12-04T16:11:18.123456Z") == "2026-12-04 16:11:18 UTC");
  CHECK(display_time("2026-12-04T16:11:18Z") == "2026-12-04 16:11:18 UTC");
  CHECK(display_time("0001-01-01T00:00:00Z") == "never");
  CHECK(display_time("") == "never");
  CHECK(display_time("", "-") == "-");
  CHECK(display_time("2026-12-04T17:11:18+01:00") == "2026-12-04T17:11:18+01:00");
}

TEST_CASE("user and token rows") {
  api::user u;
  u.username = "alice";
  u.email = "a@x.io";
  u.roles = {"owner", "member"};
  u.status = "active";
  u.created_at = "2026-12-04T16:00:00Z";
  CHECK(user_table_row(u) == std::vector<std::string>{"alice", "a@x.io", "", "owner,member",
                                                      "active", "2026-12-04 16:00:00 UTC"});
  CHECK(user_table_headers().size() == user_table_row(u).size());
  api::api_key k;
  k.id = "abcdeABCDE";
  k.token_name = "ci";
  k.last_used = "0001-01-01T00:00:00Z";
  k.expires_at = "2027-01-01T00:00:00Z";
  CHECK(api_key_table_row(k) ==
        std::vector<std::string>{"abcdeABCDE", "ci", "never", "2027-01-01 00:00:00 UTC", ""});
}
