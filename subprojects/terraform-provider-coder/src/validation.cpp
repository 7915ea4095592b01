#include "validation.hpp"

namespace coder::provider {

void check_one_of(Diagnostics& diags, const cty::Value& value,
                  std::initializer_list<const char*> allowed, const AttributePath& path,
                  const std::string& what) {
  if (value.kind() != cty::Value::Kind::String) return;
  std::string list;
  for (const char* a : allowed) {
    if (value.as_string() == a) return;
    list += std::string(list.empty() ? "" : ", ") + "\"" + a + "\"";
  }
  diags.push_back(error_at(path, "Invalid " + what,
                           "\"" + value.as_string() + "\" is not a valid " + what +
                               "; it must be one of " + list + "."));
}

void check_at_least(Diagnostics& diags, const cty::Value& value, double min,
                    const AttributePath& path, const std::string& what) {
  auto d = value.as_double();
  if (!d || *d >= min) return;
  diags.push_back(error_at(path, "Invalid " + what,
                           what + " must be at least " + cty::Value::number(min).number_as_text() +
                               ", got " + value.number_as_text() + "."));
}

void check_max_length(Diagnostics& diags, const cty::Value& value, std::size_t max_length,
                      const AttributePath& path, const std::string& what) {
  if (value.kind() != cty::Value::Kind::String || value.as_string().size() <= max_length) return;
  diags.push_back(error_at(path, "Invalid " + what,
                           what + " is too long (" + std::to_string(value.as_string().size()) +
                               " characters, at most " + std::to_string(max_length) + ")."));
}

}  // namespace coder::provider
