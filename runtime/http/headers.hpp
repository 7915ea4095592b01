// HTTP header fields: names compared case-insensitively, order and repeats preserved (the wire
// order matters for Set-Cookie and for proxying).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coder::http {

bool iequals(std::string_view a, std::string_view b);

// True when the comma-separated header value contains token (case-insensitive), e.g.
// has_token("keep-alive, Upgrade", "upgrade").
bool has_token(std::string_view list, std::string_view token);

class header_map {
 public:
  using field = std::pair<std::string, std::string>;

  header_map() = default;
  header_map(std::initializer_list<field> fields) : fields_(fields) {}

  // The first value of name.
  std::optional<std::string_view> get(std::string_view name) const;
  std::string get_or(std::string_view name, std::string_view fallback) const;
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }

  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  // Replaces every field called name by one.
  void set(std::string_view name, std::string value);
  void remove(std::string_view name);

  const std::vector<field>& fields() const { return fields_; }
  std::vector<field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<field>::const_iterator end() const { return fields_.end(); }
  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<field> fields_;
};

}  // namespace coder::http
