#include "runtime/http/json_error.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>

namespace coder::http {

namespace {
// Length of the valid UTF-8 sequence at s[i], or 0 when it is malformed (overlong forms and
// surrogates included).
size_t utf8_sequence(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t len = 0;
  uint32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Error details often quote user input; invalid UTF-8 would make the whole body invalid JSON, so
// each bad byte becomes U+FFFD.
std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

void write_string(rapidjson::Writer<rapidjson::StringBuffer>& w, std::string_view s) {
  std::string clean = sanitize_utf8(s);
  w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()), true);
}
}  // namespace

std::string make_error_body(std::string_view message, std::string_view detail,
                            const std::vector<validation_error>& validations) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("message");
  write_string(w, message);
  w.Key("detail");
  write_string(w, detail);
  w.Key("validations");
  w.StartArray();
  for (const auto& v : validations) {
    w.StartObject();
    w.Key("field");
    write_string(w, v.field);
    w.Key("detail");
    write_string(w, v.detail);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

response make_error_response(int status, std::string_view message, std::string_view detail,
                             const std::vector<validation_error>& validations) {
  response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = make_error_body(message, detail, validations);
  return r;
}

}  // namespace coder::http
