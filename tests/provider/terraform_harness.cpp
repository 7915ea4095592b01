#include "terraform_harness.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include "runtime/terraform/provider_mirror.hpp"

extern char** environ;

namespace coder::provider::test {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TempDir::TempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed: " + std::string(strerror(errno)));
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

RunResult run_process(const std::vector<std::string>& argv, const fs::path& cwd, const Env& env) {
  TempDir io("coder-provider-run");
  const fs::path out_path = io.path() / "stdout", err_path = io.path() / "stderr";

  std::vector<std::string> envs;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string kv = *e;
    const std::string key = kv.substr(0, kv.find('='));
    if (key.rfind("TF_", 0) == 0 || key.rfind("CODER_", 0) == 0 || env.count(key)) continue;
    envs.push_back(kv);
  }
  for (const auto& [k, v] : env) envs.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  RunResult r;
  if (rc != 0) {
    r.err = "cannot start " + argv[0] + ": " + strerror(rc);
    return r;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  return r;
}

fs::path required_path_from_env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0')
    throw std::runtime_error(std::string(name) + " is not set: run this test through `meson test`");
  return v;
}

std::string terraform_binary() {
  static const std::string path = [] {
    const char* path_env = std::getenv("PATH");
    std::string paths = path_env ? path_env : "/usr/local/bin:/usr/bin";
    std::size_t start = 0;
    while (start <= paths.size()) {
      const std::size_t end = paths.find(':', start);
      const fs::path candidate = fs::path(paths.substr(start, end - start)) / "terraform";
      if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return std::string();
  }();
  if (path.empty())
    throw std::runtime_error(
        "terraform is not installed (not found in PATH); the provider tests need the real "
        "terraform — see docs/provider.md");
  return path;
}

const Env& mirror_env() {
  static TempDir root("coder-provider-mirror");
  static const Env env = [] {
    const auto mirror = coder::terraform::install_provider_mirror(
        required_path_from_env("PROVIDER_EXE"), root.path() / "mirror",
        coder::terraform::bundled_provider_version(), root.path() / "plugin-cache");
    if (mirror.error)
      throw std::runtime_error("installing the provider mirror failed: " + *mirror.error);
    Env e(mirror.env.begin(), mirror.env.end());
    e["TF_IN_AUTOMATION"] = "1";
    e["TF_INPUT"] = "0";
    return e;
  }();
  return env;
}

TerraformDir::TerraformDir() : dir_(std::make_shared<TempDir>("coder-provider-tf")) {}

TerraformDir::TerraformDir(const fs::path& template_dir) : TerraformDir() {
  for (const auto& entry : fs::directory_iterator(template_dir))
    if (entry.path().extension() == ".tf")
      fs::copy_file(entry.path(), path() / entry.path().filename());
}

TerraformDir TerraformDir::from_source(const std::string& main_tf) {
  TerraformDir d;
  std::ofstream(d.path() / "main.tf") << main_tf;
  return d;
}

RunResult TerraformDir::terraform(const std::vector<std::string>& args, const Env& env) const {
  std::vector<std::string> argv{terraform_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  Env full = mirror_env();
  for (const auto& [k, v] : env) full[k] = v;
  return run_process(argv, path(), full);
}

RunResult TerraformDir::init() const {
  return terraform({"init", "-input=false", "-no-color"});
}
RunResult TerraformDir::plan(const Env& env) const {
  return terraform({"plan", "-input=false", "-no-color", "-detailed-exitcode"}, env);
}
RunResult TerraformDir::apply(const Env& env) const {
  return terraform({"apply", "-input=false", "-no-color", "-auto-approve"}, env);
}
RunResult TerraformDir::destroy(const Env& env) const {
  return terraform({"destroy", "-input=false", "-no-color", "-auto-approve"}, env);
}
std::string TerraformDir::show_json(const Env& env) const {
  return terraform({"show", "-json"}, env).out;
}
std::string TerraformDir::output_json(const Env& env) const {
  return terraform({"output", "-json"}, env).out;
}

}  // namespace coder::provider::test
