// The embedded cluster against the real PostgreSQL 15 binaries, as the user running the tests
// (root in CI, where the cluster must belong to the `postgres` system user).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "runtime/postgres/embedded_postgres.hpp"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "actors/persistence/pg_connection.hpp"

using namespace coder;
namespace fs = std::filesystem;

namespace {

// A config dir removed (with a relocated cluster behind its symlink) at the end of the test.
struct temp_config_dir {
  explicit temp_config_dir(mode_t mode) {
    char tmpl[] = "/tmp/coder-embedded-test.XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
    chmod(path.c_str(), mode);
  }
  ~temp_config_dir() {
    std::error_code ec;
    auto link = path / "postgres";
    if (fs::is_symlink(link, ec)) fs::remove_all(fs::read_symlink(link, ec), ec);
    fs::remove_all(path, ec);
  }
  fs::path path;
};

std::unique_ptr<postgres::embedded_postgres> start_ok(const fs::path& config_dir,
                                                      bool ephemeral = true) {
  postgres::embedded_postgres_options o;
  o.config_dir = config_dir.string();
  o.ephemeral = ephemeral;
  auto r = postgres::embedded_postgres::start(o);
  if (auto* err = std::get_if<std::string>(&r)) FAIL("start failed: " << *err);
  return std::move(std::get<0>(r));
}

std::unique_ptr<persistence::pg_connection> connect(const std::string& url) {
  auto c = persistence::pg_connection::connect(url);
  if (auto* err = std::get_if<std::string>(&c)) FAIL("connect failed: " << *err);
  return std::move(std::get<0>(c));
}

// A zombie counts as dead: in containers whose init does not reap, a stopped postmaster lingers
// as one.
bool alive(long pid) {
  if (kill(static_cast<pid_t>(pid), 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  auto paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() || text[paren + 2] != 'Z';
}

void wait_dead(long pid) {
  for (int i = 0; i < 500 && alive(pid); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE_FALSE(alive(pid));
}

}  // namespace

TEST_CASE("first start creates the cluster; a second start reuses it with the data intact") {
  temp_config_dir dir(0755);
  std::string url;
  {
    auto pg = start_ok(dir.path);
    url = pg->connection_url();
    CHECK(pg->pid() > 0);
    CHECK(url.find("host=") != std::string::npos);
    auto conn = connect(url);
    REQUIRE(conn->exec("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')").ok);
    // Only the Unix socket: no TCP listener configured.
    auto listen = conn->exec("SHOW listen_addresses");
    REQUIRE(listen.ok);
    CHECK(listen.rows[0][0].value_or("?") == "");
    auto auth =
        conn->exec("SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'");
    REQUIRE(auth.ok);
    CHECK(auth.rows[0][0].value_or("?") == "0");
    pg->stop();
    CHECK_FALSE(alive(pg->pid()));
  }
  struct stat st {};
  REQUIRE(stat((dir.path / "postgres-password").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  auto pg = start_ok(dir.path);
  CHECK(pg->connection_url() == url);
  auto conn = connect(pg->connection_url());
  auto r = conn->exec("SELECT v FROM kept");
  REQUIRE(r.ok);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0][0].value_or("") == "still here");

  // The password is required: a wrong one is refused.
  auto bad_url = pg->connection_url();
  auto at = bad_url.find('@');
  bad_url = "postgresql://coder:wrong" + bad_url.substr(at);
  auto refused = persistence::pg_connection::connect(bad_url);
  CHECK(std::holds_alternative<std::string>(refused));
}

TEST_CASE("as root, a config dir the postgres user cannot reach gets its cluster relocated") {
  if (geteuid() != 0) return;  // the relocation only exists for root
  temp_config_dir dir(0700);
  auto pg = start_ok(dir.path);
  auto link = dir.path / "postgres";
  REQUIRE(fs::is_symlink(link));
  CHECK(fs::read_symlink(link).string().rfind("/var/lib/coder-node/embedded-", 0) == 0);
  CHECK(pg->cluster_dir() == fs::read_symlink(link).string());
  struct stat st {};
  REQUIRE(stat((fs::path(pg->cluster_dir()) / "data").c_str(), &st) == 0);
  CHECK(st.st_uid != 0);  // owned by the postgres user
  auto conn = connect(pg->connection_url());
  CHECK(conn->exec("SELECT 1").ok);
  pg->stop();
  auto first_dir = pg->cluster_dir();
  pg.reset();
  // The symlink leads later runs to the same cluster.
  auto again = start_ok(dir.path);
  CHECK(again->cluster_dir() == first_dir);
}

TEST_CASE("a stale postmaster.pid left by a crash does not prevent a start") {
  temp_config_dir dir(0755);
  long first_pid = 0;
  std::string data_dir;
  {
    // Durable settings: with synchronous_commit=off a kill -9 may lose the last commit.
    auto pg = start_ok(dir.path, false);
    first_pid = pg->pid();
    data_dir = pg->cluster_dir() + "/data";
    auto conn = connect(pg->connection_url());
    REQUIRE(conn->exec("CREATE TABLE t (v int); INSERT INTO t VALUES (42)").ok);
    conn.reset();
    // A crash: the postmaster dies without removing its pid file...
    REQUIRE(kill(static_cast<pid_t>(first_pid), SIGKILL) == 0);
    wait_dead(first_pid);
    REQUIRE(fs::exists(data_dir + "/postmaster.pid"));
    pg->stop();  // must notice the server is gone rather than signal anything
    // ...and its pid is reused by an unrelated live process (this test).
    std::string text;
    {
      std::ifstream in(data_dir + "/postmaster.pid");
      std::getline(in, text, '\0');
    }
    auto nl = text.find('\n');
    std::ofstream(data_dir + "/postmaster.pid") << getpid() << text.substr(nl);
  }
  auto pg = start_ok(dir.path);
  CHECK(pg->pid() != first_pid);
  auto conn = connect(pg->connection_url());
  auto r = conn->exec("SELECT v FROM t");
  INFO(r.error.message);
  REQUIRE(r.ok);
  CHECK(r.rows.at(0).at(0).value_or("") == "42");
}

TEST_CASE("a postmaster orphaned by a crashed coder-node is restarted, not duplicated") {
  temp_config_dir dir(0755);
  postgres::embedded_postgres_options o;
  o.config_dir = dir.path.string();
  o.ephemeral = true;
  // A child process starts the cluster and dies without stopping it (like a SIGKILLed server).
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto r = postgres::embedded_postgres::start(o);
    _exit(r.index() == 0 ? 0 : 1);  // _exit: no destructors, so no stop()
  }
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  auto pg = start_ok(dir.path);
  auto conn = connect(pg->connection_url());
  CHECK(conn->exec("SELECT 1").ok);
}

TEST_CASE("a second coder-node on the same config dir is refused while the first runs") {
  temp_config_dir dir(0755);
  auto pg = start_ok(dir.path);
  postgres::embedded_postgres_options o;
  o.config_dir = dir.path.string();
  // flock is per open file description: a second start in this process must also be refused.
  auto r = postgres::embedded_postgres::start(o);
  REQUIRE(std::holds_alternative<std::string>(r));
  CHECK(std::get<std::string>(r).find("another coder-node") != std::string::npos);
}

TEST_CASE("a deep config dir moves the socket to a short path (sun_path is 108 bytes)") {
  temp_config_dir dir(0755);
  fs::path deep = dir.path;
  for (int i = 0; i < 4; ++i) deep /= "a-rather-long-directory-name-for-testing";
  fs::create_directories(deep);
  for (auto p = deep; p != dir.path; p = p.parent_path()) chmod(p.c_str(), 0755);
  auto pg = start_ok(deep);
  CHECK(pg->socket_dir().size() + 15 <= 107);
  auto conn = connect(pg->connection_url());
  CHECK(conn->exec("SELECT 1").ok);
}

TEST_CASE("missing PostgreSQL binaries give one clear error naming the Debian package") {
  temp_config_dir dir(0755);
  postgres::embedded_postgres_options o;
  o.config_dir = dir.path.string();
  o.bin_dir = "/nonexistent/postgresql/bin";
  auto r = postgres::embedded_postgres::start(o);
  REQUIRE(std::holds_alternative<std::string>(r));
  CHECK(std::get<std::string>(r).find("postgresql-15") != std::string::npos);
}
