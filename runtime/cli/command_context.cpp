#include "runtime/cli/command_context.hpp"

#include <ostream>

namespace coder::cli {

command_context::command_context(const parsed_args& args_in, cli_io io_in,
                                 const cli_environment& env_in, config_store config_in)
    : args(args_in), io(io_in), env(env_in), config(std::move(config_in)) {
  if (args.value_or("output", "table") == "json") format = output_format::json;
}

api_client command_context::client_for(const server_url& url) {
  return api_client(url, env.make_transport(url));
}

std::optional<api_client> command_context::connect(bool need_token) {
  auto saved_url = config.url();
  auto url_text = args.value("url");
  if (!url_text) url_text = saved_url;
  if (!url_text) {
    fail("you are not logged in", "Log in with 'coder-node login <url>'.");
    return std::nullopt;
  }
  auto url = parse_server_url(*url_text);
  if (!url) {
    fail("invalid deployment URL \"" + *url_text + "\"",
         "Expected http(s)://host[:port]; check --url, CODER_URL or " +
             (config.dir() / "url").string() + ".");
    return std::nullopt;
  }
  auto client = client_for(*url);
  auto token = args.value("token");
  // The saved session belongs to the saved URL: never send it to a deployment named by --url.
  auto saved = saved_url ? parse_server_url(*saved_url) : std::nullopt;
  if (!token && saved && saved->text() == url->text()) token = config.session();
  if (token) {
    client.set_session_token(*token);
    authenticated = true;
  } else if (need_token) {
    fail("you are not logged in", "Log in with 'coder-node login " + url->text() + "'.");
    return std::nullopt;
  }
  return client;
}

int command_context::fail(const api_error& error) {
  io.err << format_error(error.body);
  if (error.status == 401 && authenticated)
    io.err << "The session token was not accepted; log in again with 'coder-node login'.\n";
  return exit_failure;
}

int command_context::fail(const std::string& message, const std::string& detail) {
  api::error_response error;
  error.message = message;
  error.detail = detail;
  io.err << format_error(error);
  return exit_failure;
}

int command_context::usage(const std::string& message) {
  std::string path = "coder-node";
  for (const auto& p : args.command_path) path += " " + p;
  io.err << "error: " << message << "\nRun '" << path << " --help' for usage.\n";
  return exit_usage;
}

}  // namespace coder::cli
