#include "cty_value.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace coder::provider::cty {

namespace {

// "1.500" -> "1.5", "2.0" -> "2", "+3" -> "3", "-0" -> "0": equal numbers get equal text, which
// makes equality of numbers a string comparison for the forms Terraform sends.
std::string normalise_number(std::string_view text) {
  if (text.starts_with('+')) text.remove_prefix(1);
  const auto exp = text.find_first_of("eE");
  std::string_view mantissa = text.substr(0, exp);
  const std::string_view exponent =
      exp == std::string_view::npos ? std::string_view() : text.substr(exp);
  if (mantissa.find('.') != std::string_view::npos) {
    while (mantissa.ends_with('0')) mantissa.remove_suffix(1);
    if (mantissa.ends_with('.')) mantissa.remove_suffix(1);
  }
  if (mantissa == "-0") mantissa = "0";
  std::string out(mantissa);
  out += exponent;
  return out;
}

}  // namespace

Value Value::boolean(bool b) {
  Value v(Kind::Bool);
  v.bool_ = b;
  return v;
}

Value Value::string(std::string s) {
  Value v(Kind::String);
  v.text_ = std::move(s);
  return v;
}

Value Value::number_text(std::string text) {
  Value v(Kind::Number);
  v.text_ = normalise_number(std::move(text));
  return v;
}

Value Value::number(std::int64_t n) {
  Value v(Kind::Number);
  v.text_ = std::to_string(n);
  return v;
}

Value Value::number(double d) {
  // Shortest text that reads back as the same double.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  (void)ec;
  return number_text(std::string(buf, end));
}

Value Value::list(std::vector<Value> elements) {
  Value v(Kind::List);
  v.elements_ = std::move(elements);
  return v;
}

Value Value::set(std::vector<Value> elements) {
  Value v(Kind::Set);
  // A set holds each value once; Terraform rejects duplicate set elements from providers.
  std::vector<Value> unique;
  for (auto& e : elements)
    if (std::find(unique.begin(), unique.end(), e) == unique.end()) unique.push_back(std::move(e));
  v.elements_ = std::move(unique);
  return v;
}

Value Value::map(std::map<std::string, Value> entries) {
  Value v(Kind::Map);
  v.entries_ = std::move(entries);
  return v;
}

Value Value::object(std::map<std::string, Value> attributes) {
  Value v(Kind::Object);
  v.entries_ = std::move(attributes);
  return v;
}

bool Value::is_wholly_known() const {
  if (kind_ == Kind::Unknown) return false;
  for (const auto& e : elements_)
    if (!e.is_wholly_known()) return false;
  for (const auto& [k, e] : entries_)
    if (!e.is_wholly_known()) return false;
  return true;
}

std::optional<std::int64_t> Value::as_int64() const {
  if (kind_ != Kind::Number) return std::nullopt;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), n);
  if (ec == std::errc() && end == text_.data() + text_.size()) return n;
  // "1e3" is an integer too.
  if (auto d = as_double(); d && std::trunc(*d) == *d && std::fabs(*d) < 9.2e18)
    return static_cast<std::int64_t>(*d);
  return std::nullopt;
}

std::optional<double> Value::as_double() const {
  if (kind_ != Kind::Number) return std::nullopt;
  double d = 0;
  auto [end, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), d);
  if (ec == std::errc() && end == text_.data() + text_.size()) return d;
  return std::nullopt;
}

const Value& Value::get(const std::string& name) const {
  static const Value null_value;
  auto it = entries_.find(name);
  return it == entries_.end() ? null_value : it->second;
}

std::string Value::string_or(const std::string& fallback) const {
  return kind_ == Kind::String ? text_ : fallback;
}

bool Value::operator==(const Value& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case Kind::Null:
    case Kind::Unknown:
      return true;
    case Kind::Bool:
      return bool_ == other.bool_;
    case Kind::Number:
    case Kind::String:
      return text_ == other.text_;
    case Kind::List:
      return elements_ == other.elements_;
    case Kind::Set: {
      if (elements_.size() != other.elements_.size()) return false;
      std::vector<std::string> a, b;
      for (const auto& e : elements_) a.push_back(e.debug_string());
      for (const auto& e : other.elements_) b.push_back(e.debug_string());
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      return a == b;
    }
    case Kind::Map:
    case Kind::Object:
      return entries_ == other.entries_;
  }
  return false;
}

std::string Value::debug_string() const {
  switch (kind_) {
    case Kind::Null:
      return "null";
    case Kind::Unknown:
      return "(unknown)";
    case Kind::Bool:
      return bool_ ? "true" : "false";
    case Kind::Number:
      return text_;
    case Kind::String: {
      std::string out = "\"";
      for (char c : text_) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + '"';
    }
    case Kind::List:
    case Kind::Set: {
      std::vector<std::string> parts;
      for (const auto& e : elements_) parts.push_back(e.debug_string());
      if (kind_ == Kind::Set) std::sort(parts.begin(), parts.end());
      std::string out = kind_ == Kind::Set ? "set[" : "[";
      for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
      return out + "]";
    }
    case Kind::Map:
    case Kind::Object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, e] : entries_) {
        out += (first ? "" : ",") + k + "=" + e.debug_string();
        first = false;
      }
      return out + "}";
    }
  }
  return "";
}

}  // namespace coder::provider::cty
