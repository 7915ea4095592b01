#include "runtime/api/request_context.hpp"

#include "caf/error.hpp"
#include "runtime/api/api_error.hpp"
#include "runtime/http/exchange.hpp"
#include "runtime/http/headers.hpp"
#include "runtime/http/json_error.hpp"

namespace coder::api {

request_context::request_context(http::request req, path_params params,
                                 std::shared_ptr<http::exchange> ex,
                                 std::shared_ptr<const services> svc)
    : request_(std::move(req)),
      params_(std::move(params)),
      exchange_(std::move(ex)),
      services_(std::move(svc)) {}

std::optional<std::string> request_context::session_token() const {
  if (auto h = request_.headers.get("Coder-Session-Token"); h && !h->empty())
    return std::string(*h);
  for (auto cookie_header : request_.headers.get_all("Cookie")) {
    // "a=1; coder_session_token=xyz; b=2"
    size_t pos = 0;
    while (pos < cookie_header.size()) {
      auto end = cookie_header.find(';', pos);
      if (end == std::string_view::npos) end = cookie_header.size();
      auto pair = cookie_header.substr(pos, end - pos);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      constexpr std::string_view name = "coder_session_token=";
      if (pair.substr(0, name.size()) == name) return std::string(pair.substr(name.size()));
      pos = end + 1;
    }
  }
  return std::nullopt;
}

bool request_context::require_json_body() {
  auto type = request_.headers.get_or("Content-Type", "");
  auto semi = type.find(';');
  auto media = type.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.pop_back();
  if (!http::iequals(media, "application/json")) {
    respond_error(415, "Unsupported media type.",
                  "Send the request body as JSON with Content-Type: application/json.");
    return false;
  }
  return true;
}

void request_context::respond(http::response r) {
  if (answered_) return;
  answered_ = true;
  exchange_->respond(std::move(r));
}

void request_context::respond_raw_json(int status, std::string body, http::header_map extra) {
  http::response r;
  r.status = status;
  r.headers = std::move(extra);
  r.headers.set("Content-Type", "application/json");
  r.headers.set("Cache-Control", "no-store");
  r.body = std::move(body);
  respond(std::move(r));
}

void request_context::respond_error(int status, std::string message, std::string detail,
                                    std::vector<validation> validations) {
  respond_json(status,
               error_response{std::move(message), std::move(detail), std::move(validations)});
}

void request_context::respond_error(const caf::error& err) {
  auto rendered = render_error(err);
  respond_json(rendered.status, rendered.body);
}

void request_context::respond_no_content() {
  http::response r;
  r.status = 204;
  respond(std::move(r));
}

}  // namespace coder::api
