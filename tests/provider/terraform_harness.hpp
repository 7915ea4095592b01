// Test support for running the real terraform against terraform-provider-coder, offline:
// the provider is installed once per test process into a filesystem mirror under a temporary
// directory, and every terraform process gets that mirror's CLI config and nothing from the
// caller's TF_* / CODER_* environment.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace coder::provider::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string all() const { return out + err; }
};

using Env = std::map<std::string, std::string>;

// Runs argv[0] (looked up in PATH) in `cwd` with the current environment minus TF_* and CODER_*
// variables, plus `env`. Output goes through files, so large outputs cannot deadlock.
RunResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                      const Env& env);

// Path of a required environment variable set by meson (fails the test when absent).
std::filesystem::path required_path_from_env(const char* name);

// The terraform binary; throws (failing the test) when it is not installed.
std::string terraform_binary();

// The shared offline installation: TF_CLI_CONFIG_FILE, TF_PLUGIN_CACHE_DIR, CHECKPOINT_DISABLE.
const Env& mirror_env();

// A fresh temporary directory, removed on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "coder-provider-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A working directory holding a copy of a template's *.tf files.
class TerraformDir {
 public:
  explicit TerraformDir(const std::filesystem::path& template_dir);
  // A directory with a single main.tf holding `main_tf`.
  static TerraformDir from_source(const std::string& main_tf);

  RunResult terraform(const std::vector<std::string>& args, const Env& env = {}) const;
  RunResult init() const;
  RunResult plan(const Env& env = {}) const;  // -detailed-exitcode: 0 no changes, 2 changes
  RunResult apply(const Env& env = {}) const;
  RunResult destroy(const Env& env = {}) const;
  std::string show_json(const Env& env = {}) const;
  std::string output_json(const Env& env = {}) const;
  const std::filesystem::path& path() const { return dir_->path(); }

 private:
  TerraformDir();
  std::shared_ptr<TempDir> dir_;
};

std::string read_text(const std::filesystem::path& path);

}  // namespace coder::provider::test
