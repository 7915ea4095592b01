#include "runtime/cli/session_commands.hpp"

#include <ostream>

namespace coder::cli {

command_spec logout_command_spec() {
  command_spec spec;
  spec.name = "logout";
  spec.summary = "Revoke the session and forget it.";
  spec.description =
      "Revoke the current session on the server and delete the saved session token. The saved\n"
      "URL is kept, so 'coder-node login' asks only for credentials next time.";
  return spec;
}

int run_logout(command_context& ctx) {
  auto client = ctx.connect();
  if (!client) return exit_failure;
  auto revoked = client->logout();
  // The saved token goes in every case: keeping a token the user asked to forget is worse than a
  // failed revocation, which is reported below. A token given by --token / CODER_SESSION_TOKEN is
  // not the saved one, so the saved session is left alone then.
  if (!ctx.args.is_set("token")) {
    if (auto removed = ctx.config.remove("session"))
      return ctx.fail("cannot delete the saved session", *removed);
  }
  // 401: the token was already invalid (expired, revoked, user suspended) — nothing to revoke.
  if (!revoked && revoked.error().status != 401) {
    ctx.io.err << "The saved session was deleted, but the server did not revoke it:\n";
    return ctx.fail(revoked.error());
  }
  ctx.io.out << "You are no longer logged in. Log in again with 'coder-node login "
             << client->url().text() << "'.\n";
  return exit_ok;
}

command_spec whoami_command_spec() {
  command_spec spec;
  spec.name = "whoami";
  spec.summary = "Show the user you are logged in as.";
  return spec;
}

int run_whoami(command_context& ctx) {
  auto client = ctx.connect();
  if (!client) return exit_failure;
  auto me = client->user("me");
  if (!me) return ctx.fail(me.error());
  return ctx.print(*me, [&] {
    ctx.io.out << "coder-node is running at " << client->url().text()
               << ", you're authenticated as " << terminal_safe(me->username) << " ("
               << terminal_safe(me->email) << ").\n";
  });
}

}  // namespace coder::cli
