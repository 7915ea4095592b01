#include "runtime/node/provider_command.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "runtime/terraform/provider_mirror.hpp"

namespace coder::node {

std::string find_bundled_provider_binary() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  auto dir = self.parent_path();
  for (auto candidate : {dir / "terraform-provider-coder",
                         dir / "../../subprojects/terraform-provider-coder/terraform-provider-coder",
                         dir / "subprojects/terraform-provider-coder/terraform-provider-coder"}) {
    if (std::filesystem::is_regular_file(candidate, ec))
      return std::filesystem::weakly_canonical(candidate, ec).string();
  }
  return {};
}

int run_provider_command(const std::vector<std::string>& args) {
  const char* usage =
      "Usage: coder-node provider install-mirror <dir> [--provider-binary PATH]\n\n"
      "Installs terraform-provider-coder into an offline filesystem mirror and writes\n"
      "<dir>/terraform.tfrc; run terraform with the printed environment.\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "install-mirror") {
    std::cerr << "error: unknown provider command '" << args[0] << "'\n" << usage;
    return 2;
  }
  std::string dir;
  std::string binary;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--provider-binary" && i + 1 < args.size()) {
      binary = args[++i];
    } else if (args[i].rfind("--", 0) == 0) {
      std::cerr << "error: unknown flag " << args[i] << "\n" << usage;
      return 2;
    } else if (dir.empty()) {
      dir = args[i];
    } else {
      std::cerr << "error: unexpected argument " << args[i] << "\n" << usage;
      return 2;
    }
  }
  if (dir.empty()) {
    std::cerr << "error: missing <dir>\n" << usage;
    return 2;
  }
  if (binary.empty()) binary = find_bundled_provider_binary();
  if (binary.empty()) {
    std::cerr << "error: cannot find terraform-provider-coder beside coder-node; pass "
                 "--provider-binary\n";
    return 1;
  }
  auto mirror = terraform::install_provider_mirror(
      binary, std::filesystem::absolute(dir), terraform::bundled_provider_version());
  if (mirror.error) {
    std::cerr << "error: " << *mirror.error << "\n";
    return 1;
  }
  std::cout << "# terraform-provider-coder " << terraform::bundled_provider_version()
            << (mirror.binary_updated ? " installed" : " already installed") << " in "
            << mirror.provider_binary.string() << "\n";
  for (const auto& [k, v] : mirror.env) std::cout << "export " << k << "=" << v << "\n";
  return 0;
}

}  // namespace coder::node
