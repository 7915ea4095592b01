#include "cty_type.hpp"

namespace coder::provider::cty {

Type Type::object(std::map<std::string, Type> attributes) {
  Type t(Kind::Object);
  t.attributes_ = std::make_shared<const std::map<std::string, Type>>(std::move(attributes));
  return t;
}

Type Type::collection(Kind kind, Type element) {
  Type t(kind);
  t.element_ = std::make_shared<const Type>(std::move(element));
  return t;
}

const std::map<std::string, Type>& Type::attributes() const {
  static const std::map<std::string, Type> none;
  return attributes_ ? *attributes_ : none;
}

std::string Type::to_json() const {
  switch (kind_) {
    case Kind::Bool:
      return "\"bool\"";
    case Kind::Number:
      return "\"number\"";
    case Kind::String:
      return "\"string\"";
    case Kind::List:
      return "[\"list\"," + element_->to_json() + "]";
    case Kind::Set:
      return "[\"set\"," + element_->to_json() + "]";
    case Kind::Map:
      return "[\"map\"," + element_->to_json() + "]";
    case Kind::Object: {
      // Attribute names in our schemas are identifiers: no JSON escaping is needed.
      std::string out = "[\"object\",{";
      bool first = true;
      for (const auto& [name, type] : *attributes_) {
        if (!first) out += ',';
        first = false;
        out += '"' + name + "\":" + type.to_json();
      }
      return out + "}]";
    }
  }
  return "\"dynamic\"";
}

bool Type::operator==(const Type& other) const {
  if (kind_ != other.kind_) return false;
  if (is_collection()) return *element_ == *other.element_;
  if (kind_ == Kind::Object) return attributes() == other.attributes();
  return true;
}

}  // namespace coder::provider::cty
