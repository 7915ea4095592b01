// coder_script: a script the agent runs on start, on stop or on a cron schedule.
#include <sstream>

#include "crypto_ids.hpp"
#include "provider_catalog.hpp"
#include "validation.hpp"

namespace coder::provider {

namespace {

using cty::Type;
using cty::Value;

Schema script_schema() {
  Schema s;
  s.version = 1;
  Block& b = s.block;
  b.description = "Use this resource to run a script from an agent.";
  b.attributes = {
      computed("id", Type::string(), "The script's UUID."),
      required("agent_id", Type::string(), "The id of the coder_agent that runs the script."),
      required("display_name", Type::string(), "The name shown in logs and the UI."),
      required("script", Type::string(), "The content of the script."),
      optional("icon", Type::string(), "A URL to an icon that will display in the dashboard."),
      optional("cron", Type::string(),
               "A six-field cron expression (with seconds) to run the script on."),
      optional_default("start_blocks_login", Value::boolean(false),
                       "Block logins until the script has finished."),
      optional_default("run_on_start", Value::boolean(false),
                       "Run the script when the agent starts."),
      optional_default("run_on_stop", Value::boolean(false),
                       "Run the script when the agent stops."),
      optional_default("timeout", Value::number(std::int64_t{0}),
                       "Seconds before the script is killed; 0: none."),
      optional("log_path", Type::string(), "The path of the script's log file."),
  };
  return s;
}

class ScriptResource final : public ManagedResource {
 public:
  std::string type_name() const override { return "coder_script"; }
  const Schema& schema() const override { return schema_; }

  Diagnostics validate(const Value& config) const override {
    Diagnostics d;
    const Value& start = config.get("run_on_start");
    const Value& stop = config.get("run_on_stop");
    const Value& cron = config.get("cron");
    const bool all_known = start.is_known() && stop.is_known() && cron.is_known();
    if (all_known && !is_true(start) && !is_true(stop) && cron.is_null())
      d.push_back(error_at(path_of("run_on_start"), "coder_script never runs",
                           "At least one of run_on_start, run_on_stop or cron must be set."));
    if (cron.kind() == Value::Kind::String) {
      std::istringstream fields(cron.as_string());
      int count = 0;
      for (std::string f; fields >> f;) ++count;
      if (count != 6)
        d.push_back(error_at(
            path_of("cron"), "Invalid cron expression",
            "\"" + cron.as_string() + "\" has " + std::to_string(count) +
                " fields; coder_script cron takes six: second minute hour day month weekday."));
    }
    if (is_true(config.get("start_blocks_login")) && start.is_known() && !is_true(start))
      d.push_back(error_at(path_of("start_blocks_login"), "Invalid start_blocks_login",
                           "start_blocks_login can only be true when run_on_start is true."));
    check_at_least(d, config.get("timeout"), 0, path_of("timeout"), "timeout");
    return d;
  }

  Diagnostics create(Value& state, std::string&, const ProviderConfig&) const override {
    state.set_attr("id", Value::string(random_uuid()));
    return {};
  }

 private:
  Schema schema_ = script_schema();
};

}  // namespace

std::unique_ptr<ManagedResource> make_script_resource() {
  return std::make_unique<ScriptResource>();
}

}  // namespace coder::provider
