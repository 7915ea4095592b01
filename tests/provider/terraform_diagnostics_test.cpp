// Each kind of invalid configuration makes the real terraform fail with a diagnostic that names
// the attribute: Terraform quotes the attribute's line only when the provider gives its path.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <openssl/sha.h>

#include "terraform_harness.hpp"

using namespace coder::provider::test;

namespace {

const char* header = R"(
terraform {
  required_providers {
    coder = { source = "coder/coder" }
  }
}
provider "coder" {
  url = "http://coder.test"
}
resource "coder_agent" "a" {
  os   = "linux"
  arch = "amd64"
}
)";

std::string parameter_env(const std::string& name) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(name.data()), name.size(), d);
  static const char hex[] = "0123456789abcdef";
  std::string out = "CODER_PARAMETER_";
  for (unsigned char c : d) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

// Plans `body` (after a provider block and a valid coder_agent "a") and expects failure with
// `summary` and Terraform quoting `quoted_line` — the source line of the offending attribute.
void expect_diagnostic(const std::string& body, const std::string& summary,
                       const std::string& quoted_line, const Env& env = {}) {
  TerraformDir dir = TerraformDir::from_source(header + body);
  RunResult init = dir.init();
  REQUIRE_MESSAGE(init.exit_code == 0, init.all());
  RunResult plan = dir.plan(env);
  INFO(plan.all());
  CHECK(plan.exit_code == 1);
  CHECK(plan.err.find("Error: " + summary) != std::string::npos);
  CHECK(plan.err.find(quoted_line) != std::string::npos);
}

}  // namespace

TEST_CASE("coder_app: a slug that is not a hostname label") {
  expect_diagnostic(R"(
resource "coder_app" "x" {
  agent_id = coder_agent.a.id
  slug     = "Code_Server"
})",
                    "Invalid coder_app slug", R"(slug     = "Code_Server")");
}

TEST_CASE("coder_app: a slug with a double hyphen") {
  expect_diagnostic(R"(
resource "coder_app" "x" {
  agent_id = coder_agent.a.id
  slug     = "code--server"
})",
                    "Invalid coder_app slug", R"(slug     = "code--server")");
}

TEST_CASE("coder_app: an unknown share level") {
  expect_diagnostic(R"(
resource "coder_app" "x" {
  agent_id = coder_agent.a.id
  slug     = "web"
  share    = "everyone"
})",
                    "Invalid app share level", R"(share    = "everyone")");
}

TEST_CASE("coder_app: command together with url") {
  expect_diagnostic(R"(
resource "coder_app" "x" {
  agent_id = coder_agent.a.id
  slug     = "web"
  url      = "http://localhost:8080"
  command  = "htop"
})",
                    "Conflicting coder_app arguments", R"(command  = "htop")");
}

TEST_CASE("coder_agent: an unsupported os") {
  expect_diagnostic(R"(
resource "coder_agent" "b" {
  os   = "plan9"
  arch = "amd64"
})",
                    "Invalid agent os", R"(os   = "plan9")");
}

TEST_CASE("coder_agent: an unsupported arch") {
  expect_diagnostic(R"(
resource "coder_agent" "b" {
  os   = "linux"
  arch = "sparc"
})",
                    "Invalid agent arch", R"(arch = "sparc")");
}

TEST_CASE("coder_agent: an unknown startup_script_behavior") {
  expect_diagnostic(R"(
resource "coder_agent" "b" {
  os                      = "linux"
  arch                    = "amd64"
  startup_script_behavior = "sometimes"
})",
                    "Invalid startup_script_behavior", R"(startup_script_behavior = "sometimes")");
}

TEST_CASE("coder_agent: a negative connection_timeout") {
  expect_diagnostic(R"(
resource "coder_agent" "b" {
  os                 = "linux"
  arch               = "amd64"
  connection_timeout = -5
})",
                    "Invalid connection_timeout", "connection_timeout = -5");
}

TEST_CASE("coder_agent: a metadata key used twice") {
  expect_diagnostic(R"(
resource "coder_agent" "b" {
  os   = "linux"
  arch = "amd64"
  metadata {
    key      = "load"
    script   = "uptime"
    interval = 5
  }
  metadata {
    key      = "load"
    script   = "cat /proc/loadavg"
    interval = 10
  }
})",
                    "Duplicate agent metadata key", R"(key      = "load")");
}

TEST_CASE("coder_metadata: an item key used twice") {
  expect_diagnostic(R"(
resource "coder_metadata" "m" {
  resource_id = coder_agent.a.id
  item {
    key   = "size"
    value = "1"
  }
  item {
    key = "size"
  }
})",
                    "Duplicate metadata key", R"(key = "size")");
}

TEST_CASE("coder_script: a script that never runs") {
  expect_diagnostic(R"(
resource "coder_script" "s" {
  agent_id     = coder_agent.a.id
  display_name = "noop"
  script       = "true"
  run_on_start = false
})",
                    "coder_script never runs", "run_on_start = false");
}

TEST_CASE("coder_script: a cron expression without seconds") {
  expect_diagnostic(R"(
resource "coder_script" "s" {
  agent_id     = coder_agent.a.id
  display_name = "backup"
  script       = "true"
  cron         = "0 * * * *"
})",
                    "Invalid cron expression", R"(cron         = "0 * * * *")");
}

TEST_CASE("coder_env: a name that is no environment variable name") {
  expect_diagnostic(R"(
resource "coder_env" "e" {
  agent_id = coder_agent.a.id
  name     = "MY-VAR"
  value    = "x"
})",
                    "Invalid environment variable name", R"(name     = "MY-VAR")");
}

TEST_CASE("coder_parameter: an unknown type") {
  expect_diagnostic(R"(
data "coder_parameter" "p" {
  name = "p"
  type = "float"
})",
                    "Invalid parameter type", R"(type = "float")");
}

TEST_CASE("coder_parameter: a default that does not match the type") {
  expect_diagnostic(R"(
data "coder_parameter" "p" {
  name    = "p"
  type    = "number"
  default = "many"
})",
                    "Invalid default value", R"(default = "many")");
}

TEST_CASE("coder_parameter: a regex on a number parameter") {
  expect_diagnostic(R"(
data "coder_parameter" "p" {
  name = "p"
  type = "number"
  validation {
    regex = "^[0-9]+$"
    error = "digits"
  }
})",
                    "Invalid parameter validation", R"(regex = "^[0-9]+$")");
}

TEST_CASE("coder_parameter: two options with the same value") {
  expect_diagnostic(R"(
data "coder_parameter" "p" {
  name = "p"
  option {
    name  = "One"
    value = "1"
  }
  option {
    name  = "Uno"
    value = "1"
  }
})",
                    "Duplicate parameter option", R"(value = "1")");
}

TEST_CASE("coder_parameter: a default that is none of the options") {
  expect_diagnostic(R"(
data "coder_parameter" "p" {
  name    = "p"
  default = "c"
  option {
    name  = "A"
    value = "a"
  }
})",
                    "Invalid default value", R"(default = "c")");
}

TEST_CASE("coder_parameter: a chosen value above the maximum") {
  expect_diagnostic(R"(
data "coder_parameter" "cpus" {
  name    = "cpus"
  type    = "number"
  default = "2"
  validation {
    min = 1
    max = 8
  }
})",
                    "Invalid value for parameter \"cpus\"", "max = 8",
                    {{parameter_env("cpus"), "64"}});
}

TEST_CASE("coder_parameter: a chosen value that fails the regex shows the template's error") {
  expect_diagnostic(R"(
data "coder_parameter" "repo" {
  name = "repo"
  validation {
    regex = "^https://"
    error = "Use an https URL."
  }
})",
                    "Invalid value for parameter \"repo\"", R"(regex = "^https://")",
                    {{parameter_env("repo"), "git@example.com:x.git"}});
}

TEST_CASE("provider: an access URL that is not http(s)") {
  TerraformDir dir = TerraformDir::from_source(R"(
terraform {
  required_providers {
    coder = { source = "coder/coder" }
  }
}
provider "coder" {
  url = "ftp://coder.test"
}
data "coder_workspace" "me" {}
)");
  REQUIRE(dir.init().exit_code == 0);
  RunResult plan = dir.plan();
  INFO(plan.all());
  CHECK(plan.exit_code == 1);
  CHECK(plan.err.find("Error: Invalid access URL") != std::string::npos);
  CHECK(plan.err.find(R"(url = "ftp://coder.test")") != std::string::npos);
}

TEST_CASE("coder_parameter: a multi-select value with an element that is no option") {
  expect_diagnostic(R"tf(
data "coder_parameter" "tools" {
  name    = "tools"
  type    = "list(string)"
  default = jsonencode(["git"])
  option {
    name  = "Git"
    value = "git"
  }
  option {
    name  = "Vim"
    value = "vim"
  }
})tf",
                    "Invalid value for parameter \"tools\"",
                    R"("emacs" is not the value of any option.)",
                    {{parameter_env("tools"), R"(["vim","emacs"])"}});
}
