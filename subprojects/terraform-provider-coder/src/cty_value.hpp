// A value of Terraform's value system (cty): null, unknown, bool, number, string, list, set,
// map or object. Numbers keep their decimal text so that large or precise numbers survive a
// round trip untouched (cty numbers are arbitrary precision).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coder::provider::cty {

class Value {
 public:
  enum class Kind { Null, Unknown, Bool, Number, String, List, Set, Map, Object };

  Value() = default;  // null
  static Value null() { return Value(); }
  static Value unknown() { return Value(Kind::Unknown); }
  static Value boolean(bool b);
  static Value string(std::string s);
  // `text` must be a decimal number (e.g. "12", "-1.5", "1e400"); it is normalised.
  static Value number_text(std::string text);
  static Value number(std::int64_t n);
  static Value number(double d);
  static Value list(std::vector<Value> elements);
  static Value set(std::vector<Value> elements);
  static Value map(std::map<std::string, Value> entries);
  static Value object(std::map<std::string, Value> attributes);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_unknown() const { return kind_ == Kind::Unknown; }
  bool is_known() const { return kind_ != Kind::Unknown; }
  // Known all the way down: no unknown in any element or attribute.
  bool is_wholly_known() const;

  bool as_bool() const { return bool_; }
  const std::string& as_string() const { return text_; }
  const std::string& number_as_text() const { return text_; }
  std::optional<std::int64_t> as_int64() const;
  std::optional<double> as_double() const;

  const std::vector<Value>& elements() const { return elements_; }
  std::vector<Value>& elements() { return elements_; }
  const std::map<std::string, Value>& entries() const { return entries_; }
  std::map<std::string, Value>& entries() { return entries_; }

  // Attribute of an object (or entry of a map); a null value when absent.
  const Value& get(const std::string& name) const;
  void set_attr(const std::string& name, Value v) { entries_[name] = std::move(v); }

  // Convenience: string content when known and not null, else the fallback.
  std::string string_or(const std::string& fallback) const;

  // Structural equality; sets compare regardless of element order.
  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }

  // A canonical, human-readable rendering (also the ordering key for set comparison).
  std::string debug_string() const;

 private:
  explicit Value(Kind kind) : kind_(kind) {}

  Kind kind_ = Kind::Null;
  bool bool_ = false;
  std::string text_;                      // string content, or the decimal text of a number
  std::vector<Value> elements_;           // list, set
  std::map<std::string, Value> entries_;  // map, object
};

}  // namespace coder::provider::cty
