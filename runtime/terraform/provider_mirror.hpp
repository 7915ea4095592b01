// Offline installation of terraform-provider-coder: lays the binary out as an unpacked
// filesystem mirror that `terraform init` reads instead of the registry, and writes the CLI
// configuration that points Terraform at it (and at a shared plugin cache). The provisioner runs
// every job with the returned environment; `coder-node provider install-mirror <dir>` calls it
// once. Plain C++ (no CAF): it does blocking file I/O, so actors call it off the scheduler.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coder::terraform {

// The provider's address in configurations (`source = "coder/coder"`).
inline constexpr std::string_view provider_address = "registry.terraform.io/coder/coder";

struct ProviderMirror {
  std::filesystem::path mirror_dir;  // the filesystem_mirror root
  std::filesystem::path
      provider_binary;  // .../coder/coder/<version>/<os_arch>/terraform-provider-coder_v<version>
  std::filesystem::path cli_config_file;   // the .tfrc to pass as TF_CLI_CONFIG_FILE
  std::filesystem::path plugin_cache_dir;  // TF_PLUGIN_CACHE_DIR
  bool binary_updated = false;             // false when an identical binary was already there
  // Environment for every terraform process: TF_CLI_CONFIG_FILE, TF_PLUGIN_CACHE_DIR,
  // CHECKPOINT_DISABLE (no version check against HashiCorp's servers).
  std::vector<std::pair<std::string, std::string>> env;
  std::optional<std::string> error;  // set when installation failed; then the rest is unusable
};

// Installs `provider_binary` (the built terraform-provider-coder) as version `version` into
// `mirror_dir` and writes `<mirror_dir>/terraform.tfrc`. `plugin_cache_dir` defaults to
// `<mirror_dir>/plugin-cache`. Idempotent and safe to repeat: an identical binary is left alone
// (so lock files and running terraform processes keep working); a changed one replaces the
// old atomically and evicts the plugin cache's copy of that version. Never throws.
ProviderMirror install_provider_mirror(const std::filesystem::path& provider_binary,
                                       const std::filesystem::path& mirror_dir,
                                       std::string_view version,
                                       const std::filesystem::path& plugin_cache_dir = {});

// The version of the terraform-provider-coder built with this coder-node (from the provider
// subproject's project() version).
std::string_view bundled_provider_version();

// Terraform's platform name for this machine, e.g. "linux_amd64".
std::string terraform_platform();

}  // namespace coder::terraform
