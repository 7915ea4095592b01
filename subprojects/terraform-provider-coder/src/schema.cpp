#include "schema.hpp"

#include <map>

namespace coder::provider {

const Attribute* Block::attribute(const std::string& name) const {
  for (const auto& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

cty::Type Block::implied_type() const {
  std::map<std::string, cty::Type> types;
  for (const auto& a : attributes) types.emplace(a.name, a.type);
  for (const auto& b : blocks) {
    const cty::Type inner = b.block->implied_type();
    switch (b.nesting) {
      case NestedBlock::Nesting::Single:
      case NestedBlock::Nesting::Group:
        types.emplace(b.type_name, inner);
        break;
      case NestedBlock::Nesting::List:
        types.emplace(b.type_name, cty::Type::list(inner));
        break;
      case NestedBlock::Nesting::Set:
        types.emplace(b.type_name, cty::Type::set(inner));
        break;
      case NestedBlock::Nesting::Map:
        types.emplace(b.type_name, cty::Type::map(inner));
        break;
    }
  }
  return cty::Type::object(std::move(types));
}

namespace {

cty::Type type_of(const cty::Value& v) {
  switch (v.kind()) {
    case cty::Value::Kind::Bool:
      return cty::Type::boolean();
    case cty::Value::Kind::Number:
      return cty::Type::number();
    default:
      return cty::Type::string();
  }
}

}  // namespace

Attribute required(std::string name, cty::Type type, std::string description) {
  Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.description = std::move(description);
  a.required = true;
  return a;
}

Attribute optional(std::string name, cty::Type type, std::string description) {
  Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.description = std::move(description);
  a.optional = true;
  return a;
}

Attribute optional_default(std::string name, cty::Value default_value, std::string description) {
  Attribute a;
  a.name = std::move(name);
  a.type = type_of(default_value);
  a.description = std::move(description);
  a.optional = true;
  a.computed = true;
  a.default_value = std::move(default_value);
  return a;
}

Attribute computed(std::string name, cty::Type type, std::string description) {
  Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.description = std::move(description);
  a.computed = true;
  return a;
}

NestedBlock nested_list(std::string name, Block block, std::int64_t min_items,
                        std::int64_t max_items) {
  NestedBlock b;
  b.type_name = std::move(name);
  b.block = std::make_shared<const Block>(std::move(block));
  b.nesting = NestedBlock::Nesting::List;
  b.min_items = min_items;
  b.max_items = max_items;
  return b;
}

NestedBlock nested_set(std::string name, Block block, std::int64_t min_items,
                       std::int64_t max_items) {
  NestedBlock b = nested_list(std::move(name), std::move(block), min_items, max_items);
  b.nesting = NestedBlock::Nesting::Set;
  return b;
}

}  // namespace coder::provider
