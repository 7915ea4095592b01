// coder_app: a shortcut to an application in the workspace (proxied URL, command or external
// link). The slug becomes part of a hostname for subdomain apps, hence its strict format.
#include <regex>

#include "crypto_ids.hpp"
#include "provider_catalog.hpp"
#include "validation.hpp"

namespace coder::provider {

namespace {

using cty::Type;
using cty::Value;

// A hostname label without leading, trailing or doubled hyphens — the regex Coder's server
// checks too: ^[a-z0-9](-?[a-z0-9])*$
bool valid_slug(const std::string& slug) {
  static const std::regex slug_re("^[a-z0-9](-?[a-z0-9])*$");
  return std::regex_match(slug, slug_re);
}

Schema app_schema() {
  Schema s;
  s.version = 1;
  Block& b = s.block;
  b.description = "Use this resource to define shortcuts to access applications in a workspace.";
  b.attributes = {
      computed("id", Type::string(), "The app's UUID."),
      required("agent_id", Type::string(), "The id of the coder_agent this app belongs to."),
      required(
          "slug", Type::string(),
          "A hostname-friendly name for the app: lowercase letters, digits and single hyphens."),
      optional("display_name", Type::string(),
               "A display name to identify the app. Defaults to the slug."),
      optional("url", Type::string(),
               "A URL proxied from inside the workspace, or opened on the client when external."),
      optional("command", Type::string(), "A command to run in a terminal opening this app."),
      optional("icon", Type::string(), "A URL to an icon that will display in the dashboard."),
      optional("subdomain", Type::boolean(),
               "Serve the app on its own subdomain instead of a path."),
      optional_default("share", Value::string("owner"),
                       "Sharing level: owner, authenticated or public."),
      optional_default("external", Value::boolean(false),
                       "Open url on the client instead of proxying it."),
      optional("group", Type::string(), "The name of a group that this app belongs to."),
      optional("order", Type::number(), "Position of the app in the UI; lowest first."),
      optional_default("hidden", Value::boolean(false), "Hide the app in the UI."),
      optional_default("open_in", Value::string("slim-window"),
                       "Where the app opens: slim-window or tab."),
      optional("tooltip", Type::string(), "Markdown text displayed when hovering over the app."),
  };
  Block healthcheck;
  healthcheck.attributes = {
      required("url", Type::string(),
               "HTTP address used to determine the application's readiness."),
      required("interval", Type::number(), "Seconds between health checks."),
      required("threshold", Type::number(), "Consecutive failures before the app is unhealthy."),
  };
  b.blocks.push_back(nested_set("healthcheck", std::move(healthcheck), 0, 1));
  return s;
}

class AppResource final : public ManagedResource {
 public:
  std::string type_name() const override { return "coder_app"; }
  const Schema& schema() const override { return schema_; }

  Diagnostics validate(const Value& config) const override {
    Diagnostics d;
    const Value& slug = config.get("slug");
    if (slug.kind() == Value::Kind::String && !valid_slug(slug.as_string()))
      d.push_back(error_at(
          path_of("slug"), "Invalid coder_app slug",
          "The slug \"" + slug.as_string() +
              "\" must be a valid hostname label: lowercase letters, digits and hyphens, not "
              "starting or ending with a hyphen nor containing two in a row "
              "(^[a-z0-9](-?[a-z0-9])*$)."));
    check_one_of(d, config.get("share"), {"owner", "authenticated", "public"}, path_of("share"),
                 "app share level");
    check_one_of(d, config.get("open_in"), {"slim-window", "tab"}, path_of("open_in"),
                 "app open_in");
    check_max_length(d, config.get("display_name"), 64, path_of("display_name"), "display_name");
    check_max_length(d, config.get("group"), 64, path_of("group"), "group");
    check_max_length(d, config.get("tooltip"), 2048, path_of("tooltip"), "tooltip");
    const bool has_command = is_set(config.get("command"));
    if (has_command && is_set(config.get("url")))
      d.push_back(error_at(path_of("command"), "Conflicting coder_app arguments",
                           "Only one of \"command\" and \"url\" may be set."));
    if (has_command && is_true(config.get("subdomain")))
      d.push_back(error_at(path_of("subdomain"), "Conflicting coder_app arguments",
                           "\"subdomain\" cannot be true for an app with a \"command\"."));
    const Value& healthcheck = config.get("healthcheck");
    const bool has_healthcheck = healthcheck.is_unknown() || !healthcheck.elements().empty();
    if (has_command && has_healthcheck)
      d.push_back(error_at(path_of("healthcheck"), "Conflicting coder_app arguments",
                           "\"healthcheck\" cannot be used with \"command\"."));
    if (is_true(config.get("external"))) {
      for (const char* conflicting : {"command", "subdomain"})
        if (is_set(config.get(conflicting)) && !(std::string(conflicting) == "subdomain" &&
                                                 config.get("subdomain") == Value::boolean(false)))
          d.push_back(error_at(
              path_of(conflicting), "Conflicting coder_app arguments",
              std::string("\"") + conflicting + "\" cannot be used with external = true."));
      if (has_healthcheck)
        d.push_back(error_at(path_of("healthcheck"), "Conflicting coder_app arguments",
                             "\"healthcheck\" cannot be used with external = true."));
    }
    return d;
  }

  Diagnostics create(Value& state, std::string&, const ProviderConfig&) const override {
    state.set_attr("id", Value::string(random_uuid()));
    return {};
  }

 private:
  Schema schema_ = app_schema();
};

}  // namespace

std::unique_ptr<ManagedResource> make_app_resource() {
  return std::make_unique<AppResource>();
}

}  // namespace coder::provider
