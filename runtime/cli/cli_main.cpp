#include "runtime/cli/cli_main.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <ostream>

#include "runtime/cli/http_transport.hpp"
#include "runtime/cli/login_command.hpp"
#include "runtime/cli/session_commands.hpp"
#include "runtime/cli/tokens_commands.hpp"
#include "runtime/cli/users_commands.hpp"

namespace coder::cli {
namespace {

std::string path_key(const std::vector<std::string>& path) {
  std::string key;
  for (const auto& p : path) key += (key.empty() ? "" : " ") + p;
  return key;
}

const std::map<std::string, command_fn>& command_table() {
  static const std::map<std::string, command_fn> table = {
      {"login", run_login},
      {"logout", run_logout},
      {"whoami", run_whoami},
      {"users list", run_users_list},
      {"users create", run_users_create},
      {"users show", run_users_show},
      {"users suspend", run_users_suspend},
      {"users activate", run_users_activate},
      {"tokens create", run_tokens_create},
      {"tokens list", run_tokens_list},
      {"tokens remove", run_tokens_remove},
  };
  return table;
}

}  // namespace

command_spec cli_command_spec() {
  command_spec root;
  root.name = "coder-node";
  root.summary = "coder-node: self-hosted remote development workspaces.";
  root.description =
      "coder-node: self-hosted remote development workspaces.\n"
      "Run 'coder-node server --help' for the server; the commands below talk to a running one.";
  root.has_action = false;
  root.flags = {
      {"url", 0, "<url>", "URL of the deployment (default: the one saved by login).", "CODER_URL"},
      {"token", 0, "<token>", "Session token or API token (default: the one saved by login).",
       "CODER_SESSION_TOKEN"},
      {"global-config", 0, "<dir>", "Directory for the saved URL and session.", "CODER_CONFIG_DIR",
       "~/.config/coder-node"},
      {"output", 'o', "<format>", "Output format: table or json.", "", "table", {"table", "json"}},
  };
  root.subcommands = {login_command_spec(), logout_command_spec(), whoami_command_spec(),
                      users_command_spec(), tokens_command_spec()};
  return root;
}

int run_cli(const std::vector<std::string>& args, cli_io io, const cli_environment& env) {
  static const command_spec root = cli_command_spec();
  auto parsed = parse_args(root, args, env.env);
  if (auto* error = std::get_if<usage_error>(&parsed)) {
    std::string path = "coder-node";
    for (const auto& p : error->command_path) path += " " + p;
    io.err << "error: " << error->message << "\nRun '" << path << " --help' for usage.\n";
    return exit_usage;
  }
  auto& a = std::get<parsed_args>(parsed);
  const command_spec* cmd = find_command(root, a.command_path);
  if (a.help || !cmd->has_action) {
    io.out << help_text(root, a.command_path);
    return exit_ok;
  }
  auto it = command_table().find(path_key(a.command_path));
  if (it == command_table().end()) {
    io.err << "error: \"" << path_key(a.command_path) << "\" has no implementation\n";
    return exit_failure;
  }
  // "~/.config/coder-node" is the help text's spelling of the default, not a literal path.
  std::optional<std::string> dir;
  if (a.is_set("global-config")) dir = a.value("global-config");
  command_context ctx(a, io, env, config_store(resolve_config_dir(dir, env.env)));
  return it->second(ctx);
}

int run_cli(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  cli_environment env{[](const std::string& name) -> std::optional<std::string> {
                        const char* value = std::getenv(name.c_str());
                        if (!value) return std::nullopt;
                        return std::string(value);
                      },
                      [](const server_url& url) { return make_http_transport(url); }};
  return run_cli(args, cli_io{std::cin, std::cout, std::cerr, ::isatty(STDIN_FILENO) == 1}, env);
}

}  // namespace coder::cli
