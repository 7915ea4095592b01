#include "resource_lifecycle.hpp"

namespace coder::provider {

namespace {

// Unknowns that survive create would make Terraform reject the new state; an attribute nobody
// set is null.
cty::Value resolve_unknowns(cty::Value v) {
  if (v.is_unknown()) return cty::Value::null();
  for (auto& e : v.elements()) e = resolve_unknowns(std::move(e));
  for (auto& [k, e] : v.entries()) e = resolve_unknowns(std::move(e));
  return v;
}

}  // namespace

cty::Value apply_defaults(const Block& block, cty::Value object) {
  if (object.is_null() || object.is_unknown()) return object;
  for (const auto& attr : block.attributes)
    if (attr.default_value && object.get(attr.name).is_null())
      object.set_attr(attr.name, *attr.default_value);
  for (const auto& nested : block.blocks) {
    cty::Value v = object.get(nested.type_name);
    if (v.is_null() || v.is_unknown()) continue;
    if (v.kind() == cty::Value::Kind::Object) {
      object.set_attr(nested.type_name, apply_defaults(*nested.block, std::move(v)));
      continue;
    }
    std::vector<cty::Value> elements;
    for (auto& e : v.elements()) elements.push_back(apply_defaults(*nested.block, std::move(e)));
    if (v.kind() == cty::Value::Kind::Set)
      object.set_attr(nested.type_name, cty::Value::set(std::move(elements)));
    else if (v.kind() == cty::Value::Kind::List)
      object.set_attr(nested.type_name, cty::Value::list(std::move(elements)));
  }
  return object;
}

PlanResult plan_resource_change(const ManagedResource& resource, const cty::Value& prior,
                                const cty::Value& proposed, const cty::Value& config,
                                const std::string& prior_private,
                                const ProviderConfig& provider_config) {
  PlanResult result;
  result.planned_private = prior_private;
  if (proposed.is_null()) return result;  // destroy: nothing to plan

  const Block& block = resource.schema().block;
  const bool creating = prior.is_null();
  cty::Value planned = proposed;
  for (const auto& attr : block.attributes) {
    const cty::Value& configured = config.get(attr.name);
    if (attr.computed_only()) {
      planned.set_attr(attr.name, creating ? cty::Value::unknown() : prior.get(attr.name));
    } else if (configured.is_null() && attr.default_value) {
      planned.set_attr(attr.name, *attr.default_value);
    } else if (configured.is_null() && attr.computed && creating) {
      planned.set_attr(attr.name, cty::Value::unknown());
    }
  }
  planned = apply_defaults(block, std::move(planned));
  resource.plan(planned, creating, provider_config);

  if (!creating) {
    for (const auto& attr : block.attributes)
      if (!attr.computed_only() && planned.get(attr.name) != prior.get(attr.name))
        result.requires_replace.push_back({PathStep::attribute(attr.name)});
    for (const auto& nested : block.blocks)
      if (planned.get(nested.type_name) != prior.get(nested.type_name))
        result.requires_replace.push_back({PathStep::attribute(nested.type_name)});
  }
  result.planned = std::move(planned);
  return result;
}

StateResult apply_resource_change(const ManagedResource& resource, const cty::Value& prior,
                                  const cty::Value& planned, const std::string& planned_private,
                                  const ProviderConfig& provider_config) {
  StateResult result;
  result.private_state = planned_private;
  if (planned.is_null()) return result;  // destroy: coder_* objects live only in the state

  result.state = planned;
  if (prior.is_null())
    result.diagnostics = resource.create(result.state, result.private_state, provider_config);
  result.state = resolve_unknowns(std::move(result.state));
  return result;
}

StateResult read_resource(const ManagedResource& resource, const cty::Value& current,
                          const std::string& private_state, const ProviderConfig& provider_config) {
  StateResult result{current, private_state, {}};
  if (current.is_null()) return result;
  result.diagnostics = resource.refresh(result.state, result.private_state, provider_config);
  return result;
}

StateResult read_data_source(const DataSource& data_source, const cty::Value& config,
                             const ProviderConfig& provider_config) {
  StateResult result;
  result.state = apply_defaults(data_source.schema().block, config);
  result.diagnostics = data_source.read(result.state, provider_config);
  result.state = resolve_unknowns(std::move(result.state));
  return result;
}

}  // namespace coder::provider
