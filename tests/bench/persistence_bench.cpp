// Persistence throughput: N insert_api_key (then N get_api_key) messages through the
// persistence actor, (a) awaited one by one (every op its own round trip: the baseline) and
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
  std::printf("| %-30s | %7d | %6d | %8.2f | %10.0f | %6.1fx | %8lld | %9.1f | %9lld |\n", r.mode,
              r.ops, r.failed, r.seconds, rate, baseline_rate > 0 ? rate / baseline_rate : 1.0,
              static_cast<long long>(batches), avg, static_cast<long long>(r.after.max_batch));
}

// One mode on a fresh database and a fresh actor, so both modes start from an empty table.
row run_mode(caf::actor_system& sys, bool reads, bool all_in_flight, int n) {
  row r{reads ? (all_in_flight ? "get_api_key, all in flight" : "get_api_key, one by one")
              : (all_in_flight ? "insert_api_key, all in flight" : "insert_api_key, one by one"),
        n,
        0,
        0,
        {},
        {}};
  testing::test_database db;
  auto spawned = persistence::spawn_persistence(sys, db.url());
  if (!spawned) {
    std::fprintf(stderr, "persistence_bench: %s\n", sys.render(spawned.error()).c_str());
    std::exit(1);
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
      .receive([&](db::user_record& rec) { user_id = rec.id; },
               [&](caf::error& e) { std::fprintf(stderr, "%s\n", sys.render(e).c_str()); });
  if (user_id.empty()) std::exit(1);

  auto inserts = [&](int count, bool in_flight, int& failed) {
    if (in_flight) {
      // The actor drains its mailbox into pipelines while we are still sending.
      for (int i = 0; i < count; ++i) self->send(actor, db::insert_api_key{key("k", i, user_id)});
      int received = 0;
      self->receive_for(received, count)([](db::api_key_record&) {},
                                         [&](caf::error&) { ++failed; });
    } else {
      for (int i = 0; i < count; ++i)
        self->request(actor, 30s, db::insert_api_key{key("k", i, user_id)})
            .receive([](db::api_key_record&) {}, [&](caf::error&) { ++failed; });
    }
  };
  if (reads) {
    int setup_failed = 0;
    inserts(n, true, setup_failed);  // the rows to read, untimed
    // A fresh actor for the measurement, so its statistics cover the reads alone.
    self->send_exit(actor, caf::exit_reason::user_shutdown);
    auto again = persistence::spawn_persistence(sys, db.url());
    if (!again) std::exit(1);
    actor = *again;
  }
  r.before = stats();
  auto t0 = std::chrono::steady_clock::now();
  if (!reads) {
    inserts(n, all_in_flight, r.failed);
  } else if (all_in_flight) {
    for (int i = 0; i < n; ++i) self->send(actor, db::get_api_key{key("k", i, user_id).id});
    int received = 0;
    self->receive_for(received, n)([](db::api_key_record&) {}, [&](caf::error&) { ++r.failed; });
  } else {
    for (int i = 0; i < n; ++i)
      self->request(actor, 30s, db::get_api_key{key("k", i, user_id).id})
          .receive([](db::api_key_record&) {}, [&](caf::error&) { ++r.failed; });
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.after = stats();
  self->send_exit(actor, caf::exit_reason::user_shutdown);
  return r;
}

}  // namespace

int main() {
  if (!std::getenv("CODER_LOG_LEVEL")) log::set_min_level(log::level::warn);
  int n = 100000;
  if (const char* env = std::getenv("CODER_BENCH_OPS")) n = std::max(1, std::atoi(env));
  config cfg;
  caf::actor_system sys{cfg};
  auto serial = run_mode(sys, false, false, n);
  auto burst = run_mode(sys, false, true, n);
  auto read_serial = run_mode(sys, true, false, n);
  auto read_burst = run_mode(sys, true, true, n);

  std::printf("| %-30s | %7s | %6s | %8s | %10s | %7s | %8s | %9s | %9s |\n", "mode", "ops",
              "failed", "seconds", "ops/s", "speed-up", "batches", "avg batch", "max batch");
  std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "--------------------------------", "---------",
              "--------", "----------", "------------", "---------", "----------", "-----------",
              "-----------");
  double base = serial.ops / serial.seconds;
  print(serial, base);
  print(burst, base);
  double read_base = read_serial.ops / read_serial.seconds;
  print(read_serial, read_base);
  print(read_burst, read_base);
  std::printf(
      "\n(one transaction per op; a fresh database per row; PostgreSQL on this machine; "
      "batches capped at 512 ops; speed-up vs the one-by-one row above it. Inserts all\n"
      "reference one user, so each also takes the FK row lock on it: server-side work that\n"
      "batching cannot remove. Reads show what batching saves per round trip.)\n");
  return serial.failed + burst.failed + read_serial.failed + read_burst.failed == 0 ? 0 : 1;
}
