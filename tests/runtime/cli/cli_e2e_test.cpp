// End to end: the real `coder-node` CLI against a real `coder-node server` (fresh database on the
// test run's Postgres), both as child processes — issue 2's acceptance path through the CLI:
// login creates the owner, whoami shows it, users and tokens commands work, a suspended user's
// token stops working, logout forgets the session.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "schema/json_codec.hpp"
#include "schema/users/user_api.hpp"
#include "tests/runtime/node/server_process.hpp"
#include "tests/support/test_postgres.hpp"

using namespace coder;
using namespace coder::testing;
namespace fs = std::filesystem;

namespace {

const std::string owner_password = "correct-horse-battery-9";
const std::string member_password = "member-password-42x";

// One CLI user: its own config dir; runs build/coder-node with it.
struct cli_user {
  cli_user() {
    std::string tmpl = (fs::temp_directory_path() / "coder-cli-e2e.XXXXXX").string();
    dir = ::mkdtemp(tmpl.data());
  }
  ~cli_user() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  command_result run(std::vector<std::string> args, const std::string& stdin_text = {}) const {
    args.insert(args.begin(), coder_node_binary());
    // CODER_URL / CODER_SESSION_TOKEN from the outer environment must not leak into the test.
    return run_command(
        args, {{"CODER_CONFIG_DIR", dir.string()}, {"CODER_URL", ""}, {"CODER_SESSION_TOKEN", ""}},
        stdin_text);
  }
  fs::path dir;
};

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

template <class T>
T parse(const command_result& r) {
  T out;
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE_FALSE(schema::from_json(r.out, out));
  return out;
}

void login_owner(const cli_user& owner, const std::string& url) {
  auto r = owner.run({"login", url, "--first-user-username", "admin", "--first-user-email",
                      "admin@example.com", "--first-user-password", owner_password});
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 0);
}

}  // namespace

TEST_CASE("login creates the owner; whoami shows it; files are private") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  cli_user owner;
  login_owner(owner, server.url());
  CHECK(mode_of(owner.dir) == 0700);
  CHECK(mode_of(owner.dir / "session") == 0600);
  CHECK(mode_of(owner.dir / "url") == 0600);
  auto who = owner.run({"whoami"});
  CHECK(who.status == 0);
  CHECK(who.out.find("authenticated as admin") != std::string::npos);
  auto me = parse<api::user>(owner.run({"whoami", "--output", "json"}));
  CHECK(me.roles == std::vector<std::string>{"owner"});

  // A second first-user login is refused as first user but signs in with those credentials.
  cli_user again;
  login_owner(again, server.url());
  CHECK(parse<api::user>(again.run({"whoami", "-o", "json"})).id == me.id);
}

TEST_CASE("login with prompts on piped stdin, with --token, and with bad credentials") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  cli_user owner;
  auto first = owner.run({"login", server.url()}, "admin\nadmin@example.com\n" + owner_password +
                                                      "\n" + owner_password + "\n");
  INFO("stderr: " << first.err);
  REQUIRE(first.status == 0);

  cli_user other;
  auto wrong = other.run({"login", server.url()}, "admin@example.com\nnot-the-password\n");
  CHECK(wrong.status == 1);
  CHECK(wrong.err.find("error: ") != std::string::npos);
  CHECK_FALSE(fs::exists(other.dir / "session"));
  auto right = other.run({"login", server.url()}, "admin@example.com\n" + owner_password + "\n");
  CHECK(right.status == 0);

  auto key = owner.run({"tokens", "create", "--name", "laptop"});
  REQUIRE(key.status == 0);
  cli_user with_token;
  auto by_token = with_token.run({"login", server.url(), "--token", key.out.substr(0, 33)});
  CHECK(by_token.status == 0);
  CHECK(with_token.run({"whoami"}).status == 0);
}

TEST_CASE("users: create, list, show, suspend (token stops working), activate") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  cli_user owner;
  login_owner(owner, server.url());
  auto created = owner.run({"users", "create", "-u", "member", "-e", "member@example.com", "-p",
                            member_password, "-o", "json"});
  REQUIRE(created.status == 0);
  CHECK(parse<api::user>(created).roles == std::vector<std::string>{"member"});
  auto list = owner.run({"users", "list"});
  CHECK(list.status == 0);
  CHECK(list.out.rfind("USERNAME", 0) == 0);
  CHECK(list.out.find("member@example.com") != std::string::npos);
  CHECK(parse<std::vector<api::user>>(owner.run({"users", "list", "-o", "json"})).size() == 2);
  CHECK(parse<api::user>(owner.run({"users", "show", "member", "-o", "json"})).email ==
        "member@example.com");

  cli_user member;
  REQUIRE(
      member.run({"login", server.url()}, "member@example.com\n" + member_password + "\n").status ==
      0);
  // Members cannot list users.
  auto denied = member.run({"users", "list"});
  CHECK(denied.status == 1);
  CHECK(denied.err.rfind("error: ", 0) == 0);

  auto suspended = owner.run({"users", "suspend", "member"});
  CHECK(suspended.status == 0);
  CHECK(suspended.out == "User member is now suspended.\n");
  auto locked_out = member.run({"whoami"});
  CHECK(locked_out.status == 1);
  CHECK(locked_out.err.rfind("error: ", 0) == 0);
  CHECK(owner.run({"users", "activate", "member"}).status == 0);

  auto bad = owner.run(
      {"users", "create", "-u", "member", "-e", "other@example.com", "-p", member_password});
  CHECK(bad.status == 1);
  CHECK(bad.err.rfind("error: ", 0) == 0);
  CHECK(
      owner.run({"users", "create", "-u", "bad_name", "-e", "x@example.com", "-p", member_password})
          .status == 2);
}

TEST_CASE("tokens: create, use, list, remove") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  cli_user owner;
  login_owner(owner, server.url());
  auto created = owner.run({"tokens", "create", "--name", "ci", "--lifetime", "1d"});
  REQUIRE(created.status == 0);
  REQUIRE(created.out.size() == 34);
  std::string key = created.out.substr(0, 33);

  cli_user script;  // nothing saved: URL and token on the command line
  auto who = script.run({"whoami", "--url", server.url(), "--token", key});
  CHECK(who.status == 0);
  CHECK(who.out.find("admin") != std::string::npos);

  auto keys = parse<std::vector<api::api_key>>(owner.run({"tokens", "list", "-o", "json"}));
  bool found = false;
  for (const auto& k : keys) found = found || (k.token_name == "ci" && key.rfind(k.id, 0) == 0);
  CHECK(found);
  CHECK(owner.run({"tokens", "list"}).out.find("ci") != std::string::npos);

  auto removed = owner.run({"tokens", "remove", "ci"});
  CHECK(removed.status == 0);
  auto revoked = script.run({"whoami", "--url", server.url(), "--token", key});
  CHECK(revoked.status == 1);
}

TEST_CASE("logout revokes the session; usage and connection errors") {
  test_database db;
  server_process server({"--postgres-url", db.url()});
  cli_user owner;
  login_owner(owner, server.url());
  auto out = owner.run({"logout"});
  CHECK(out.status == 0);
  CHECK_FALSE(fs::exists(owner.dir / "session"));
  CHECK(owner.run({"whoami"}).status == 1);

  CHECK(owner.run({"users", "frobnicate"}).status == 2);
  CHECK(owner.run({"tokens", "create", "--lifetime", "soon"}).status == 2);
  auto help = owner.run({"users", "create", "--help"});
  CHECK(help.status == 0);
  CHECK(help.out.rfind("Usage: coder-node users create", 0) == 0);
  auto down = owner.run({"login", "http://127.0.0.1:1"});
  CHECK(down.status == 1);
  CHECK(down.err.rfind("error: could not reach http://127.0.0.1:1", 0) == 0);
}
