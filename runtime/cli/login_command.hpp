// `coder-node login [<url>]`: signs in to a deployment and saves the URL and session token.
// On a deployment without users it creates the first user (the owner) — interactively, or from
// --first-user-* flags — exactly when Coder's CLI does: GET /api/v2/users/first answers 404.
#pragma once

#include "runtime/cli/args.hpp"
#include "runtime/cli/command_context.hpp"

namespace coder::cli {

command_spec login_command_spec();
int run_login(command_context& ctx);

}  // namespace coder::cli
