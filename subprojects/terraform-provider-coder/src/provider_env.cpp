#include "provider_env.hpp"

#include <cstdlib>

namespace coder::provider {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

std::string env_or(const char* name, const std::string& fallback) {
  auto v = env(name);
  return v && !v->empty() ? *v : fallback;
}

}  // namespace coder::provider
