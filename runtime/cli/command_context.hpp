// What every CLI command gets: its parsed arguments, the process streams, the environment, the
// config store and the chosen output format, plus helpers for the three ways a command ends
// (success, error = exit 1, usage error = exit 2). Commands are functions of this context, so they
// run in tests against an in-memory server without a process or a socket.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/cli/api_client.hpp"
#include "runtime/cli/args.hpp"
#include "runtime/cli/config_store.hpp"
#include "runtime/cli/output.hpp"

namespace coder::cli {

enum exit_code : int { exit_ok = 0, exit_failure = 1, exit_usage = 2 };

struct cli_io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool in_is_terminal = false;
};

using transport_factory = std::function<std::unique_ptr<api_transport>(const server_url&)>;

struct cli_environment {
  env_lookup env;
  transport_factory make_transport;
};

class command_context {
 public:
  command_context(const parsed_args& args, cli_io io, const cli_environment& env,
                  config_store config);

  const parsed_args& args;
  cli_io io;
  const cli_environment& env;
  config_store config;
  output_format format = output_format::table;

  // A client for the deployment in --url / CODER_URL / the config dir, authenticated with
  // --token / CODER_SESSION_TOKEN / the saved session. Prints the reason and returns nullopt when
  // there is no URL (or no token and `need_token`).
  std::optional<api_client> connect(bool need_token = true);
  api_client client_for(const server_url& url);

  int fail(const api_error& error);
  int fail(const std::string& message, const std::string& detail = {});
  int usage(const std::string& message);

  // Prints `value` as JSON when --output json, else calls `table`.
  // Set by connect(): a 401 then means the saved or given token stopped working, and the error
  // says how to get a new one.
  bool authenticated = false;

  template <class T, class Table>
  int print(const T& value, Table&& table) {
    if (format == output_format::json)
      io.out << to_pretty_json(value);
    else
      table();
    return exit_ok;
  }
};

// The signature of every command implementation.
using command_fn = std::function<int(command_context&)>;

}  // namespace coder::cli
