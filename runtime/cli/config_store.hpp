// Where the CLI keeps its login: a directory (default ~/.config/coder-node, or --global-config /
// CODER_CONFIG_DIR) holding `url` and `session`, one value each, no trailing newline (the layout
// of Coder's CLI config). The session file is a bearer credential: the directory is created 0700
// and every file is written 0600 through a temporary file and rename, so a crash never leaves a
// half-written or world-readable token behind.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/cli/args.hpp"

namespace coder::cli {

// --global-config (already folded with CODER_CONFIG_DIR by the parser) wins; else
// $HOME/.config/coder-node (HOME from the env lookup, else the password database).
std::filesystem::path resolve_config_dir(const std::optional<std::string>& explicit_dir,
                                         const env_lookup& env);

class config_store {
 public:
  explicit config_store(std::filesystem::path dir) : dir_(std::move(dir)) {}

  const std::filesystem::path& dir() const { return dir_; }

  // nullopt when the file does not exist or is empty; a trailing newline (hand-edited file) is
  // ignored.
  std::optional<std::string> read(std::string_view name) const;
  // Creates the directory (0700) when missing and atomically replaces the file with mode 0600.
  // Returns an error message on failure.
  std::optional<std::string> write(std::string_view name, std::string_view value) const;
  // Removes the file; a missing file is not an error.
  std::optional<std::string> remove(std::string_view name) const;

  std::optional<std::string> url() const { return read("url"); }
  std::optional<std::string> session() const { return read("session"); }

 private:
  std::filesystem::path dir_;
};

}  // namespace coder::cli
