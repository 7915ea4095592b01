// Structured logs: one line per event, `ts=... level=... event=... key=value ...`, written to
// stderr. Every line about a workspace, job, agent or user carries its id as a field, so that
// `grep workspace_id=...` tells one workspace's story at 3 a.m.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace coder::log {

enum class level { debug, info, warn, error };

struct field {
  field(std::string_view k, std::string_view v) : key(k), value(v) {}
  field(std::string_view k, const std::string& v) : key(k), value(v) {}
  field(std::string_view k, const char* v) : key(k), value(v ? v : "") {}
  field(std::string_view k, bool v) : key(k), value(v ? "true" : "false") {}
  template <std::integral T>
  field(std::string_view k, T v) : key(k), value(std::to_string(v)) {}
  field(std::string_view k, double v);

  std::string_view key;
  std::string value;
};

// Lines below this level are dropped. Default: info; CODER_LOG_LEVEL=debug|info|warn|error.
void set_min_level(level min);
bool enabled(level l);
// Replaces stderr as the destination (tests capture lines this way); nullptr restores stderr.
void set_sink(std::function<void(std::string_view line)> sink);

// Formats one line; values with spaces, quotes, '=' or control characters are quoted and escaped.
std::string format_line(level l, std::string_view event, std::initializer_list<field> fields);
void write(level l, std::string_view event, std::initializer_list<field> fields);

inline void debug(std::string_view event, std::initializer_list<field> fields = {}) {
  if (enabled(level::debug)) write(level::debug, event, fields);
}
inline void info(std::string_view event, std::initializer_list<field> fields = {}) {
  if (enabled(level::info)) write(level::info, event, fields);
}
inline void warn(std::string_view event, std::initializer_list<field> fields = {}) {
  if (enabled(level::warn)) write(level::warn, event, fields);
}
inline void error(std::string_view event, std::initializer_list<field> fields = {}) {
  if (enabled(level::error)) write(level::error, event, fields);
}

}  // namespace coder::log
