#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "runtime/cli/args.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <set>

#include "runtime/cli/cli_main.hpp"

using namespace coder::cli;

namespace {

command_spec test_tree() {
  command_spec root;
  root.name = "coder-node";
  root.has_action = false;
  root.flags = {
      {"url", 0, "<url>", "Deployment URL.", "CODER_URL"},
      {"output", 'o', "<format>", "Output format.", "", "table", {"table", "json"}},
      {"verbose", 'v', "", "More logs."},
  };
  command_spec login;
  login.name = "login";
  login.positional_usage = "[<url>]";
  login.max_positionals = 1;
  login.flags = {{"first-user-email", 0, "<email>", "Email.", "CODER_FIRST_USER_EMAIL"}};
  command_spec users;
  users.name = "users";
  users.has_action = false;
  command_spec list;
  list.name = "list";
  command_spec show;
  show.name = "show";
  show.positional_usage = "<user>";
  show.min_positionals = show.max_positionals = 1;
  users.subcommands = {list, show};
  root.subcommands = {login, users};
  return root;
}

std::map<std::string, std::string> env_vars;
std::optional<std::string> fake_env(const std::string& name) {
  auto it = env_vars.find(name);
  if (it == env_vars.end()) return std::nullopt;
  return it->second;
}

parsed_args ok(std::vector<std::string> args) {
  auto r = parse_args(test_tree(), args, fake_env);
  if (auto* e = std::get_if<usage_error>(&r)) FAIL("unexpected usage error: " << e->message);
  return std::get<parsed_args>(r);
}

std::string bad(std::vector<std::string> args) {
  auto r = parse_args(test_tree(), args, fake_env);
  REQUIRE(std::holds_alternative<usage_error>(r));
  return std::get<usage_error>(r).message;
}

}  // namespace

TEST_CASE("subcommands, positionals and flag spellings") {
  env_vars.clear();
  auto a = ok({"users", "show", "alice"});
  CHECK(a.command_path == std::vector<std::string>{"users", "show"});
  CHECK(a.positionals == std::vector<std::string>{"alice"});

  auto b = ok({"--url", "http://x", "users", "list", "-o", "json"});
  CHECK(b.value("url") == "http://x");
  CHECK(b.value("output") == "json");
  auto c = ok({"users", "list", "--output=json", "--url=http://y:1/a=b"});
  CHECK(c.value("output") == "json");
  CHECK(c.value("url") == "http://y:1/a=b");  // only the first '=' splits
  auto d = ok({"users", "list", "-o=table"});
  CHECK(d.value("output") == "table");
  auto e = ok({"login", "http://z", "--verbose"});
  CHECK(e.is_set("verbose"));
  CHECK(e.positionals == std::vector<std::string>{"http://z"});
  auto f = ok({"users", "list", "--url", "a", "--url", "b"});
  CHECK(f.value("url") == "b");  // the last one wins
}

TEST_CASE("defaults and environment fallbacks") {
  env_vars = {{"CODER_URL", "http://from-env"}, {"CODER_FIRST_USER_EMAIL", "e@x.io"}};
  auto a = ok({"users", "list"});
  CHECK(a.value("url") == "http://from-env");
  CHECK(a.is_set("url"));
  CHECK(a.value("output") == "table");
  CHECK_FALSE(a.is_set("output"));
  CHECK_FALSE(a.value("first-user-email"));  // a login flag is not visible to users list
  auto b = ok({"--url", "http://flag", "login"});
  CHECK(b.value("url") == "http://flag");  // the flag beats the environment
  CHECK(b.value("first-user-email") == "e@x.io");
  env_vars = {{"CODER_URL", ""}};
  CHECK_FALSE(ok({"users", "list"}).value("url"));  // empty env counts as unset
  env_vars.clear();
}

TEST_CASE("-- ends flags; '-' alone is a positional") {
  env_vars.clear();
  auto a = ok({"users", "show", "--", "--not-a-flag"});
  CHECK(a.positionals == std::vector<std::string>{"--not-a-flag"});
  auto b = ok({"users", "show", "-"});
  CHECK(b.positionals == std::vector<std::string>{"-"});
}

TEST_CASE("help anywhere") {
  env_vars.clear();
  CHECK(ok({"--help"}).help);
  auto a = ok({"users", "show", "-h"});
  CHECK(a.help);
  CHECK(a.command_path == std::vector<std::string>{"users", "show"});
  CHECK(ok({"users", "show", "--help"}).help);  // missing <user> is fine with --help
  auto bare = ok({"users"});
  CHECK_FALSE(bare.help);
  CHECK(bare.command_path == std::vector<std::string>{"users"});
}

TEST_CASE("usage errors name the problem") {
  env_vars.clear();
  CHECK(bad({"frobnicate"}) == "unknown command \"frobnicate\" for \"coder-node\"");
  CHECK(bad({"users", "rm"}) == "unknown command \"rm\" for \"coder-node users\"");
  CHECK(bad({"users", "list", "--bogus"}) == "unknown flag --bogus for \"coder-node users list\"");
  CHECK(bad({"users", "list", "-x"}) == "unknown flag -x for \"coder-node users list\"");
  CHECK(bad({"users", "list", "-ojson"}) == "unknown flag -ojson");
  CHECK(bad({"users", "list", "--url"}) == "flag --url needs a value <url>");
  CHECK(bad({"users", "list", "--verbose=yes"}) == "flag --verbose takes no value");
  CHECK(bad({"users", "list", "-o", "yaml"}) ==
        "invalid value \"yaml\" for --output: must be one of table, json");
  CHECK(bad({"users", "show"}) == "\"coder-node users show\" needs <user>");
  CHECK(bad({"users", "show", "a", "b"}) ==
        "unexpected argument \"b\" for \"coder-node users show\"");
  CHECK(bad({"users", "list", "extra"}) ==
        "unexpected argument \"extra\" for \"coder-node users list\"");
  CHECK(bad({"login", "--first-user-email"}) == "flag --first-user-email needs a value <email>");
  // A subcommand's flag is unknown before the subcommand is named.
  CHECK(bad({"--first-user-email", "x", "login"}) ==
        "unknown flag --first-user-email for \"coder-node\"");
  auto r = parse_args(test_tree(), {"users", "show", "--nope"}, fake_env);
  CHECK(std::get<usage_error>(r).command_path == std::vector<std::string>{"users", "show"});
}

TEST_CASE("help text lists commands, own flags and inherited flags") {
  auto root = test_tree();
  auto top = help_text(root, {});
  CHECK(top.find("Usage: coder-node <command> [flags]") != std::string::npos);
  CHECK(top.find("  login") != std::string::npos);
  CHECK(top.find("  -o, --output <format>") != std::string::npos);
  CHECK(top.find("(default: table)") != std::string::npos);
  CHECK(top.find("[env: CODER_URL]") != std::string::npos);
  auto show = help_text(root, {"users", "show"});
  CHECK(show.find("Usage: coder-node users show <user> [flags]") != std::string::npos);
  CHECK(show.find("Global flags:") != std::string::npos);
  CHECK(show.find("--url <url>") != std::string::npos);
  CHECK(show.find("-h, --help") != std::string::npos);
}

TEST_CASE("the real command tree: every command parses with --help and has help text") {
  auto root = cli_command_spec();
  std::vector<std::vector<std::string>> paths;
  std::function<void(const command_spec&, std::vector<std::string>)> walk =
      [&](const command_spec& c, std::vector<std::string> path) {
        paths.push_back(path);
        for (const auto& sub : c.subcommands) {
          auto p = path;
          p.push_back(sub.name);
          walk(sub, p);
        }
      };
  walk(root, {});
  CHECK(paths.size() >= 14);
  for (const auto& path : paths) {
    CAPTURE(path.size());
    auto args = path;
    args.push_back("--help");
    auto r = parse_args(root, args, fake_env);
    REQUIRE(std::holds_alternative<parsed_args>(r));
    CHECK(std::get<parsed_args>(r).help);
    auto text = help_text(root, path);
    CHECK(text.rfind("Usage: coder-node", 0) == 0);
    // No flag name is defined twice along a path (the parser would shadow one silently).
    std::set<std::string> names;
    const command_spec* c = &root;
    for (std::size_t i = 0; i <= path.size(); ++i) {
      for (const auto& f : c->flags) CHECK(names.insert(f.name).second);
      if (i < path.size()) c = find_command(root, {path.begin(), path.begin() + i + 1});
    }
  }
}
