// Persistence throughput: N insert_api_key messages through the persistence actor,
// (a) awaited one by one (every op its own round trip: the baseline) and
// (b) all in flight at once (the mailbox drains into pipelined batches).
// Prints a Markdown table. Server: CODER_TEST_POSTGRES_URL or a throwaway embedded cluster.
// N: CODER_BENCH_OPS (default 100000).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "actors/persistence/spawn_persistence.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"
#include "runtime/log/log.hpp"
#include "tests/support/test_postgres.hpp"

using namespace coder;
using namespace std::chrono_literals;

namespace {

struct config : caf::actor_system_config {
  config() {
    persistence::register_persistence_types(*this);
    set("logger.verbosity", caf::atom("quiet"));
  }
};

db::api_key_record key(const std::string& prefix, int i, const std::string& user_id) {
  char id[32];
  std::snprintf(id, sizeof id, "%s%07d", prefix.c_str(), i);
  db::api_key_record k;
  k.id = id;
  k.user_id = user_id;
  k.hashed_secret = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
  k.login_type = "password";
  k.expires_at = "2030-01-01T00:00:00.000000Z";
  k.lifetime_seconds = 86400;
  return k;
}

struct row {
  const char* mode;
  int ops;
  int failed;
  double seconds;
  db::persistence_stats before;
  db::persistence_stats after;
};

void print(const row& r, double baseline_rate) {
  double rate = r.ops / r.seconds;
  auto batches = r.after.batches - r.before.batches;
  double avg = batches ? double(r.after.ops - r.before.ops) / double(batches) : 0;
  std::printf("| %-34s | %7d | %6d | %8.2f | %10.0f | %6.1fx | %8lld | %9.1f | %9lld |\n", r.mode,
              r.ops, r.failed, r.seconds, rate, baseline_rate > 0 ? rate / baseline_rate : 1.0,
              static_cast<long long>(batches), avg, static_cast<long long>(r.after.max_batch));
}

}  // namespace

int main() {
  log::set_min_level(log::level::warn);
  int n = 100000;
  if (const char* env = std::getenv("CODER_BENCH_OPS")) n = std::max(1, std::atoi(env));

  testing::test_database db;
  config cfg;
  caf::actor_system sys{cfg};
  auto spawned = persistence::spawn_persistence(sys, db.url());
  if (!spawned) {
    std::fprintf(stderr, "persistence_bench: %s\n", sys.render(spawned.error()).c_str());
    return 1;
  }
  auto actor = *spawned;
  caf::scoped_actor self{sys};
  auto stats = [&] {
    db::persistence_stats s;
    self->request(actor, 30s, db::get_persistence_stats{})
        .receive([&](db::persistence_stats& x) { s = x; }, [](caf::error&) {});
    return s;
  };

  db::user_record u;
  u.username = "bench";
  u.email = "bench@example.com";
  u.hashed_password = "x";
  std::string user_id;
  self->request(actor, 30s, db::insert_user{u})
      .receive([&](db::user_record& r) { user_id = r.id; },
               [&](caf::error& e) { std::fprintf(stderr, "%s\n", sys.render(e).c_str()); });
  if (user_id.empty()) return 1;

  // (a) one request at a time: each waits for the previous reply.
  row serial{"one by one (request, await reply)", n, 0, 0, stats(), {}};
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i)
    self->request(actor, 30s, db::insert_api_key{key("s", i, user_id)})
        .receive([](db::api_key_record&) {}, [&](caf::error&) { ++serial.failed; });
  serial.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  serial.after = stats();

  // (b) everything in flight: the actor drains its mailbox into pipelines.
  row burst{"all in flight (pipelined batches)", n, 0, 0, stats(), {}};
  t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) self->send(actor, db::insert_api_key{key("b", i, user_id)});
  int received = 0;
  self->receive_for(received, n)([](db::api_key_record&) {}, [&](caf::error&) { ++burst.failed; });
  burst.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  burst.after = stats();

  std::printf("| %-34s | %7s | %6s | %8s | %10s | %7s | %8s | %9s | %9s |\n", "mode", "ops",
              "failed", "seconds", "ops/s", "vs (a)", "batches", "avg batch", "max batch");
  std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "------------------------------------", "---------",
              "--------", "----------", "------------", "---------", "----------", "-----------",
              "-----------");
  double base = serial.ops / serial.seconds;
  print(serial, base);
  print(burst, base);
  std::printf(
      "\n(insert_api_key into one table with 2 indexes; one PostgreSQL on this machine; "
      "batches capped at 512 ops, one transaction per op)\n");
  self->send_exit(actor, caf::exit_reason::user_shutdown);
  return serial.failed + burst.failed == 0 ? 0 : 1;
}
