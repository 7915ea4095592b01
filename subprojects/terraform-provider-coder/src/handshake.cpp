#include "handshake.hpp"

#include <sstream>

#include "provider_env.hpp"

namespace coder::provider {

std::optional<std::string> launch_environment_error() {
  if (env(magic_cookie_key).value_or("") != magic_cookie_value)
    return std::string(
               "terraform-provider-coder is a Terraform provider plugin: Terraform starts it, it "
               "is not meant to be run "
               "by hand.\nInstall it where Terraform finds it with `coder-node provider "
               "install-mirror <dir>` and run "
               "terraform with the printed TF_CLI_CONFIG_FILE.\n(") +
           magic_cookie_key + " is missing or wrong.)";
  // Terraform lists the protocol versions it speaks; absent means an old go-plugin client.
  const std::string versions = env_or("PLUGIN_PROTOCOL_VERSIONS", "");
  if (!versions.empty()) {
    std::istringstream in(versions);
    for (std::string v; std::getline(in, v, ',');)
      if (v == std::to_string(app_protocol_version)) return std::nullopt;
    return "terraform-provider-coder speaks plugin protocol 6 only, but this Terraform offers " +
           versions + "; use Terraform 1.0 or newer.";
  }
  return std::nullopt;
}

std::string handshake_line(const std::string& socket_path, const std::string& certificate) {
  return "1|" + std::to_string(app_protocol_version) + "|unix|" + socket_path + "|grpc|" +
         certificate + "\n";
}

}  // namespace coder::provider
