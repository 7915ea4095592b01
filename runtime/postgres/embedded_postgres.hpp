// A private PostgreSQL cluster owned by one coder-node config dir: created on first start
// (initdb), reused afterwards, reachable only through a Unix socket inside the cluster dir, and
// stopped (fast shutdown) with the server. Plain blocking process work: call it at process start
// and stop, never from an actor thread. No libpq here; the caller gets a libpq connection URL.
#pragma once

#include <memory>
#include <string>
#include <variant>

namespace coder::postgres {

struct embedded_postgres_options {
  // Holds the password file and `postgres` (the cluster dir, or a symlink to it, see below).
  std::string config_dir;
  // Where initdb/pg_ctl/postgres live; empty = `pg_config --bindir`, then
  // /usr/lib/postgresql/15/bin.
  std::string bin_dir;
  // The socket's "port" (its file name is .s.PGSQL.<port>); the socket dir is private, so the
  // default never collides with a system cluster.
  int port = 5432;
  // Test clusters trade durability for speed (fsync=off, synchronous_commit=off).
  bool ephemeral = false;
  // Maximum seconds for initdb / pg_ctl start / stop.
  int timeout_seconds = 60;
};

class embedded_postgres {
 public:
  // Starts (creating on first run) the cluster of `options.config_dir`. Returns the running
  // cluster or one human-readable error (e.g. the Debian package to install).
  static std::variant<std::unique_ptr<embedded_postgres>, std::string> start(
      embedded_postgres_options options);

  embedded_postgres(const embedded_postgres&) = delete;
  embedded_postgres& operator=(const embedded_postgres&) = delete;
  // Stops the cluster if stop() was not called.
  ~embedded_postgres();

  // postgresql://coder:<password>@/coder?host=<socket dir>&port=<port>
  std::string connection_url() const;
  // The same server's maintenance database (`postgres`), for tools that create databases.
  std::string maintenance_url() const;
  // The directory holding data/, run/ (socket) and postgres.log (symlinks resolved).
  const std::string& cluster_dir() const { return cluster_dir_; }
  const std::string& socket_dir() const { return socket_dir_; }
  // PID of the postmaster, from postmaster.pid at start.
  long pid() const { return pid_; }

  // Fast shutdown (rolls back open transactions, disconnects clients) and releases the config
  // dir to other processes; idempotent.
  void stop();

 private:
  struct impl;
  explicit embedded_postgres(std::unique_ptr<impl> p);

  std::unique_ptr<impl> impl_;
  std::string cluster_dir_;
  std::string socket_dir_;
  long pid_ = 0;
};

}  // namespace coder::postgres
