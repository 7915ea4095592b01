// examples/templates/local — a template written as a Coder template is — through a start,
// a re-plan, a stop and a delete build with the real terraform. A small HTTP server plays the
// deployment's access URL and serves a stand-in coder-agent, so the agent's init_script really
// downloads and execs it, and the test sees the token it was started with.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <thread>

#include "terraform_harness.hpp"
#include "terraform_json.hpp"

using namespace coder::provider::test;
namespace fs = std::filesystem;

namespace {

// The stand-in agent: reports what it was started with, then idles like an agent would.
const char* fake_agent =
    "#!/bin/sh\n"
    "printf '%s\\n%s\\n' \"$CODER_AGENT_TOKEN\" \"$CODER_AGENT_URL\" > agent-report.tmp\n"
    "mv agent-report.tmp agent-report\n"
    "exec sleep 600\n";

class FakeAccessUrl {
 public:
  FakeAccessUrl() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(fd_, 16) == 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeAccessUrl() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int downloads() const { return downloads_; }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        request.append(buf, static_cast<std::size_t>(n));
      }
      const std::string path = request.substr(4, request.find(' ', 4) - 4);
      std::string response;
      if (request.rfind("GET ", 0) == 0 && path.rfind("/bin/coder-agent-linux-", 0) == 0) {
        ++downloads_;
        response = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(std::strlen(fake_agent)) +
                   "\r\nConnection: close\r\n\r\n" + fake_agent;
      } else {
        response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      }
      send(c, response.data(), response.size(), MSG_NOSIGNAL);
      close(c);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> downloads_{0};
  std::thread thread_;
};

bool wait_for(const std::function<bool()>& condition, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

// Running and not a zombie: an orphaned agent is reparented to PID 1, which in a container may
// never reap it, so "exists" is not "alive".
bool process_alive(pid_t pid) {
  if (pid <= 0 || kill(pid, 0) != 0) return false;
  const std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat");
  const auto paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
}

// Kills whatever agent the template left behind if the test fails half-way.
struct AgentReaper {
  fs::path pid_file;
  ~AgentReaper() {
    const std::string pid = read_text(pid_file);
    if (!pid.empty()) kill(-std::stoi(pid), SIGKILL);
  }
};

}  // namespace

TEST_CASE("Coder-style local template: start, re-plan, stop, delete") {
  FakeAccessUrl access;
  TempDir workspaces("coder-provider-workspaces");
  TerraformDir dir(required_path_from_env("PROVIDER_EXAMPLES") / "local");
  const auto build = [&](const std::string& build_id, const std::string& transition) {
    return Env{
        {"TF_VAR_workspaces_dir", workspaces.path().string()},
        {"CODER_AGENT_URL", access.url()},
        {"CODER_WORKSPACE_ID", "3f2a7d0e-0000-4000-8000-00000000000a"},
        {"CODER_WORKSPACE_NAME", "dev"},
        {"CODER_WORKSPACE_OWNER", "grace"},
        {"CODER_WORKSPACE_OWNER_NAME", "Grace Hopper"},
        {"CODER_WORKSPACE_OWNER_EMAIL", "grace@example.com"},
        {"CODER_WORKSPACE_TEMPLATE_ID", "tpl-local"},
        {"CODER_WORKSPACE_TEMPLATE_NAME", "local"},
        {"CODER_WORKSPACE_TEMPLATE_VERSION", "1"},
        {"CODER_WORKSPACE_BUILD_ID", build_id},
        {"CODER_WORKSPACE_TRANSITION", transition},
    };
  };
  const fs::path home = workspaces.path() / "grace-dev";
  AgentReaper reaper{home / ".coder-agent.pid"};

  RunResult init = dir.init();
  REQUIRE_MESSAGE(init.exit_code == 0, init.all());

  // Start build: the compute resource launches the agent with this build's token.
  RunResult start = dir.apply(build("build-1", "start"));
  REQUIRE_MESSAGE(start.exit_code == 0, start.all());
  const std::string token = [&] {
    TerraformJson out(dir.output_json());
    const auto* v = out.output("agent_token");
    return v && v->IsString() ? std::string(v->GetString()) : std::string();
  }();
  REQUIRE_FALSE(token.empty());
  REQUIRE_MESSAGE(wait_for([&] { return fs::exists(home / "agent-report"); }, 30),
                  "the agent never started; its log:\n"
                      << read_text(home / ".coder-agent.log"));
  CHECK(read_text(home / "agent-report") == token + "\n" + access.url() + "\n");
  CHECK(access.downloads() == 1);
  const pid_t agent_pid = std::stoi(read_text(home / ".coder-agent.pid"));
  CHECK(process_alive(agent_pid));

  TerraformJson started(dir.show_json());
  CHECK(started.count_of_type("terraform_data") == 1);
  CHECK(started.count_of_type("coder_metadata") == 1);
  CHECK(started.count_of_type("coder_agent") == 1);
  CHECK(started.count_of_type("coder_app") == 2);
  CHECK(string_at(started.resource("coder_env.project"), "value") == (home / "project").string());

  // Same build again: nothing to do.
  RunResult replan = dir.plan(build("build-1", "start"));
  CHECK_MESSAGE(replan.exit_code == 0, replan.all());
  CHECK(replan.out.find("No changes.") != std::string::npos);

  // Stop build: the compute resource (and its metadata) go, the agent process with it; the
  // agent, apps, script and env stay.
  const std::string agent_id = string_at(started.resource("coder_agent.main"), "id");
  RunResult stop = dir.apply(build("build-2", "stop"));
  REQUIRE_MESSAGE(stop.exit_code == 0, stop.all());
  CHECK(stop.out.find("Resources: 0 added, 0 changed, 2 destroyed.") != std::string::npos);
  TerraformJson stopped(dir.show_json());
  CHECK(stopped.count_of_type("terraform_data") == 0);
  CHECK(stopped.count_of_type("coder_metadata") == 0);
  CHECK(stopped.count_of_type("coder_agent") == 1);
  CHECK(stopped.count_of_type("coder_app") == 2);
  CHECK(stopped.count_of_type("coder_script") == 1);
  CHECK(stopped.count_of_type("coder_env") == 1);
  CHECK(string_at(stopped.resource("coder_agent.main"), "id") == agent_id);
  CHECK(wait_for([&] { return !process_alive(agent_pid); }, 5));
  CHECK_FALSE(fs::exists(home / ".coder-agent.pid"));

  RunResult replan_stopped = dir.plan(build("build-2", "stop"));
  CHECK_MESSAGE(replan_stopped.exit_code == 0, replan_stopped.all());

  // Delete build.
  RunResult destroy = dir.destroy(build("build-3", "stop"));
  REQUIRE_MESSAGE(destroy.exit_code == 0, destroy.all());
  TerraformJson gone(dir.show_json());
  CHECK(gone.resources().empty());
}
