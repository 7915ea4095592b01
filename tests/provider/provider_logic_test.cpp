// Unit tests of the provider's logic without Terraform: lifecycle rules, the agent token,
// init_script, parameters and schema invariants.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstdlib>
#include <regex>

#include "agent_init_script.hpp"
#include "agent_token.hpp"
#include "crypto_ids.hpp"
#include "provider_catalog.hpp"
#include "resource_lifecycle.hpp"

using namespace coder::provider;
using cty::Value;

namespace {

const std::regex uuid_re("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

// A configuration object of `block` with only `set` filled (everything else null), as Terraform
// sends it.
Value config_of(const Block& block, std::map<std::string, Value> set) {
  for (const auto& a : block.attributes) set.try_emplace(a.name, Value::null());
  for (const auto& b : block.blocks) set.try_emplace(b.type_name, Value::list({}));
  return Value::object(std::move(set));
}

bool has_path(const Diagnostics& diags, const std::string& attribute) {
  for (const auto& d : diags)
    for (const auto& step : d.path)
      if (step.kind == PathStep::Kind::Attribute && step.name == attribute) return true;
  return false;
}

struct EnvVar {
  std::string name;
  EnvVar(std::string n, const std::string& value) : name(std::move(n)) {
    setenv(name.c_str(), value.c_str(), 1);
  }
  ~EnvVar() { unsetenv(name.c_str()); }
};

}  // namespace

TEST_CASE("schema invariant: defaults only on optional+computed attributes, an id on everything") {
  Catalog catalog = make_catalog();
  std::vector<const Schema*> schemas;
  for (const auto& r : catalog.resources) schemas.push_back(&r->schema());
  for (const auto& d : catalog.data_sources) schemas.push_back(&d->schema());
  CHECK(schemas.size() == 9);
  for (const Schema* s : schemas) {
    const Attribute* id = s->block.attribute("id");
    REQUIRE(id != nullptr);
    CHECK(id->computed_only());
    std::vector<const Block*> blocks{&s->block};
    for (const auto& nested : s->block.blocks) blocks.push_back(nested.block.get());
    for (const Block* b : blocks)
      for (const auto& a : b->attributes) {
        INFO(a.name);
        if (a.default_value) CHECK((a.optional && a.computed));
        CHECK((a.required || a.optional || a.computed));
        CHECK_FALSE((a.required && (a.optional || a.computed)));
      }
  }
}

TEST_CASE("plan on create: defaults filled, computed attributes unknown") {
  Catalog catalog = make_catalog();
  const ManagedResource& app = *catalog.resource("coder_app");
  const Value cfg = config_of(app.schema().block,
                              {{"agent_id", Value::string("a")}, {"slug", Value::string("web")}});
  PlanResult plan = plan_resource_change(app, Value::null(), cfg, cfg, "", ProviderConfig{});
  CHECK(plan.planned.get("id").is_unknown());
  CHECK(plan.planned.get("share") == Value::string("owner"));
  CHECK(plan.planned.get("open_in") == Value::string("slim-window"));
  CHECK(plan.planned.get("external") == Value::boolean(false));
  CHECK(plan.planned.get("subdomain").is_null());  // optional without default stays null
  CHECK(plan.requires_replace.empty());
}

TEST_CASE("plan on update: a changed argument requires replacement, an unchanged one does not") {
  Catalog catalog = make_catalog();
  const ManagedResource& env = *catalog.resource("coder_env");
  const Block& block = env.schema().block;
  const Value prior = config_of(block, {{"id", Value::string("x")},
                                        {"agent_id", Value::string("a")},
                                        {"name", Value::string("N")},
                                        {"value", Value::string("1")}});
  Value same_cfg = prior;
  same_cfg.set_attr("id", Value::null());
  PlanResult same = plan_resource_change(env, prior, prior, same_cfg, "p", ProviderConfig{});
  CHECK(same.requires_replace.empty());
  CHECK(same.planned == prior);
  CHECK(same.planned_private == "p");

  Value changed_cfg = same_cfg;
  changed_cfg.set_attr("value", Value::string("2"));
  Value proposed = prior;
  proposed.set_attr("value", Value::string("2"));
  PlanResult changed =
      plan_resource_change(env, prior, proposed, changed_cfg, "", ProviderConfig{});
  REQUIRE(changed.requires_replace.size() == 1);
  CHECK(changed.requires_replace[0][0].name == "value");
}

TEST_CASE("apply: create resolves every unknown, destroy returns null") {
  Catalog catalog = make_catalog();
  const ManagedResource& agent = *catalog.resource("coder_agent");
  const Value cfg = config_of(agent.schema().block,
                              {{"os", Value::string("linux")}, {"arch", Value::string("arm64")}});
  ProviderConfig pc;
  pc.access_url = "https://coder.example.com/";
  PlanResult plan = plan_resource_change(agent, Value::null(), cfg, cfg, "", pc);
  CHECK(plan.planned.get("token").is_unknown());
  CHECK(plan.planned.get("connection_timeout") == Value::number(std::int64_t{120}));
  StateResult created =
      apply_resource_change(agent, Value::null(), plan.planned, plan.planned_private, pc);
  CHECK(created.diagnostics.empty());
  CHECK(created.state.is_wholly_known());
  CHECK(std::regex_match(created.state.get("id").as_string(), uuid_re));
  CHECK(std::regex_match(created.state.get("token").as_string(), uuid_re));
  CHECK(created.state.get("init_script")
            .as_string()
            .find("https://coder.example.com/bin/coder-agent-linux-arm64") != std::string::npos);
  CHECK_FALSE(created.private_state.empty());
  StateResult destroyed = apply_resource_change(agent, created.state, Value::null(), "", pc);
  CHECK(destroyed.state.is_null());
}

TEST_CASE("agent token: kept within a build, derived deterministically for a new one") {
  const AgentToken first = new_agent_token("b1");
  CHECK(std::regex_match(first.token, uuid_re));
  CHECK(new_agent_token("b1").token != first.token);  // random

  const AgentToken same = refreshed_agent_token(first.token, first.private_state, "b1");
  CHECK(same.token == first.token);
  CHECK(same.private_state == first.private_state);

  const AgentToken next = refreshed_agent_token(first.token, first.private_state, "b2");
  CHECK(next.token != first.token);
  CHECK(std::regex_match(next.token, uuid_re));
  CHECK(refreshed_agent_token(first.token, first.private_state, "b2").token ==
        next.token);  // plan == apply
  CHECK(refreshed_agent_token(next.token, next.private_state, "b2").token == next.token);
  // Another agent (another previous token) gets another token in the same build.
  const AgentToken other = new_agent_token("b1");
  CHECK(refreshed_agent_token(other.token, other.private_state, "b2").token != next.token);
  // No build ids at all: never rotates.
  CHECK(refreshed_agent_token(first.token, "", "").token == first.token);
}

TEST_CASE(
    "init_script: sh for unix with curl/wget fallback, PowerShell for windows, token only for "
    "token auth") {
  const std::string sh = agent_init_script({"linux", "amd64", "token", "http://h:1/", "tok-123"});
  CHECK(sh.rfind("#!/bin/sh\n", 0) == 0);
  CHECK(sh.find("BINARY_URL='http://h:1/bin/coder-agent-linux-amd64'") != std::string::npos);
  CHECK(sh.find("command -v curl") < sh.find("command -v wget"));
  CHECK(sh.find("${CODER_AGENT_TOKEN:-tok-123}") != std::string::npos);
  const std::string quoted = agent_init_script({"linux", "amd64", "token", "http://h/x'y", "t"});
  CHECK(quoted.find("CODER_AGENT_URL='http://h/x'\\''y'") != std::string::npos);
  const std::string iid =
      agent_init_script({"linux", "amd64", "aws-instance-identity", "http://h", "t"});
  CHECK(iid.find("CODER_AGENT_TOKEN") == std::string::npos);
  const std::string ps = agent_init_script({"windows", "amd64", "token", "http://h", "t"});
  CHECK(ps.find("Invoke-WebRequest") != std::string::npos);
  CHECK(ps.find("coder-agent-windows-amd64.exe") != std::string::npos);
}

TEST_CASE(
    "provider configuration: url argument, else CODER_AGENT_URL; anything but http(s) is refused") {
  const Block& block = provider_config_schema().block;
  ProviderConfig pc;
  CHECK(configure_provider(config_of(block, {{"url", Value::string("https://a.example")}}), pc)
            .empty());
  CHECK(pc.access_url == "https://a.example");
  {
    EnvVar url("CODER_AGENT_URL", "http://from-env:3000");
    ProviderConfig from_env;
    CHECK(configure_provider(config_of(block, {}), from_env).empty());
    CHECK(from_env.access_url == "http://from-env:3000");
  }
  ProviderConfig bad;
  Diagnostics d =
      configure_provider(config_of(block, {{"url", Value::string("coder.example.com")}}), bad);
  CHECK(has_path(d, "url"));
}

TEST_CASE("coder_parameter: the value comes from CODER_PARAMETER_<sha256(name)> and is checked") {
  Catalog catalog = make_catalog();
  const DataSource& param = *catalog.data_source("coder_parameter");
  const Block& block = param.schema().block;
  const Value rule = config_of(*block.blocks[1].block, {{"min", Value::number(std::int64_t{1})},
                                                        {"max", Value::number(std::int64_t{8})}});
  const Value cfg = config_of(block, {{"name", Value::string("cpu count")},
                                      {"type", Value::string("number")},
                                      {"default", Value::string("2")},
                                      {"validation", Value::list({rule})}});
  CHECK(param.validate(cfg).empty());
  StateResult defaulted = read_data_source(param, cfg, ProviderConfig{});
  CHECK(defaulted.state.get("value") == Value::string("2"));
  CHECK(defaulted.state.get("optional") == Value::boolean(true));
  CHECK(defaulted.state.get("validation").elements()[0].get("min_disabled") ==
        Value::boolean(false));
  {
    EnvVar chosen("CODER_PARAMETER_" + sha256_hex("cpu count"), "6");
    CHECK(read_data_source(param, cfg, ProviderConfig{}).state.get("value") == Value::string("6"));
  }
  {
    EnvVar chosen("CODER_PARAMETER_" + sha256_hex("cpu count"), "9");
    StateResult r = read_data_source(param, cfg, ProviderConfig{});
    REQUIRE(has_errors(r.diagnostics));
    CHECK(r.diagnostics[0].path.back().name == "max");
    CHECK(r.diagnostics[0].detail.find("9 is more than the maximum 8") != std::string::npos);
  }
  // The id is stable for a name, so referencing it causes no perpetual diff.
  CHECK(read_data_source(param, cfg, ProviderConfig{}).state.get("id") ==
        defaulted.state.get("id"));
}

TEST_CASE("coder_parameter: declaration mistakes are reported on their attribute") {
  Catalog catalog = make_catalog();
  const DataSource& param = *catalog.data_source("coder_parameter");
  const Block& block = param.schema().block;
  CHECK(has_path(param.validate(config_of(
                     block, {{"name", Value::string("p")}, {"type", Value::string("int")}})),
                 "type"));
  CHECK(has_path(param.validate(config_of(block, {{"name", Value::string("p")},
                                                  {"type", Value::string("bool")},
                                                  {"default", Value::string("yes")}})),
                 "default"));
  const Value regex_rule = config_of(*block.blocks[1].block, {{"regex", Value::string("[")}});
  Diagnostics d = param.validate(
      config_of(block, {{"name", Value::string("p")}, {"validation", Value::list({regex_rule})}}));
  CHECK(has_path(d, "regex"));  // does not compile
  CHECK(has_path(d, "error"));  // and has no error message
  // Unknown values (not yet computed) are not judged.
  CHECK(param.validate(config_of(block, {{"name", Value::string("p")}, {"type", Value::unknown()}}))
            .empty());
}
