#include "resource.hpp"

namespace coder::provider {

Diagnostics ManagedResource::validate(const cty::Value&) const {
  return {};
}
void ManagedResource::plan(cty::Value&, bool, const ProviderConfig&) const {}
Diagnostics ManagedResource::refresh(cty::Value&, std::string&, const ProviderConfig&) const {
  return {};
}
Diagnostics DataSource::validate(const cty::Value&) const {
  return {};
}

}  // namespace coder::provider
