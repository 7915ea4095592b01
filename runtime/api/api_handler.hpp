// The bridge from the HTTP server (libuv loop thread) to actors: routes each request and runs its
// handler in a fresh short-lived actor, authenticating first where the route requires it.
// Spawning is cheap (microseconds) and keeps handlers free to `request` any actor without
// blocking the loop or sharing state between requests.
#pragma once

#include <functional>
#include <memory>

#include "runtime/api/request_context.hpp"
#include "runtime/api/router.hpp"

namespace caf {
class actor_system;
class event_based_actor;
}  // namespace caf

namespace coder::api {

enum class access { public_route, authenticated };

struct route_handler {
  access required = access::authenticated;
  std::function<void(caf::event_based_actor* self, std::shared_ptr<request_context> ctx)> run;
};

using route_table = router<route_handler>;

// Returns the http::server request callback. `routes` and `svc` live as long as the server.
std::function<void(http::request, std::shared_ptr<http::exchange>)> make_api_handler(
    caf::actor_system& sys, std::shared_ptr<const route_table> routes,
    std::shared_ptr<const services> svc);

}  // namespace coder::api
