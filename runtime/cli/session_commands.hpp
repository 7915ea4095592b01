// `coder-node logout` and `coder-node whoami`: the current session.
#pragma once

#include "runtime/cli/args.hpp"
#include "runtime/cli/command_context.hpp"

namespace coder::cli {

command_spec logout_command_spec();
int run_logout(command_context& ctx);

command_spec whoami_command_spec();
int run_whoami(command_context& ctx);

}  // namespace coder::cli
