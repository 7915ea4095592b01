// Real PostgreSQL for tests, fast and isolated. The server: CODER_TEST_POSTGRES_URL when set
// (scripts/run-tests.sh starts one per test run), otherwise a throwaway embedded cluster in a
// temp dir, started on first use and removed at process exit. Each test_database is a fresh
// database cloned from a template that already has this binary's migrations applied
// (`coder_tmpl_<migration fingerprint>`, built once per server and migration set), so a test
// pays a CREATE DATABASE, not a migration run.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "actors/persistence/pg_connection.hpp"

namespace coder::testing {

class test_postgres {
 public:
  // The process-wide server; throws std::runtime_error when none can be had.
  static test_postgres& instance();

  // The server's maintenance database (`postgres`).
  const std::string& server_url() const { return server_url_; }
  // `server_url` with another database.
  std::string url_of(const std::string& database) const;
  // Runs SQL in the maintenance database (CREATE/DROP DATABASE, pg_terminate_backend, ...).
  persistence::pg_result admin_exec(const std::string& sql,
                                    const std::vector<persistence::pg_param>& params = {});

  // A new database: cloned from the migrated template, or empty (template0) when `migrated`
  // is false. Returns its name.
  std::string create_database(bool migrated = true);
  void drop_database(const std::string& name);

  ~test_postgres();

 private:
  test_postgres();
  void ensure_template();

  struct embedded;
  std::unique_ptr<embedded> embedded_;
  std::string server_url_;
  std::string template_name_;
  std::mutex mutex_;
  std::unique_ptr<persistence::pg_connection> admin_;
};

// One test's database, dropped (WITH FORCE) when it goes out of scope.
class test_database {
 public:
  explicit test_database(bool migrated = true);
  ~test_database();
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  const std::string& name() const { return name_; }
  const std::string& url() const { return url_; }
  // Runs SQL inside this database on the fixture's own connection (not the actor's).
  persistence::pg_result exec(const std::string& sql,
                              const std::vector<persistence::pg_param>& params = {});

 private:
  std::string name_;
  std::string url_;
  std::unique_ptr<persistence::pg_connection> conn_;
};

}  // namespace coder::testing
