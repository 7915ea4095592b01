// `coder-node server` settings: each flag has a CODER_* environment twin; flags win over env,
// env wins over defaults. Parsing is pure (argv + an env lookup in, config or message out) so it
// is unit-tested without a process.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace coder::node {

struct server_config {
  std::string http_host = "127.0.0.1";
  uint16_t http_port = 3000;
  std::string access_url;    // defaults to http(s)://<http-address>
  std::string postgres_url;  // empty: the embedded cluster in <config_dir>/postgres
  std::string config_dir;    // default ~/.config/coder-node
  std::string tls_cert_file;
  std::string tls_key_file;
  bool show_help = false;
};

// A parse failure: what to print, and the exit code (2 = usage error).
struct config_error {
  std::string message;
};

using env_lookup = std::function<std::optional<std::string>(const std::string&)>;

std::variant<server_config, config_error> parse_server_config(const std::vector<std::string>& args,
                                                              const env_lookup& env);

// Splits "host:port" / "[v6]:port"; port 0 asks the kernel for a free one.
std::optional<std::pair<std::string, uint16_t>> parse_host_port(const std::string& address);

std::string server_usage();

}  // namespace coder::node
