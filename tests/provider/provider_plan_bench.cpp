// `make bench` row: wall time of `terraform plan` for a workspace template with 1 agent, 5 apps
// and 10 parameters through terraform-provider-coder, against the same shape built only from
// terraform_data (no provider process at all) — the overhead our provider adds to every build.
// Both run here, back to back, on the same machine; the median of N runs each.
//
// usage: provider_plan_bench [provider-exe [runs]]   (defaults: $PROVIDER_EXE, 9 runs)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "terraform_harness.hpp"

using namespace coder::provider::test;

namespace {

std::string coder_template() {
  std::string tf = R"(terraform {
  required_providers {
    coder = { source = "coder/coder" }
  }
}
provider "coder" {}
data "coder_workspace" "me" {}
)";
  for (int i = 0; i < 10; ++i)
    tf += "data \"coder_parameter\" \"p" + std::to_string(i) + "\" {\n  name    = \"p" +
          std::to_string(i) + "\"\n  default = \"" + std::to_string(i) + "\"\n}\n";
  tf += "resource \"coder_agent\" \"main\" {\n  os   = \"linux\"\n  arch = \"amd64\"\n  env  = {\n";
  for (int i = 0; i < 10; ++i)
    tf +=
        "    P" + std::to_string(i) + " = data.coder_parameter.p" + std::to_string(i) + ".value\n";
  tf += "  }\n}\n";
  for (int i = 0; i < 5; ++i)
    tf += "resource \"coder_app\" \"a" + std::to_string(i) +
          "\" {\n  agent_id = coder_agent.main.id\n  slug     = \"app" + std::to_string(i) +
          "\"\n  url      = \"http://localhost:80" + std::to_string(i) + "0\"\n}\n";
  return tf;
}

std::string builtin_template() {
  std::string tf;
  for (int i = 0; i < 10; ++i)
    tf += "resource \"terraform_data\" \"p" + std::to_string(i) + "\" {\n  input = \"" +
          std::to_string(i) + "\"\n}\n";
  tf += "resource \"terraform_data\" \"agent\" {\n  input = {\n";
  for (int i = 0; i < 10; ++i)
    tf += "    P" + std::to_string(i) + " = terraform_data.p" + std::to_string(i) + ".output\n";
  tf += "  }\n}\n";
  for (int i = 0; i < 5; ++i)
    tf += "resource \"terraform_data\" \"a" + std::to_string(i) +
          "\" {\n  input = [terraform_data.agent.id, \"app" + std::to_string(i) + "\"]\n}\n";
  return tf;
}

// Median wall time of `terraform plan` in milliseconds; exits on any failure.
double median_plan_ms(const std::string& main_tf, int runs) {
  TerraformDir dir = TerraformDir::from_source(main_tf);
  RunResult init = dir.init();
  if (init.exit_code != 0) {
    std::fprintf(stderr, "terraform init failed:\n%s\n", init.all().c_str());
    std::exit(1);
  }
  const Env env{{"CODER_WORKSPACE_BUILD_ID", "bench"}, {"CODER_WORKSPACE_ID", "bench"}};
  std::vector<double> ms;
  for (int i = 0; i <= runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    RunResult plan = dir.terraform({"plan", "-input=false", "-no-color", "-lock=false"}, env);
    const auto end = std::chrono::steady_clock::now();
    if (plan.exit_code != 0) {
      std::fprintf(stderr, "terraform plan failed:\n%s\n", plan.all().c_str());
      std::exit(1);
    }
    if (i > 0)
      ms.push_back(
          std::chrono::duration<double, std::milli>(end - start).count());  // run 0 warms caches
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) setenv("PROVIDER_EXE", argv[1], 1);
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 9;
  try {
    terraform_binary();
    mirror_env();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "provider_plan_bench: %s\n", e.what());
    return 1;
  }
  const double with_provider = median_plan_ms(coder_template(), runs);
  const double builtin = median_plan_ms(builtin_template(), runs);
  std::printf("| %-52s | %7s | %12s | %22s | %9s |\n", "benchmark", "runs", "coder (ms)",
              "terraform_data (ms)", "overhead");
  std::printf("| %-52s | %7d | %12.1f | %22.1f | %+6.1f ms |\n",
              "terraform plan: 1 agent, 5 apps, 10 parameters", runs, with_provider, builtin,
              with_provider - builtin);
  return 0;
}
