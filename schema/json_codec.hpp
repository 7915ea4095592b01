// JSON for every CODER_SCHEMA type, derived from its one field list (schema/reflect.hpp).
// Decoding never throws and never trusts input: wrong types, missing required fields and
// malformed documents become validation entries that the HTTP layer turns into a 400.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "schema/reflect.hpp"

namespace coder::schema {

struct json_validation {
  std::string field;
  std::string detail;
};

struct json_decode_error {
  std::string message;
  std::vector<json_validation> validations;
};

namespace detail {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_string_map : std::false_type {};
template <>
struct is_string_map<std::map<std::string, std::string>> : std::true_type {};

template <class T>
void write_value(json_writer& w, const T& v);

template <reflectable T>
void write_object(json_writer& w, const T& x) {
  w.StartObject();
  apply_fields(x, [&w](auto... fields) {
    auto one = [&w](auto& field) {
      using value_type = std::decay_t<decltype(field.value)>;
      if constexpr (is_optional<value_type>::value) {
        if (!field.value) return;  // absent optionals are omitted, as Coder's API does
      }
      w.Key(field.name);
      write_value(w, field.value);
    };
    (one(fields), ...);
  });
  w.EndObject();
}

template <class T>
void write_value(json_writer& w, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    w.Bool(v);
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    w.Int64(static_cast<int64_t>(v));
  } else if constexpr (std::is_integral_v<T>) {
    w.Uint64(static_cast<uint64_t>(v));
  } else if constexpr (std::is_floating_point_v<T>) {
    w.Double(static_cast<double>(v));
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    std::string_view s = v;
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  } else if constexpr (is_optional<T>::value) {
    if (v) write_value(w, *v);
    else w.Null();
  } else if constexpr (is_vector<T>::value) {
    w.StartArray();
    for (const auto& item : v) write_value(w, item);
    w.EndArray();
  } else if constexpr (is_string_map<T>::value) {
    w.StartObject();
    for (const auto& [key, value] : v) {
      w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
      w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    }
    w.EndObject();
  } else {
    static_assert(reflectable<T>, "no JSON mapping for this field type");
    write_object(w, v);
  }
}

inline std::string join_path(const std::string& parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  return parent + "." + std::string(child);
}

template <class T>
constexpr const char* json_type_name() {
  if constexpr (std::is_same_v<T, bool>) return "a boolean";
  else if constexpr (std::is_integral_v<T>) return "an integer";
  else if constexpr (std::is_floating_point_v<T>) return "a number";
  else if constexpr (std::is_same_v<T, std::string>) return "a string";
  else if constexpr (is_vector<T>::value) return "an array";
  else return "an object";
}

template <class T>
void read_value(const rapidjson::Value& in, T& out, const std::string& path,
                std::vector<json_validation>& errors);

template <reflectable T>
void read_object(const rapidjson::Value& in, T& out, const std::string& path,
                 std::vector<json_validation>& errors) {
  if (!in.IsObject()) {
    errors.push_back({path, "must be an object"});
    return;
  }
  apply_fields(out, [&](auto... fields) {
    auto one = [&](auto& field) {
      using value_type = std::decay_t<decltype(field.value)>;
      auto field_path = join_path(path, field.name);
      auto it = in.FindMember(field.name);
      if (it == in.MemberEnd() || it->value.IsNull()) {
        if constexpr (!is_optional<value_type>::value && !is_vector<value_type>::value &&
                      !is_string_map<value_type>::value) {
          errors.push_back({field_path, "is required"});
        }
        return;
      }
      read_value(it->value, field.value, field_path, errors);
    };
    (one(fields), ...);
  });
}

template <class T>
void read_value(const rapidjson::Value& in, T& out, const std::string& path,
                std::vector<json_validation>& errors) {
  auto wrong_type = [&] {
    errors.push_back({path, std::string("must be ") + json_type_name<T>()});
  };
  if constexpr (std::is_same_v<T, bool>) {
    if (!in.IsBool()) return wrong_type();
    out = in.GetBool();
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    if (!in.IsInt64()) return wrong_type();
    auto v = in.GetInt64();
    if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max())
      return errors.push_back({path, "is out of range"});
    out = static_cast<T>(v);
  } else if constexpr (std::is_integral_v<T>) {
    if (!in.IsUint64()) return wrong_type();
    auto v = in.GetUint64();
    if (v > std::numeric_limits<T>::max()) return errors.push_back({path, "is out of range"});
    out = static_cast<T>(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!in.IsNumber()) return wrong_type();
    out = static_cast<T>(in.GetDouble());
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!in.IsString()) return wrong_type();
    out.assign(in.GetString(), in.GetStringLength());
  } else if constexpr (is_optional<T>::value) {
    typename T::value_type v{};
    auto before = errors.size();
    read_value(in, v, path, errors);
    if (errors.size() == before) out = std::move(v);
  } else if constexpr (is_vector<T>::value) {
    if (!in.IsArray()) return wrong_type();
    out.clear();
    out.reserve(in.Size());
    for (rapidjson::SizeType i = 0; i < in.Size(); ++i) {
      typename T::value_type item{};
      read_value(in[i], item, path + "[" + std::to_string(i) + "]", errors);
      out.push_back(std::move(item));
    }
  } else if constexpr (is_string_map<T>::value) {
    if (!in.IsObject()) return wrong_type();
    out.clear();
    for (auto it = in.MemberBegin(); it != in.MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      if (!it->value.IsString()) {
        errors.push_back({join_path(path, key), "must be a string"});
        continue;
      }
      out.emplace(std::move(key),
                  std::string(it->value.GetString(), it->value.GetStringLength()));
    }
  } else {
    static_assert(reflectable<T>, "no JSON mapping for this field type");
    read_object(in, out, path, errors);
  }
}

}  // namespace detail

template <class T>
std::string to_json(const T& value) {
  rapidjson::StringBuffer buffer;
  detail::json_writer writer(buffer);
  detail::write_value(writer, value);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Decodes `text` into `out`. Returns the error (message + per-field validations) on failure,
// in which case `out` is unspecified and must not be used.
template <class T>
std::optional<json_decode_error> from_json(std::string_view text, T& out) {
  rapidjson::Document doc;
  // kParseStopWhenDoneFlag is not set: trailing garbage after the document is an error.
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (doc.HasParseError()) {
    return json_decode_error{std::string("Request body is not valid JSON: ") +
                                 rapidjson::GetParseError_En(doc.GetParseError()) +
                                 " (at byte " + std::to_string(doc.GetErrorOffset()) + ")",
                             {}};
  }
  std::vector<json_validation> errors;
  detail::read_value(doc, out, "", errors);
  if (!errors.empty()) return json_decode_error{"Validation failed.", std::move(errors)};
  return std::nullopt;
}

}  // namespace coder::schema
