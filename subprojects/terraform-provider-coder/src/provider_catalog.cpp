#include "provider_catalog.hpp"

#include "validation.hpp"

namespace coder::provider {

const Schema& provider_config_schema() {
  static const Schema schema = [] {
    Schema s;
    s.block.description =
        "The Coder provider: agents, apps, parameters and metadata of a workspace.";
    s.block.attributes.push_back(optional("url", cty::Type::string(),
                                          "The URL to access Coder. Defaults to CODER_AGENT_URL."));
    Attribute managed = optional("feature_use_managed_variables", cty::Type::boolean(),
                                 "Accepted for compatibility with older templates; has no effect.");
    managed.deprecated = true;
    s.block.attributes.push_back(managed);
    return s;
  }();
  return schema;
}

Diagnostics configure_provider(const cty::Value& config, ProviderConfig& out) {
  Diagnostics diags;
  std::string url = env_or("CODER_AGENT_URL", out.access_url);
  if (config.get("url").kind() == cty::Value::Kind::String &&
      !config.get("url").as_string().empty())
    url = config.get("url").as_string();
  const bool http = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  const auto scheme_end = url.find("://");
  if (!http || scheme_end == std::string::npos || url.size() == scheme_end + 3) {
    diags.push_back(
        error_at(path_of("url"), "Invalid access URL",
                 "The Coder access URL must be an absolute http:// or https:// URL, got \"" + url +
                     "\" (from the provider's url argument or CODER_AGENT_URL)."));
    return diags;
  }
  out.access_url = url;
  return diags;
}

const ManagedResource* Catalog::resource(const std::string& type_name) const {
  for (const auto& r : resources)
    if (r->type_name() == type_name) return r.get();
  return nullptr;
}

const DataSource* Catalog::data_source(const std::string& type_name) const {
  for (const auto& d : data_sources)
    if (d->type_name() == type_name) return d.get();
  return nullptr;
}

Catalog make_catalog() {
  Catalog c;
  c.resources.push_back(make_agent_resource());
  c.resources.push_back(make_app_resource());
  c.resources.push_back(make_metadata_resource());
  c.resources.push_back(make_script_resource());
  c.resources.push_back(make_env_resource());
  c.data_sources.push_back(make_workspace_data_source());
  c.data_sources.push_back(make_workspace_owner_data_source());
  c.data_sources.push_back(make_provisioner_data_source());
  c.data_sources.push_back(make_parameter_data_source());
  return c;
}

}  // namespace coder::provider
