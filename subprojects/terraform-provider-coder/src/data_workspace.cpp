// data coder_workspace: the workspace being built, from the provisioner's CODER_WORKSPACE_*
// environment. start_count (1 on start, 0 on stop) is what templates put in `count` to make
// compute resources go away on a stop build.
#include "crypto_ids.hpp"
#include "provider_catalog.hpp"

namespace coder::provider {

namespace {

using cty::Type;
using cty::Value;

Schema workspace_schema() {
  Schema s;
  s.version = 1;
  Block& b = s.block;
  b.description = "Use this data source to get information for the active workspace build.";
  b.attributes = {
      computed("id", Type::string(), "UUID of the workspace (CODER_WORKSPACE_ID)."),
      computed("name", Type::string(), "Name of the workspace (CODER_WORKSPACE_NAME)."),
      computed("transition", Type::string(), "start or stop (CODER_WORKSPACE_TRANSITION)."),
      computed("start_count", Type::number(), "1 when transition is start, else 0."),
      computed("access_url", Type::string(),
               "The access URL of the deployment provisioning this workspace."),
      computed("access_port", Type::number(), "The port of the access URL."),
      computed("template_id", Type::string(),
               "ID of the workspace's template (CODER_WORKSPACE_TEMPLATE_ID)."),
      computed("template_name", Type::string(),
               "Name of the template (CODER_WORKSPACE_TEMPLATE_NAME)."),
      computed("template_version", Type::string(),
               "Version of the template (CODER_WORKSPACE_TEMPLATE_VERSION)."),
      computed("is_prebuild", Type::boolean(),
               "True for an unclaimed prebuilt workspace (CODER_WORKSPACE_IS_PREBUILD)."),
      computed("prebuild_count", Type::number(), "1 for an unclaimed prebuilt workspace, else 0."),
  };
  return s;
}

// The URL's explicit port, else the scheme's default.
std::int64_t port_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  const std::string rest = scheme_end == std::string::npos ? url : url.substr(scheme_end + 3);
  const std::string host = rest.substr(0, rest.find_first_of("/?#"));
  const auto colon = host.rfind(':');
  if (colon != std::string::npos && host.find(']', colon) == std::string::npos) {
    try {
      return std::stoll(host.substr(colon + 1));
    } catch (const std::exception&) {
    }
  }
  return url.rfind("https://", 0) == 0 ? 443 : 80;
}

class WorkspaceDataSource final : public DataSource {
 public:
  std::string type_name() const override { return "coder_workspace"; }
  const Schema& schema() const override { return schema_; }

  Diagnostics read(Value& state, const ProviderConfig& config) const override {
    const std::string transition = env_or("CODER_WORKSPACE_TRANSITION", "start");
    if (transition != "start" && transition != "stop")
      return {error(
          "Invalid CODER_WORKSPACE_TRANSITION",
          "CODER_WORKSPACE_TRANSITION must be \"start\" or \"stop\", got \"" + transition + "\".")};
    const bool prebuild = env_or("CODER_WORKSPACE_IS_PREBUILD", "") == "true";
    state.set_attr("id", Value::string(env_or("CODER_WORKSPACE_ID", random_uuid())));
    state.set_attr("name", Value::string(env_or("CODER_WORKSPACE_NAME", "default")));
    state.set_attr("transition", Value::string(transition));
    state.set_attr("start_count", Value::number(std::int64_t{transition == "start" ? 1 : 0}));
    state.set_attr("access_url", Value::string(config.access_url));
    state.set_attr("access_port", Value::number(port_of(config.access_url)));
    state.set_attr("template_id", Value::string(env_or("CODER_WORKSPACE_TEMPLATE_ID", "")));
    state.set_attr("template_name", Value::string(env_or("CODER_WORKSPACE_TEMPLATE_NAME", "")));
    state.set_attr("template_version",
                   Value::string(env_or("CODER_WORKSPACE_TEMPLATE_VERSION", "")));
    state.set_attr("is_prebuild", Value::boolean(prebuild));
    state.set_attr("prebuild_count", Value::number(std::int64_t{prebuild ? 1 : 0}));
    return {};
  }

 private:
  Schema schema_ = workspace_schema();
};

}  // namespace

std::unique_ptr<DataSource> make_workspace_data_source() {
  return std::make_unique<WorkspaceDataSource>();
}

}  // namespace coder::provider
