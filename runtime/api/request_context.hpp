// What an API handler gets: the request, its path captures, the caller (on authenticated routes),
// the node's services, and ways to answer. Handlers run inside a short-lived actor spawned per
// request, so they talk to other actors with `self->request(...)` and never block.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "actors/users/users_actor.hpp"
#include "runtime/api/router.hpp"
#include "runtime/http/request.hpp"
#include "runtime/http/response.hpp"
#include "schema/json_codec.hpp"
#include "schema/users/user_api.hpp"

namespace caf {
class error;
}  // namespace caf

namespace coder::http {
class exchange;
}  // namespace coder::http

namespace coder::api {

// Handles to the actors and facts every handler may need; one per api node.
struct services {
  users::users_actor users;
  std::string version;
  std::string access_url;
  std::string deployment_id;
};

class request_context {
 public:
  request_context(http::request req, path_params params, std::shared_ptr<http::exchange> ex,
                  std::shared_ptr<const services> svc);

  const http::request& request() const { return request_; }
  const path_params& params() const { return params_; }
  const services& svc() const { return *services_; }
  const users::principal& caller() const { return caller_; }
  void set_caller(users::principal p) { caller_ = std::move(p); }

  // The session token from the Coder-Session-Token header, else the coder_session_token cookie.
  std::optional<std::string> session_token() const;

  // Decodes a JSON body into `out`; on failure answers 415/400 itself and returns false.
  template <class T>
  bool decode_body(T& out) {
    if (!require_json_body()) return false;
    if (auto err = schema::from_json(request_.body, out)) {
      std::vector<validation> v;
      for (auto& e : err->validations) v.push_back({e.field, e.detail});
      respond_error(400, err->message, "", std::move(v));
      return false;
    }
    return true;
  }

  template <class T>
  void respond_json(int status, const T& body, http::header_map extra = {}) {
    respond_raw_json(status, schema::to_json(body), std::move(extra));
  }
  void respond_raw_json(int status, std::string body, http::header_map extra = {});
  void respond_error(int status, std::string message, std::string detail = {},
                     std::vector<validation> validations = {});
  void respond_error(const caf::error& err);
  void respond(http::response r);
  void respond_no_content();

 private:
  bool require_json_body();

  http::request request_;
  path_params params_;
  std::shared_ptr<http::exchange> exchange_;
  std::shared_ptr<const services> services_;
  users::principal caller_;
  bool answered_ = false;
};

}  // namespace coder::api
