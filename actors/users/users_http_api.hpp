// The `/api/v2/users...` endpoints: HTTP in, users_actor messages out. Decisions (who may do
// what, validation of identities) are the directory's; this file only translates.
#pragma once

#include "runtime/api/api_handler.hpp"

namespace coder::users {

void add_users_routes(api::route_table& routes);

}  // namespace coder::users
