// A small command-line parser for the user CLI: a tree of commands, each with flags and a number
// of positional arguments. Flags of a command apply to all its subcommands (so the root's --url
// works after `users list`), may be given as `--name value`, `--name=value` or `-n value`, and may
// fall back to an environment variable. Parsing is pure — argv and an env lookup in, a result or a
// usage error out — so every rule is a unit test.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace coder::cli {

using env_lookup = std::function<std::optional<std::string>(const std::string&)>;

struct flag_spec {
  flag_spec(std::string name_in, char short_in, std::string value_name_in, std::string help_in,
            std::string env_in = {}, std::string default_in = {},
            std::vector<std::string> choices_in = {})
      : name(std::move(name_in)),
        short_name(short_in),
        value_name(std::move(value_name_in)),
        help(std::move(help_in)),
        env(std::move(env_in)),
        default_value(std::move(default_in)),
        choices(std::move(choices_in)) {}

  std::string name;        // long name without dashes: "url"
  char short_name = 0;     // 'o' for -o; 0 for none
  std::string value_name;  // "<url>"; empty for a boolean flag that takes no value
  std::string help;
  std::string env;                   // environment fallback, e.g. "CODER_URL"; empty for none
  std::string default_value;         // shown in help and returned when nothing else is set
  std::vector<std::string> choices;  // allowed values; empty = any
  bool takes_value() const { return !value_name.empty(); }
};

struct command_spec {
  std::string name;
  std::string summary;           // one line, shown in the parent's command list
  std::string description;       // longer text for this command's help; may be empty
  std::string positional_usage;  // e.g. "<url>", shown after the command path
  std::size_t min_positionals = 0;
  std::size_t max_positionals = 0;
  std::vector<flag_spec> flags;
  std::vector<command_spec> subcommands;
  // A command with subcommands but no action of its own prints its help when run bare.
  bool has_action = true;
};

struct parsed_args {
  std::vector<std::string> command_path;  // e.g. {"users", "list"}; empty for the root
  std::vector<std::string> positionals;
  bool help = false;

  // Value of a flag: the command line, else its env variable, else its default; nullopt if none.
  std::optional<std::string> value(const std::string& flag) const;
  std::string value_or(const std::string& flag, const std::string& fallback) const;
  // True when the flag was given on the command line or through its environment variable.
  bool is_set(const std::string& flag) const;

  std::map<std::string, std::string> values;    // from argv or env
  std::map<std::string, std::string> defaults;  // from flag_spec::default_value
};

struct usage_error {
  std::string message;
  std::vector<std::string> command_path;  // the command whose help the user should read
};

std::variant<parsed_args, usage_error> parse_args(const command_spec& root,
                                                  const std::vector<std::string>& args,
                                                  const env_lookup& env);

// The command at `path` under root (nullptr when there is none).
const command_spec* find_command(const command_spec& root, const std::vector<std::string>& path);

// Help for the command at `path`: usage line, description, subcommands, its own flags and the
// flags it inherits.
std::string help_text(const command_spec& root, const std::vector<std::string>& path);

}  // namespace coder::cli
