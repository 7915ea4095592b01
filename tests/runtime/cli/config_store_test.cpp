#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "runtime/cli/config_store.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace coder::cli;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed afterwards.
struct temp_dir {
  temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "cli-config-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("writing creates the directory 0700 and files 0600, whatever the umask") {
  temp_dir tmp;
  auto old_umask = ::umask(0);  // the most permissive umask must not widen anything
  config_store store(tmp.path / "nested" / "coder-node");
  REQUIRE_FALSE(store.write("session", "abcdeABCDE-0123456789abcdefghijKL"));
  REQUIRE_FALSE(store.write("url", "http://127.0.0.1:3000"));
  ::umask(old_umask);
  CHECK(mode_of(store.dir()) == 0700);
  CHECK(mode_of(store.dir() / "session") == 0600);
  CHECK(mode_of(store.dir() / "url") == 0600);
  CHECK(store.session() == "abcdeABCDE-0123456789abcdefghijKL");
  CHECK(store.url() == "http://127.0.0.1:3000");
  // No temporary files are left behind.
  int entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(store.dir())) ++entries;
  CHECK(entries == 2);
}

TEST_CASE("rewriting replaces a too-open file with a 0600 one") {
  temp_dir tmp;
  config_store store(tmp.path);
  { std::ofstream(tmp.path / "session") << "old"; }
  fs::permissions(tmp.path / "session", fs::perms::all);
  REQUIRE_FALSE(store.write("session", "new"));
  CHECK(mode_of(tmp.path / "session") == 0600);
  CHECK(store.session() == "new");
}

TEST_CASE("an existing directory keeps its mode (it may hold the server's data too)") {
  temp_dir tmp;
  fs::permissions(tmp.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  config_store store(tmp.path);
  REQUIRE_FALSE(store.write("url", "http://x"));
  CHECK(mode_of(tmp.path) == 0750);
}

TEST_CASE("reading: missing, empty and hand-edited files") {
  temp_dir tmp;
  config_store store(tmp.path);
  CHECK_FALSE(store.url());
  { std::ofstream(tmp.path / "url") << ""; }
  CHECK_FALSE(store.url());
  { std::ofstream(tmp.path / "url") << "http://x:1\n"; }
  CHECK(store.url() == "http://x:1");
  { std::ofstream(tmp.path / "url") << "http://x:1\r\n\n"; }
  CHECK(store.url() == "http://x:1");
}

TEST_CASE("remove deletes the file and tolerates a missing one") {
  temp_dir tmp;
  config_store store(tmp.path);
  REQUIRE_FALSE(store.write("session", "t"));
  CHECK_FALSE(store.remove("session"));
  CHECK_FALSE(fs::exists(tmp.path / "session"));
  CHECK_FALSE(store.remove("session"));
}

TEST_CASE("names cannot escape the directory") {
  temp_dir tmp;
  config_store store(tmp.path / "cfg");
  CHECK(store.write("../escape", "x"));
  CHECK(store.write("", "x"));
  CHECK(store.write("..", "x"));
  CHECK_FALSE(store.read("../escape"));
  CHECK_FALSE(fs::exists(tmp.path / "escape"));
}

TEST_CASE("write errors are reported, not thrown") {
  temp_dir tmp;
  { std::ofstream(tmp.path / "file") << "x"; }
  config_store store(tmp.path / "file");  // a regular file where the directory should be
  auto err = store.write("session", "t");
  REQUIRE(err);
  CHECK(err->find((tmp.path / "file").string()) != std::string::npos);
}

TEST_CASE("config dir resolution: flag (or CODER_CONFIG_DIR, folded in by the parser), then HOME") {
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "HOME") return "/home/alice";
    return std::nullopt;
  };
  CHECK(resolve_config_dir(std::string("/tmp/cfg"), env) == fs::path("/tmp/cfg"));
  CHECK(resolve_config_dir(std::nullopt, env) == fs::path("/home/alice/.config/coder-node"));
  CHECK(resolve_config_dir(std::string(), env) == fs::path("/home/alice/.config/coder-node"));
  auto no_home = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  CHECK(resolve_config_dir(std::nullopt, no_home).filename() == "coder-node");
}
