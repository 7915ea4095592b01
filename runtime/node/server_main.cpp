#include "runtime/node/server_main.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <variant>

#include "actors/persistence/persistence_actor.hpp"
#include "actors/persistence/spawn_persistence.hpp"
#include "actors/users/user_directory.hpp"
#include "actors/users/users_http_api.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/scoped_actor.hpp"
#include "runtime/api/api_handler.hpp"
#include "runtime/api/core_routes.hpp"
#include "runtime/http/server.hpp"
#include "runtime/log/log.hpp"
#include "runtime/node/message_types.hpp"
#include "runtime/node/server_config.hpp"
#include "runtime/node/version.hpp"
#include "runtime/postgres/embedded_postgres.hpp"
#include "runtime/uv/event_loop.hpp"

namespace coder::node {
namespace {

using namespace std::chrono_literals;

std::optional<std::string> getenv_string(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

// Signals are taken synchronously by the main thread (sigwait), so no handler runs on a
// random thread and the shutdown sequence is ordinary code.
sigset_t block_shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A client closing its socket mid-write must not kill the server.
  std::signal(SIGPIPE, SIG_IGN);
  return set;
}

bool prepare_config_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::cerr << "error: cannot create config dir " << dir << ": " << ec.message() << "\n";
    return false;
  }
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  return true;
}

}  // namespace

int run_server(const std::vector<std::string>& args) {
  auto parsed = parse_server_config(args, getenv_string);
  if (auto* err = std::get_if<config_error>(&parsed)) {
    std::cerr << "error: " << err->message << "\n";
    return 2;
  }
  auto cfg = std::get<server_config>(parsed);
  if (cfg.show_help) {
    std::cout << server_usage();
    return 0;
  }
  auto signals = block_shutdown_signals();
  if (!prepare_config_dir(cfg.config_dir)) return 1;

  std::unique_ptr<postgres::embedded_postgres> embedded;
  std::string postgres_url = cfg.postgres_url;
  if (postgres_url.empty()) {
    postgres::embedded_postgres_options pg_options;
    pg_options.config_dir = cfg.config_dir;
    auto started = postgres::embedded_postgres::start(pg_options);
    if (auto* err = std::get_if<std::string>(&started)) {
      std::cerr << "error: embedded PostgreSQL: " << *err << "\n";
      return 1;
    }
    embedded = std::move(std::get<0>(started));
    postgres_url = embedded->connection_url();
  }

  caf::actor_system_config actor_cfg;
  register_message_types(actor_cfg);
  int exit_code = 0;
  {
    caf::actor_system sys{actor_cfg};
    auto db = persistence::spawn_persistence(sys, postgres_url);
    if (!db) {
      std::cerr << "error: database: " << sys.render(db.error()) << "\n";
      if (embedded) embedded->stop();
      return 1;
    }
    auto svc = std::make_shared<api::services>();
    svc->version = coder_node_version;
    svc->access_url = cfg.access_url;
    {
      caf::scoped_actor self{sys};
      self->request(*db, 30s, db::get_deployment_id{})
          .receive([&](db::deployment_info& info) { svc->deployment_id = info.deployment_id; },
                   [&](caf::error& err) {
                     log::warn("server.deployment_id_unavailable", {{"error", sys.render(err)}});
                   });
    }
    svc->users = users::spawn_user_directory(sys, *db);

    auto routes = std::make_shared<api::route_table>();
    api::add_core_routes(*routes);
    users::add_users_routes(*routes);

    uv::event_loop loop;
    loop.start();
    http::server_options http_opts;
    http_opts.host = cfg.http_host;
    http_opts.port = cfg.http_port;
    http_opts.tls_cert_file = cfg.tls_cert_file;
    http_opts.tls_key_file = cfg.tls_key_file;
    http::server server{loop, http_opts, api::make_api_handler(sys, routes, svc)};
    std::string listen_error;
    try {
      server.start();  // throws only here, at the process edge: bad address, port in use, TLS files
    } catch (const std::exception& e) {
      listen_error = e.what();
    }
    if (!listen_error.empty()) {
      std::cerr << "error: cannot serve on " << cfg.http_host << ":" << cfg.http_port << ": "
                << listen_error << "\n";
      exit_code = 1;
    } else {
      auto port = server.port();
      log::info("server.started", {{"http_address", cfg.http_host + ":" + std::to_string(port)},
                                   {"access_url", cfg.access_url},
                                   {"config_dir", cfg.config_dir},
                                   {"embedded_postgres", embedded != nullptr},
                                   {"version", coder_node_version}});
      // Tests and scripts read this line to learn the port when they asked for port 0.
      std::cout << "coder-node listening on http" << (server.tls() ? "s" : "") << "://"
                << cfg.http_host << ":" << port << std::endl;
      int sig = 0;
      sigwait(&signals, &sig);
      log::info("server.stopping", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
      bool clean = server.shutdown(10s);
      log::info("server.http_stopped", {{"clean", clean}});
    }
    loop.stop();
    caf::anon_send_exit(svc->users, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(*db, caf::exit_reason::user_shutdown);
  }  // ~actor_system waits for every actor
  if (embedded) embedded->stop();
  log::info("server.stopped");
  return exit_code;
}

}  // namespace coder::node
