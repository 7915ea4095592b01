// The provider's inputs from its environment: the provisioner passes the workspace, owner and
// parameter values as CODER_* variables (the same names Coder's provider reads), and the provider
// configuration (the access URL) arrives through ConfigureProvider.
#pragma once

#include <optional>
#include <string>

namespace coder::provider {

std::optional<std::string> env(const char* name);
// The variable's value, or `fallback` when it is unset or empty.
std::string env_or(const char* name, const std::string& fallback);

struct ProviderConfig {
  // The deployment's access URL: provider "url" argument, else CODER_AGENT_URL, else Coder's
  // placeholder default.
  std::string access_url = "https://mydeployment.coder.com";
};

}  // namespace coder::provider
