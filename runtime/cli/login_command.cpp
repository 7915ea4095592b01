#include "runtime/cli/login_command.hpp"

#include <ostream>

#include "actors/users/credentials/identity_validation.hpp"
#include "runtime/cli/prompt.hpp"

namespace coder::cli {
namespace {

using credentials::validate_email;
using credentials::validate_password;
using credentials::validate_real_name;
using credentials::validate_username;

// A flag value is checked like a prompt answer; a bad one is a usage error before any request.
std::optional<std::string> check_flag(command_context& ctx, const std::string& flag,
                                      const prompter::validator& validate) {
  auto value = ctx.args.value(flag);
  if (!value) return std::nullopt;
  if (auto problem = validate(*value)) {
    ctx.usage("invalid --" + flag + ": " + *problem);
    return std::string();  // signals "already reported"
  }
  return value;
}

// Username defaults to the login name when that is a valid username, as in Coder.
std::string default_username(const command_context& ctx) {
  if (!ctx.env.env) return {};
  auto user = ctx.env.env("USER");
  if (!user || validate_username(*user)) return {};
  return *user;
}

// Collects the first user from flags and prompts. nullopt after reporting the problem; `code`
// is set to the exit code to return.
std::optional<api::create_first_user_request> collect_first_user(command_context& ctx,
                                                                 prompter& ask, int& code) {
  api::create_first_user_request req;
  prompted_field fields[] = {
      {"first-user-username", "Username", validate_username, &req.username, false},
      {"first-user-email", "Email", validate_email, &req.email, false},
      {"first-user-password", "Password", validate_password, &req.password, true},
  };
  bool announced = false;
  for (auto& f : fields) {
    auto from_flag = check_flag(ctx, f.flag, f.validate);
    if (from_flag && from_flag->empty()) {
      code = exit_usage;
      return std::nullopt;
    }
    if (from_flag) {
      *f.target = *from_flag;
      continue;
    }
    if (!announced) {
      ctx.io.err << "This deployment has no users yet. Create the first user (the owner):\n";
      announced = true;
    }
    auto answer = f.secret ? ask.ask_secret(f.question, f.validate, true)
                           : ask.ask(f.question, f.validate,
                                     f.flag == "first-user-username" ? default_username(ctx) : "");
    if (!answer) {
      code = ctx.fail("cannot create the first user: " + ask.failure(),
                      "Pass --first-user-username, --first-user-email and --first-user-password "
                      "to create it without prompts.");
      return std::nullopt;
    }
    *f.target = *answer;
  }
  if (auto name = check_flag(ctx, "first-user-full-name", validate_real_name)) {
    if (name->empty()) {
      code = exit_usage;
      return std::nullopt;
    }
    req.name = *name;
  }
  return req;
}

// Email + password sign-in; returns the session token.
std::optional<std::string> password_login(command_context& ctx, api_client& client, prompter& ask,
                                          int& code) {
  api::login_request req;
  // With both first-user flags, a repeated scripted login (server restarted, users kept) signs in
  // as that user instead of stopping at a prompt.
  auto email = ctx.args.value("first-user-email");
  auto password = ctx.args.value("first-user-password");
  if (email && password) {
    req.email = *email;
    req.password = *password;
  } else {
    auto e = ask.ask("Email", [](const std::string& v) -> std::optional<std::string> {
      if (v.empty()) return "must not be empty";
      return std::nullopt;
    });
    auto p = e ? ask.ask_secret("Password", {}, false) : std::nullopt;
    if (!e || !p) {
      code = ctx.fail("cannot log in: " + ask.failure(),
                      "Use --token <token> (or CODER_SESSION_TOKEN) to log in without prompts.");
      return std::nullopt;
    }
    req.email = *e;
    req.password = *p;
  }
  auto reply = client.login(req);
  if (!reply) {
    code = ctx.fail(reply.error());
    return std::nullopt;
  }
  return reply->session_token;
}

}  // namespace

command_spec login_command_spec() {
  command_spec spec;
  spec.name = "login";
  spec.summary = "Log in to a coder-node deployment.";
  spec.description =
      "Log in to a coder-node deployment and save the URL and session token in the config\n"
      "directory. A deployment without users asks for the first user (the owner) instead; the\n"
      "--first-user-* flags answer without prompts (and, when the deployment already has users,\n"
      "log in as that user). --token signs in with an existing token.";
  spec.positional_usage = "[<url>]";
  spec.max_positionals = 1;
  spec.flags = {
      {"first-user-username", 0, "<name>", "Username of the first user.",
       "CODER_FIRST_USER_USERNAME"},
      {"first-user-email", 0, "<email>", "Email of the first user.", "CODER_FIRST_USER_EMAIL"},
      {"first-user-password", 0, "<password>", "Password of the first user.",
       "CODER_FIRST_USER_PASSWORD"},
      {"first-user-full-name", 0, "<name>", "Full name of the first user (optional).",
       "CODER_FIRST_USER_FULL_NAME"},
  };
  return spec;
}

int run_login(command_context& ctx) {
  std::optional<std::string> url_text;
  if (!ctx.args.positionals.empty()) url_text = ctx.args.positionals[0];
  if (!url_text) url_text = ctx.args.value("url");
  if (!url_text) url_text = ctx.config.url();
  if (!url_text) return ctx.usage("login needs the deployment URL, e.g. http://127.0.0.1:3000");
  auto url = parse_server_url(*url_text);
  if (!url) return ctx.usage("invalid URL \"" + *url_text + "\": expected http(s)://host[:port]");

  auto client = ctx.client_for(*url);
  // Fails fast, with the URL in the message, when nothing (or something else) answers there.
  if (auto info = client.build_info(); !info) return ctx.fail(info.error());
  auto has_users = client.has_first_user();
  if (!has_users) return ctx.fail(has_users.error());

  prompter ask(ctx.io.in, ctx.io.err, ctx.io.in_is_terminal);
  int code = exit_ok;
  std::string token;
  if (!*has_users) {
    auto first = collect_first_user(ctx, ask, code);
    if (!first) return code;
    if (auto created = client.create_first_user(*first); !created) return ctx.fail(created.error());
    auto session = client.login({first->email, first->password});
    if (!session) return ctx.fail(session.error());
    token = session->session_token;
  } else if (auto given = ctx.args.value("token")) {
    token = *given;
  } else {
    auto session = password_login(ctx, client, ask, code);
    if (!session) return code;
    token = *session;
  }

  client.set_session_token(token);
  auto me = client.user("me");
  if (!me) return ctx.fail(me.error());
  if (auto err = ctx.config.write("url", url->text())) return ctx.fail("cannot save the URL", *err);
  if (auto err = ctx.config.write("session", token))
    return ctx.fail("cannot save the session token", *err);
  ctx.io.out << "Welcome to coder-node, " << terminal_safe(me->username)
             << "! You're authenticated at " << url->text() << ".\n";
  return exit_ok;
}

}  // namespace coder::cli
