#include "cty_json.hpp"

#include <rapidjson/document.h>

#include <charconv>
#include <stdexcept>

namespace coder::provider::cty {

namespace {

struct JsonError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw JsonError((path.empty() ? std::string("state") : path) + ": " + what);
}

Value from_json(const rapidjson::Value& j, const Type& t, const std::string& path) {
  if (j.IsNull()) return Value::null();
  switch (t.kind()) {
    case Type::Kind::Bool:
      if (!j.IsBool()) fail(path, "expected bool");
      return Value::boolean(j.GetBool());
    case Type::Kind::Number: {
      // Parsed with kParseNumbersAsStringsFlag: the text keeps its full precision.
      if (!j.IsString()) fail(path, "expected number");
      std::string text(j.GetString(), j.GetStringLength());
      double d = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (text.empty() || end != text.data() + text.size() || ec == std::errc::invalid_argument)
        fail(path, "\"" + text + "\" is not a number");
      return Value::number_text(std::move(text));
    }
    case Type::Kind::String:
      if (!j.IsString()) fail(path, "expected string");
      return Value::string(std::string(j.GetString(), j.GetStringLength()));
    case Type::Kind::List:
    case Type::Kind::Set: {
      if (!j.IsArray()) fail(path, "expected array");
      std::vector<Value> elements;
      for (rapidjson::SizeType i = 0; i < j.Size(); ++i)
        elements.push_back(from_json(j[i], t.element(), path + "[" + std::to_string(i) + "]"));
      return t.kind() == Type::Kind::List ? Value::list(std::move(elements))
                                          : Value::set(std::move(elements));
    }
    case Type::Kind::Map:
    case Type::Kind::Object: {
      if (!j.IsObject()) fail(path, "expected object");
      std::map<std::string, Value> entries;
      for (auto it = j.MemberBegin(); it != j.MemberEnd(); ++it) {
        std::string key(it->name.GetString(), it->name.GetStringLength());
        if (t.kind() == Type::Kind::Map) {
          entries[key] = from_json(it->value, t.element(), path + "[\"" + key + "\"]");
          continue;
        }
        auto attr = t.attributes().find(key);
        if (attr == t.attributes().end()) continue;  // removed from the schema since
        entries[key] = from_json(it->value, attr->second, path.empty() ? key : path + "." + key);
      }
      if (t.kind() == Type::Kind::Map) return Value::map(std::move(entries));
      for (const auto& [name, attr_type] : t.attributes()) entries.try_emplace(name, Value::null());
      return Value::object(std::move(entries));
    }
  }
  fail(path, "unsupported type");
}

}  // namespace

Decoded decode_json(std::string_view json, const Type& type) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(json.data(), json.size());
  if (doc.HasParseError())
    return {Value::null(), "malformed JSON at offset " + std::to_string(doc.GetErrorOffset())};
  try {
    return {from_json(doc, type, ""), ""};
  } catch (const JsonError& e) {
    return {Value::null(), e.what()};
  }
}

}  // namespace coder::provider::cty
