// Maps (method, path) to a handler. Patterns are segment lists: literals and `{name}` captures,
// e.g. "/api/v2/users/{user}/keys/{id}". A path that matches a pattern under another method gets
// 405 with the methods that would work, as an operator expects from `curl -X`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coder::api {

struct path_params {
  std::vector<std::pair<std::string, std::string>> values;

  // The decoded value of a `{name}` capture; empty when absent.
  const std::string& get(std::string_view name) const {
    static const std::string empty;
    for (const auto& [k, v] : values)
      if (k == name) return v;
    return empty;
  }
};

// Splits a raw path into percent-decoded segments. Returns nullopt for malformed escapes, NUL
// bytes, or an encoded '/' inside a segment (which would let "a%2Fb" impersonate "a/b").
std::optional<std::vector<std::string>> split_path(std::string_view raw_path);

template <class Handler>
class router {
 public:
  enum class outcome { found, not_found, method_not_allowed, bad_path };

  struct match {
    outcome result = outcome::not_found;
    const Handler* handler = nullptr;
    path_params params;
    std::string allowed;  // for 405: "GET, PUT"
  };

  void add(std::string method, std::string_view pattern, Handler handler) {
    route r{std::move(method), {}, std::move(handler)};
    auto segments = split_path(pattern);
    r.segments = segments ? std::move(*segments) : std::vector<std::string>{};
    routes_.push_back(std::move(r));
  }

  match find(std::string_view method, std::string_view raw_path) const {
    match m;
    auto segments = split_path(raw_path);
    if (!segments) {
      m.result = outcome::bad_path;
      return m;
    }
    for (const auto& r : routes_) {
      path_params params;
      if (!matches(r, *segments, params)) continue;
      if (r.method == method || (method == "HEAD" && r.method == "GET")) {
        m.result = outcome::found;
        m.handler = &r.handler;
        m.params = std::move(params);
        return m;
      }
      if (m.allowed.find(r.method) == std::string::npos) {
        if (!m.allowed.empty()) m.allowed += ", ";
        m.allowed += r.method;
      }
      m.result = outcome::method_not_allowed;
    }
    return m;
  }

 private:
  struct route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };

  static bool matches(const route& r, const std::vector<std::string>& segments,
                      path_params& params) {
    if (r.segments.size() != segments.size()) return false;
    for (size_t i = 0; i < segments.size(); ++i) {
      const auto& pat = r.segments[i];
      if (pat.size() > 2 && pat.front() == '{' && pat.back() == '}') {
        if (segments[i].empty()) return false;
        params.values.emplace_back(pat.substr(1, pat.size() - 2), segments[i]);
      } else if (pat != segments[i]) {
        return false;
      }
    }
    return true;
  }

  std::vector<route> routes_;
};

}  // namespace coder::api
