// What the CLI prints: aligned tables for people, indented JSON (the API's own shapes) for
// scripts, and API errors in one layout. Everything returns strings so formatting is unit-tested.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/json_codec.hpp"
#include "schema/users/user_api.hpp"

namespace coder::cli {

enum class output_format { table, json };

// Columns separated by two spaces, headers as given (upper-case by convention). Cells are made
// terminal-safe (control characters shown as '?') because names and token names come from other
// users and must not be able to drive the reader's terminal. Widths count code points.
std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows);

// Re-indents compact JSON with two spaces and a final newline.
std::string pretty_json(std::string_view compact);

template <class T>
std::string to_pretty_json(const T& value) {
  return pretty_json(schema::to_json(value));
}

// "error: <message>\n<detail>\n  <field>: <detail>\n..." — blank parts are left out.
std::string format_error(const api::error_response& error);

// RFC 3339 timestamps as "2026-12-04 16:11:18 UTC"; the zero time or empty as `empty_text`.
std::string display_time(std::string_view rfc3339, std::string_view empty_text = "never");

std::string terminal_safe(std::string_view text);

std::vector<std::string> user_table_headers();
std::vector<std::string> user_table_row(const api::user& user);
std::vector<std::string> api_key_table_headers();
std::vector<std::string> api_key_table_row(const api::api_key& key);

}  // namespace coder::cli
