#include "runtime/api/core_routes.hpp"

#include "caf/event_based_actor.hpp"

namespace coder::api {

void add_core_routes(route_table& routes) {
  routes.add(
      "GET", "/healthz",
      {access::public_route, [](caf::event_based_actor*, std::shared_ptr<request_context> ctx) {
         http::response r;
         r.headers.set("Content-Type", "text/plain; charset=utf-8");
         r.body = "OK";
         ctx->respond(std::move(r));
       }});
  routes.add(
      "GET", "/api/v2/buildinfo",
      {access::public_route, [](caf::event_based_actor*, std::shared_ptr<request_context> ctx) {
         const auto& svc = ctx->svc();
         ctx->respond_json(
             200, build_info{svc.version, svc.access_url, svc.access_url, svc.deployment_id});
       }});
}

}  // namespace coder::api
