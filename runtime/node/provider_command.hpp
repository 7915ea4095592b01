// `coder-node provider install-mirror <dir> [--provider-binary PATH]`: lays out the offline
// Terraform mirror of our provider (see runtime/terraform/provider_mirror.hpp) and prints the
// environment to run terraform with.
#pragma once

#include <string>
#include <vector>

namespace coder::node {

int run_provider_command(const std::vector<std::string>& args);

// The terraform-provider-coder shipped with this coder-node: beside the executable when
// installed, or in the build tree's subproject folder.
std::string find_bundled_provider_binary();

}  // namespace coder::node
