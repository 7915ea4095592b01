#include "tests/support/test_postgres.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "actors/persistence/migrator.hpp"
#include "runtime/postgres/embedded_postgres.hpp"
#include "schema/migrations/migrations.hpp"

namespace coder::testing {
namespace {

namespace fs = std::filesystem;

// Serialises template creation across test processes sharing one server.
constexpr const char* template_lock = "SELECT pg_advisory_lock(7237669006032742763)";
constexpr const char* template_unlock = "SELECT pg_advisory_unlock(7237669006032742763)";

std::unique_ptr<persistence::pg_connection> connect_or_throw(const std::string& url) {
  auto c = persistence::pg_connection::connect(url);
  if (auto* err = std::get_if<std::string>(&c))
    throw std::runtime_error("test_postgres: cannot connect: " + *err);
  return std::move(std::get<0>(c));
}

void exec_or_throw(persistence::pg_connection& c, const std::string& sql) {
  auto r = c.exec(sql);
  if (!r.ok) throw std::runtime_error("test_postgres: " + sql + ": " + r.error.message);
}

std::string random_suffix() {
  static std::mt19937_64 rng{std::random_device{}()};
  static const char hex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 12; ++i) s += hex[rng() % 16];
  return s;
}

}  // namespace

struct test_postgres::embedded {
  fs::path dir;
  std::unique_ptr<postgres::embedded_postgres> pg;
};

test_postgres& test_postgres::instance() {
  static test_postgres instance;
  return instance;
}

test_postgres::test_postgres() {
  if (const char* url = std::getenv("CODER_TEST_POSTGRES_URL"); url && *url) {
    server_url_ = url;
  } else {
    embedded_ = std::make_unique<embedded>();
    char tmpl[] = "/tmp/coder-test-pg.XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("test_postgres: mkdtemp failed");
    embedded_->dir = tmpl;
    // Searchable by the postgres user when we are root, so the cluster stays inside the dir.
    chmod(tmpl, 0755);
    postgres::embedded_postgres_options o;
    o.config_dir = embedded_->dir.string();
    o.ephemeral = true;
    auto started = postgres::embedded_postgres::start(o);
    if (auto* err = std::get_if<std::string>(&started)) {
      std::error_code ec;
      fs::remove_all(embedded_->dir, ec);
      throw std::runtime_error("test_postgres: " + *err);
    }
    embedded_->pg = std::move(std::get<0>(started));
    server_url_ = embedded_->pg->maintenance_url();
  }
  admin_ = connect_or_throw(server_url_);
  template_name_ = std::string("coder_tmpl_") + db::migrations_fingerprint();
  ensure_template();
}

test_postgres::~test_postgres() {
  admin_.reset();
  if (embedded_) {
    embedded_->pg->stop();
    std::error_code ec;
    fs::remove_all(embedded_->dir, ec);
  }
}

std::string test_postgres::url_of(const std::string& database) const {
  auto url = persistence::with_database(server_url_, database);
  if (!url) throw std::runtime_error("test_postgres: cannot parse the server URL");
  return *url;
}

persistence::pg_result test_postgres::admin_exec(const std::string& sql,
                                                 const std::vector<persistence::pg_param>& params) {
  std::lock_guard guard{mutex_};
  return params.empty() ? admin_->exec(sql) : admin_->exec_params(sql, params);
}

void test_postgres::ensure_template() {
  std::lock_guard guard{mutex_};
  exec_or_throw(*admin_, template_lock);
  struct unlock {
    persistence::pg_connection& c;
    ~unlock() { c.exec(template_unlock); }
  } unlock_at_exit{*admin_};
  auto exists =
      admin_->exec_params("SELECT 1 FROM pg_database WHERE datname = $1", {template_name_});
  if (!exists.ok) throw std::runtime_error("test_postgres: " + exists.error.message);
  if (!exists.rows.empty()) return;
  // Built under another name and renamed when complete, so a process that dies half-way
  // never leaves a template that looks finished.
  auto building = template_name_ + "_building";
  exec_or_throw(*admin_, "DROP DATABASE IF EXISTS \"" + building + "\" WITH (FORCE)");
  exec_or_throw(*admin_, "CREATE DATABASE \"" + building + "\" TEMPLATE template0");
  {
    auto conn = connect_or_throw(url_of(building));
    auto m = persistence::apply_migrations(*conn);
    if (m.status != persistence::migration_outcome::kind::ok)
      throw std::runtime_error("test_postgres: migrating the template failed: " + m.error);
  }
  exec_or_throw(*admin_,
                "ALTER DATABASE \"" + building + "\" RENAME TO \"" + template_name_ + "\"");
}

std::string test_postgres::create_database(bool migrated) {
  auto name = "t_" + random_suffix();
  auto from = migrated ? template_name_ : std::string("template0");
  auto r = admin_exec("CREATE DATABASE \"" + name + "\" TEMPLATE \"" + from + "\"");
  if (!r.ok) throw std::runtime_error("test_postgres: create database: " + r.error.message);
  return name;
}

void test_postgres::drop_database(const std::string& name) {
  admin_exec("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
}

test_database::test_database(bool migrated) {
  auto& server = test_postgres::instance();
  name_ = server.create_database(migrated);
  url_ = server.url_of(name_);
}

test_database::~test_database() {
  conn_.reset();
  test_postgres::instance().drop_database(name_);
}

persistence::pg_result test_database::exec(const std::string& sql,
                                           const std::vector<persistence::pg_param>& params) {
  if (!conn_) conn_ = connect_or_throw(url_);
  return params.empty() ? conn_->exec(sql) : conn_->exec_params(sql, params);
}

}  // namespace coder::testing
