// Test harness for end-to-end tests: runs the real `coder-node server` binary as a child process
// (port 0, its own config dir) and talks to it over plain sockets with a deliberately simple,
// independent HTTP/1.1 client — so the server's own HTTP code is tested against something else.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coder::testing {

struct http_reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names; last value wins
  std::string body;
};

// One request on a fresh connection (Connection: close). `raw_request` sends bytes verbatim.
http_reply http_call(uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body = {},
                     const std::vector<std::pair<std::string, std::string>>& headers = {});
http_reply http_raw(uint16_t port, const std::string& raw_request);

class server_process {
 public:
  // Starts build/coder-node server with `args` (plus --http-address 127.0.0.1:0) and waits for
  // its "listening" line. Throws std::runtime_error (with the server's stderr) on failure.
  explicit server_process(std::vector<std::string> args, std::map<std::string, std::string> env = {});
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // SIGTERM, then wait; returns the exit status (or -1 on timeout after SIGKILL).
  int stop();
  std::string log_text() const;  // the server's stderr so far

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string log_path_;
};

// Path of the built binary: $CODER_BUILD_ROOT/coder-node.
std::string coder_node_binary();

// Runs a command (no shell), returns exit status, stdout and stderr.
struct command_result {
  int status = -1;
  std::string out;
  std::string err;
};
command_result run_command(const std::vector<std::string>& argv,
                           const std::map<std::string, std::string>& env = {},
                           const std::string& stdin_text = {});

}  // namespace coder::testing
