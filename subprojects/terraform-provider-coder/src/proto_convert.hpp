// Our schema, diagnostics and values <-> the generated tfplugin6 protobuf messages.
#pragma once

#include <google/protobuf/repeated_field.h>

#include "cty_msgpack.hpp"
#include "diagnostics.hpp"
#include "schema.hpp"
#include "tfplugin6.pb.h"

namespace coder::provider {

void to_proto(const Schema& schema, tfplugin6::Schema& out);
void to_proto(const AttributePath& path, tfplugin6::AttributePath& out);
void append_diagnostics(const Diagnostics& diags,
                        google::protobuf::RepeatedPtrField<tfplugin6::Diagnostic>& out);
void set_dynamic(tfplugin6::DynamicValue& out, const cty::Value& value, const cty::Type& type);
// Reads msgpack (or json when that is what Terraform sent); an absent DynamicValue is null.
cty::Decoded from_dynamic(const tfplugin6::DynamicValue& in, const cty::Type& type);

}  // namespace coder::provider
