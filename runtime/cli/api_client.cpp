#include "runtime/cli/api_client.hpp"

#include "rapidjson/document.h"
#include "schema/json_codec.hpp"

namespace coder::cli {
namespace {

// Path segments ({user}, {id}) come from the command line; encode everything but unreserved
// characters so "a/b" or "?" cannot change the route.
std::string segment(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0f];
    }
  }
  return out;
}

std::string users_path(std::string_view user) {
  return "/api/v2/users/" + segment(user);
}

constexpr std::size_t max_detail_bytes = 300;

// Read leniently: only "message" is required, so a proxy's or an older server's error body that
// omits "detail" or "validations" still shows its message.
std::optional<api::error_response> decode_error_body(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  auto text = [](const rapidjson::Value& obj, const char* key) -> std::optional<std::string> {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || !it->value.IsString()) return std::nullopt;
    return std::string(it->value.GetString(), it->value.GetStringLength());
  };
  auto message = text(doc, "message");
  if (!message || message->empty()) return std::nullopt;
  api::error_response out;
  out.message = std::move(*message);
  out.detail = text(doc, "detail").value_or("");
  auto v = doc.FindMember("validations");
  if (v != doc.MemberEnd() && v->value.IsArray()) {
    for (const auto& item : v->value.GetArray()) {
      if (!item.IsObject()) continue;
      out.validations.push_back(
          {text(item, "field").value_or(""), text(item, "detail").value_or("")});
    }
  }
  return out;
}

}  // namespace

api_error error_from_reply(int status, std::string_view body) {
  api_error error;
  error.status = status;
  if (auto decoded = decode_error_body(body)) {
    error.body = std::move(*decoded);
    return error;
  }
  error.body.message = "unexpected response from the server: " + std::to_string(status) + " " +
                       std::string(http::reason_phrase(status));
  std::string detail(body.substr(0, max_detail_bytes));
  if (body.size() > max_detail_bytes) detail += "...";
  error.body.detail = std::move(detail);
  return error;
}

api_client::api_client(server_url url, std::unique_ptr<api_transport> transport)
    : url_(std::move(url)), transport_(std::move(transport)) {}

std::variant<api_client::raw_reply, api_error> api_client::send(std::string_view method,
                                                                std::string path,
                                                                const std::string* body) {
  http::request request;
  request.method = std::string(method);
  request.target = url_.base_path + path;
  request.path = request.target;
  request.headers.add("Accept", "application/json");
  request.headers.add("User-Agent", "coder-node-cli");
  if (!token_.empty()) request.headers.add(std::string(session_header), token_);
  if (body) {
    request.headers.add("Content-Type", "application/json");
    request.body = *body;
  }
  auto reply = transport_->round_trip(request);
  if (auto* failure = std::get_if<std::string>(&reply)) {
    api_error error;
    error.body.message = "could not reach " + url_.text();
    error.body.detail = *failure;
    return error;
  }
  auto& response = std::get<http::response>(reply);
  return raw_reply{response.status, std::move(response.body)};
}

template <class T>
api_result<T> api_client::call(std::string_view method, std::string path, const std::string* body) {
  auto reply = send(method, std::move(path), body);
  if (auto* error = std::get_if<api_error>(&reply)) return std::move(*error);
  auto& raw = std::get<raw_reply>(reply);
  if (raw.status < 200 || raw.status > 299) return error_from_reply(raw.status, raw.body);
  if constexpr (std::is_same_v<T, no_content>) {
    return no_content{};
  } else {
    T value{};
    if (auto err = schema::from_json(raw.body, value)) {
      api_error error;
      error.status = raw.status;
      error.body.message = "the server sent a response this CLI cannot read";
      error.body.detail = err->message;
      for (const auto& v : err->validations) error.body.validations.push_back({v.field, v.detail});
      return error;
    }
    return value;
  }
}

api_result<api::build_info> api_client::build_info() {
  return call<api::build_info>("GET", "/api/v2/buildinfo");
}

api_result<bool> api_client::has_first_user() {
  auto reply = send("GET", "/api/v2/users/first", nullptr);
  if (auto* error = std::get_if<api_error>(&reply)) return std::move(*error);
  auto& raw = std::get<raw_reply>(reply);
  if (raw.status == 200) return true;
  if (raw.status == 404) return false;
  return error_from_reply(raw.status, raw.body);
}

api_result<api::create_first_user_response> api_client::create_first_user(
    const api::create_first_user_request& request) {
  auto body = schema::to_json(request);
  return call<api::create_first_user_response>("POST", "/api/v2/users/first", &body);
}

api_result<api::login_response> api_client::login(const api::login_request& request) {
  auto body = schema::to_json(request);
  return call<api::login_response>("POST", "/api/v2/users/login", &body);
}

api_result<no_content> api_client::logout() {
  return call<no_content>("POST", "/api/v2/users/logout");
}

api_result<api::user> api_client::user(std::string_view user) {
  return call<api::user>("GET", users_path(user));
}

api_result<api::users_response> api_client::users() {
  return call<api::users_response>("GET", "/api/v2/users");
}

api_result<api::user> api_client::create_user(const api::create_user_request& request) {
  auto body = schema::to_json(request);
  return call<api::user>("POST", "/api/v2/users", &body);
}

api_result<no_content> api_client::update_password(std::string_view user,
                                                   const api::update_password_request& request) {
  auto body = schema::to_json(request);
  return call<no_content>("PUT", users_path(user) + "/password", &body);
}

api_result<api::user> api_client::suspend_user(std::string_view user) {
  return call<api::user>("PUT", users_path(user) + "/status/suspend");
}

api_result<api::user> api_client::activate_user(std::string_view user) {
  return call<api::user>("PUT", users_path(user) + "/status/activate");
}

api_result<api::generate_api_key_response> api_client::create_token(
    std::string_view user, const api::create_token_request& request) {
  auto body = schema::to_json(request);
  return call<api::generate_api_key_response>("POST", users_path(user) + "/keys/tokens", &body);
}

api_result<std::vector<api::api_key>> api_client::tokens(std::string_view user) {
  return call<std::vector<api::api_key>>("GET", users_path(user) + "/keys/tokens");
}

api_result<no_content> api_client::delete_api_key(std::string_view user, std::string_view key_id) {
  return call<no_content>("DELETE", users_path(user) + "/keys/" + segment(key_id));
}

}  // namespace coder::cli
