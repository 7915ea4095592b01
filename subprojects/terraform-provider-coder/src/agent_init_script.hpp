// The script that turns a fresh machine into a workspace: download coder-agent for the agent's
// os/arch from the deployment's access URL (`<access_url>/bin/coder-agent-<os>-<arch>`) and exec
// it with CODER_AGENT_URL and CODER_AGENT_TOKEN set. A token already present in the environment
// (Coder templates pass `coder_agent.x.token` as CODER_AGENT_TOKEN) wins over the embedded one.
#pragma once

#include <string>

namespace coder::provider {

struct AgentScriptInput {
  std::string os;    // linux, darwin, windows
  std::string arch;  // amd64, arm64, armv7
  std::string auth;  // token or an instance-identity method
  std::string access_url;
  std::string token;
};

// POSIX sh for linux and darwin, PowerShell for windows.
std::string agent_init_script(const AgentScriptInput& in);

}  // namespace coder::provider
