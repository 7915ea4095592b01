// Every CLI command end to end through run_cli, against the in-memory deployment: arguments,
// prompts, config files, output formats, error layout and exit codes.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "runtime/cli/cli_main.hpp"
#include "tests/runtime/cli/fake_deployment.hpp"

using namespace coder;
using namespace coder::cli;
namespace fs = std::filesystem;

namespace {

const std::string password = "Sup3r-secret!";

struct result {
  int code;
  std::string out;
  std::string err;
};

// One CLI "machine": a config dir, an environment and a deployment the transport reaches.
struct harness {
  harness() {
    std::string pattern = (fs::temp_directory_path() / "cli-cmd-XXXXXX").string();
    home = ::mkdtemp(pattern.data());
    env_vars["HOME"] = home.string();
  }
  ~harness() {
    std::error_code ec;
    fs::remove_all(home, ec);
  }

  result run(std::vector<std::string> args, const std::string& input = "") {
    std::istringstream in(input);
    std::ostringstream out, err;
    cli_environment env{[this](const std::string& name) -> std::optional<std::string> {
                          auto it = env_vars.find(name);
                          if (it == env_vars.end()) return std::nullopt;
                          return it->second;
                        },
                        [this](const server_url& url) {
                          urls_dialed.push_back(url.text());
                          return deployment.transport();
                        }};
    int code = run_cli(args, cli_io{in, out, err, false}, env);
    return {code, out.str(), err.str()};
  }

  fs::path config() const { return home / ".config" / "coder-node"; }
  std::string read(const std::string& name) const {
    std::ifstream in(config() / name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // A deployment with an owner, logged in through the CLI.
  void owner_logged_in() {
    auto r = run({"login", "http://fake:3000", "--first-user-username", "owner",
                  "--first-user-email", "owner@example.com", "--first-user-password", password});
    REQUIRE(r.code == 0);
  }

  fs::path home;
  std::map<std::string, std::string> env_vars;
  testing::fake_deployment deployment;
  std::vector<std::string> urls_dialed;
};

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("login creates the first user from flags and saves url and session privately") {
  harness h;
  auto r = h.run({"login", "http://fake:3000/", "--first-user-username", "owner",
                  "--first-user-email", "owner@example.com", "--first-user-password", password,
                  "--first-user-full-name", "The Owner"});
  CHECK(r.code == 0);
  CHECK(r.out == "Welcome to coder-node, owner! You're authenticated at http://fake:3000.\n");
  REQUIRE(h.deployment.accounts.size() == 1);
  CHECK(h.deployment.accounts[0].user.roles == std::vector<std::string>{"owner"});
  CHECK(h.read("url") == "http://fake:3000");
  CHECK(h.deployment.sessions.count(h.read("session")) == 1);
  CHECK(mode_of(h.config()) == 0700);
  CHECK(mode_of(h.config() / "session") == 0600);
  CHECK(mode_of(h.config() / "url") == 0600);
  // The create request carried the full name.
  bool saw_name = false;
  for (auto& req : h.deployment.requests)
    if (req.target == "/api/v2/users/first" && req.method == "POST")
      saw_name = req.body.find("\"name\":\"The Owner\"") != std::string::npos;
  CHECK(saw_name);
}

TEST_CASE("login creates the first user from prompts (password typed twice)") {
  harness h;
  h.env_vars["USER"] = "root";
  auto r = h.run({"login", "http://fake:3000"},
                 "\n"  // username: take the default from $USER
                 "root@example.com\n" +
                     password + "\n" + password + "\n");
  CHECK(r.code == 0);
  CHECK(r.err.find("This deployment has no users yet") != std::string::npos);
  CHECK(r.err.find("Username (root): ") != std::string::npos);
  CHECK(r.err.find("Confirm Password: ") != std::string::npos);
  REQUIRE(h.deployment.accounts.size() == 1);
  CHECK(h.deployment.accounts[0].user.username == "root");
}

TEST_CASE("login rejects a bad prompt answer or mismatched passwords from piped input") {
  harness h;
  auto r = h.run({"login", "http://fake:3000"}, "bad_name\n");
  CHECK(r.code == 1);
  CHECK(r.err.find("error: cannot create the first user: Username must be alphanumeric with "
                   "hyphens") != std::string::npos);
  auto r2 = h.run({"login", "http://fake:3000"},
                  "owner\nowner@example.com\n" + password + "\nsomething-else\n");
  CHECK(r2.code == 1);
  CHECK(r2.err.find("the two Password entries do not match") != std::string::npos);
  auto r3 = h.run({"login", "http://fake:3000"}, "");
  CHECK(r3.code == 1);
  CHECK(r3.err.find("no input (stdin closed)") != std::string::npos);
  CHECK(h.deployment.accounts.empty());
  CHECK_FALSE(fs::exists(h.config() / "session"));
}

TEST_CASE("login validates first-user flags locally (usage error, nothing sent)") {
  harness h;
  auto r = h.run({"login", "http://fake:3000", "--first-user-username", "owner",
                  "--first-user-email", "not-an-email", "--first-user-password", password});
  CHECK(r.code == 2);
  CHECK(r.err ==
        "error: invalid --first-user-email: must contain an @\n"
        "Run 'coder-node login --help' for usage.\n");
  CHECK(h.deployment.accounts.empty());
  auto weak = h.run({"login", "http://fake:3000", "--first-user-username", "owner",
                     "--first-user-email", "o@example.com", "--first-user-password", "password"});
  CHECK(weak.code == 2);
  CHECK(weak.err.find("invalid --first-user-password: is too easy to guess") != std::string::npos);
}

TEST_CASE("login to a deployment with users: email and password prompts") {
  harness h;
  h.deployment.add_user("alice", "alice@example.com", password, true);
  auto r = h.run({"login", "http://fake:3000"}, "alice@example.com\n" + password + "\n");
  CHECK(r.code == 0);
  CHECK(r.err.find("Email: ") != std::string::npos);
  CHECK(r.out.find("Welcome to coder-node, alice!") != std::string::npos);
  CHECK(h.deployment.sessions.count(h.read("session")) == 1);

  auto wrong = h.run({"login", "http://fake:3000"}, "alice@example.com\nnope\n");
  CHECK(wrong.code == 1);
  CHECK(wrong.err == "Email: Password: error: Incorrect email or password.\n");
}

TEST_CASE("repeating a scripted first-user login signs in once users exist") {
  harness h;
  h.owner_logged_in();
  auto again =
      h.run({"login", "http://fake:3000", "--first-user-username", "owner", "--first-user-email",
             "owner@example.com", "--first-user-password", password});
  CHECK(again.code == 0);
  CHECK(h.deployment.accounts.size() == 1);
}

TEST_CASE("login with --token checks it with /users/me") {
  harness h;
  auto id = h.deployment.add_user("alice", "alice@example.com", password, true);
  auto token = h.deployment.new_session(id);
  auto r = h.run({"login", "http://fake:3000", "--token", token});
  CHECK(r.code == 0);
  CHECK(h.read("session") == token);
  auto bad = h.run({"login", "http://fake:3000", "--token", "zzzzzzzzzz-zzzzzzzzzzzzzzzzzzzzzz"});
  CHECK(bad.code == 1);
  CHECK(bad.err.rfind("error: You must be logged in.\nAuthentication required.\n", 0) == 0);
  CHECK(h.read("session") == token);  // a failed login does not clobber the saved session
}

TEST_CASE("login: URL problems") {
  harness h;
  auto none = h.run({"login"});
  CHECK(none.code == 2);
  CHECK(none.err.find("login needs the deployment URL") != std::string::npos);
  auto bad = h.run({"login", "ftp://x"});
  CHECK(bad.code == 2);
  h.deployment.reachable = false;
  auto down = h.run({"login", "http://127.0.0.1:9"});
  CHECK(down.code == 1);
  CHECK(down.err == "error: could not reach http://127.0.0.1:9\nconnect: connection refused\n");
}

TEST_CASE("whoami: table and JSON") {
  harness h;
  h.owner_logged_in();
  auto r = h.run({"whoami"});
  CHECK(r.code == 0);
  CHECK(r.out ==
        "coder-node is running at http://fake:3000, you're authenticated as owner "
        "(owner@example.com).\n");
  auto j = h.run({"whoami", "-o", "json"});
  CHECK(j.code == 0);
  api::user u;
  REQUIRE_FALSE(schema::from_json(j.out, u));
  CHECK(u.username == "owner");
}

TEST_CASE("not logged in") {
  harness h;
  auto r = h.run({"whoami"});
  CHECK(r.code == 1);
  CHECK(r.err == "error: you are not logged in\nLog in with 'coder-node login <url>'.\n");
  CHECK(h.urls_dialed.empty());
}

TEST_CASE("--url / CODER_URL and --token / CODER_SESSION_TOKEN override the saved login") {
  harness h;
  h.owner_logged_in();
  auto id = h.deployment.add_user("bob", "bob@example.com", password, false);
  auto bob = h.deployment.new_session(id);
  h.env_vars["CODER_SESSION_TOKEN"] = bob;
  CHECK(h.run({"whoami"}).out.find("authenticated as bob") != std::string::npos);
  h.env_vars.erase("CODER_SESSION_TOKEN");
  CHECK(h.run({"whoami", "--token", bob}).out.find("authenticated as bob") != std::string::npos);
  // The saved session is never sent to another deployment.
  h.urls_dialed.clear();
  auto other = h.run({"whoami", "--url", "http://other:1"});
  CHECK(other.code == 1);
  CHECK(other.err.find("you are not logged in") != std::string::npos);
  h.env_vars["CODER_URL"] = "http://fake:3000/";  // same deployment, other spelling
  CHECK(h.run({"whoami"}).code == 0);
}

TEST_CASE("--global-config and CODER_CONFIG_DIR choose the config dir") {
  harness h;
  auto dir = h.home / "elsewhere";
  auto r =
      h.run({"--global-config", dir.string(), "login", "http://fake:3000", "--first-user-username",
             "owner", "--first-user-email", "o@example.com", "--first-user-password", password});
  CHECK(r.code == 0);
  CHECK(fs::exists(dir / "session"));
  CHECK_FALSE(fs::exists(h.config()));
  h.env_vars["CODER_CONFIG_DIR"] = dir.string();
  CHECK(h.run({"whoami"}).code == 0);
}

TEST_CASE("logout revokes the session and deletes it") {
  harness h;
  h.owner_logged_in();
  auto token = h.read("session");
  auto r = h.run({"logout"});
  CHECK(r.code == 0);
  CHECK(r.out.find("You are no longer logged in.") != std::string::npos);
  CHECK(h.deployment.sessions.count(token) == 0);
  CHECK_FALSE(fs::exists(h.config() / "session"));
  CHECK(fs::exists(h.config() / "url"));
  CHECK(h.run({"whoami"}).code == 1);
}

TEST_CASE("logout with an already revoked session still forgets it") {
  harness h;
  h.owner_logged_in();
  h.deployment.sessions.clear();
  CHECK(h.run({"logout"}).code == 0);
  CHECK_FALSE(fs::exists(h.config() / "session"));
}

TEST_CASE("logout when the server is down: forgets locally, reports the failure") {
  harness h;
  h.owner_logged_in();
  h.deployment.reachable = false;
  auto r = h.run({"logout"});
  CHECK(r.code == 1);
  CHECK(r.err.find("the server did not revoke it") != std::string::npos);
  CHECK_FALSE(fs::exists(h.config() / "session"));
}

TEST_CASE("users create, list, show, suspend, activate") {
  harness h;
  h.owner_logged_in();
  auto c = h.run({"users", "create", "-u", "member1", "-e", "m1@example.com", "-p", password});
  CHECK(c.code == 0);
  CHECK(c.out.rfind("USERNAME", 0) == 0);
  CHECK(c.out.find("member1") != std::string::npos);

  auto prompted = h.run({"users", "create", "--email", "m2@example.com"},
                        "member2\n" + password + "\n" + password + "\n");
  CHECK(prompted.code == 0);
  CHECK(h.deployment.accounts.size() == 3);

  auto list = h.run({"users", "list"});
  CHECK(list.code == 0);
  std::istringstream lines(list.out);
  std::string line;
  std::vector<std::string> all;
  while (std::getline(lines, line)) all.push_back(line);
  REQUIRE(all.size() == 4);
  CHECK(all[0].rfind("USERNAME  EMAIL", 0) == 0);
  CHECK(all[1].rfind("owner ", 0) == 0);
  CHECK(all[1].find("2026-12-04 16:00:00 UTC") != std::string::npos);

  auto json = h.run({"users", "list", "--output", "json"});
  std::vector<api::user> users;
  REQUIRE_FALSE(schema::from_json(json.out, users));
  CHECK(users.size() == 3);

  auto show = h.run({"users", "show", "member1", "-o", "json"});
  api::user u;
  REQUIRE_FALSE(schema::from_json(show.out, u));
  CHECK(u.email == "m1@example.com");

  auto s = h.run({"users", "suspend", "member1"});
  CHECK(s.code == 0);
  CHECK(s.out == "User member1 is now suspended.\n");
  CHECK(h.run({"users", "activate", "member1"}).out == "User member1 is now active.\n");
}

TEST_CASE("users create: local validation, API conflicts with field details") {
  harness h;
  h.owner_logged_in();
  auto bad = h.run({"users", "create", "-u", "-bad-", "-e", "x@example.com", "-p", password});
  CHECK(bad.code == 2);
  CHECK(bad.err.rfind("error: invalid --username: must be alphanumeric with hyphens\n", 0) == 0);
  auto dup = h.run({"users", "create", "-u", "owner", "-e", "x@example.com", "-p", password});
  CHECK(dup.code == 1);
  CHECK(dup.err ==
        "error: User already exists.\n"
        "  username: this value is already in use and should be unique\n");
}

TEST_CASE("a token that stops working (user suspended) gets a 401 and a hint") {
  harness h;
  h.owner_logged_in();
  h.deployment.accounts[0].user.status = "suspended";
  auto r = h.run({"whoami"});
  CHECK(r.code == 1);
  CHECK(r.err ==
        "error: You must be logged in.\nAuthentication required.\n"
        "The session token was not accepted; log in again with 'coder-node login'.\n");
}

TEST_CASE("API errors: 403 and 404 print the server's message with exit 1") {
  harness h;
  h.owner_logged_in();
  auto missing = h.run({"users", "show", "nobody"});
  CHECK(missing.code == 1);
  CHECK(missing.err == "error: User \"nobody\" not found.\n");
  auto id = h.deployment.add_user("bob", "bob@example.com", password, false);
  auto forbidden = h.run({"users", "list", "--token", h.deployment.new_session(id)});
  CHECK(forbidden.code == 1);
  CHECK(forbidden.err == "error: Forbidden.\n");
}

TEST_CASE("tokens create, list, remove") {
  harness h;
  h.owner_logged_in();
  auto c = h.run({"tokens", "create", "--name", "ci", "--lifetime", "7d"});
  CHECK(c.code == 0);
  CHECK(c.out.size() == 34);  // the key and a newline, nothing else on stdout
  REQUIRE(h.deployment.keys.size() == 1);
  CHECK(h.deployment.keys[0].lifetime_seconds == 7 * 86400);
  CHECK(h.deployment.keys[0].token_name == "ci");

  auto list = h.run({"tokens", "list"});
  CHECK(list.code == 0);
  CHECK(list.out.rfind("ID          NAME  LAST USED  EXPIRES AT", 0) == 0);
  CHECK(list.out.find("never") != std::string::npos);
  auto json = h.run({"tokens", "list", "-o", "json"});
  std::vector<api::api_key> keys;
  REQUIRE_FALSE(schema::from_json(json.out, keys));
  REQUIRE(keys.size() == 1);

  auto removed = h.run({"tokens", "remove", "ci"});  // by name
  CHECK(removed.code == 0);
  CHECK(removed.out == "Token " + keys[0].id + " deleted.\n");
  CHECK(h.deployment.keys.empty());
  auto again = h.run({"tokens", "remove", keys[0].id});
  CHECK(again.code == 1);
  CHECK(again.err == "error: API key not found.\n");
}

TEST_CASE("tokens create: bad lifetime is a usage error; the server's limit is an API error") {
  harness h;
  h.owner_logged_in();
  auto bad = h.run({"tokens", "create", "--lifetime", "forever"});
  CHECK(bad.code == 2);
  CHECK(bad.err.rfind("error: invalid --lifetime \"forever\"", 0) == 0);
  auto zero = h.run({"tokens", "create", "--lifetime", "0s"});
  CHECK(zero.code == 2);
  auto too_long = h.run({"tokens", "create", "--lifetime", "400d"});
  CHECK(too_long.code == 1);
  CHECK(too_long.err == "error: Invalid lifetime.\n  lifetime: must be at most 365 days\n");
  auto json = h.run({"tokens", "create", "-o", "json"});
  api::generate_api_key_response key;
  REQUIRE_FALSE(schema::from_json(json.out, key));
}

TEST_CASE("usage errors exit 2; --help and bare groups exit 0") {
  harness h;
  auto unknown = h.run({"frobnicate"});
  CHECK(unknown.code == 2);
  CHECK(unknown.err ==
        "error: unknown command \"frobnicate\" for \"coder-node\"\n"
        "Run 'coder-node --help' for usage.\n");
  CHECK(h.run({"users", "show"}).code == 2);
  CHECK(h.run({"tokens", "list", "--bogus"}).code == 2);
  CHECK(h.run({"whoami", "-o", "yaml"}).code == 2);

  auto top = h.run({});
  CHECK(top.code == 0);
  CHECK(top.out.find("login") != std::string::npos);
  auto group = h.run({"users"});
  CHECK(group.code == 0);
  CHECK(group.out.rfind("Usage: coder-node users <command> [flags]", 0) == 0);
  for (std::vector<std::string> cmd : {std::vector<std::string>{"login"},
                                       {"logout"},
                                       {"whoami"},
                                       {"users", "list"},
                                       {"users", "create"},
                                       {"users", "show"},
                                       {"users", "suspend"},
                                       {"users", "activate"},
                                       {"tokens", "create"},
                                       {"tokens", "list"},
                                       {"tokens", "remove"},
                                       {"tokens"}}) {
    cmd.push_back("--help");
    auto r = h.run(cmd);
    CAPTURE(r.out);
    CHECK(r.code == 0);
    CHECK(r.out.rfind("Usage: coder-node " + cmd[0], 0) == 0);
  }
  CHECK(h.urls_dialed.empty());
}
