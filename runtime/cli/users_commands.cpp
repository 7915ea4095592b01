#include "runtime/cli/users_commands.hpp"

#include <ostream>

#include "actors/users/credentials/identity_validation.hpp"
#include "runtime/cli/prompt.hpp"

namespace coder::cli {
namespace {

command_spec user_argument_command(std::string name, std::string summary) {
  command_spec spec;
  spec.name = std::move(name);
  spec.summary = std::move(summary);
  spec.positional_usage = "<user>";
  spec.description = spec.summary + " <user> is a username, a user ID or \"me\".";
  spec.min_positionals = spec.max_positionals = 1;
  return spec;
}

int print_user(command_context& ctx, const api::user& user) {
  return ctx.print(
      user, [&] { ctx.io.out << render_table(user_table_headers(), {user_table_row(user)}); });
}

int change_status(command_context& ctx, bool suspend) {
  auto client = ctx.connect();
  if (!client) return exit_failure;
  const auto& who = ctx.args.positionals[0];
  auto user = suspend ? client->suspend_user(who) : client->activate_user(who);
  if (!user) return ctx.fail(user.error());
  return ctx.print(*user, [&] {
    ctx.io.out << "User " << terminal_safe(user->username) << " is now "
               << terminal_safe(user->status) << ".\n";
  });
}

}  // namespace

command_spec users_command_spec() {
  command_spec users;
  users.name = "users";
  users.summary = "Manage users.";
  users.has_action = false;

  command_spec list;
  list.name = "list";
  list.summary = "List all users (owners only).";

  command_spec create;
  create.name = "create";
  create.summary = "Create a user (owners only).";
  create.description =
      "Create a member. Values not given as flags are asked for; the password is read without\n"
      "echo and must be typed twice.";
  create.flags = {
      {"username", 'u', "<name>", "Username (letters, digits and single hyphens)."},
      {"email", 'e', "<email>", "Email address, used to log in."},
      {"password", 'p', "<password>", "Initial password."},
      {"full-name", 0, "<name>", "Full name (optional)."},
  };

  users.subcommands = {
      list,
      create,
      user_argument_command("show", "Show one user."),
      user_argument_command("suspend", "Suspend a user: their sessions and tokens stop working."),
      user_argument_command("activate", "Activate a suspended user."),
  };
  return users;
}

int run_users_list(command_context& ctx) {
  auto client = ctx.connect();
  if (!client) return exit_failure;
  auto users = client->users();
  if (!users) return ctx.fail(users.error());
  return ctx.print(users->users, [&] {
    std::vector<std::vector<std::string>> rows;
    for (const auto& u : users->users) rows.push_back(user_table_row(u));
    ctx.io.out << render_table(user_table_headers(), rows);
  });
}

int run_users_create(command_context& ctx) {
  using namespace credentials;
  api::create_user_request req;
  prompter ask(ctx.io.in, ctx.io.err, ctx.io.in_is_terminal);
  prompted_field fields[] = {
      {"username", "Username", validate_username, &req.username, false},
      {"email", "Email", validate_email, &req.email, false},
      {"password", "Password", validate_password, &req.password, true},
  };
  // Check every flag before prompting, so a typo is reported before any question is asked.
  for (auto& f : fields) {
    if (auto value = ctx.args.value(f.flag)) {
      if (auto problem = f.validate(*value))
        return ctx.usage("invalid --" + f.flag + ": " + *problem);
      *f.target = *value;
    }
  }
  if (auto name = ctx.args.value("full-name")) {
    if (auto problem = validate_real_name(*name))
      return ctx.usage("invalid --full-name: " + *problem);
    req.name = *name;
  }
  auto client = ctx.connect();
  if (!client) return exit_failure;
  for (auto& f : fields) {
    if (ctx.args.value(f.flag)) continue;
    auto answer =
        f.secret ? ask.ask_secret(f.question, f.validate, true) : ask.ask(f.question, f.validate);
    if (!answer) {
      return ctx.fail("cannot create the user: " + ask.failure(),
                      "Pass --username, --email and --password to create a user without prompts.");
    }
    *f.target = *answer;
  }
  auto user = client->create_user(req);
  if (!user) return ctx.fail(user.error());
  return print_user(ctx, *user);
}

int run_users_show(command_context& ctx) {
  auto client = ctx.connect();
  if (!client) return exit_failure;
  auto user = client->user(ctx.args.positionals[0]);
  if (!user) return ctx.fail(user.error());
  return print_user(ctx, *user);
}

int run_users_suspend(command_context& ctx) {
  return change_status(ctx, true);
}

int run_users_activate(command_context& ctx) {
  return change_status(ctx, false);
}

}  // namespace coder::cli
