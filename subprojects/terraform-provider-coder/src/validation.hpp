// Small checks shared by the resource validators. Each looks only at known, non-null values
// (configuration may hold unknowns until apply) and reports at the attribute's path.
#pragma once

#include <initializer_list>
#include <string>

#include "cty_value.hpp"
#include "diagnostics.hpp"

namespace coder::provider {

// `value` must be one of `allowed` when it is a known string.
void check_one_of(Diagnostics& diags, const cty::Value& value,
                  std::initializer_list<const char*> allowed, const AttributePath& path,
                  const std::string& what);
// `value` must be at least `min` when it is a known number.
void check_at_least(Diagnostics& diags, const cty::Value& value, double min,
                    const AttributePath& path, const std::string& what);
// `value` must be at most `max_length` bytes when it is a known string.
void check_max_length(Diagnostics& diags, const cty::Value& value, std::size_t max_length,
                      const AttributePath& path, const std::string& what);
// True when the value is set in the configuration (known or not).
inline bool is_set(const cty::Value& v) {
  return !v.is_null();
}
// True when the value is a known `true`.
inline bool is_true(const cty::Value& v) {
  return v.kind() == cty::Value::Kind::Bool && v.as_bool();
}
inline AttributePath path_of(std::string attribute) {
  return {PathStep::attribute(std::move(attribute))};
}

}  // namespace coder::provider
