// Errors that end an API request, as they cross actor boundaries: a `caf::error` in the "api"
// category whose code is the HTTP status class and whose context carries the body users see
// ({"message","detail","validations"}). Actors decide the error; the HTTP layer only renders it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/users/user_api.hpp"

namespace caf {
class error;
class actor_system_config;
}  // namespace caf

namespace coder::api {

enum class api_errc : uint8_t {
  bad_request = 1,
  unauthorized,
  forbidden,
  not_found,
  conflict,
  too_many_requests,
  unavailable,
  internal,
};

caf::error make_api_error(api_errc code, std::string message, std::string detail = {},
                          std::vector<validation> validations = {});

// The HTTP status and body for any error an actor returned. Errors of other categories (the
// database's, CAF's own such as a dead actor or a timeout) map to 404/409/503/500 with a generic
// message; their text goes to the log, never to the client.
struct rendered_error {
  int status = 500;
  error_response body;
};
rendered_error render_error(const caf::error& err);

// Registers the "api" category so errors print readably in logs; call once per actor system.
void register_api_error_category(caf::actor_system_config& cfg);

}  // namespace coder::api
