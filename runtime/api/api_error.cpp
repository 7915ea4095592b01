#include "runtime/api/api_error.hpp"

#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"
#include "caf/error.hpp"
#include "caf/make_message.hpp"
#include "caf/message.hpp"
#include "caf/sec.hpp"

namespace coder::api {
namespace {

constexpr caf::atom_value api_category = caf::atom("api");
constexpr caf::atom_value db_category = caf::atom("db");

int status_of(api_errc code) {
  switch (code) {
    case api_errc::bad_request:
      return 400;
    case api_errc::unauthorized:
      return 401;
    case api_errc::forbidden:
      return 403;
    case api_errc::not_found:
      return 404;
    case api_errc::conflict:
      return 409;
    case api_errc::too_many_requests:
      return 429;
    case api_errc::unavailable:
      return 503;
    case api_errc::internal:
      return 500;
  }
  return 500;
}

}  // namespace

caf::error make_api_error(api_errc code, std::string message, std::string detail,
                          std::vector<validation> validations) {
  error_response body{std::move(message), std::move(detail), std::move(validations)};
  return caf::error(static_cast<uint8_t>(code), api_category, caf::make_message(std::move(body)));
}

rendered_error render_error(const caf::error& err) {
  rendered_error out;
  if (err.category() == api_category) {
    out.status = status_of(static_cast<api_errc>(err.code()));
    if (err.context().match_elements<error_response>())
      out.body = err.context().get_as<error_response>(0);
    if (out.body.message.empty()) out.body.message = "Request failed.";
    return out;
  }
  if (err.category() == db_category) {
    // Mirrors actors/persistence/db_error.hpp: not_found=1, conflict=2, invalid=3, unavailable=4.
    switch (err.code()) {
      case 1:
        return {404, {"Resource not found.", "", {}}};
      case 2:
        return {409, {"Resource already exists.", "", {}}};
      case 4:
        return {503, {"The database is unavailable; try again shortly.", "", {}}};
      default:
        break;
    }
  }
  if (err == caf::sec::request_timeout) {
    return {503, {"The server is busy; the request timed out.", "", {}}};
  }
  return {500, {"Internal error.", "The server log has the details.", {}}};
}

void register_api_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(api_category, [](uint8_t code, caf::atom_value, const caf::message& ctx) {
    std::string out = "api_error(" + std::to_string(status_of(static_cast<api_errc>(code)));
    if (ctx.match_elements<error_response>()) {
      out += ", ";
      out += ctx.get_as<error_response>(0).message;
    }
    out += ")";
    return out;
  });
}

}  // namespace coder::api
