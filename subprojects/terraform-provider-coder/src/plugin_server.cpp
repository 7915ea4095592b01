#include "plugin_server.hpp"

#include "cty_json.hpp"
#include "proto_convert.hpp"
#include "resource_lifecycle.hpp"

namespace coder::provider {

namespace {

using grpc::Status;

template <typename Response>
void add_error(Response* resp, const std::string& summary, const std::string& detail = {}) {
  append_diagnostics({error(summary, detail)}, *resp->mutable_diagnostics());
}

// The catalog entry Terraform asked for, or nullptr after telling Terraform it does not exist.
template <typename Response>
const ManagedResource* find_resource(const Catalog& catalog, const std::string& type_name,
                                     Response* resp) {
  const ManagedResource* r = catalog.resource(type_name);
  if (r == nullptr)
    add_error(resp, "Unsupported resource type",
              "terraform-provider-coder has no resource " + type_name);
  return r;
}

template <typename Response>
const DataSource* find_data_source(const Catalog& catalog, const std::string& type_name,
                                   Response* resp) {
  const DataSource* d = catalog.data_source(type_name);
  if (d == nullptr)
    add_error(resp, "Unsupported data source",
              "terraform-provider-coder has no data source " + type_name);
  return d;
}

// Decodes one DynamicValue of a request; on failure adds a diagnostic and returns false.
template <typename Response>
bool decode(Response* resp, const tfplugin6::DynamicValue& in, const cty::Type& type,
            const std::string& what, const std::string& type_name, cty::Value& out) {
  cty::Decoded d = from_dynamic(in, type);
  if (!d.ok()) {
    add_error(
        resp, "Invalid " + what + " for " + type_name,
        "terraform-provider-coder could not decode the " + what + " Terraform sent: " + d.error);
    return false;
  }
  out = std::move(d.value);
  return true;
}

}  // namespace

ProviderService::ProviderService() : catalog_(make_catalog()) {}

ProviderConfig ProviderService::config() const {
  std::lock_guard lock(mutex_);
  return config_;
}

Status ProviderService::GetProviderSchema(Ctx*, const tfplugin6::GetProviderSchema::Request*,
                                          tfplugin6::GetProviderSchema::Response* resp) {
  to_proto(provider_config_schema(), *resp->mutable_provider());
  for (const auto& r : catalog_.resources)
    to_proto(r->schema(), (*resp->mutable_resource_schemas())[r->type_name()]);
  for (const auto& d : catalog_.data_sources)
    to_proto(d->schema(), (*resp->mutable_data_source_schemas())[d->type_name()]);
  return Status::OK;
}

Status ProviderService::ValidateProviderConfig(
    Ctx*, const tfplugin6::ValidateProviderConfig::Request* req,
    tfplugin6::ValidateProviderConfig::Response* resp) {
  cty::Value cfg;
  decode(resp, req->config(), provider_config_schema().block.implied_type(),
         "provider configuration", "coder", cfg);
  return Status::OK;
}

Status ProviderService::ValidateResourceConfig(
    Ctx*, const tfplugin6::ValidateResourceConfig::Request* req,
    tfplugin6::ValidateResourceConfig::Response* resp) {
  const ManagedResource* r = find_resource(catalog_, req->type_name(), resp);
  if (r == nullptr) return Status::OK;
  cty::Value cfg;
  if (decode(resp, req->config(), r->schema().block.implied_type(), "configuration",
             req->type_name(), cfg))
    append_diagnostics(r->validate(cfg), *resp->mutable_diagnostics());
  return Status::OK;
}

Status ProviderService::ValidateDataResourceConfig(
    Ctx*, const tfplugin6::ValidateDataResourceConfig::Request* req,
    tfplugin6::ValidateDataResourceConfig::Response* resp) {
  const DataSource* d = find_data_source(catalog_, req->type_name(), resp);
  if (d == nullptr) return Status::OK;
  cty::Value cfg;
  if (decode(resp, req->config(), d->schema().block.implied_type(), "configuration",
             req->type_name(), cfg))
    append_diagnostics(d->validate(cfg), *resp->mutable_diagnostics());
  return Status::OK;
}

Status ProviderService::UpgradeResourceState(Ctx*,
                                             const tfplugin6::UpgradeResourceState::Request* req,
                                             tfplugin6::UpgradeResourceState::Response* resp) {
  const ManagedResource* r = find_resource(catalog_, req->type_name(), resp);
  if (r == nullptr) return Status::OK;
  if (req->raw_state().json().empty()) {
    add_error(
        resp, "Unsupported state format",
        "The state of this " + req->type_name() +
            " is in the legacy flatmap format, which terraform-provider-coder does not read.");
    return Status::OK;
  }
  const cty::Type type = r->schema().block.implied_type();
  cty::Decoded d = cty::decode_json(req->raw_state().json(), type);
  if (!d.ok()) {
    add_error(resp, "Invalid stored state for " + req->type_name(), d.error);
    return Status::OK;
  }
  set_dynamic(*resp->mutable_upgraded_state(), d.value, type);
  return Status::OK;
}

Status ProviderService::ConfigureProvider(Ctx*, const tfplugin6::ConfigureProvider::Request* req,
                                          tfplugin6::ConfigureProvider::Response* resp) {
  cty::Value cfg;
  if (!decode(resp, req->config(), provider_config_schema().block.implied_type(),
              "provider configuration", "coder", cfg))
    return Status::OK;
  ProviderConfig next;
  Diagnostics diags = configure_provider(cfg, next);
  if (!has_errors(diags)) {
    std::lock_guard lock(mutex_);
    config_ = next;
  }
  append_diagnostics(diags, *resp->mutable_diagnostics());
  return Status::OK;
}

Status ProviderService::ReadResource(Ctx*, const tfplugin6::ReadResource::Request* req,
                                     tfplugin6::ReadResource::Response* resp) {
  const ManagedResource* r = find_resource(catalog_, req->type_name(), resp);
  if (r == nullptr) return Status::OK;
  const cty::Type type = r->schema().block.implied_type();
  cty::Value current;
  if (!decode(resp, req->current_state(), type, "current state", req->type_name(), current))
    return Status::OK;
  StateResult result = read_resource(*r, current, req->private_(), config());
  set_dynamic(*resp->mutable_new_state(), result.state, type);
  resp->set_private_(result.private_state);
  append_diagnostics(result.diagnostics, *resp->mutable_diagnostics());
  return Status::OK;
}

Status ProviderService::PlanResourceChange(Ctx*, const tfplugin6::PlanResourceChange::Request* req,
                                           tfplugin6::PlanResourceChange::Response* resp) {
  const ManagedResource* r = find_resource(catalog_, req->type_name(), resp);
  if (r == nullptr) return Status::OK;
  const cty::Type type = r->schema().block.implied_type();
  cty::Value prior, proposed, cfg;
  if (!decode(resp, req->prior_state(), type, "prior state", req->type_name(), prior) ||
      !decode(resp, req->proposed_new_state(), type, "proposed state", req->type_name(),
              proposed) ||
      !decode(resp, req->config(), type, "configuration", req->type_name(), cfg))
    return Status::OK;
  PlanResult result =
      plan_resource_change(*r, prior, proposed, cfg, req->prior_private(), config());
  set_dynamic(*resp->mutable_planned_state(), result.planned, type);
  resp->set_planned_private(result.planned_private);
  for (const auto& path : result.requires_replace) to_proto(path, *resp->add_requires_replace());
  append_diagnostics(result.diagnostics, *resp->mutable_diagnostics());
  return Status::OK;
}

Status ProviderService::ApplyResourceChange(Ctx*,
                                            const tfplugin6::ApplyResourceChange::Request* req,
                                            tfplugin6::ApplyResourceChange::Response* resp) {
  const ManagedResource* r = find_resource(catalog_, req->type_name(), resp);
  if (r == nullptr) return Status::OK;
  const cty::Type type = r->schema().block.implied_type();
  cty::Value prior, planned;
  if (!decode(resp, req->prior_state(), type, "prior state", req->type_name(), prior) ||
      !decode(resp, req->planned_state(), type, "planned state", req->type_name(), planned))
    return Status::OK;
  StateResult result = apply_resource_change(*r, prior, planned, req->planned_private(), config());
  set_dynamic(*resp->mutable_new_state(), result.state, type);
  resp->set_private_(result.private_state);
  append_diagnostics(result.diagnostics, *resp->mutable_diagnostics());
  return Status::OK;
}

Status ProviderService::ReadDataSource(Ctx*, const tfplugin6::ReadDataSource::Request* req,
                                       tfplugin6::ReadDataSource::Response* resp) {
  const DataSource* d = find_data_source(catalog_, req->type_name(), resp);
  if (d == nullptr) return Status::OK;
  const cty::Type type = d->schema().block.implied_type();
  cty::Value cfg;
  if (!decode(resp, req->config(), type, "configuration", req->type_name(), cfg)) return Status::OK;
  StateResult result = read_data_source(*d, cfg, config());
  if (!has_errors(result.diagnostics)) set_dynamic(*resp->mutable_state(), result.state, type);
  append_diagnostics(result.diagnostics, *resp->mutable_diagnostics());
  return Status::OK;
}

// Nothing the provider does runs long or holds external resources, so there is nothing to
// cancel: answering promptly is the whole of a graceful stop.
Status ProviderService::StopProvider(Ctx*, const tfplugin6::StopProvider::Request*,
                                     tfplugin6::StopProvider::Response*) {
  return Status::OK;
}

grpc::Status ControllerService::Shutdown(grpc::ServerContext*, const plugin::Empty*,
                                         plugin::Empty*) {
  on_shutdown_();
  return grpc::Status::OK;
}

}  // namespace coder::provider
