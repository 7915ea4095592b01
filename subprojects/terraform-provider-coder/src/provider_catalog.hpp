// Every resource type and data source the provider serves, each defined in its own file
// (resource_<name>.cpp, data_<name>.cpp), plus the provider's own configuration schema.
#pragma once

#include <memory>
#include <vector>

#include "resource.hpp"

namespace coder::provider {

std::unique_ptr<ManagedResource> make_agent_resource();     // coder_agent
std::unique_ptr<ManagedResource> make_app_resource();       // coder_app
std::unique_ptr<ManagedResource> make_metadata_resource();  // coder_metadata
std::unique_ptr<ManagedResource> make_script_resource();    // coder_script
std::unique_ptr<ManagedResource> make_env_resource();       // coder_env

std::unique_ptr<DataSource> make_workspace_data_source();        // coder_workspace
std::unique_ptr<DataSource> make_workspace_owner_data_source();  // coder_workspace_owner
std::unique_ptr<DataSource> make_provisioner_data_source();      // coder_provisioner
std::unique_ptr<DataSource> make_parameter_data_source();        // coder_parameter

// provider "coder" { url = ... }
const Schema& provider_config_schema();
// Reads the provider block (url, else CODER_AGENT_URL, else the default) and checks it.
Diagnostics configure_provider(const cty::Value& config, ProviderConfig& out);

struct Catalog {
  std::vector<std::unique_ptr<ManagedResource>> resources;
  std::vector<std::unique_ptr<DataSource>> data_sources;

  const ManagedResource* resource(const std::string& type_name) const;
  const DataSource* data_source(const std::string& type_name) const;
};

Catalog make_catalog();

}  // namespace coder::provider
