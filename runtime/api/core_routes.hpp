// Deployment-level endpoints: /healthz (liveness for load balancers) and /api/v2/buildinfo.
#pragma once

#include "runtime/api/api_handler.hpp"

namespace coder::api {

void add_core_routes(route_table& routes);

}  // namespace coder::api
