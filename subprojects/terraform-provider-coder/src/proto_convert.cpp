#include "proto_convert.hpp"

#include "cty_json.hpp"

namespace coder::provider {

namespace {

void block_to_proto(const Block& block, tfplugin6::Schema::Block& out) {
  out.set_description(block.description);
  for (const auto& a : block.attributes) {
    auto* pa = out.add_attributes();
    pa->set_name(a.name);
    pa->set_type(a.type.to_json());
    pa->set_description(a.description);
    pa->set_required(a.required);
    pa->set_optional(a.optional);
    pa->set_computed(a.computed);
    pa->set_sensitive(a.sensitive);
    pa->set_deprecated(a.deprecated);
  }
  for (const auto& b : block.blocks) {
    auto* pb = out.add_block_types();
    pb->set_type_name(b.type_name);
    pb->set_nesting(static_cast<tfplugin6::Schema::NestedBlock::NestingMode>(b.nesting));
    pb->set_min_items(b.min_items);
    pb->set_max_items(b.max_items);
    block_to_proto(*b.block, *pb->mutable_block());
  }
}

}  // namespace

void to_proto(const Schema& schema, tfplugin6::Schema& out) {
  out.set_version(schema.version);
  block_to_proto(schema.block, *out.mutable_block());
  out.mutable_block()->set_version(schema.version);
}

void to_proto(const AttributePath& path, tfplugin6::AttributePath& out) {
  for (const auto& step : path) {
    auto* s = out.add_steps();
    switch (step.kind) {
      case PathStep::Kind::Attribute:
        s->set_attribute_name(step.name);
        break;
      case PathStep::Kind::KeyString:
        s->set_element_key_string(step.name);
        break;
      case PathStep::Kind::KeyInt:
        s->set_element_key_int(step.index);
        break;
    }
  }
}

void append_diagnostics(const Diagnostics& diags,
                        google::protobuf::RepeatedPtrField<tfplugin6::Diagnostic>& out) {
  for (const auto& d : diags) {
    auto* pd = out.Add();
    pd->set_severity(d.error ? tfplugin6::Diagnostic::ERROR : tfplugin6::Diagnostic::WARNING);
    pd->set_summary(d.summary);
    pd->set_detail(d.detail);
    if (!d.path.empty()) to_proto(d.path, *pd->mutable_attribute());
  }
}

void set_dynamic(tfplugin6::DynamicValue& out, const cty::Value& value, const cty::Type& type) {
  out.set_msgpack(cty::encode_msgpack(value, type));
}

cty::Decoded from_dynamic(const tfplugin6::DynamicValue& in, const cty::Type& type) {
  if (!in.msgpack().empty()) return cty::decode_msgpack(in.msgpack(), type);
  if (!in.json().empty()) return cty::decode_json(in.json(), type);
  return {cty::Value::null(), ""};
}

}  // namespace coder::provider
