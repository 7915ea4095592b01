// coder_agent: the agent that runs inside a workspace's compute resource. Same attribute names,
// types and defaults as Coder's provider; its token and init_script feed the compute resource.
#include <set>

#include "agent_init_script.hpp"
#include "agent_token.hpp"
#include "crypto_ids.hpp"
#include "provider_catalog.hpp"
#include "validation.hpp"

namespace coder::provider {

namespace {

using cty::Type;
using cty::Value;

Schema agent_schema() {
  Schema s;
  s.version = 1;
  Block& b = s.block;
  b.description = "Use this resource to associate an agent.";
  b.attributes = {
      computed("id", Type::string(), "The agent's UUID."),
      required("os", Type::string(),
               "The operating system the agent will run on: linux, darwin or windows."),
      required("arch", Type::string(),
               "The architecture the agent will run on: amd64, armv7 or arm64."),
      optional_default(
          "auth", Value::string("token"),
          "The authentication type the agent will use: token, google-instance-identity, "
          "aws-instance-identity or azure-instance-identity."),
      optional_default("api_key_scope", Value::string("all"),
                       "Which API routes the agent token can access: all or no_user_data."),
      optional("dir", Type::string(),
               "The starting directory when a user creates a shell session."),
      optional("env", Type::map(Type::string()),
               "Environment variables to set inside the workspace."),
      optional("startup_script", Type::string(), "A script to run after the agent starts."),
      optional_default(
          "startup_script_behavior", Value::string("non-blocking"),
          "blocking: the startup_script must exit before the workspace is ready; non-blocking: it "
          "may run in the background."),
      optional("shutdown_script", Type::string(), "A script to run before the agent is stopped."),
      optional_default(
          "connection_timeout", Value::number(std::int64_t{120}),
          "Seconds until the agent is marked as timed out when it cannot connect; 0 disables."),
      optional("motd_file", Type::string(),
               "A file inside the workspace shown to users on SSH login."),
      optional("troubleshooting_url", Type::string(),
               "A URL with instructions for troubleshooting the agent."),
      optional("order", Type::number(), "Position of the agent in the UI; lowest first."),
      computed("token", Type::string(),
               "Set CODER_AGENT_TOKEN to this token to authenticate the agent. New for every "
               "workspace build."),
      computed("init_script", Type::string(),
               "Run this script on startup of an instance to download and start the agent (it "
               "embeds the token)."),
  };
  for (auto& a : b.attributes)
    if (a.name == "token" || a.name == "init_script") a.sensitive = true;

  Block metadata;
  metadata.attributes = {
      required("key", Type::string(), "The key of this metadata item."),
      optional("display_name", Type::string(), "The user-facing name of this value."),
      required("script", Type::string(),
               "The script that retrieves the value of this metadata item."),
      required("interval", Type::number(),
               "The interval in seconds at which to refresh this metadata item."),
      optional("timeout", Type::number(),
               "The maximum time the command is allowed to run in seconds."),
      optional("order", Type::number(), "Position of this item in the UI; lowest first."),
  };
  b.blocks.push_back(nested_list("metadata", std::move(metadata)));

  Block display_apps;
  display_apps.attributes = {
      optional_default("vscode", Value::boolean(true), "Display the VS Code Desktop app."),
      optional_default("vscode_insiders", Value::boolean(false),
                       "Display the VS Code Insiders app."),
      optional_default("web_terminal", Value::boolean(true), "Display the web terminal app."),
      optional_default("port_forwarding_helper", Value::boolean(true),
                       "Display the port-forwarding helper."),
      optional_default("ssh_helper", Value::boolean(true), "Display the SSH helper."),
  };
  b.blocks.push_back(nested_set("display_apps", std::move(display_apps), 0, 1));
  return s;
}

class AgentResource final : public ManagedResource {
 public:
  std::string type_name() const override { return "coder_agent"; }
  const Schema& schema() const override { return schema_; }

  Diagnostics validate(const Value& config) const override {
    Diagnostics d;
    check_one_of(d, config.get("os"), {"linux", "darwin", "windows"}, path_of("os"), "agent os");
    check_one_of(d, config.get("arch"), {"amd64", "armv7", "arm64"}, path_of("arch"), "agent arch");
    check_one_of(
        d, config.get("auth"),
        {"token", "google-instance-identity", "aws-instance-identity", "azure-instance-identity"},
        path_of("auth"), "agent auth");
    check_one_of(d, config.get("api_key_scope"), {"all", "no_user_data"}, path_of("api_key_scope"),
                 "agent api_key_scope");
    check_one_of(d, config.get("startup_script_behavior"), {"blocking", "non-blocking"},
                 path_of("startup_script_behavior"), "startup_script_behavior");
    check_at_least(d, config.get("connection_timeout"), 0, path_of("connection_timeout"),
                   "connection_timeout");
    const Value& metadata = config.get("metadata");
    std::set<std::string> keys;
    for (std::size_t i = 0; i < metadata.elements().size(); ++i) {
      const Value& item = metadata.elements()[i];
      const AttributePath at{PathStep::attribute("metadata"),
                             PathStep::at(static_cast<std::int64_t>(i))};
      const Value& key = item.get("key");
      if (key.kind() == Value::Kind::String && !keys.insert(key.as_string()).second) {
        AttributePath p = at;
        p.push_back(PathStep::attribute("key"));
        d.push_back(
            error_at(p, "Duplicate agent metadata key",
                     "The metadata key \"" + key.as_string() + "\" is used more than once."));
      }
    }
    return d;
  }

  Diagnostics create(Value& state, std::string& private_state,
                     const ProviderConfig& config) const override {
    state.set_attr("id", Value::string(random_uuid()));
    AgentToken token = new_agent_token(current_build_id());
    state.set_attr("token", Value::string(token.token));
    private_state = token.private_state;
    state.set_attr("init_script", Value::string(init_script(state, config)));
    return {};
  }

  Diagnostics refresh(Value& state, std::string& private_state,
                      const ProviderConfig& config) const override {
    AgentToken token =
        refreshed_agent_token(state.get("token").string_or(""), private_state, current_build_id());
    state.set_attr("token", Value::string(token.token));
    private_state = token.private_state;
    // The access URL may have moved since the agent was created; the script follows it.
    state.set_attr("init_script", Value::string(init_script(state, config)));
    return {};
  }

 private:
  static std::string init_script(const Value& state, const ProviderConfig& config) {
    return agent_init_script({state.get("os").string_or("linux"),
                              state.get("arch").string_or("amd64"),
                              state.get("auth").string_or("token"), config.access_url,
                              state.get("token").string_or("")});
  }

  Schema schema_ = agent_schema();
};

}  // namespace

std::unique_ptr<ManagedResource> make_agent_resource() {
  return std::make_unique<AgentResource>();
}

}  // namespace coder::provider
