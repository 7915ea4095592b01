// go-plugin's launch contract with Terraform: Terraform sets a magic cookie and the protocol
// versions it speaks; the plugin answers with one line on stdout,
// `1|6|unix|<socket>|grpc|<certificate>` (core protocol 1, app protocol 6, network, address,
// protocol, server certificate), and then serves gRPC on that socket.
#pragma once

#include <optional>
#include <string>

namespace coder::provider {

inline constexpr const char* magic_cookie_key = "TF_PLUGIN_MAGIC_COOKIE";
inline constexpr const char* magic_cookie_value =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
inline constexpr int app_protocol_version = 6;

// What a person who runs the binary by hand, or a Terraform that cannot speak protocol 6,
// should read; nullopt when the launch environment is Terraform's.
std::optional<std::string> launch_environment_error();

// The handshake line, newline included. `certificate` is empty without AutoMTLS.
std::string handshake_line(const std::string& socket_path, const std::string& certificate);

}  // namespace coder::provider
