// coder_env: an environment variable the agent sets for its sessions and scripts.
#include <regex>

#include "crypto_ids.hpp"
#include "provider_catalog.hpp"
#include "validation.hpp"

namespace coder::provider {

namespace {

using cty::Type;
using cty::Value;

Schema env_schema() {
  Schema s;
  s.version = 1;
  Block& b = s.block;
  b.description = "Use this resource to set an environment variable in a workspace.";
  b.attributes = {
      computed("id", Type::string(), "The variable's UUID."),
      required("agent_id", Type::string(), "The id of the coder_agent that sets the variable."),
      required("name", Type::string(), "The name of the environment variable."),
      optional("value", Type::string(), "The value of the environment variable."),
  };
  return s;
}

class EnvResource final : public ManagedResource {
 public:
  std::string type_name() const override { return "coder_env"; }
  const Schema& schema() const override { return schema_; }

  Diagnostics validate(const Value& config) const override {
    Diagnostics d;
    static const std::regex name_re("^[A-Za-z_][A-Za-z0-9_]*$");
    const Value& name = config.get("name");
    if (name.kind() == Value::Kind::String && !std::regex_match(name.as_string(), name_re))
      d.push_back(
          error_at(path_of("name"), "Invalid environment variable name",
                   "\"" + name.as_string() +
                       "\" is not a valid environment variable name (letters, digits and _, not "
                       "starting with a digit)."));
    return d;
  }

  Diagnostics create(Value& state, std::string&, const ProviderConfig&) const override {
    state.set_attr("id", Value::string(random_uuid()));
    return {};
  }

 private:
  Schema schema_ = env_schema();
};

}  // namespace

std::unique_ptr<ManagedResource> make_env_resource() {
  return std::make_unique<EnvResource>();
}

}  // namespace coder::provider
