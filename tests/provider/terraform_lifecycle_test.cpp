// The real terraform driving terraform-provider-coder through a template that uses every
// resource and data source (fixtures/all_resources): lifecycle, values flowing from the
// provisioner's environment, computed attributes and the per-build agent token.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <openssl/sha.h>

#include <fstream>
#include <regex>

#include "terraform_harness.hpp"
#include "terraform_json.hpp"

using namespace coder::provider::test;
namespace fs = std::filesystem;

namespace {

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

Env build_env(const std::string& build_id, const std::string& transition = "start") {
  return {
      {"CODER_WORKSPACE_ID", "7b0c2b4e-0000-4000-8000-000000000001"},
      {"CODER_WORKSPACE_NAME", "dev"},
      {"CODER_WORKSPACE_TRANSITION", transition},
      {"CODER_WORKSPACE_BUILD_ID", build_id},
      {"CODER_WORKSPACE_TEMPLATE_ID", "tpl-1"},
      {"CODER_WORKSPACE_TEMPLATE_NAME", "everything"},
      {"CODER_WORKSPACE_TEMPLATE_VERSION", "v7"},
      {"CODER_WORKSPACE_OWNER_ID", "0a0b0c0d-0000-4000-8000-000000000002"},
      {"CODER_WORKSPACE_OWNER", "ada"},
      {"CODER_WORKSPACE_OWNER_NAME", "Ada Lovelace"},
      {"CODER_WORKSPACE_OWNER_EMAIL", "ada@example.com"},
      {"CODER_WORKSPACE_OWNER_SESSION_TOKEN", "session-secret"},
      {"CODER_WORKSPACE_OWNER_GROUPS", R"(["Everyone","admins"])"},
      {parameter_env("region"), "us"},
      {parameter_env("cpus"), "4"},
      {parameter_env("Display Name!"), "Ada Lovelace"},
  };
}

fs::path fixture() {
  return required_path_from_env("PROVIDER_FIXTURES") / "all_resources";
}

// A working directory with the fixture initialised and applied for build `build_id`.
TerraformDir applied(const Env& env) {
  TerraformDir dir(fixture());
  RunResult init = dir.init();
  REQUIRE_MESSAGE(init.exit_code == 0, init.all());
  RunResult apply = dir.apply(env);
  REQUIRE_MESSAGE(apply.exit_code == 0, apply.all());
  return dir;
}

std::string str(const rapidjson::Value* v) {
  return v && v->IsString() ? v->GetString() : "<not a string>";
}

const std::regex uuid_re("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

}  // namespace

TEST_CASE("every resource and data source: init, plan, apply, re-plan without changes, destroy") {
  TerraformDir dir(fixture());
  RunResult init = dir.init();
  REQUIRE_MESSAGE(init.exit_code == 0, init.all());
  CHECK(init.out.find("Installing coder/coder v0.1.0") != std::string::npos);
  CHECK(fs::exists(dir.path() / ".terraform.lock.hcl"));

  const Env env = build_env("build-1");
  RunResult plan = dir.plan(env);
  CHECK_MESSAGE(plan.exit_code == 2, plan.all());
  CHECK(plan.out.find("Plan: 8 to add, 0 to change, 0 to destroy.") != std::string::npos);

  RunResult apply = dir.apply(env);
  REQUIRE_MESSAGE(apply.exit_code == 0, apply.all());
  CHECK(apply.out.find("Apply complete! Resources: 8 added") != std::string::npos);

  RunResult replan = dir.plan(env);
  CHECK_MESSAGE(replan.exit_code == 0, replan.all());
  CHECK(replan.out.find("No changes.") != std::string::npos);

  TerraformJson state(dir.show_json(env));
  REQUIRE(state.ok());
  CHECK(state.count_of_type("coder_agent") == 1);
  CHECK(state.count_of_type("coder_app") == 3);
  CHECK(state.count_of_type("coder_metadata") == 1);
  CHECK(state.count_of_type("coder_script") == 2);
  CHECK(state.count_of_type("coder_env") == 1);

  RunResult destroy = dir.destroy(env);
  REQUIRE_MESSAGE(destroy.exit_code == 0, destroy.all());
  CHECK(destroy.out.find("Resources: 8 destroyed.") != std::string::npos);
  CHECK(TerraformJson(dir.show_json(env)).count_of_type("coder_agent") == 0);
}

TEST_CASE("workspace and owner environment flow into the data sources") {
  const Env env = build_env("build-1");
  TerraformDir dir = applied(env);
  TerraformJson out(dir.output_json(env));
  REQUIRE(out.ok());
  const auto* ws = out.output("workspace");
  REQUIRE(ws != nullptr);
  CHECK(string_at(ws, "id") == "7b0c2b4e-0000-4000-8000-000000000001");
  CHECK(string_at(ws, "name") == "dev");
  CHECK(string_at(ws, "transition") == "start");
  CHECK((*ws)["start_count"].GetInt() == 1);
  CHECK(string_at(ws, "access_url") == "http://coder.test:7080");
  CHECK((*ws)["access_port"].GetInt() == 7080);
  CHECK(string_at(ws, "template_id") == "tpl-1");
  CHECK(string_at(ws, "template_name") == "everything");
  CHECK(string_at(ws, "template_version") == "v7");
  const auto* owner = out.output("owner");
  REQUIRE(owner != nullptr);
  CHECK(string_at(owner, "id") == "0a0b0c0d-0000-4000-8000-000000000002");
  CHECK(string_at(owner, "name") == "ada");
  CHECK(string_at(owner, "full_name") == "Ada Lovelace");
  CHECK(string_at(owner, "email") == "ada@example.com");
  REQUIRE((*owner)["groups"].Size() == 2);
  CHECK(std::string((*owner)["groups"][1].GetString()) == "admins");
  CHECK(str(out.output("owner_session_token")) == "session-secret");
  CHECK(std::regex_match(str(out.output("provisioner")), std::regex("linux/(amd64|arm64|armv7)")));
}

TEST_CASE("stop transition gives start_count 0") {
  TerraformDir dir = applied(build_env("build-1", "stop"));
  TerraformJson out(dir.output_json());
  CHECK(string_at(out.output("workspace"), "transition") == "stop");
  CHECK((*out.output("workspace"))["start_count"].GetInt() == 0);
}

TEST_CASE("parameter values come from CODER_PARAMETER_<sha256(name)>, else from default") {
  const Env env = build_env("build-1");
  TerraformDir dir = applied(env);
  TerraformJson out(dir.output_json(env));
  const auto* p = out.output("parameters");
  REQUIRE(p != nullptr);
  CHECK(string_at(p, "region") == "us");          // env overrides the default "eu"
  CHECK(string_at(p, "cpus") == "4");             // env
  CHECK(string_at(p, "gpu") == "false");          // default
  CHECK(string_at(p, "tools") == R"(["git"])");   // default (list(string) as JSON)
  CHECK(string_at(p, "name") == "Ada Lovelace");  // a name that is no valid env var name
  // The parameter value flows on into resources.
  TerraformJson state(dir.show_json(env));
  CHECK(string_at(state.resource("coder_env.region"), "value") == "us");
  const auto* agent = state.resource("coder_agent.dev");
  REQUIRE(agent != nullptr);
  CHECK(string_at(&(*agent)["env"], "REGION") == "us");
  // Computed attributes of the parameter itself.
  const auto* cpus = state.resource("data.coder_parameter.cpus");
  REQUIRE(cpus != nullptr);
  CHECK((*cpus)["optional"].GetBool());
  CHECK((*cpus)["validation"][0]["min_disabled"].GetBool() == false);
  CHECK(string_at(cpus, "type") == "number");
  const auto* name = state.resource("data.coder_parameter.name");
  CHECK_FALSE((*name)["optional"].GetBool());
  CHECK(string_at(name, "type") == "string");  // the default of type
}

TEST_CASE("the agent token is stable within a build and new for every build") {
  TerraformDir dir = applied(build_env("build-1"));
  const auto token_of = [&](const Env& env) {
    return str(TerraformJson(dir.output_json(env)).output("agent_token"));
  };
  const std::string t1 = token_of(build_env("build-1"));
  CHECK(std::regex_match(t1, uuid_re));
  // Plan, then apply of the same build: both refresh, and must agree.
  RunResult plan = dir.plan(build_env("build-1"));
  CHECK_MESSAGE(plan.exit_code == 0, plan.all());
  REQUIRE(dir.apply(build_env("build-1")).exit_code == 0);
  CHECK(token_of(build_env("build-1")) == t1);

  RunResult apply2 = dir.apply(build_env("build-2"));
  REQUIRE_MESSAGE(apply2.exit_code == 0, apply2.all());
  const std::string t2 = token_of(build_env("build-2"));
  CHECK(std::regex_match(t2, uuid_re));
  CHECK(t2 != t1);
  // Re-planning build 2 keeps build 2's token.
  RunResult plan2 = dir.plan(build_env("build-2"));
  CHECK_MESSAGE(plan2.exit_code == 0, plan2.all());
  REQUIRE(dir.apply(build_env("build-2")).exit_code == 0);
  CHECK(token_of(build_env("build-2")) == t2);
  // The agent itself survives builds: same id.
  CHECK(string_at(TerraformJson(dir.show_json()).resource("coder_agent.dev"), "id") != "<missing>");
}

TEST_CASE("init_script downloads coder-agent for the agent's platform and runs it with the token") {
  const Env env = build_env("build-1");
  TerraformDir dir = applied(env);
  TerraformJson out(dir.output_json(env));
  const std::string script = str(out.output("init_script"));
  const std::string token = str(out.output("agent_token"));
  CHECK(script.rfind("#!/bin/sh\n", 0) == 0);
  CHECK(script.find("'http://coder.test:7080/bin/coder-agent-linux-amd64'") != std::string::npos);
  CHECK(script.find("curl") != std::string::npos);
  CHECK(script.find("wget") != std::string::npos);
  CHECK(script.find("CODER_AGENT_TOKEN=\"${CODER_AGENT_TOKEN:-" + token + "}\"") !=
        std::string::npos);
  CHECK(script.find("CODER_AGENT_URL='http://coder.test:7080'") != std::string::npos);
  CHECK(script.find("exec \"$BINARY\"") != std::string::npos);
  // It is valid sh.
  TempDir tmp;
  std::ofstream(tmp.path() / "init.sh") << script;
  RunResult syntax = run_process({"sh", "-n", (tmp.path() / "init.sh").string()}, tmp.path(), {});
  CHECK_MESSAGE(syntax.exit_code == 0, syntax.err);
}

TEST_CASE("defaults and computed attributes land in the state") {
  const Env env = build_env("build-1");
  TerraformDir dir = applied(env);
  TerraformJson state(dir.show_json(env));
  const auto* agent = state.resource("coder_agent.dev");
  REQUIRE(agent != nullptr);
  CHECK(std::regex_match(string_at(agent, "id"), uuid_re));
  CHECK((*agent)["connection_timeout"].GetInt() == 300);
  CHECK(string_at(agent, "api_key_scope") == "all");  // default
  CHECK((*agent)["metadata"].Size() == 2);
  CHECK(string_at(&(*agent)["metadata"][1], "key") == "mem");
  const auto& apps = (*agent)["display_apps"][0];
  CHECK(apps["vscode"].GetBool() == false);
  CHECK(apps["ssh_helper"].GetBool() == true);  // default inside the block
  const auto* shell = state.resource("coder_app.shell");
  CHECK(string_at(shell, "share") == "owner");
  CHECK(string_at(shell, "open_in") == "slim-window");
  CHECK(string_at(shell, "agent_id") == string_at(agent, "id"));
  const auto* web = state.resource("coder_app.web");
  CHECK(string_at(web, "share") == "authenticated");
  CHECK((*web)["healthcheck"][0]["threshold"].GetInt() == 6);
  const auto* meta = state.resource("coder_metadata.info");
  REQUIRE(meta != nullptr);
  CHECK((*meta)["daily_cost"].GetInt() == 7);
  CHECK((*meta)["item"][0]["is_null"].GetBool() == false);
  CHECK((*meta)["item"][1]["sensitive"].GetBool() == true);
  CHECK((*meta)["item"][2]["is_null"].GetBool() == true);
  const auto* backup = state.resource("coder_script.backup");
  CHECK(string_at(backup, "cron") == "0 0 * * * *");
  CHECK((*backup)["run_on_start"].GetBool() == false);
  CHECK((*backup)["timeout"].GetInt() == 0);
}

TEST_CASE("changing an argument replaces the resource, as in Coder's provider") {
  const Env env = build_env("build-1");
  TerraformDir dir = applied(env);
  const auto id_of = [&](const char* address) {
    return string_at(TerraformJson(dir.show_json(env)).resource(address), "id");
  };
  const std::string agent_before = id_of("coder_agent.dev"), env_before = id_of("coder_env.region");
  Env changed = env;
  changed[parameter_env("region")] = "eu";
  RunResult plan = dir.plan(changed);
  CHECK(plan.exit_code == 2);
  CHECK(plan.out.find("coder_env.region must be replaced") != std::string::npos);
  CHECK(plan.out.find("coder_agent.dev must be replaced") != std::string::npos);
  REQUIRE(dir.apply(changed).exit_code == 0);
  CHECK(id_of("coder_agent.dev") != agent_before);
  CHECK(id_of("coder_env.region") != env_before);
  CHECK(string_at(TerraformJson(dir.show_json(changed)).resource("coder_env.region"), "value") ==
        "eu");
}

TEST_CASE("Terraform talks to the provider over AutoMTLS and shuts it down gracefully") {
  TerraformDir dir = TerraformDir::from_source(R"(
terraform {
  required_providers {
    coder = { source = "coder/coder" }
  }
}
data "coder_workspace" "me" {}
output "name" { value = data.coder_workspace.me.name }
)");
  REQUIRE(dir.init().exit_code == 0);
  RunResult plan = dir.terraform({"plan", "-input=false", "-no-color"}, {{"TF_LOG", "debug"}});
  INFO(plan.err.substr(0, 4000));
  CHECK(plan.exit_code == 0);
  CHECK(plan.err.find("configuring client automatic mTLS") != std::string::npos);
  CHECK(plan.err.find("using plugin: version=6") != std::string::npos);
  CHECK(plan.err.find("plugin exited") != std::string::npos);
  // Without GRPCController/Shutdown go-plugin waits 2 s, then kills the process and says so.
  CHECK(plan.err.find("plugin failed to exit gracefully") == std::string::npos);
}
