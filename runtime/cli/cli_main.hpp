// The user CLI inside coder-node: every subcommand except `server` (login, logout, whoami, users,
// tokens, ...). coder-node's main hands argv over for anything that is not `server`.
#pragma once

#include <string>
#include <vector>

#include "runtime/cli/args.hpp"
#include "runtime/cli/command_context.hpp"

namespace coder::cli {

// The process entry: real streams, the process environment, HTTP(S) over the network.
// argv[0] is the program; argv[1..] the command line. Returns the exit code: 0 success,
// 1 failure (API or I/O errors, printed as "error: ..."), 2 usage error.
int run_cli(int argc, char** argv);

// The same with everything injected: tests drive commands against an in-memory server.
int run_cli(const std::vector<std::string>& args, cli_io io, const cli_environment& env);

// The command tree (for help and for tests).
command_spec cli_command_spec();

}  // namespace coder::cli
