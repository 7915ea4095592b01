#include "runtime/node/server_config.hpp"

#include <charconv>

namespace coder::node {
namespace {

struct option_spec {
  const char* flag;
  const char* env;
  const char* help;
  std::string server_config::*target;
};

// http-address is handled separately because it fills two fields.
const option_spec string_options[] = {
    {"--access-url", "CODER_ACCESS_URL",
     "External URL users and agents reach this server at (default http://<http-address>)",
     &server_config::access_url},
    {"--postgres-url", "CODER_PG_CONNECTION_URL",
     "PostgreSQL URL; empty runs the embedded cluster in <config-dir>/postgres",
     &server_config::postgres_url},
    {"--config-dir", "CODER_CONFIG_DIR", "Where state lives (default ~/.config/coder-node)",
     &server_config::config_dir},
    {"--tls-cert-file", "CODER_TLS_CERT_FILE", "PEM certificate chain; enables HTTPS",
     &server_config::tls_cert_file},
    {"--tls-key-file", "CODER_TLS_KEY_FILE", "PEM private key for --tls-cert-file",
     &server_config::tls_key_file},
};

}  // namespace

std::optional<std::pair<std::string, uint16_t>> parse_host_port(const std::string& address) {
  std::string host;
  std::string port_text;
  if (!address.empty() && address.front() == '[') {
    auto close = address.find(']');
    if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':')
      return std::nullopt;
    host = address.substr(1, close - 1);
    port_text = address.substr(close + 2);
  } else {
    auto colon = address.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    host = address.substr(0, colon);
    port_text = address.substr(colon + 1);
    if (host.find(':') != std::string::npos) return std::nullopt;  // bare IPv6 needs brackets
  }
  if (host.empty() || port_text.empty()) return std::nullopt;
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535)
    return std::nullopt;
  return std::make_pair(host, static_cast<uint16_t>(port));
}

std::variant<server_config, config_error> parse_server_config(const std::vector<std::string>& args,
                                                              const env_lookup& env) {
  server_config cfg;
  std::string http_address = env("CODER_HTTP_ADDRESS").value_or("127.0.0.1:3000");
  for (const auto& opt : string_options) {
    if (auto v = env(opt.env)) cfg.*opt.target = *v;
  }
  if (cfg.postgres_url.empty()) {
    if (auto v = env("CODER_POSTGRES_URL")) cfg.postgres_url = *v;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      cfg.show_help = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> value;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    auto take_value = [&]() -> std::optional<std::string> {
      if (value) return value;
      if (i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };
    if (name == "--http-address") {
      auto v = take_value();
      if (!v) return config_error{"flag --http-address needs a value"};
      http_address = *v;
      continue;
    }
    bool known = false;
    for (const auto& opt : string_options) {
      if (name != opt.flag) continue;
      auto v = take_value();
      if (!v) return config_error{std::string("flag ") + opt.flag + " needs a value"};
      cfg.*opt.target = *v;
      known = true;
      break;
    }
    if (!known) return config_error{"unknown flag " + arg + " (see coder-node server --help)"};
  }
  auto hp = parse_host_port(http_address);
  if (!hp) return config_error{"invalid --http-address '" + http_address + "': want host:port"};
  cfg.http_host = hp->first;
  cfg.http_port = hp->second;
  if (cfg.tls_cert_file.empty() != cfg.tls_key_file.empty())
    return config_error{"--tls-cert-file and --tls-key-file go together"};
  if (cfg.config_dir.empty()) {
    auto home = env("HOME");
    if (!home || home->empty()) return config_error{"HOME is not set; pass --config-dir"};
    cfg.config_dir = *home + "/.config/coder-node";
  }
  if (cfg.access_url.empty()) {
    std::string scheme = cfg.tls_cert_file.empty() ? "http://" : "https://";
    cfg.access_url = scheme + http_address;
  }
  while (cfg.access_url.size() > 1 && cfg.access_url.back() == '/') cfg.access_url.pop_back();
  if (cfg.access_url.rfind("http://", 0) != 0 && cfg.access_url.rfind("https://", 0) != 0)
    return config_error{"--access-url must start with http:// or https://"};
  return cfg;
}

std::string server_usage() {
  std::string out =
      "Usage: coder-node server [flags]\n\n"
      "Runs the API, the dashboard, agent sessions, persistence and provisioners in one "
      "process.\n\n"
      "Flags (each also read from the environment variable shown):\n"
      "  --http-address HOST:PORT  Address to serve HTTP on (CODER_HTTP_ADDRESS, default "
      "127.0.0.1:3000)\n";
  for (const auto& opt : string_options) {
    out += "  ";
    out += opt.flag;
    out += " VALUE  ";
    out += opt.help;
    out += " (";
    out += opt.env;
    out += ")\n";
  }
  return out;
}

}  // namespace coder::node
