#include "runtime/cli/tokens_commands.hpp"

#include <ostream>

#include "runtime/cli/duration.hpp"

namespace coder::cli {

command_spec tokens_command_spec() {
  command_spec tokens;
  tokens.name = "tokens";
  tokens.summary = "Manage your API tokens.";
  tokens.has_action = false;

  command_spec create;
  create.name = "create";
  create.summary = "Create an API token and print it.";
  create.description =
      "Create an API token for your user and print it on stdout. It is shown only once; the\n"
      "server keeps only a hash of it.";
  create.flags = {
      {"name", 'n', "<name>", "A name to recognise the token by."},
      {"lifetime", 0, "<duration>",
       "How long the token stays valid, e.g. 30d, 720h, 1h30m (the server's default: 30d)."},
  };

  command_spec list;
  list.name = "list";
  list.summary = "List your API tokens.";

  command_spec remove;
  remove.name = "remove";
  remove.summary = "Delete an API token.";
  remove.description = "Delete one of your API tokens, given by ID or by name.";
  remove.positional_usage = "<id|name>";
  remove.min_positionals = remove.max_positionals = 1;

  tokens.subcommands = {create, list, remove};
  return tokens;
}

int run_tokens_create(command_context& ctx) {
  api::create_token_request req;
  if (auto name = ctx.args.value("name")) req.token_name = *name;
  if (auto lifetime = ctx.args.value("lifetime")) {
    auto seconds = parse_duration_seconds(*lifetime);
    if (!seconds || *seconds <= 0)
      return ctx.usage("invalid --lifetime \"" + *lifetime + "\": use e.g. 30d, 720h or 1h30m");
    req.lifetime = *seconds;
  }
  auto client = ctx.connect();
  if (!client) return exit_failure;
  auto key = client->create_token("me", req);
  if (!key) return ctx.fail(key.error());
  // Only the token on stdout, so `TOKEN=$(coder-node tokens create)` works.
  return ctx.print(*key, [&] { ctx.io.out << key->key << "\n"; });
}

int run_tokens_list(command_context& ctx) {
  auto client = ctx.connect();
  if (!client) return exit_failure;
  auto keys = client->tokens("me");
  if (!keys) return ctx.fail(keys.error());
  return ctx.print(*keys, [&] {
    std::vector<std::vector<std::string>> rows;
    for (const auto& k : *keys) rows.push_back(api_key_table_row(k));
    ctx.io.out << render_table(api_key_table_headers(), rows);
  });
}

int run_tokens_remove(command_context& ctx) {
  auto client = ctx.connect();
  if (!client) return exit_failure;
  const std::string& wanted = ctx.args.positionals[0];
  // Resolve a name to its ID; an exact ID wins over a token that happens to be named like one.
  std::string id = wanted;
  if (auto keys = client->tokens("me")) {
    const api::api_key* by_name = nullptr;
    int name_matches = 0;
    bool id_match = false;
    for (const auto& k : *keys) {
      if (k.id == wanted) id_match = true;
      if (k.token_name == wanted) {
        by_name = &k;
        ++name_matches;
      }
    }
    if (!id_match && name_matches > 1)
      return ctx.fail("more than one token is named \"" + wanted + "\"",
                      "Remove it by ID; 'coder-node tokens list' shows the IDs.");
    if (!id_match && by_name) id = by_name->id;
  }
  auto removed = client->delete_api_key("me", id);
  if (!removed) return ctx.fail(removed.error());
  ctx.io.out << "Token " << terminal_safe(id) << " deleted.\n";
  return exit_ok;
}

}  // namespace coder::cli
