// A type of Terraform's value system (cty), as far as the provider's schemas need it.
// Types drive decoding: msgpack does not say whether an array is a list or a set, nor which
// attributes an object must have.
#pragma once

#include <map>
#include <memory>
#include <string>

namespace coder::provider::cty {

class Type {
 public:
  enum class Kind { Bool, Number, String, List, Set, Map, Object };

  static Type boolean() { return Type(Kind::Bool); }
  static Type number() { return Type(Kind::Number); }
  static Type string() { return Type(Kind::String); }
  static Type list(Type element) { return collection(Kind::List, std::move(element)); }
  static Type set(Type element) { return collection(Kind::Set, std::move(element)); }
  static Type map(Type element) { return collection(Kind::Map, std::move(element)); }
  static Type object(std::map<std::string, Type> attributes);

  Kind kind() const { return kind_; }
  bool is_collection() const {
    return kind_ == Kind::List || kind_ == Kind::Set || kind_ == Kind::Map;
  }
  // Element type of a list, set or map.
  const Type& element() const { return *element_; }
  // Attribute types of an object (empty for other kinds).
  const std::map<std::string, Type>& attributes() const;

  // The JSON type constraint Terraform expects in Schema.Attribute.type, e.g. `["list","string"]`.
  std::string to_json() const;

  bool operator==(const Type& other) const;

 private:
  explicit Type(Kind kind) : kind_(kind) {}
  static Type collection(Kind kind, Type element);

  Kind kind_;
  std::shared_ptr<const Type> element_;
  std::shared_ptr<const std::map<std::string, Type>> attributes_;
};

}  // namespace coder::provider::cty
