// data coder_parameter: a value the workspace owner chooses. Its value comes from
// CODER_PARAMETER_<hex sha256 of the name> (hashed because names may hold any character), else
// from `default`. Checks of the declaration run at validate time; checks of the chosen value run
// when the data source is read; each diagnostic points at the attribute or rule concerned.
#include <rapidjson/document.h>

#include <charconv>
#include <regex>
#include <set>

#include "crypto_ids.hpp"
#include "provider_catalog.hpp"
#include "validation.hpp"

namespace coder::provider {

namespace {

using cty::Type;
using cty::Value;

Schema parameter_schema() {
  Schema s;
  Block& b = s.block;
  b.description = "Use this data source to configure editable options for workspaces.";
  b.attributes = {
      computed("id", Type::string(), "A UUID derived from the parameter's name."),
      computed("value", Type::string(), "The value chosen for the parameter."),
      required("name", Type::string(), "The name of the parameter."),
      optional("display_name", Type::string(), "The name shown in the UI."),
      optional("description", Type::string(), "Describe what this parameter does."),
      optional_default("type", Value::string("string"),
                       "One of string, number, bool, list(string)."),
      optional_default("mutable", Value::boolean(false),
                       "Whether the value can change after workspace creation."),
      optional_default("ephemeral", Value::boolean(false), "The value is used for one build only."),
      optional("default", Type::string(),
               "A default value; without one the parameter is required."),
      optional("icon", Type::string(), "A URL to an icon that will display in the dashboard."),
      optional("order", Type::number(), "Position of the parameter in the UI; lowest first."),
      computed("optional", Type::boolean(), "True when the parameter has a default."),
  };
  Block option;
  option.attributes = {
      required("name", Type::string(), "The name of this option in the UI."),
      optional("description", Type::string(), "Describe what selecting this option does."),
      required("value", Type::string(), "The parameter's value when this option is selected."),
      optional("icon", Type::string(), "A URL to an icon that will display in the dashboard."),
  };
  b.blocks.push_back(nested_list("option", std::move(option), 0, 64));
  Block validation;
  validation.attributes = {
      optional("min", Type::number(), "The minimum of a number parameter."),
      computed("min_disabled", Type::boolean(), "True when min is not set."),
      optional("max", Type::number(), "The maximum of a number parameter."),
      computed("max_disabled", Type::boolean(), "True when max is not set."),
      optional("monotonic", Type::string(),
               "increasing or decreasing: how a number may change between builds."),
      optional("regex", Type::string(), "A regular expression a string value must match."),
      optional("error", Type::string(), "The message shown when the regex does not match."),
  };
  b.blocks.push_back(nested_list("validation", std::move(validation), 0, 1));
  return s;
}

std::string type_of(const Value& config) {
  return config.get("type").string_or("string");
}

AttributePath validation_path(const char* attribute) {
  return {PathStep::attribute("validation"), PathStep::at(0), PathStep::attribute(attribute)};
}

std::optional<double> parse_number(const std::string& s) {
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return d;
}

bool is_string_list(const std::string& s) {
  rapidjson::Document doc;
  doc.Parse(s.c_str());
  if (doc.HasParseError() || !doc.IsArray()) return false;
  for (const auto& e : doc.GetArray())
    if (!e.IsString()) return false;
  return true;
}

// Empty when `value` is a valid `type`; otherwise why not.
std::string type_error(const std::string& type, const std::string& value) {
  if (type == "number" && !parse_number(value)) return "\"" + value + "\" is not a number";
  if (type == "bool" && value != "true" && value != "false")
    return "\"" + value + "\" is not a bool (true or false)";
  if (type == "list(string)" && !is_string_list(value))
    return "\"" + value + "\" is not a list of strings (a JSON array such as [\"a\",\"b\"])";
  return "";
}

// Checks `value` against the validation block and options. `what` names the value in messages.
void check_value(Diagnostics& d, const Value& config, const std::string& value,
                 const std::string& what, const AttributePath& value_path) {
  const std::string type = type_of(config);
  if (auto why = type_error(type, value); !why.empty()) {
    d.push_back(error_at(value_path, "Invalid " + what,
                         why + " but the parameter's type is " + type + "."));
    return;
  }
  const auto& rules = config.get("validation").elements();
  if (!rules.empty()) {
    const Value& rule = rules[0];
    if (type == "number") {
      const double n = *parse_number(value);
      if (auto min = rule.get("min").as_double(); min && n < *min)
        d.push_back(error_at(validation_path("min"), "Invalid " + what,
                             "Value " + value + " is less than the minimum " +
                                 rule.get("min").number_as_text() + "."));
      if (auto max = rule.get("max").as_double(); max && n > *max)
        d.push_back(error_at(validation_path("max"), "Invalid " + what,
                             "Value " + value + " is more than the maximum " +
                                 rule.get("max").number_as_text() + "."));
    }
    const Value& regex = rule.get("regex");
    if (type == "string" && regex.kind() == Value::Kind::String) {
      try {
        if (!std::regex_search(value, std::regex(regex.as_string())))
          d.push_back(error_at(validation_path("regex"), "Invalid " + what,
                               rule.get("error").string_or("value does not match") + " (value \"" +
                                   value + "\" does not match \"" + regex.as_string() + "\")."));
      } catch (const std::regex_error&) {
        // Reported by the declaration checks.
      }
    }
  }
  const auto& options = config.get("option").elements();
  if (options.empty()) return;
  const auto is_option = [&](const std::string& v) {
    for (const auto& o : options)
      if (o.get("value").kind() == Value::Kind::String && o.get("value").as_string() == v)
        return true;
    return false;
  };
  // A list(string) parameter with options is a multi-select: every element must be an option.
  std::vector<std::string> chosen;
  if (type == "list(string)") {
    rapidjson::Document doc;
    doc.Parse(value.c_str());
    for (const auto& e : doc.GetArray()) chosen.emplace_back(e.GetString(), e.GetStringLength());
  } else {
    chosen.push_back(value);
  }
  for (const auto& v : chosen)
    if (!is_option(v))
      d.push_back(
          error_at(value_path, "Invalid " + what, "\"" + v + "\" is not the value of any option."));
}

void check_declaration(Diagnostics& d, const Value& config) {
  check_one_of(d, config.get("type"), {"string", "number", "bool", "list(string)"}, path_of("type"),
               "parameter type");
  if (config.get("type").is_unknown()) return;
  const std::string type = type_of(config);
  const auto& options = config.get("option").elements();
  const auto& rules = config.get("validation").elements();
  if (!options.empty() && !rules.empty())
    d.push_back(error_at(path_of("validation"), "Conflicting coder_parameter blocks",
                         "\"validation\" cannot be combined with \"option\" blocks."));
  if (!rules.empty()) {
    const Value& rule = rules[0];
    for (const char* bound : {"min", "max"})
      if (is_set(rule.get(bound)) && type != "number")
        d.push_back(error_at(
            validation_path(bound), "Invalid parameter validation",
            std::string("A ") + bound + " cannot be specified for a " + type + " parameter."));
    const Value& regex = rule.get("regex");
    if (is_set(regex) && type != "string")
      d.push_back(error_at(validation_path("regex"), "Invalid parameter validation",
                           "A regex cannot be specified for a " + type + " parameter."));
    if (regex.kind() == Value::Kind::String) {
      try {
        std::regex compiled(regex.as_string());
      } catch (const std::regex_error& e) {
        d.push_back(
            error_at(validation_path("regex"), "Invalid parameter validation",
                     "The regex \"" + regex.as_string() + "\" does not compile: " + e.what()));
      }
      if (rule.get("error").is_null())
        d.push_back(error_at(validation_path("error"), "Invalid parameter validation",
                             "An error message must be specified with a regex validation."));
    }
    check_one_of(d, rule.get("monotonic"), {"increasing", "decreasing"},
                 validation_path("monotonic"), "monotonic value");
    auto min = rule.get("min").as_double(), max = rule.get("max").as_double();
    if (min && max && *min > *max)
      d.push_back(error_at(validation_path("min"), "Invalid parameter validation",
                           "The minimum " + rule.get("min").number_as_text() +
                               " is greater than the maximum " + rule.get("max").number_as_text() +
                               "."));
  }
  std::set<std::string> names, values;
  for (std::size_t i = 0; i < options.size(); ++i) {
    const auto at = [i](const char* attr) {
      return AttributePath{PathStep::attribute("option"),
                           PathStep::at(static_cast<std::int64_t>(i)), PathStep::attribute(attr)};
    };
    const Value& name = options[i].get("name");
    const Value& value = options[i].get("value");
    if (name.kind() == Value::Kind::String && !names.insert(name.as_string()).second)
      d.push_back(
          error_at(at("name"), "Duplicate parameter option",
                   "Multiple options cannot have the same name \"" + name.as_string() + "\"."));
    if (value.kind() != Value::Kind::String) continue;
    if (!values.insert(value.as_string()).second)
      d.push_back(
          error_at(at("value"), "Duplicate parameter option",
                   "Multiple options cannot have the same value \"" + value.as_string() + "\"."));
    const std::string option_type = type == "list(string)" ? "string" : type;
    if (auto why = type_error(option_type, value.as_string()); !why.empty())
      d.push_back(error_at(at("value"), "Invalid parameter option",
                           why + " but the parameter's type is " + type + "."));
  }
  const Value& def = config.get("default");
  if (def.kind() == Value::Kind::String && config.get("validation").is_wholly_known() &&
      config.get("option").is_wholly_known())
    check_value(d, config, def.as_string(), "default value", path_of("default"));
}

class ParameterDataSource final : public DataSource {
 public:
  std::string type_name() const override { return "coder_parameter"; }
  const Schema& schema() const override { return schema_; }

  Diagnostics validate(const Value& config) const override {
    Diagnostics d;
    check_declaration(d, config);
    return d;
  }

  Diagnostics read(Value& state, const ProviderConfig&) const override {
    Diagnostics d;
    check_declaration(d, state);
    if (has_errors(d)) return d;
    const std::string name = state.get("name").string_or("");
    const Value& def = state.get("default");
    std::string value = def.string_or("");
    const std::string env_name = "CODER_PARAMETER_" + sha256_hex(name);
    bool from_env = false;
    if (auto v = env(env_name.c_str())) {
      value = *v;
      from_env = true;
    }
    if (from_env || def.kind() == Value::Kind::String)
      check_value(d, state, value, "value for parameter \"" + name + "\"", path_of("value"));
    if (has_errors(d)) return d;

    state.set_attr("id", Value::string(uuid_from_bytes(sha256_hex("coder_parameter:" + name))));
    state.set_attr("value", Value::string(value));
    state.set_attr("optional", Value::boolean(!def.is_null()));
    Value rules = state.get("validation");
    for (auto& rule : rules.elements()) {
      rule.set_attr("min_disabled", Value::boolean(rule.get("min").is_null()));
      rule.set_attr("max_disabled", Value::boolean(rule.get("max").is_null()));
    }
    state.set_attr("validation", std::move(rules));
    return d;
  }

 private:
  Schema schema_ = parameter_schema();
};

}  // namespace

std::unique_ptr<DataSource> make_parameter_data_source() {
  return std::make_unique<ParameterDataSource>();
}

}  // namespace coder::provider
