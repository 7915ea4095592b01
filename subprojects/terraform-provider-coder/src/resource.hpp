// What a resource type or data source of the provider implements. The protocol-level lifecycle
// (defaults, computed values, replacement, unknowns) is shared in resource_lifecycle.cpp; a
// resource only says what is special about it.
#pragma once

#include <string>

#include "cty_value.hpp"
#include "diagnostics.hpp"
#include "provider_env.hpp"
#include "schema.hpp"

namespace coder::provider {

class ManagedResource {
 public:
  virtual ~ManagedResource() = default;
  virtual std::string type_name() const = 0;
  virtual const Schema& schema() const = 0;

  // Checks the configuration; values may be unknown at this stage and are then skipped.
  virtual Diagnostics validate(const cty::Value& config) const;
  // Fills computed attributes that are already known while planning. On create the computed
  // attributes arrive unknown; on update they hold the prior values.
  virtual void plan(cty::Value& planned, bool creating, const ProviderConfig& config) const;
  // Creates the object: replaces the remaining unknowns with real values. `private_state` is
  // opaque data Terraform stores with the object and hands back on every later call.
  virtual Diagnostics create(cty::Value& state, std::string& private_state,
                             const ProviderConfig& config) const = 0;
  // Refreshes a stored object (ReadResource).
  virtual Diagnostics refresh(cty::Value& state, std::string& private_state,
                              const ProviderConfig& config) const;
};

class DataSource {
 public:
  virtual ~DataSource() = default;
  virtual std::string type_name() const = 0;
  virtual const Schema& schema() const = 0;
  virtual Diagnostics validate(const cty::Value& config) const;
  // `state` arrives as the configuration with defaults applied; read fills the computed attributes.
  virtual Diagnostics read(cty::Value& state, const ProviderConfig& config) const = 0;
};

}  // namespace coder::provider
