#include "runtime/http/http1_encoder.hpp"

#include <cstdio>
#include <ctime>

#include "runtime/http/response.hpp"

namespace coder::http {

namespace {
void append_clean(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c != '\r' && c != '\n' && c != '\0') out.push_back(c);
  }
}

void append_fields(std::string& out, const header_map& headers) {
  for (const auto& [name, value] : headers) {
    append_clean(out, name);
    out += ": ";
    append_clean(out, value);
    out += "\r\n";
  }
  out += "\r\n";
}
}  // namespace

std::string encode_response_head(int status, const header_map& headers) {
  std::string out;
  out.reserve(128 + headers.size() * 32);
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += reason_phrase(status);
  out += "\r\n";
  append_fields(out, headers);
  return out;
}

std::string encode_request_head(std::string_view method, std::string_view target,
                                const header_map& headers) {
  std::string out;
  append_clean(out, method);
  out += ' ';
  append_clean(out, target);
  out += " HTTP/1.1\r\n";
  append_fields(out, headers);
  return out;
}

std::string encode_chunk(std::string_view data) {
  if (data.empty()) return {};
  char size[20];
  int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string out;
  out.reserve(static_cast<size_t>(n) + data.size() + 2);
  out.append(size, static_cast<size_t>(n));
  out.append(data);
  out += "\r\n";
  return out;
}

std::string http_date(long long unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  // Not strftime: %a and %b follow the process locale, the header must be English.
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
                        tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                        tm.tm_sec);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace coder::http
