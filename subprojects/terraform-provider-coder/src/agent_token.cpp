#include "agent_token.hpp"

#include "crypto_ids.hpp"
#include "provider_env.hpp"

namespace coder::provider {

namespace {

const std::string build_prefix = "coder-build-id:";

}  // namespace

std::string current_build_id() {
  return env_or("CODER_WORKSPACE_BUILD_ID", "");
}

AgentToken new_agent_token(const std::string& build_id) {
  return {random_uuid(), build_prefix + build_id};
}

AgentToken refreshed_agent_token(const std::string& token, const std::string& private_state,
                                 const std::string& build_id) {
  if (private_state == build_prefix + build_id || (private_state.empty() && build_id.empty()))
    return {token, build_prefix + build_id};
  return {uuid_from_bytes(hmac_sha256(token, build_id)), build_prefix + build_id};
}

}  // namespace coder::provider
