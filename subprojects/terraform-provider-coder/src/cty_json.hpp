// cty values from JSON: Terraform sends a resource's stored state as JSON in
// UpgradeResourceState. Attributes the current schema no longer has are dropped and attributes
// it gained are null, which is the whole upgrade our schemas need.
#pragma once

#include <string_view>

#include "cty_msgpack.hpp"

namespace coder::provider::cty {

Decoded decode_json(std::string_view json, const Type& type);

}  // namespace coder::provider::cty
