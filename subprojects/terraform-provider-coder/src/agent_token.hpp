// The agent token of a workspace build. Terraform calls the provider several times per build
// (plan's refresh, apply's refresh, create) and all of them must agree, while every new build
// (a new CODER_WORKSPACE_BUILD_ID) must get a new token, so that a token leaked from an old build
// is worthless. A fresh agent gets a random token; on refresh, when the build id differs from the
// one recorded in the object's private state, the token becomes HMAC-SHA256(previous token,
// build id) — unpredictable without the previous (secret) token, and identical for every
// refresh of the same stored object within one build.
#pragma once

#include <string>

namespace coder::provider {

struct AgentToken {
  std::string token;
  std::string private_state;  // records the build the token belongs to
};

// The build id the provider runs for (CODER_WORKSPACE_BUILD_ID, empty when unset).
std::string current_build_id();
AgentToken new_agent_token(const std::string& build_id);
// Keeps the token when `private_state` records `build_id`, rotates it otherwise.
AgentToken refreshed_agent_token(const std::string& token, const std::string& private_state,
                                 const std::string& build_id);

}  // namespace coder::provider
