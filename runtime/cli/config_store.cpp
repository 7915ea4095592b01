#include "runtime/cli/config_store.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace coder::cli {
namespace {

std::string errno_text(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

// Only plain names: the store never writes outside its directory.
bool valid_name(std::string_view name) {
  return !name.empty() && name.find('/') == std::string_view::npos && name != "." && name != "..";
}

std::optional<std::string> make_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return std::nullopt;
  // Parents (e.g. ~/.config) get ordinary permissions; only our own directory is private.
  if (dir.has_parent_path()) {
    std::filesystem::create_directories(dir.parent_path(), ec);
    if (ec) return "create " + dir.parent_path().string() + ": " + ec.message();
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return errno_text("create", dir);
  return std::nullopt;
}

}  // namespace

std::filesystem::path resolve_config_dir(const std::optional<std::string>& explicit_dir,
                                         const env_lookup& env) {
  if (explicit_dir && !explicit_dir->empty()) return *explicit_dir;
  std::string home;
  if (env) {
    if (auto h = env("HOME"); h && !h->empty()) home = *h;
  }
  if (home.empty()) {
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) home = pw->pw_dir;
  }
  if (home.empty()) home = ".";
  return std::filesystem::path(home) / ".config" / "coder-node";
}

std::optional<std::string> config_store::read(std::string_view name) const {
  if (!valid_name(name)) return std::nullopt;
  std::ifstream in(dir_ / std::string(name), std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string value = buffer.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  if (value.empty()) return std::nullopt;
  return value;
}

std::optional<std::string> config_store::write(std::string_view name,
                                               std::string_view value) const {
  if (!valid_name(name)) return "invalid config file name \"" + std::string(name) + "\"";
  if (auto err = make_private_dir(dir_)) return err;
  auto target = dir_ / std::string(name);
  auto temp = dir_ / ("." + std::string(name) + ".tmp." + std::to_string(::getpid()));
  // O_EXCL + 0600 at creation: the secret is never readable by others, not even briefly.
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return errno_text("create", temp);
  std::size_t written = 0;
  while (written < value.size()) {
    ssize_t n = ::write(fd, value.data() + written, value.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto err = errno_text("write", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return err;
    }
    written += static_cast<std::size_t>(n);
  }
  // A umask cannot widen 0600, but an inherited ACL default could; pin the mode explicitly.
  if (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
    auto err = errno_text("write", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return err;
  }
  ::close(fd);
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    auto err = errno_text("replace", target);
    ::unlink(temp.c_str());
    return err;
  }
  return std::nullopt;
}

std::optional<std::string> config_store::remove(std::string_view name) const {
  if (!valid_name(name)) return "invalid config file name \"" + std::string(name) + "\"";
  auto path = dir_ / std::string(name);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return errno_text("remove", path);
  return std::nullopt;
}

}  // namespace coder::cli
