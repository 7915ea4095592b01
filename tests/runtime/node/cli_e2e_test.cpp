// The issue's acceptance path with the real binaries: `coder-node login <url> --first-user-...`
// creates the owner, `whoami` shows it, users and tokens are managed from the CLI, and a
// suspended user's saved session is refused on its next command.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <random>

#include "tests/runtime/node/server_process.hpp"

using namespace coder::testing;

namespace {

std::string fresh_database_url() {
  const char* base = std::getenv("CODER_TEST_POSTGRES_URL");
  REQUIRE_MESSAGE(base != nullptr, "CODER_TEST_POSTGRES_URL is not set: run the tests with make test");
  std::string url = base;
  static std::mt19937_64 rng{std::random_device{}()};
  std::string name = "cli_" + std::to_string(rng() % 1000000000000ULL);
  auto r = run_command({"psql", url, "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE " + name});
  REQUIRE_MESSAGE(r.status == 0, "psql CREATE DATABASE failed: " << r.err);
  auto slash = url.find("/postgres");
  REQUIRE(slash != std::string::npos);
  return url.replace(slash + 1, 8, name);
}

struct cli_user {
  std::string config_dir;
  explicit cli_user(const std::string& tag) {
    std::string tmpl = "/tmp/coder-cli-" + tag + ".XXXXXX";
    config_dir = mkdtemp(tmpl.data());
  }
  ~cli_user() { run_command({"rm", "-rf", config_dir}); }
  command_result run(std::vector<std::string> args, const std::string& input = {}) const {
    args.insert(args.begin(), coder_node_binary());
    return run_command(args, {{"CODER_CONFIG_DIR", config_dir}, {"CODER_URL", ""}, {"CODER_SESSION_TOKEN", ""}},
                       input);
  }
};

}  // namespace

TEST_CASE("login creates the first user, whoami shows it, the session file is private") {
  server_process server({"--postgres-url", fresh_database_url()});
  cli_user admin("admin");
  auto login = admin.run({"login", server.url(), "--first-user-username", "admin",
                          "--first-user-email", "admin@example.com", "--first-user-password",
                          "correct-horse-battery-9"});
  INFO(login.out << login.err);
  REQUIRE(login.status == 0);
  auto who = admin.run({"whoami"});
  INFO(who.err);
  REQUIRE(who.status == 0);
  CHECK(who.out.find("admin") != std::string::npos);
  struct stat st {};
  REQUIRE(::stat((admin.config_dir + "/session").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto json = admin.run({"whoami", "--output", "json"});
  REQUIRE(json.status == 0);
  CHECK(json.out.find("\"username\":") != std::string::npos);
}

TEST_CASE("users and tokens from the CLI; suspension stops a saved session") {
  server_process server({"--postgres-url", fresh_database_url()});
  cli_user admin("admin");
  REQUIRE(admin.run({"login", server.url(), "--first-user-username", "admin", "--first-user-email",
                     "admin@example.com", "--first-user-password", "correct-horse-battery-9"})
              .status == 0);
  auto create = admin.run({"users", "create", "--username", "bob", "--email", "bob@example.com",
                           "--password", "member-password-42x"});
  INFO(create.out << create.err);
  REQUIRE(create.status == 0);
  auto list = admin.run({"users", "list"});
  REQUIRE(list.status == 0);
  CHECK(list.out.find("bob") != std::string::npos);
  CHECK(list.out.find("admin") != std::string::npos);

  auto token = admin.run({"tokens", "create", "--name", "ci"});
  INFO(token.err);
  REQUIRE(token.status == 0);
  auto tokens = admin.run({"tokens", "list"});
  REQUIRE(tokens.status == 0);
  CHECK(tokens.out.find("ci") != std::string::npos);

  // bob logs in with his own config dir, works, then is suspended by the owner.
  cli_user bob("bob");
  auto login_http = http_call(server.port(), "POST", "/api/v2/users/login",
                              R"({"email":"bob@example.com","password":"member-password-42x"})");
  REQUIRE(login_http.status == 201);
  auto start = login_http.body.find("\"session_token\":\"") + 17;
  auto bob_token = login_http.body.substr(start, login_http.body.find('"', start) - start);
  REQUIRE(bob.run({"login", server.url(), "--token", bob_token}).status == 0);
  REQUIRE(bob.run({"whoami"}).status == 0);
  REQUIRE(admin.run({"users", "suspend", "bob"}).status == 0);
  auto refused = bob.run({"whoami"});
  CHECK(refused.status == 1);
  CHECK(refused.err.find("suspended") != std::string::npos);
  REQUIRE(admin.run({"users", "activate", "bob"}).status == 0);
  CHECK(bob.run({"whoami"}).status == 0);
}

TEST_CASE("CLI errors: bad flags are usage errors (2), server refusals are 1 with the message") {
  server_process server({"--postgres-url", fresh_database_url()});
  cli_user admin("admin");
  CHECK(admin.run({"login", server.url(), "--no-such-flag"}).status == 2);
  REQUIRE(admin.run({"login", server.url(), "--first-user-username", "admin", "--first-user-email",
                     "admin@example.com", "--first-user-password", "correct-horse-battery-9"})
              .status == 0);
  auto dup = admin.run({"users", "create", "--username", "admin", "--email", "other@example.com",
                        "--password", "member-password-42x"});
  CHECK(dup.status == 1);
  CHECK(dup.err.find("already") != std::string::npos);
  CHECK(admin.run({"logout"}).status == 0);
  CHECK(admin.run({"whoami"}).status != 0);
}
