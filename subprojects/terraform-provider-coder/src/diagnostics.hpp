// Diagnostics as Terraform shows them: severity, summary, detail and the attribute path that
// lets Terraform point at the offending line of the configuration.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace coder::provider {

struct PathStep {
  enum class Kind { Attribute, KeyString, KeyInt };
  Kind kind = Kind::Attribute;
  std::string name;  // attribute name or string key
  std::int64_t index = 0;

  static PathStep attribute(std::string n) { return {Kind::Attribute, std::move(n), 0}; }
  static PathStep key(std::string k) { return {Kind::KeyString, std::move(k), 0}; }
  static PathStep at(std::int64_t i) { return {Kind::KeyInt, {}, i}; }
};

using AttributePath = std::vector<PathStep>;

struct Diagnostic {
  bool error = true;  // false: warning
  std::string summary;
  std::string detail;
  AttributePath path;
};

using Diagnostics = std::vector<Diagnostic>;

inline Diagnostic error_at(AttributePath path, std::string summary, std::string detail = {}) {
  return Diagnostic{true, std::move(summary), std::move(detail), std::move(path)};
}

inline Diagnostic error(std::string summary, std::string detail = {}) {
  return Diagnostic{true, std::move(summary), std::move(detail), {}};
}

inline bool has_errors(const Diagnostics& diags) {
  for (const auto& d : diags)
    if (d.error) return true;
  return false;
}

}  // namespace coder::provider
