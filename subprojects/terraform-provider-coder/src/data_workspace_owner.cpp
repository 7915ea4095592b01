// data coder_workspace_owner: the user who owns the workspace, from CODER_WORKSPACE_OWNER_*.
#include <rapidjson/document.h>

#include "crypto_ids.hpp"
#include "provider_catalog.hpp"

namespace coder::provider {

namespace {

using cty::Type;
using cty::Value;

Schema owner_schema() {
  Schema s;
  Block& b = s.block;
  b.description = "Use this data source to fetch information about the workspace owner.";
  b.attributes = {
      computed("id", Type::string(), "The UUID of the workspace owner (CODER_WORKSPACE_OWNER_ID)."),
      computed("name", Type::string(), "The username of the user (CODER_WORKSPACE_OWNER)."),
      computed("full_name", Type::string(),
               "The full name of the user (CODER_WORKSPACE_OWNER_NAME)."),
      computed("email", Type::string(),
               "The email address of the user (CODER_WORKSPACE_OWNER_EMAIL)."),
      computed("ssh_public_key", Type::string(), "The user's SSH public key."),
      computed("ssh_private_key", Type::string(), "The user's SSH private key."),
      computed("groups", Type::list(Type::string()), "The groups of which the user is a member."),
      computed("session_token", Type::string(),
               "A session token for the deployment, new on every start."),
      computed("oidc_access_token", Type::string(),
               "The owner's OpenID Connect access token, if any."),
      computed("oidc_id_token", Type::string(), "The owner's OpenID Connect ID token, if any."),
      computed("login_type", Type::string(), "The type of login the user has."),
  };
  for (auto& a : b.attributes)
    if (a.name == "ssh_private_key" || a.name == "session_token" || a.name == "oidc_access_token" ||
        a.name == "oidc_id_token")
      a.sensitive = true;
  return s;
}

class OwnerDataSource final : public DataSource {
 public:
  std::string type_name() const override { return "coder_workspace_owner"; }
  const Schema& schema() const override { return schema_; }

  Diagnostics read(Value& state, const ProviderConfig&) const override {
    std::vector<Value> groups;
    if (auto raw = env("CODER_WORKSPACE_OWNER_GROUPS"); raw && !raw->empty()) {
      rapidjson::Document doc;
      doc.Parse(raw->c_str());
      bool ok = !doc.HasParseError() && doc.IsArray();
      for (rapidjson::SizeType i = 0; ok && i < doc.Size(); ++i) {
        ok = doc[i].IsString();
        if (ok) groups.push_back(Value::string(doc[i].GetString()));
      }
      if (!ok)
        return {
            error("Invalid CODER_WORKSPACE_OWNER_GROUPS",
                  "CODER_WORKSPACE_OWNER_GROUPS must be a JSON array of strings, got: " + *raw)};
    }
    state.set_attr("id", Value::string(env_or("CODER_WORKSPACE_OWNER_ID", random_uuid())));
    state.set_attr("name", Value::string(env_or("CODER_WORKSPACE_OWNER", "default")));
    state.set_attr("full_name", Value::string(env_or("CODER_WORKSPACE_OWNER_NAME", "default")));
    state.set_attr("email",
                   Value::string(env_or("CODER_WORKSPACE_OWNER_EMAIL", "default@example.com")));
    state.set_attr("ssh_public_key",
                   Value::string(env_or("CODER_WORKSPACE_OWNER_SSH_PUBLIC_KEY", "")));
    state.set_attr("ssh_private_key",
                   Value::string(env_or("CODER_WORKSPACE_OWNER_SSH_PRIVATE_KEY", "")));
    state.set_attr("groups", Value::list(std::move(groups)));
    state.set_attr("session_token",
                   Value::string(env_or("CODER_WORKSPACE_OWNER_SESSION_TOKEN", "")));
    state.set_attr("oidc_access_token",
                   Value::string(env_or("CODER_WORKSPACE_OWNER_OIDC_ACCESS_TOKEN", "")));
    state.set_attr("oidc_id_token",
                   Value::string(env_or("CODER_WORKSPACE_OWNER_OIDC_ID_TOKEN", "")));
    state.set_attr("login_type", Value::string(env_or("CODER_WORKSPACE_OWNER_LOGIN_TYPE", "")));
    return {};
  }

 private:
  Schema schema_ = owner_schema();
};

}  // namespace

std::unique_ptr<DataSource> make_workspace_owner_data_source() {
  return std::make_unique<OwnerDataSource>();
}

}  // namespace coder::provider
