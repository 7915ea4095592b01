// The go-plugin launch contract of terraform-provider-coder, checked against the binary.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>

#include "terraform_harness.hpp"

using namespace coder::provider::test;
namespace fs = std::filesystem;

namespace {

const std::string cookie = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

// A provider process started the way Terraform starts it, with its stdout on a pipe.
class LaunchedProvider {
 public:
  explicit LaunchedProvider(const Env& env) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    const std::string exe = required_path_from_env("PROVIDER_EXE").string();
    std::vector<std::string> envs;
    for (const auto& [k, v] : env) envs.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : envs) envp.push_back(e.data());
    envp.push_back(nullptr);
    char* argv[] = {const_cast<char*>(exe.c_str()), nullptr};
    REQUIRE(posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv, envp.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_ = fds[0];
  }
  ~LaunchedProvider() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(out_);
  }

  // The first line on stdout, waiting at most 10 s.
  std::string handshake() {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      const ssize_t n = read(out_, buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<std::size_t>(n));
    }
    return line;
  }

  // Exit status after `sig`, waiting at most 5 s (-1 on timeout).
  int stop_with(int sig) {
    kill(pid_, sig);
    for (int i = 0; i < 50; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      usleep(100 * 1000);
    }
    return -1;
  }

  void signal(int sig) { kill(pid_, sig); }
  bool running() { return waitpid(pid_, nullptr, WNOHANG) == 0; }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return parts;
}

}  // namespace

TEST_CASE("run by hand, without the magic cookie, it explains itself and exits 1") {
  RunResult r =
      run_process({required_path_from_env("PROVIDER_EXE").string()}, fs::current_path(), {});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("is a Terraform provider plugin") != std::string::npos);
  CHECK(r.err.find("TF_PLUGIN_MAGIC_COOKIE") != std::string::npos);
  CHECK(r.err.find("install-mirror") != std::string::npos);
}

TEST_CASE("a Terraform that offers only protocol 5 is told that 6 is needed") {
  RunResult r =
      run_process({required_path_from_env("PROVIDER_EXE").string()}, fs::current_path(),
                  {{"TF_PLUGIN_MAGIC_COOKIE", cookie}, {"PLUGIN_PROTOCOL_VERSIONS", "5"}});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("protocol 6") != std::string::npos);
}

TEST_CASE("--version prints the provider version") {
  RunResult r = run_process({required_path_from_env("PROVIDER_EXE").string(), "--version"},
                            fs::current_path(), {});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "terraform-provider-coder 0.1.0\n");
}

TEST_CASE("launched by Terraform it prints the handshake line and serves a private Unix socket") {
  LaunchedProvider p({{"TF_PLUGIN_MAGIC_COOKIE", cookie}, {"PLUGIN_PROTOCOL_VERSIONS", "5,6"}});
  const std::string line = p.handshake();
  REQUIRE(std::regex_match(line, std::regex(R"(1\|6\|unix\|/[^|]+\|grpc\|\n)")));
  const fs::path socket = split(line, '|')[3];
  CHECK(fs::is_socket(socket));
  // Only our user may reach the socket's directory.
  CHECK((fs::status(socket.parent_path()).permissions() & fs::perms::others_all) ==
        fs::perms::none);
  // Ctrl-C reaches providers through the process group: it must not kill the provider.
  p.signal(SIGINT);
  usleep(300 * 1000);
  CHECK(p.running());
  CHECK(p.stop_with(SIGTERM) == 0);
  CHECK_FALSE(fs::exists(socket.parent_path()));
}

TEST_CASE("with PLUGIN_CLIENT_CERT it serves TLS with a fresh localhost certificate") {
  TempDir dir;
  RunResult gen = run_process(
      {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
       "-subj", "/CN=localhost", "-days", "1", "-keyout", (dir.path() / "key.pem").string(), "-out",
       (dir.path() / "cert.pem").string()},
      dir.path(), {});
  REQUIRE_MESSAGE(gen.exit_code == 0, gen.err);
  LaunchedProvider p({{"TF_PLUGIN_MAGIC_COOKIE", cookie},
                      {"PLUGIN_PROTOCOL_VERSIONS", "6"},
                      {"PLUGIN_CLIENT_CERT", read_text(dir.path() / "cert.pem")}});
  const std::string line = p.handshake();
  const auto parts = split(line.substr(0, line.size() - 1), '|');
  REQUIRE(parts.size() == 6);
  const std::string b64 = parts[5];
  REQUIRE_FALSE(b64.empty());
  CHECK(b64.find('=') == std::string::npos);  // Go's RawStdEncoding: no padding

  std::string padded = b64 + std::string((4 - b64.size() % 4) % 4, '=');
  std::string der(padded.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                                reinterpret_cast<const unsigned char*>(padded.data()),
                                static_cast<int>(padded.size()));
  REQUIRE(n > 0);
  const unsigned char* ptr = reinterpret_cast<const unsigned char*>(der.data());
  X509* cert = d2i_X509(nullptr, &ptr, n);
  REQUIRE(cert != nullptr);
  CHECK(X509_check_host(cert, "localhost", 0, 0, nullptr) == 1);
  X509_free(cert);
  CHECK(p.stop_with(SIGTERM) == 0);
}

TEST_CASE("a PLUGIN_CLIENT_CERT that is no certificate is refused with a clear message") {
  RunResult r = run_process({required_path_from_env("PROVIDER_EXE").string()}, fs::current_path(),
                            {{"TF_PLUGIN_MAGIC_COOKIE", cookie},
                             {"PLUGIN_PROTOCOL_VERSIONS", "6"},
                             {"PLUGIN_CLIENT_CERT", "not a certificate"}});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());  // no handshake line: Terraform must not try to connect
  CHECK(r.err.find("is PLUGIN_CLIENT_CERT a PEM certificate?") != std::string::npos);
}
