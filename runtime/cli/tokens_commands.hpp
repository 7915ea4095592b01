// `coder-node tokens create|list|remove`: the caller's long-lived API tokens.
#pragma once

#include "runtime/cli/args.hpp"
#include "runtime/cli/command_context.hpp"

namespace coder::cli {

command_spec tokens_command_spec();
int run_tokens_create(command_context& ctx);
int run_tokens_list(command_context& ctx);
int run_tokens_remove(command_context& ctx);

}  // namespace coder::cli
