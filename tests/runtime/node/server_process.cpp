#include "tests/runtime/node/server_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace coder::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

http_reply parse_reply(const std::string& raw) {
  http_reply r;
  auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return r;
  std::istringstream head(raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (line.size() >= 12) r.status = std::atoi(line.substr(9, 3).c_str());
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[lower(line.substr(0, colon))] = value;
  }
  auto body = raw.substr(head_end + 4);
  if (lower(r.headers["transfer-encoding"]) == "chunked") {
    std::string decoded;
    size_t pos = 0;
    while (pos < body.size()) {
      auto eol = body.find("\r\n", pos);
      if (eol == std::string::npos) break;
      auto size = std::strtoul(body.substr(pos, eol - pos).c_str(), nullptr, 16);
      if (size == 0) break;
      decoded += body.substr(eol + 2, size);
      pos = eol + 2 + size + 2;
    }
    body = decoded;
  }
  r.body = body;
  return r;
}

}  // namespace

http_reply http_raw(uint16_t port, const std::string& raw_request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  size_t sent = 0;
  while (sent < raw_request.size()) {
    auto n = ::send(fd, raw_request.data() + sent, raw_request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) and close before reading everything
    sent += static_cast<size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string raw;
  char buf[65536];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return parse_reply(raw);
}

http_reply http_call(uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body,
                     const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  bool has_type = false;
  for (const auto& [k, v] : headers) {
    req += k + ": " + v + "\r\n";
    if (lower(k) == "content-type") has_type = true;
  }
  if (!body.empty() && !has_type) req += "Content-Type: application/json\r\n";
  if (!body.empty() || method == "POST" || method == "PUT")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  return http_raw(port, req);
}

std::string coder_node_binary() {
  const char* root = std::getenv("CODER_BUILD_ROOT");
  return std::string(root ? root : "build") + "/coder-node";
}

server_process::server_process(std::vector<std::string> args,
                               std::map<std::string, std::string> env) {
  char tmpl[] = "/tmp/coder-server-log.XXXXXX";
  int log_fd = mkstemp(tmpl);
  log_path_ = tmpl;
  char out_tmpl[] = "/tmp/coder-server-out.XXXXXX";
  int out_fd = mkstemp(out_tmpl);
  std::string out_path = out_tmpl;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out_fd, 1);
    dup2(log_fd, 2);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<std::string> full{coder_node_binary(), "server", "--http-address", "127.0.0.1:0"};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : full) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  ::close(log_fd);
  ::close(out_fd);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    auto out = read_file(out_path);
    auto pos = out.find("listening on http://127.0.0.1:");
    if (pos != std::string::npos && out.find('\n', pos) != std::string::npos) {
      port_ = static_cast<uint16_t>(std::atoi(out.c_str() + pos + 30));
      break;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      ::unlink(out_path.c_str());
      throw std::runtime_error("coder-node server exited early:\n" + log_text());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::unlink(out_path.c_str());
  if (port_ == 0) {
    stop();
    throw std::runtime_error("coder-node server did not start within 60 s:\n" + log_text());
  }
}

server_process::~server_process() {
  stop();
  ::unlink(log_path_.c_str());
}

int server_process::stop() {
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 3000; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

std::string server_process::log_text() const { return read_file(log_path_); }

command_result run_command(const std::vector<std::string>& argv_in,
                           const std::map<std::string, std::string>& env,
                           const std::string& stdin_text) {
  char out_t[] = "/tmp/coder-cmd-out.XXXXXX";
  char err_t[] = "/tmp/coder-cmd-err.XXXXXX";
  char in_t[] = "/tmp/coder-cmd-in.XXXXXX";
  int out_fd = mkstemp(out_t), err_fd = mkstemp(err_t), in_fd = mkstemp(in_t);
  if (::write(in_fd, stdin_text.data(), stdin_text.size()) < 0) {}
  ::lseek(in_fd, 0, SEEK_SET);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<std::string> args = argv_in;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ::close(out_fd);
  ::close(err_fd);
  ::close(in_fd);
  command_result r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_t);
  r.err = read_file(err_t);
  ::unlink(out_t);
  ::unlink(err_t);
  ::unlink(in_t);
  return r;
}

}  // namespace coder::testing
