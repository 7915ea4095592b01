// The schema model of a provider, resource or data source: attributes and nested blocks, as
// Terraform's plugin protocol describes them. Converted to protobuf in schema_proto.cpp and
// used by the lifecycle (defaults, computed values, replacement) in resource_lifecycle.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cty_type.hpp"
#include "cty_value.hpp"

namespace coder::provider {

struct Attribute {
  std::string name;
  cty::Type type = cty::Type::string();
  std::string description;
  bool required = false;
  bool optional = false;
  bool computed = false;
  bool sensitive = false;
  bool deprecated = false;
  // Used when the configuration leaves the attribute null. Terraform only accepts a planned
  // value that differs from the configuration for computed attributes, so attributes with a
  // default are declared optional + computed (Coder's SDK-based provider gets away with plain
  // optional through the legacy type system, which a new provider must not use).
  std::optional<cty::Value> default_value;

  bool computed_only() const { return computed && !optional && !required; }
};

struct Block;

struct NestedBlock {
  enum class Nesting { Single = 1, List = 2, Set = 3, Map = 4, Group = 5 };
  std::string type_name;
  std::shared_ptr<const Block> block;
  Nesting nesting = Nesting::List;
  std::int64_t min_items = 0;
  std::int64_t max_items = 0;
};

struct Block {
  std::vector<Attribute> attributes;
  std::vector<NestedBlock> blocks;
  std::string description;

  const Attribute* attribute(const std::string& name) const;
  // The object type of one instance of this block (what DynamicValue carries).
  cty::Type implied_type() const;
};

struct Schema {
  std::int64_t version = 0;
  Block block;
};

// Builders that keep the schema tables in schema_*.cpp short and readable.
Attribute required(std::string name, cty::Type type, std::string description);
Attribute optional(std::string name, cty::Type type, std::string description);
Attribute optional_default(std::string name, cty::Value default_value, std::string description);
Attribute computed(std::string name, cty::Type type, std::string description);
NestedBlock nested_list(std::string name, Block block, std::int64_t min_items = 0,
                        std::int64_t max_items = 0);
NestedBlock nested_set(std::string name, Block block, std::int64_t min_items = 0,
                       std::int64_t max_items = 0);

}  // namespace coder::provider
