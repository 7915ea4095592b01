// coder::terraform::install_provider_mirror: the offline installation of the provider.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "runtime/terraform/provider_mirror.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "terraform_harness.hpp"

using namespace coder::provider::test;
using coder::terraform::install_provider_mirror;
namespace fs = std::filesystem;

namespace {

fs::path write_fake_binary(const fs::path& dir, const std::string& content) {
  const fs::path p = dir / "terraform-provider-coder";
  std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
  return p;
}

}  // namespace

TEST_CASE("the binary lands at Terraform's unpacked-mirror path, executable") {
  TempDir dir;
  const auto m =
      install_provider_mirror(write_fake_binary(dir.path(), "v1"), dir.path() / "mirror", "0.1.0");
  REQUIRE_FALSE(m.error);
  const fs::path expected = dir.path() / "mirror/registry.terraform.io/coder/coder/0.1.0" /
                            coder::terraform::terraform_platform() /
                            "terraform-provider-coder_v0.1.0";
  CHECK(m.provider_binary == expected);
  CHECK(read_text(expected) == "v1");
  struct stat st {};
  REQUIRE(stat(expected.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0755);
  CHECK(m.binary_updated);
  CHECK(m.plugin_cache_dir == dir.path() / "mirror/plugin-cache");
  CHECK(fs::is_directory(m.plugin_cache_dir));
}

TEST_CASE("the CLI config sends coder/coder to the mirror only, and the env points at it") {
  TempDir dir;
  const auto m = install_provider_mirror(write_fake_binary(dir.path(), "v1"), dir.path() / "mirror",
                                         "0.1.0", dir.path() / "cache");
  REQUIRE_FALSE(m.error);
  const std::string config = read_text(m.cli_config_file);
  CHECK(config.find("filesystem_mirror {\n    path    = \"" + (dir.path() / "mirror").string() +
                    "\"") != std::string::npos);
  CHECK(config.find("include = [\"registry.terraform.io/coder/coder\"]") != std::string::npos);
  CHECK(config.find("direct {\n    exclude = [\"registry.terraform.io/coder/coder\"]") !=
        std::string::npos);
  CHECK(config.find("plugin_cache_dir = \"" + (dir.path() / "cache").string() + "\"") !=
        std::string::npos);
  const Env env(m.env.begin(), m.env.end());
  CHECK(env.at("TF_CLI_CONFIG_FILE") == m.cli_config_file.string());
  CHECK(env.at("TF_PLUGIN_CACHE_DIR") == (dir.path() / "cache").string());
  CHECK(env.at("CHECKPOINT_DISABLE") == "1");
}

TEST_CASE("installing the same binary again changes nothing") {
  TempDir dir;
  const fs::path bin = write_fake_binary(dir.path(), "v1");
  const auto first = install_provider_mirror(bin, dir.path() / "mirror", "0.1.0");
  REQUIRE_FALSE(first.error);
  const auto inode = [](const fs::path& p) {
    struct stat st {};
    stat(p.c_str(), &st);
    return st.st_ino;
  };
  const auto binary_inode = inode(first.provider_binary),
             config_inode = inode(first.cli_config_file);
  const auto second = install_provider_mirror(bin, dir.path() / "mirror", "0.1.0");
  REQUIRE_FALSE(second.error);
  CHECK_FALSE(second.binary_updated);
  CHECK(inode(second.provider_binary) == binary_inode);
  CHECK(inode(second.cli_config_file) == config_inode);
}

TEST_CASE("a rebuilt binary replaces the old one and evicts the plugin cache's copy") {
  TempDir dir;
  install_provider_mirror(write_fake_binary(dir.path(), "v1"), dir.path() / "mirror", "0.1.0");
  const fs::path cached =
      dir.path() / "mirror/plugin-cache/registry.terraform.io/coder/coder/0.1.0";
  fs::create_directories(cached);
  const auto m =
      install_provider_mirror(write_fake_binary(dir.path(), "v2"), dir.path() / "mirror", "0.1.0");
  REQUIRE_FALSE(m.error);
  CHECK(m.binary_updated);
  CHECK(read_text(m.provider_binary) == "v2");
  CHECK_FALSE(fs::exists(cached));
}

TEST_CASE("failures are reported as values") {
  TempDir dir;
  const auto missing = install_provider_mirror(dir.path() / "nope", dir.path() / "mirror", "0.1.0");
  REQUIRE(missing.error);
  CHECK(missing.error->find("cannot read the provider binary") != std::string::npos);
  CHECK(missing.env.empty());
  const auto bad_version =
      install_provider_mirror(write_fake_binary(dir.path(), "v1"), dir.path() / "m", "../x");
  CHECK(bad_version.error);
  std::ofstream(dir.path() / "file") << "x";
  const auto not_a_dir = install_provider_mirror(write_fake_binary(dir.path(), "v1"),
                                                 dir.path() / "file/sub", "0.1.0");
  CHECK(not_a_dir.error);
}

TEST_CASE("the bundled version is the provider subproject's") {
  CHECK(coder::terraform::bundled_provider_version() == "0.1.0");
}
