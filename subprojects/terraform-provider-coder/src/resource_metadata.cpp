// coder_metadata: key/value items shown next to another resource of the workspace in the UI.
#include <set>

#include "crypto_ids.hpp"
#include "provider_catalog.hpp"
#include "validation.hpp"

namespace coder::provider {

namespace {

using cty::Type;
using cty::Value;

Schema metadata_schema() {
  Schema s;
  s.version = 1;
  Block& b = s.block;
  b.description = "Use this resource to attach metadata to a resource, shown in the dashboard.";
  b.attributes = {
      computed("id", Type::string(), "The metadata's UUID."),
      required("resource_id", Type::string(), "The id of the resource the metadata describes."),
      optional_default("hide", Value::boolean(false), "Hide the resource from the UI."),
      optional("icon", Type::string(), "A URL to an icon that will display in the dashboard."),
      optional("daily_cost", Type::number(), "Cost of the resource per day, in credits."),
  };
  Block item;
  item.attributes = {
      required("key", Type::string(), "The key of this metadata item."),
      optional("value", Type::string(), "The value of this metadata item."),
      optional_default("sensitive", Value::boolean(false), "Hide the value in the UI."),
      computed("is_null", Type::boolean(), "True when the value is null."),
  };
  b.blocks.push_back(nested_list("item", std::move(item), 1));
  return s;
}

class MetadataResource final : public ManagedResource {
 public:
  std::string type_name() const override { return "coder_metadata"; }
  const Schema& schema() const override { return schema_; }

  Diagnostics validate(const Value& config) const override {
    Diagnostics d;
    std::set<std::string> keys;
    const auto& items = config.get("item").elements();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Value& key = items[i].get("key");
      if (key.kind() == Value::Kind::String && !keys.insert(key.as_string()).second)
        d.push_back(
            error_at({PathStep::attribute("item"), PathStep::at(static_cast<std::int64_t>(i)),
                      PathStep::attribute("key")},
                     "Duplicate metadata key",
                     "The item key \"" + key.as_string() + "\" is used more than once."));
    }
    return d;
  }

  // is_null tells the server a value was left out (Terraform drops the difference between
  // null and "" when values are read back as strings).
  void plan(Value& planned, bool, const ProviderConfig&) const override {
    Value items = planned.get("item");
    for (auto& item : items.elements()) {
      const Value& v = item.get("value");
      item.set_attr("is_null", v.is_unknown() ? Value::unknown() : Value::boolean(v.is_null()));
    }
    planned.set_attr("item", std::move(items));
  }

  Diagnostics create(Value& state, std::string&, const ProviderConfig&) const override {
    state.set_attr("id", Value::string(random_uuid()));
    Value items = state.get("item");
    for (auto& item : items.elements())
      item.set_attr("is_null", Value::boolean(item.get("value").is_null()));
    state.set_attr("item", std::move(items));
    return {};
  }

 private:
  Schema schema_ = metadata_schema();
};

}  // namespace

std::unique_ptr<ManagedResource> make_metadata_resource() {
  return std::make_unique<MetadataResource>();
}

}  // namespace coder::provider
