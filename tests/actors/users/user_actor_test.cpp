// The user actor's protocol under CAF's deterministic test coordinator: nothing runs until the
// test says so, and time moves only when the test moves it — so the last_used write interval,
// expiry and revocation are checked exactly, in microseconds.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "actors/users/user_actor.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <optional>
#include <vector>

#include "actors/persistence/db_error.hpp"
#include "actors/persistence/spawn_persistence.hpp"
#include "actors/users/credentials/api_key_secret.hpp"
#include "actors/users/user_directory.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/scheduler/test_coordinator.hpp"
#include "caf/typed_event_based_actor.hpp"
#include "runtime/api/api_error.hpp"
#include "schema/timestamp.hpp"

using namespace coder;
using namespace std::chrono_literals;

namespace {

struct fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::vector<db::touch_api_keys_last_used> touches;
  users::user_key_store store;
  std::map<std::string, db::api_key_record> stored_keys;  // what the "database" holds
  users::user_actor user;
  credentials::generated_api_key key;
  db::api_key_record key_record;

  fixture() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.set("logger.verbosity", caf::atom("quiet"));
    persistence::register_persistence_types(cfg);
    users::register_users_types(cfg);
    api::register_api_error_category(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    // A recorder standing in for the two persistence operations a user actor uses.
    store =
        sys->spawn([this](users::user_key_store::pointer) -> users::user_key_store::behavior_type {
          return {
              [this](db::get_api_key& q) -> caf::result<db::api_key_record> {
                auto it = stored_keys.find(q.id);
                if (it == stored_keys.end())
                  return persistence::make_error(persistence::db_errc::not_found, "no such key");
                return it->second;
              },
              [this](db::touch_api_keys_last_used& t) {
                touches.push_back(t);
                return db::done{};
              },
          };
        });
    db::user_record record;
    record.id = "11111111-1111-1111-1111-111111111111";
    record.username = "alice";
    record.status = "active";
    record.roles = {"member"};
    user = users::spawn_user_actor(*sys, record, store);
    key = *credentials::generate_api_key();
    key_record.id = key.id;
    key_record.user_id = record.id;
    key_record.hashed_secret = key.hashed_secret;
    key_record.login_type = "password";
    key_record.expires_at = schema::format_rfc3339(std::chrono::system_clock::now() + 1h);
    sched->run();
  }

  ~fixture() {
    caf::anon_send_exit(user, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
    sched->run();
  }

  // Sends check_key from a probe actor and runs the system until it has the answer.
  caf::expected<users::principal> check(std::string secret,
                                        std::optional<db::api_key_record> fetched) {
    caf::expected<users::principal> result{caf::error{}};
    bool answered = false;
    sys->spawn([&, secret, fetched](caf::event_based_actor* self) {
      self->request(user, 30s, users::check_key{key.id, secret, fetched})
          .then(
              [&](users::principal& p) {
                result = std::move(p);
                answered = true;
              },
              [&](caf::error& err) {
                result = std::move(err);
                answered = true;
              });
    });
    sched->run();
    REQUIRE(answered);
    return result;
  }

  int status_of(const caf::expected<users::principal>& r) {
    REQUIRE_FALSE(r);
    return api::render_error(r.error()).status;
  }
};

}  // namespace

TEST_CASE_FIXTURE(fixture,
                  "a fetched key authenticates and its last_used is written once a minute") {
  auto p = check(key.secret, key_record);
  REQUIRE(p);
  CHECK(p->username == "alice");
  CHECK(p->api_key_id == key.id);
  CHECK_FALSE(p->is_owner);
  REQUIRE(touches.size() == 1);
  CHECK(touches[0].ids == std::vector<std::string>{key.id});

  // Cached: no fetched record needed, and no second write within the minute.
  REQUIRE(check(key.secret, std::nullopt));
  CHECK(touches.size() == 1);
  sched->advance_time(61s);
  sched->run();
  REQUIRE(check(key.secret, std::nullopt));
  CHECK(touches.size() == 2);
}

TEST_CASE_FIXTURE(fixture, "a wrong secret, an unknown key or another user's key is 401") {
  CHECK(status_of(check(key.secret, std::nullopt)) == 401);  // not cached, nothing fetched
  auto foreign = key_record;
  foreign.user_id = "22222222-2222-2222-2222-222222222222";
  CHECK(status_of(check(key.secret, foreign)) == 401);
  // The fetched row is genuine and stays cached; the secret still has to match it.
  CHECK(status_of(check("wrongwrongwrongwrong12", key_record)) == 401);
  CHECK(status_of(check("wrongwrongwrongwrong12", std::nullopt)) == 401);
  CHECK(touches.empty());
}

TEST_CASE_FIXTURE(fixture, "an expired key is refused and dropped from the cache") {
  auto expired = key_record;
  expired.expires_at = schema::format_rfc3339(std::chrono::system_clock::now() - 1s);
  auto r = check(key.secret, expired);
  CHECK(status_of(r) == 401);
  CHECK(api::render_error(r.error()).body.message == "API key expired.");
  CHECK(status_of(check(key.secret, std::nullopt)) == 401);
}

TEST_CASE_FIXTURE(fixture, "suspension and revocation hold from the very next check") {
  REQUIRE(check(key.secret, key_record));
  db::user_record suspended;
  suspended.id = key_record.user_id;
  suspended.username = "alice";
  suspended.status = "suspended";
  caf::anon_send(user, users::user_changed{suspended});
  sched->run();
  auto r = check(key.secret, std::nullopt);
  CHECK(status_of(r) == 401);
  CHECK(api::render_error(r.error()).body.message == "Your account is suspended.");

  suspended.status = "active";
  caf::anon_send(user, users::user_changed{suspended});
  sched->run();
  REQUIRE(check(key.secret, std::nullopt));

  caf::anon_send(user, users::key_revoked{key.id});
  sched->run();
  CHECK(status_of(check(key.secret, std::nullopt)) == 401);
}

TEST_CASE_FIXTURE(fixture, "a key the actor has not cached is loaded from the store") {
  stored_keys[key.id] = key_record;  // issued after the actor started (or the actor is new)
  auto p = check(key.secret, std::nullopt);
  REQUIRE(p);
  CHECK(p->user_id == key_record.user_id);
  stored_keys.clear();  // now cached: the store is not asked again
  CHECK(check(key.secret, std::nullopt));
}

TEST_CASE_FIXTURE(fixture, "a fetched row for a different key id is not trusted") {
  auto mismatched = key_record;
  mismatched.id = "OTHERKEYID";
  CHECK(status_of(check(key.secret, mismatched)) == 401);
}

TEST_CASE_FIXTURE(fixture, "a password change drops the other cached login sessions") {
  REQUIRE(check(key.secret, key_record));  // a cached login session
  caf::anon_send(user, users::sessions_revoked{"SOMEOTHER1"});
  sched->run();
  CHECK(status_of(check(key.secret, std::nullopt)) == 401);  // gone from cache and store
}
