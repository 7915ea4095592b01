// coder-node: `server` runs a cluster member; `provider install-mirror` lays out the Terraform
// provider mirror; every other command is the user CLI (login, users, tokens, ...).
#include <cstring>
#include <string>
#include <vector>

#include "runtime/cli/cli_main.hpp"
#include "runtime/node/provider_command.hpp"
#include "runtime/node/server_main.hpp"

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "server") == 0) {
    return coder::node::run_server(std::vector<std::string>(argv + 2, argv + argc));
  }
  if (argc >= 2 && std::strcmp(argv[1], "provider") == 0) {
    return coder::node::run_provider_command(std::vector<std::string>(argv + 2, argv + argc));
  }
  return coder::cli::run_cli(argc, argv);
}
