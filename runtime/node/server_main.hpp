// `coder-node server`: boots one cluster member with every role (api, persistence, provisioner)
// in-process, serves until SIGINT/SIGTERM, then shuts down gracefully.
#pragma once

#include <string>
#include <vector>

namespace coder::node {

// Returns the process exit code. This is a process edge: it prints errors for humans.
int run_server(const std::vector<std::string>& args);

}  // namespace coder::node
