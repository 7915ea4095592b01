#include "provider_mirror.hpp"

#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <system_error>

namespace coder::terraform {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes through a temporary file and rename, so a concurrent terraform never sees half a file.
std::optional<std::string> write_atomically(const fs::path& path, const std::string& content,
                                            fs::perms perms) {
  const fs::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return "cannot write " + tmp.string();
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.flush()) return "cannot write " + tmp.string();
  }
  std::error_code ec;
  fs::permissions(tmp, perms, ec);
  if (!ec) fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp);
    return "cannot install " + path.string() + ": " + ec.message();
  }
  return std::nullopt;
}

// An HCL string literal: quotes and backslashes escaped, template sequences disarmed.
std::string hcl_string(const std::string& s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"' || c == '\\') out += '\\';
    if ((c == '$' || c == '%') && i + 1 < s.size() && s[i + 1] == '{') out += c;
    out += c;
  }
  return out + "\"";
}

std::string cli_config(const fs::path& mirror_dir, const fs::path& cache_dir) {
  const std::string address = hcl_string(std::string(provider_address));
  std::string c;
  c +=
      "# Written by coder-node: terraform-provider-coder comes from the local filesystem mirror,\n";
  c += "# never from a registry. Other providers install as usual.\n";
  c += "disable_checkpoint = true\n";
  c += "plugin_cache_dir = " + hcl_string(cache_dir.string()) + "\n";
  c += "provider_installation {\n";
  c += "  filesystem_mirror {\n";
  c += "    path    = " + hcl_string(mirror_dir.string()) + "\n";
  c += "    include = [" + address + "]\n";
  c += "  }\n";
  c += "  direct {\n";
  c += "    exclude = [" + address + "]\n";
  c += "  }\n";
  c += "}\n";
  return c;
}

}  // namespace

std::string_view bundled_provider_version() {
  return CODER_PROVIDER_VERSION;
}

std::string terraform_platform() {
  struct utsname u {};
  std::string os = "linux", arch = "amd64";
  if (uname(&u) == 0) {
    const std::string machine = u.machine;
    if (machine == "aarch64" || machine == "arm64")
      arch = "arm64";
    else if (machine.rfind("arm", 0) == 0)
      arch = "arm";
    else if (machine == "i386" || machine == "i686")
      arch = "386";
    std::string sys = u.sysname;
    if (sys == "Darwin") os = "darwin";
    if (sys == "FreeBSD") os = "freebsd";
  }
  return os + "_" + arch;
}

ProviderMirror install_provider_mirror(const fs::path& provider_binary, const fs::path& mirror_dir,
                                       std::string_view version, const fs::path& plugin_cache_dir) {
  ProviderMirror m;
  std::error_code ec;
  if (version.empty() || version.find_first_of("/\\ ") != std::string_view::npos) {
    m.error = "invalid provider version \"" + std::string(version) + "\"";
    return m;
  }
  m.mirror_dir = fs::absolute(mirror_dir, ec);
  if (ec) {
    m.error = "invalid mirror directory " + mirror_dir.string() + ": " + ec.message();
    return m;
  }
  m.plugin_cache_dir =
      plugin_cache_dir.empty() ? m.mirror_dir / "plugin-cache" : fs::absolute(plugin_cache_dir, ec);
  m.cli_config_file = m.mirror_dir / "terraform.tfrc";
  const std::string ver(version);
  const fs::path version_dir = m.mirror_dir / std::string(provider_address) / ver;
  m.provider_binary = version_dir / terraform_platform() / ("terraform-provider-coder_v" + ver);

  auto binary = read_file(provider_binary);
  if (!binary || binary->empty()) {
    m.error = "cannot read the provider binary " + provider_binary.string() +
              " (build terraform-provider-coder first, or pass its path)";
    return m;
  }
  fs::create_directories(m.provider_binary.parent_path(), ec);
  if (!ec) fs::create_directories(m.plugin_cache_dir, ec);
  if (ec) {
    m.error = "cannot create " + m.provider_binary.parent_path().string() + " or " +
              m.plugin_cache_dir.string() + ": " + ec.message();
    return m;
  }

  // Terraform's lock files pin the binary's hash: rewriting identical bytes is harmless, but
  // skipping it keeps the file's identity for terraform processes that are running it now.
  if (read_file(m.provider_binary) != binary) {
    if (auto err =
            write_atomically(m.provider_binary, *binary,
                             fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec)) {
      m.error = err;
      return m;
    }
    m.binary_updated = true;
    // The plugin cache would otherwise keep serving the old build of this version.
    fs::remove_all(m.plugin_cache_dir / std::string(provider_address) / ver, ec);
  }

  const std::string config = cli_config(m.mirror_dir, m.plugin_cache_dir);
  if (read_file(m.cli_config_file) != config) {
    if (auto err = write_atomically(m.cli_config_file, config,
                                    fs::perms::owner_read | fs::perms::owner_write |
                                        fs::perms::group_read | fs::perms::others_read)) {
      m.error = err;
      return m;
    }
  }

  m.env = {
      {"TF_CLI_CONFIG_FILE", m.cli_config_file.string()},
      {"TF_PLUGIN_CACHE_DIR", m.plugin_cache_dir.string()},
      {"CHECKPOINT_DISABLE", "1"},
  };
  return m;
}

}  // namespace coder::terraform
