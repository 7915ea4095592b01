// The provider's TLS identity for go-plugin's AutoMTLS: a fresh self-signed certificate per
// process (ECDSA P-256, SAN DNS:localhost — the name Terraform's client verifies). Terraform
// learns it from the handshake line and trusts nothing else.
#pragma once

#include <optional>
#include <string>

namespace coder::provider {

struct ServerCertificate {
  std::string cert_pem;
  std::string key_pem;
  std::string cert_der_base64;  // standard alphabet, no padding: the handshake line's format
};

// nullopt with `error` set when OpenSSL fails.
std::optional<ServerCertificate> generate_server_certificate(std::string& error);

}  // namespace coder::provider
