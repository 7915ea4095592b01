// The managed-resource and data-source lifecycle of plugin protocol 6, shared by every type:
//  - plan: defaults for null optional attributes, computed attributes unknown on create,
//    replacement when a configured attribute changes (every coder_* argument forces a new object,
//    as in Coder's provider), and the prior object's computed values otherwise;
//  - apply: create fills the unknowns; destroy returns null;
//  - read: refresh hook; data sources: configuration + defaults + computed values.
#pragma once

#include <string>
#include <vector>

#include "resource.hpp"

namespace coder::provider {

struct PlanResult {
  cty::Value planned;
  std::vector<AttributePath> requires_replace;
  std::string planned_private;
  Diagnostics diagnostics;
};

struct StateResult {
  cty::Value state;
  std::string private_state;
  Diagnostics diagnostics;
};

// Fills attributes that have a default and are null, in the object and its nested blocks.
cty::Value apply_defaults(const Block& block, cty::Value object);

PlanResult plan_resource_change(const ManagedResource& resource, const cty::Value& prior,
                                const cty::Value& proposed, const cty::Value& config,
                                const std::string& prior_private,
                                const ProviderConfig& provider_config);
StateResult apply_resource_change(const ManagedResource& resource, const cty::Value& prior,
                                  const cty::Value& planned, const std::string& planned_private,
                                  const ProviderConfig& provider_config);
StateResult read_resource(const ManagedResource& resource, const cty::Value& current,
                          const std::string& private_state, const ProviderConfig& provider_config);
StateResult read_data_source(const DataSource& data_source, const cty::Value& config,
                             const ProviderConfig& provider_config);

}  // namespace coder::provider
