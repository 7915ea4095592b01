#include "runtime/cli/args.hpp"

#include <algorithm>
#include <sstream>

namespace coder::cli {
namespace {

constexpr std::string_view program = "coder-node";

std::string command_name(const std::vector<std::string>& path) {
  std::string out(program);
  for (const auto& p : path) out += " " + p;
  return out;
}

// The specs from the root down to the command at path (path must exist).
std::vector<const command_spec*> chain_of(const command_spec& root,
                                          const std::vector<std::string>& path) {
  std::vector<const command_spec*> chain{&root};
  for (const auto& name : path) {
    const auto& subs = chain.back()->subcommands;
    auto it = std::find_if(subs.begin(), subs.end(), [&](auto& c) { return c.name == name; });
    if (it == subs.end()) return {};
    chain.push_back(&*it);
  }
  return chain;
}

const flag_spec* find_flag(const std::vector<const command_spec*>& chain, std::string_view name,
                           char short_name) {
  // Innermost first, so a subcommand may specialise an inherited flag's help or default.
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (const auto& f : (*it)->flags) {
      if (!name.empty() && f.name == name) return &f;
      if (short_name != 0 && f.short_name == short_name) return &f;
    }
  }
  return nullptr;
}

std::string flag_display(const flag_spec& f) {
  return "--" + f.name;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::optional<std::string> check_choice(const flag_spec& f, const std::string& value) {
  if (f.choices.empty() || std::find(f.choices.begin(), f.choices.end(), value) != f.choices.end())
    return std::nullopt;
  return "invalid value \"" + value + "\" for " + flag_display(f) + ": must be one of " +
         join(f.choices, ", ");
}

void append_flag_lines(std::ostringstream& out, const std::vector<const flag_spec*>& flags) {
  std::vector<std::pair<std::string, std::string>> lines;
  std::size_t width = 0;
  for (const auto* f : flags) {
    std::string left = f->short_name ? std::string("-") + f->short_name + ", " : "    ";
    left += "--" + f->name;
    if (f->takes_value()) left += " " + f->value_name;
    std::string right = f->help;
    if (!f->default_value.empty()) right += " (default: " + f->default_value + ")";
    if (!f->env.empty()) right += " [env: " + f->env + "]";
    width = std::max(width, left.size());
    lines.emplace_back(std::move(left), std::move(right));
  }
  for (const auto& [left, right] : lines)
    out << "  " << left << std::string(width - left.size() + 3, ' ') << right << "\n";
}

}  // namespace

std::optional<std::string> parsed_args::value(const std::string& flag) const {
  if (auto it = values.find(flag); it != values.end()) return it->second;
  if (auto it = defaults.find(flag); it != defaults.end()) return it->second;
  return std::nullopt;
}

std::string parsed_args::value_or(const std::string& flag, const std::string& fallback) const {
  auto v = value(flag);
  return v ? *v : fallback;
}

bool parsed_args::is_set(const std::string& flag) const {
  return values.count(flag) > 0;
}

std::variant<parsed_args, usage_error> parse_args(const command_spec& root,
                                                  const std::vector<std::string>& args,
                                                  const env_lookup& env) {
  parsed_args out;
  std::vector<const command_spec*> chain{&root};
  auto fail = [&](std::string message) {
    return usage_error{std::move(message), out.command_path};
  };
  bool flags_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    bool is_long = !flags_done && arg.size() > 2 && arg.compare(0, 2, "--") == 0;
    bool is_short = !flags_done && !is_long && arg.size() > 1 && arg[0] == '-' && arg != "--";
    if (!flags_done && arg == "--") {
      flags_done = true;
      continue;
    }
    if (is_long || is_short) {
      std::string name;
      std::optional<std::string> inline_value;
      if (is_long) {
        auto eq = arg.find('=');
        name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        if (eq != std::string::npos) inline_value = arg.substr(eq + 1);
      } else {
        // "-o json" or "-o=json"; clustered short flags are not needed by any command.
        if (arg.size() > 2 && arg[2] != '=') return fail("unknown flag " + arg);
        if (arg.size() > 2) inline_value = arg.substr(3);
      }
      if (name == "help" || (is_short && arg[1] == 'h')) {
        out.help = true;
        continue;
      }
      const flag_spec* f = is_long ? find_flag(chain, name, 0) : find_flag(chain, {}, arg[1]);
      if (!f) {
        return fail("unknown flag " + (is_long ? "--" + name : arg.substr(0, 2)) + " for \"" +
                    command_name(out.command_path) + "\"");
      }
      if (!f->takes_value()) {
        if (inline_value) return fail("flag " + flag_display(*f) + " takes no value");
        out.values[f->name] = "true";
        continue;
      }
      std::string value;
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return fail("flag " + flag_display(*f) + " needs a value " + f->value_name);
      }
      if (auto err = check_choice(*f, value)) return fail(*err);
      out.values[f->name] = std::move(value);
      continue;
    }
    // A bare word: a subcommand while we have not seen positionals, else a positional.
    const command_spec* current = chain.back();
    if (!flags_done && out.positionals.empty() && !current->subcommands.empty()) {
      auto it = std::find_if(current->subcommands.begin(), current->subcommands.end(),
                             [&](auto& c) { return c.name == arg; });
      if (it != current->subcommands.end()) {
        chain.push_back(&*it);
        out.command_path.push_back(arg);
        continue;
      }
      if (!current->has_action) {
        return fail("unknown command \"" + arg + "\" for \"" + command_name(out.command_path) +
                    "\"");
      }
    }
    out.positionals.push_back(arg);
  }

  // Environment fallbacks and defaults, for every flag visible to the chosen command.
  for (const auto* spec : chain) {
    for (const auto& f : spec->flags) {
      if (!out.values.count(f.name) && !f.env.empty() && env) {
        if (auto v = env(f.env); v && !v->empty()) {
          if (auto err = check_choice(f, *v)) return fail(*err + " (from " + f.env + ")");
          out.values[f.name] = *v;
        }
      }
      if (!f.default_value.empty()) out.defaults.emplace(f.name, f.default_value);
    }
  }
  if (out.help) return out;

  const command_spec* current = chain.back();
  if (!current->has_action) return out;  // the caller shows this group's help
  if (out.positionals.size() > current->max_positionals) {
    return fail("unexpected argument \"" + out.positionals[current->max_positionals] + "\" for \"" +
                command_name(out.command_path) + "\"");
  }
  if (out.positionals.size() < current->min_positionals) {
    return fail("\"" + command_name(out.command_path) + "\" needs " +
                (current->positional_usage.empty() ? std::string("more arguments")
                                                   : current->positional_usage));
  }
  return out;
}

const command_spec* find_command(const command_spec& root, const std::vector<std::string>& path) {
  auto chain = chain_of(root, path);
  return chain.empty() ? nullptr : chain.back();
}

std::string help_text(const command_spec& root, const std::vector<std::string>& path) {
  auto chain = chain_of(root, path);
  if (chain.empty()) chain = {&root};
  const command_spec& cmd = *chain.back();
  std::ostringstream out;
  out << "Usage: " << command_name(path);
  if (!cmd.subcommands.empty()) out << " <command>";
  if (!cmd.positional_usage.empty()) out << " " << cmd.positional_usage;
  out << " [flags]\n\n";
  out << (cmd.description.empty() ? cmd.summary : cmd.description) << "\n";
  if (!cmd.subcommands.empty()) {
    out << "\nCommands:\n";
    std::size_t width = 0;
    for (const auto& sub : cmd.subcommands) width = std::max(width, sub.name.size());
    for (const auto& sub : cmd.subcommands)
      out << "  " << sub.name << std::string(width - sub.name.size() + 3, ' ') << sub.summary
          << "\n";
  }
  std::vector<const flag_spec*> own;
  for (const auto& f : cmd.flags) own.push_back(&f);
  std::vector<const flag_spec*> inherited;
  for (std::size_t k = 0; k + 1 < chain.size(); ++k) {
    for (const auto& f : chain[k]->flags) {
      bool shadowed =
          std::any_of(own.begin(), own.end(), [&](auto* o) { return o->name == f.name; });
      if (!shadowed) inherited.push_back(&f);
    }
  }
  static const flag_spec help_flag{"help", 'h', "", "Show help for this command."};
  if (chain.size() == 1)
    own.push_back(&help_flag);
  else
    inherited.push_back(&help_flag);
  if (!own.empty()) {
    out << "\nFlags:\n";
    append_flag_lines(out, own);
  }
  if (!inherited.empty()) {
    out << "\nGlobal flags:\n";
    append_flag_lines(out, inherited);
  }
  if (!cmd.subcommands.empty()) {
    out << "\nRun \"" << command_name(path) << " <command> --help\" for a command's flags.\n";
  }
  return out.str();
}

}  // namespace coder::cli
