#include "runtime/api/api_handler.hpp"

#include <chrono>

#include "caf/actor_system.hpp"
#include "caf/event_based_actor.hpp"
#include "runtime/http/exchange.hpp"
#include "runtime/http/json_error.hpp"
#include "runtime/log/log.hpp"

namespace coder::api {
namespace {

using namespace std::chrono_literals;

constexpr auto auth_timeout = 30s;

std::string raw_path_of(const http::request& req) {
  auto q = req.target.find('?');
  return req.target.substr(0, q);
}

void run_route(caf::event_based_actor* self, const route_handler* route_ptr,
               std::shared_ptr<request_context> ctx) {
  const route_handler& route = *route_ptr;
  if (route.required == access::public_route) {
    route.run(self, std::move(ctx));
    return;
  }
  auto token = ctx->session_token();
  if (!token) {
    ctx->respond_error(401, "You must be logged in.",
                       "Send a session token in the Coder-Session-Token header or the "
                       "coder_session_token cookie.");
    return;
  }
  self->request(ctx->svc().users, auth_timeout, users::authenticate{*token})
      .then(
          [self, route_ptr, ctx](users::principal& p) {
            ctx->set_caller(std::move(p));
            route_ptr->run(self, ctx);
          },
          [ctx](caf::error& err) { ctx->respond_error(err); });
}

}  // namespace

std::function<void(http::request, std::shared_ptr<http::exchange>)> make_api_handler(
    caf::actor_system& sys, std::shared_ptr<const route_table> routes,
    std::shared_ptr<const services> svc) {
  return [&sys, routes, svc](http::request req, std::shared_ptr<http::exchange> ex) {
    auto found = routes->find(req.method, raw_path_of(req));
    switch (found.result) {
      case route_table::outcome::bad_path: {
        auto r = http::make_error_response(400, "Malformed request path.",
                                           "The path has an invalid percent-escape.");
        ex->respond(std::move(r));
        return;
      }
      case route_table::outcome::not_found: {
        ex->respond(http::make_error_response(404, "Route not found.",
                                              req.method + " " + req.path + " does not exist."));
        return;
      }
      case route_table::outcome::method_not_allowed: {
        auto r = http::make_error_response(405, "Method not allowed.",
                                           "Allowed: " + found.allowed + ".");
        r.headers.set("Allow", found.allowed);
        ex->respond(std::move(r));
        return;
      }
      case route_table::outcome::found:
        break;
    }
    const route_handler* route = found.handler;
    auto ctx = std::make_shared<request_context>(std::move(req), std::move(found.params),
                                                 std::move(ex), svc);
    // The actor ends by itself once its handler has answered and no reply is pending.
    sys.spawn(run_route, route, std::move(ctx));
  };
}

}  // namespace coder::api
