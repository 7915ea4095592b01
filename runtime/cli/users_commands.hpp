// `coder-node users list|create|show|suspend|activate`.
#pragma once

#include "runtime/cli/args.hpp"
#include "runtime/cli/command_context.hpp"

namespace coder::cli {

command_spec users_command_spec();
int run_users_list(command_context& ctx);
int run_users_create(command_context& ctx);
int run_users_show(command_context& ctx);
int run_users_suspend(command_context& ctx);
int run_users_activate(command_context& ctx);

}  // namespace coder::cli
