// The persistence actor's batching and reconnect protocol, deterministically: CAF's test
// coordinator decides when actors run and when timers fire, and a scripted executor stands in
// for the connection (it records batches; it is not a database: the SQL contract is tested
// against real PostgreSQL in persistence_actor_test.cpp).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "actors/persistence/batch_executor.hpp"
#include "actors/persistence/spawn_persistence.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/send.hpp"
#include "tests/support/coordinated_system.hpp"

using namespace coder;
using persistence::pg_op;
using persistence::pg_op_outcome;

namespace {

struct scripted_executor final : persistence::batch_executor {
  std::vector<size_t> batches;  // size of every run() call
  bool up = true;
  bool lose_connection_in_next_run = false;
  int failing_reconnects = 0;  // reconnect() attempts that fail before one succeeds
  int reconnect_calls = 0;

  std::vector<pg_op_outcome> run(std::span<const pg_op> ops) override {
    batches.push_back(ops.size());
    std::vector<pg_op_outcome> out(ops.size());
    for (size_t i = 0; i < ops.size(); ++i) {
      if (lose_connection_in_next_run) {
        out[i].status = pg_op_outcome::kind::unavailable;
        out[i].error.message = "server closed the connection unexpectedly";
        continue;
      }
      out[i].status = pg_op_outcome::kind::ok;
      // Every statement answers one row holding its own name: enough for get_deployment_id.
      for (auto& call : ops[i].calls) {
        persistence::pg_result r;
        r.ok = true;
        r.rows.push_back({std::string(call.statement)});
        out[i].results.push_back(std::move(r));
      }
    }
    if (lose_connection_in_next_run) {
      lose_connection_in_next_run = false;
      up = false;
    }
    return out;
  }
  bool connected() const override { return up; }
  std::optional<std::string> reconnect() override {
    ++reconnect_calls;
    if (failing_reconnects > 0) {
      --failing_reconnects;
      return std::string("connection refused");
    }
    up = true;
    return std::nullopt;
  }
};

struct replies {
  int ok = 0;
  std::vector<persistence::db_errc> errors;
};

// Client actors take their inputs as spawn arguments, not captures: CAF 0.17's factory for
// argument-less function actors binds a null reference (UBSan, see PLATFORM-NOTES).

// A client that sends `n` get_deployment_id requests at once and counts the answers.
void ask_many(caf::actor_system& sys, persistence::persistence_actor db, int n,
              std::shared_ptr<replies> out) {
  sys.spawn(
      [](caf::event_based_actor* self, persistence::persistence_actor db, int n,
         std::shared_ptr<replies> out) {
        for (int i = 0; i < n; ++i)
          self->request(db, caf::infinite, db::get_deployment_id{})
              .then(
                  [out](db::deployment_info& info) {
                    out->ok += info.deployment_id.empty() ? 0 : 1;
                  },
                  [out](caf::error& err) {
                    out->errors.push_back(
                        persistence::db_error_code(err).value_or(persistence::db_errc::internal));
                  });
      },
      db, n, out);
}

db::persistence_stats stats_of(caf::actor_system& sys, testing::coordinated_system& cs,
                               persistence::persistence_actor db) {
  auto stats = std::make_shared<db::persistence_stats>();
  sys.spawn(
      [](caf::event_based_actor* self, persistence::persistence_actor db,
         std::shared_ptr<db::persistence_stats> stats) {
        self->request(db, caf::infinite, db::get_persistence_stats{})
            .then([stats](db::persistence_stats& s) { *stats = s; });
      },
      db, stats);
  cs.run();
  return *stats;
}

}  // namespace

TEST_CASE("everything waiting in the mailbox runs as one batch") {
  testing::coordinated_system cs{persistence::register_persistence_types};
  auto exec = std::make_shared<scripted_executor>();
  auto db = persistence::spawn_persistence_with_executor_ForTest(cs.sys(), exec);
  auto out = std::make_shared<replies>();
  ask_many(cs.sys(), db, 10, out);
  cs.run();
  CHECK(out->ok == 10);
  CHECK(out->errors.empty());
  CHECK(exec->batches == std::vector<size_t>{10});
  // An idle actor answers a lone request in a batch of one: no waiting for company.
  ask_many(cs.sys(), db, 1, out);
  cs.run();
  CHECK(out->ok == 11);
  CHECK(exec->batches == std::vector<size_t>{10, 1});
  auto s = stats_of(cs.sys(), cs, db);
  CHECK(s.batches == 2);
  CHECK(s.ops == 11);
  CHECK(s.max_batch == 10);
  caf::anon_send_exit(db, caf::exit_reason::user_shutdown);
}

TEST_CASE("a batch is capped; the rest runs in further batches") {
  testing::coordinated_system cs{persistence::register_persistence_types};
  auto exec = std::make_shared<scripted_executor>();
  persistence::persistence_options opts;
  opts.max_batch = 4;
  auto db = persistence::spawn_persistence_with_executor_ForTest(cs.sys(), exec, opts);
  auto out = std::make_shared<replies>();
  ask_many(cs.sys(), db, 10, out);
  cs.run();
  CHECK(out->ok == 10);
  CHECK(exec->batches == std::vector<size_t>{4, 4, 2});
  caf::anon_send_exit(db, caf::exit_reason::user_shutdown);
}

TEST_CASE("a lost connection fails in-flight ops as unavailable and reconnects with backoff") {
  testing::coordinated_system cs{persistence::register_persistence_types};
  auto exec = std::make_shared<scripted_executor>();
  auto db = persistence::spawn_persistence_with_executor_ForTest(cs.sys(), exec);
  exec->lose_connection_in_next_run = true;
  exec->failing_reconnects = 2;
  auto out = std::make_shared<replies>();
  ask_many(cs.sys(), db, 3, out);
  cs.run();
  // The in-flight ops failed; the first reconnect attempt ran at once (and failed).
  CHECK(out->ok == 0);
  CHECK(out->errors == std::vector<persistence::db_errc>(3, persistence::db_errc::unavailable));
  CHECK(exec->reconnect_calls == 1);
  CHECK(cs.pending_timers() == 1);

  // While reconnecting, requests are answered `unavailable` at once, not queued forever.
  ask_many(cs.sys(), db, 2, out);
  cs.run();
  CHECK(out->errors.size() == 5);
  CHECK(exec->batches.size() == 1);  // no batch ran on the dead connection

  CHECK(cs.fire_next_timer());  // second attempt fails, schedules a longer wait
  CHECK(exec->reconnect_calls == 2);
  CHECK(cs.fire_next_timer());  // third attempt succeeds
  CHECK(exec->reconnect_calls == 3);
  CHECK(cs.pending_timers() == 0);

  ask_many(cs.sys(), db, 2, out);
  cs.run();
  CHECK(out->ok == 2);
  auto s = stats_of(cs.sys(), cs, db);
  CHECK(s.reconnects == 1);
  CHECK(s.failed_unavailable == 5);
  CHECK(s.connected);
  caf::anon_send_exit(db, caf::exit_reason::user_shutdown);
}

TEST_CASE("malformed ids are answered without a database round trip") {
  testing::coordinated_system cs{persistence::register_persistence_types};
  auto exec = std::make_shared<scripted_executor>();
  auto db = persistence::spawn_persistence_with_executor_ForTest(cs.sys(), exec);
  auto code = std::make_shared<std::optional<persistence::db_errc>>();
  cs.sys().spawn(
      [](caf::event_based_actor* self, persistence::persistence_actor db,
         std::shared_ptr<std::optional<persistence::db_errc>> code) {
        self->request(db, caf::infinite, db::get_user_by_id{"1; DROP TABLE users"})
            .then([](db::user_record&) {},
                  [code](caf::error& err) { *code = persistence::db_error_code(err); });
      },
      db, code);
  cs.run();
  CHECK(*code == persistence::db_errc::not_found);
  CHECK(exec->batches.empty());
  caf::anon_send_exit(db, caf::exit_reason::user_shutdown);
}
