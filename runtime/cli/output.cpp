#include "runtime/cli/output.hpp"

#include <algorithm>

#include "rapidjson/document.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"

namespace coder::cli {
namespace {

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xc0) != 0x80) ++n;  // count UTF-8 lead bytes, i.e. code points
  return n;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      out += '?';
    } else if (c == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      out += '?';  // C1 controls (U+0080..U+009F), e.g. the 8-bit CSI
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size() + 1);
  cells.push_back(headers);
  for (const auto& row : rows) {
    std::vector<std::string> safe;
    for (std::size_t c = 0; c < headers.size(); ++c)
      safe.push_back(c < row.size() ? terminal_safe(row[c]) : std::string());
    cells.push_back(std::move(safe));
  }
  std::vector<std::size_t> widths(headers.size(), 0);
  for (const auto& row : cells)
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], display_width(row[c]));
  std::string out;
  for (const auto& row : cells) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - display_width(row[c]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string pretty_json(std::string_view compact) {
  rapidjson::Document doc;
  doc.Parse(compact.data(), compact.size());
  if (doc.HasParseError()) return std::string(compact) + "\n";
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string format_error(const api::error_response& error) {
  std::string out =
      "error: " + terminal_safe(error.message.empty() ? "request failed" : error.message) + "\n";
  if (!error.detail.empty()) out += terminal_safe(error.detail) + "\n";
  for (const auto& v : error.validations)
    out += "  " + terminal_safe(v.field) + ": " + terminal_safe(v.detail) + "\n";
  return out;
}

std::string display_time(std::string_view rfc3339, std::string_view empty_text) {
  // Go's zero time (what Coder sends for "never") and an empty value both mean "not set".
  if (rfc3339.empty() || rfc3339.substr(0, 5) == "0001-") return std::string(empty_text);
  // "2026-12-04T16:11:18.123456Z" → "2026-12-04 16:11:18 UTC"; anything else is shown as sent.
  if (rfc3339.size() >= 20 && rfc3339[10] == 'T' && rfc3339.back() == 'Z')
    return std::string(rfc3339.substr(0, 10)) + " " + std::string(rfc3339.substr(11, 8)) + " UTC";
  return terminal_safe(rfc3339);
}

std::vector<std::string> user_table_headers() {
  return {"USERNAME", "EMAIL", "NAME", "ROLES", "STATUS", "CREATED AT"};
}

std::vector<std::string> user_table_row(const api::user& user) {
  return {user.username,         user.email,  user.name,
          join(user.roles, ","), user.status, display_time(user.created_at, "")};
}

std::vector<std::string> api_key_table_headers() {
  return {"ID", "NAME", "LAST USED", "EXPIRES AT", "CREATED AT"};
}

std::vector<std::string> api_key_table_row(const api::api_key& key) {
  return {key.id, key.token_name, display_time(key.last_used, "never"),
          display_time(key.expires_at, "never"), display_time(key.created_at, "")};
}

}  // namespace coder::cli
