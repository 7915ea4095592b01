#include "runtime/http/json_error.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace coder::http {

namespace {
void write_string(rapidjson::Writer<rapidjson::StringBuffer>& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
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
