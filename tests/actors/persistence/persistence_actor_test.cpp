// The persistence actor against real PostgreSQL: migrations, the SQL contract of every
// operation, concurrency (first-user race, bursts batched into pipelines) and connection loss.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "actors/persistence/migrator.hpp"
#include "actors/persistence/spawn_persistence.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"
#include "schema/migrations/migrations.hpp"
#include "tests/support/test_postgres.hpp"

using namespace coder;
using namespace std::chrono_literals;
using persistence::db_errc;

namespace {

struct config : caf::actor_system_config {
  config() {
    persistence::register_persistence_types(*this);
    set("logger.verbosity", caf::atom("quiet"));
  }
};

// One actor system, one migrated database and one persistence actor per test.
struct fixture {
  testing::test_database db;
  config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  persistence::persistence_actor actor;

  fixture() { actor = spawn(); }
  ~fixture() {
    for (auto& a : extra) self->send_exit(a, caf::exit_reason::user_shutdown);
    self->send_exit(actor, caf::exit_reason::user_shutdown);
  }

  persistence::persistence_actor spawn() {
    auto a = persistence::spawn_persistence(sys, db.url());
    if (!a) FAIL("spawn_persistence: " << sys.render(a.error()));
    return *a;
  }
  persistence::persistence_actor spawn_extra() {
    extra.push_back(spawn());
    return extra.back();
  }

  template <class Reply, class Request>
  caf::expected<Reply> ask(Request req, persistence::persistence_actor to = {}) {
    caf::expected<Reply> out{caf::error{}};
    self->request(to ? to : actor, 30s, std::move(req))
        .receive([&](Reply& r) { out = std::move(r); }, [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  db::user_record make_user(const std::string& username, const std::string& email) {
    db::user_record u;
    u.username = username;
    u.email = email;
    u.name = "Name of " + username;
    u.hashed_password = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
    u.roles = {"member"};
    auto r = ask<db::user_record>(db::insert_user{u});
    if (!r) FAIL("insert_user: " << sys.render(r.error()));
    return *r;
  }

  db::api_key_record make_key(const std::string& id, const std::string& user_id,
                              const std::string& login_type, const std::string& name = "") {
    db::api_key_record k;
    k.id = id;
    k.user_id = user_id;
    k.hashed_secret = std::string(64, 'a');
    k.token_name = name;
    k.login_type = login_type;
    k.expires_at = "2030-01-01T00:00:00.000000Z";
    k.lifetime_seconds = 86400;
    return k;
  }

  std::vector<persistence::persistence_actor> extra;
};

std::optional<db_errc> code_of(const caf::error& e) {
  return persistence::db_error_code(e);
}

}  // namespace

TEST_CASE("migrations apply once, are recorded, and a second run is a no-op") {
  testing::test_database db{false};
  auto c = persistence::pg_connection::connect(db.url());
  REQUIRE(c.index() == 0);
  auto& conn = *std::get<0>(c);
  auto first = persistence::apply_migrations(conn);
  REQUIRE(first.status == persistence::migration_outcome::kind::ok);
  auto n = static_cast<int>(db::embedded_migrations().size());
  CHECK(first.from_version == 0);
  CHECK(first.applied == n);
  CHECK(first.to_version == persistence::latest_embedded_version());
  auto rows = db.exec("SELECT version, name FROM schema_migrations ORDER BY version");
  REQUIRE(rows.ok);
  REQUIRE(rows.rows.size() == static_cast<size_t>(n));
  CHECK(rows.rows[0][0].value_or("") == "1");
  CHECK(rows.rows[0][1].value_or("") == "0001_users");
  auto second = persistence::apply_migrations(conn);
  REQUIRE(second.status == persistence::migration_outcome::kind::ok);
  CHECK(second.applied == 0);
  CHECK(second.from_version == first.to_version);
  CHECK(db.exec("SELECT count(*) FROM deployment").rows.at(0).at(0).value_or("") == "1");
}

TEST_CASE("servers migrating the same database at once serialise on the advisory lock") {
  testing::test_database db{false};
  std::vector<persistence::migration_outcome> outcomes(4);
  std::vector<std::thread> threads;
  for (auto& o : outcomes)
    threads.emplace_back([&db, &o] {
      auto c = persistence::pg_connection::connect(db.url());
      if (c.index() == 0) o = persistence::apply_migrations(*std::get<0>(c));
    });
  for (auto& t : threads) t.join();
  int applied = 0;
  for (auto& o : outcomes) {
    CHECK(o.status == persistence::migration_outcome::kind::ok);
    applied += o.applied;
  }
  CHECK(applied == static_cast<int>(db::embedded_migrations().size()));
  CHECK(db.exec("SELECT count(*) FROM deployment").rows.at(0).at(0).value_or("") == "1");
}

TEST_CASE("start-up refuses a database whose schema is newer than the binary") {
  testing::test_database db;
  auto newer = std::to_string(persistence::latest_embedded_version() + 1);
  REQUIRE(db.exec("INSERT INTO schema_migrations (version, name) VALUES ($1, 'from_the_future')",
                  {newer})
              .ok);
  config cfg;
  caf::actor_system sys{cfg};
  auto a = persistence::spawn_persistence(sys, db.url());
  REQUIRE_FALSE(a);
  CHECK(code_of(a.error()) == db_errc::schema_too_new);
  auto text = sys.render(a.error());
  CHECK(text.find("version " + newer) != std::string::npos);
  CHECK(text.find("schema_too_new") != std::string::npos);
}

TEST_CASE("an unreachable server is reported as unavailable") {
  config cfg;
  caf::actor_system sys{cfg};
  auto a = persistence::spawn_persistence(sys, "postgresql:///nope?host=/nonexistent-dir");
  REQUIRE_FALSE(a);
  CHECK(code_of(a.error()) == db_errc::unavailable);
}

TEST_CASE("the first user is inserted exactly once, even when two servers race") {
  fixture f;
  auto other = f.spawn_extra();  // a second actor = a second connection, like a second node
  for (int round = 0; round < 10; ++round) {
    REQUIRE(f.db.exec("DELETE FROM users").ok);
    db::user_record a;
    a.username = "alice";
    a.email = "alice@example.com";
    a.hashed_password = "x";
    a.roles = {"owner"};
    auto b = a;
    b.username = "bob";
    b.email = "bob@example.com";
    f.self->send(f.actor, db::insert_first_user{a});
    f.self->send(other, db::insert_first_user{b});
    int received = 0;
    int conflicts = 0;
    f.self->receive_for(received, 2)(
        [&](db::user_record& u) {
          CHECK(u.roles == std::vector<std::string>{"owner"});
          CHECK(u.status == "active");
          CHECK(u.id.size() == 36);
        },
        [&](caf::error& e) {
          CHECK(code_of(e) == db_errc::conflict);
          ++conflicts;
        });
    CHECK(conflicts == 1);
    auto count = f.ask<db::user_count>(db::count_users{});
    REQUIRE(count);
    CHECK(count->count == 1);
  }
}

TEST_CASE("unique conflicts name the field; uniqueness ignores case") {
  fixture f;
  auto alice = f.make_user("alice", "alice@example.com");
  db::user_record dup;
  dup.username = "ALICE";
  dup.email = "other@example.com";
  dup.hashed_password = "x";
  auto r = f.ask<db::user_record>(db::insert_user{dup});
  REQUIRE_FALSE(r);
  CHECK(code_of(r.error()) == db_errc::conflict);
  CHECK(persistence::error_field(r.error()) == "username");
  CHECK(f.sys.render(r.error()).find("field=username") != std::string::npos);

  dup.username = "alice2";
  dup.email = "Alice@Example.COM";
  r = f.ask<db::user_record>(db::insert_user{dup});
  REQUIRE_FALSE(r);
  CHECK(persistence::error_field(r.error()) == "email");

  // Token names are unique per user; login sessions have no meaningful name.
  auto k1 = f.ask<db::api_key_record>(
      db::insert_api_key{f.make_key("key0000001", alice.id, "token", "ci")});
  REQUIRE(k1);
  auto k2 = f.ask<db::api_key_record>(
      db::insert_api_key{f.make_key("key0000002", alice.id, "token", "ci")});
  REQUIRE_FALSE(k2);
  CHECK(persistence::error_field(k2.error()) == "token_name");
  auto k3 =
      f.ask<db::api_key_record>(db::insert_api_key{f.make_key("key0000001", alice.id, "password")});
  REQUIRE_FALSE(k3);
  CHECK(persistence::error_field(k3.error()) == "id");
  CHECK(f.ask<db::api_key_record>(
      db::insert_api_key{f.make_key("key0000003", alice.id, "password")}));
  CHECK(f.ask<db::api_key_record>(
      db::insert_api_key{f.make_key("key0000004", alice.id, "password")}));

  // A key for a user that does not exist is invalid, naming user_id.
  auto k5 = f.ask<db::api_key_record>(db::insert_api_key{
      f.make_key("key0000005", "00000000-0000-0000-0000-000000000000", "password")});
  REQUIRE_FALSE(k5);
  CHECK(code_of(k5.error()) == db_errc::invalid);
  CHECK(persistence::error_field(k5.error()) == "user_id");
}

TEST_CASE("lookups of missing rows are not_found") {
  fixture f;
  auto alice = f.make_user("alice", "alice@example.com");
  const std::string nobody = "6f1c2b3a-0000-4000-8000-000000000000";
  auto by_id = f.ask<db::user_record>(db::get_user_by_id{nobody});
  REQUIRE_FALSE(by_id);
  CHECK(code_of(by_id.error()) == db_errc::not_found);
  CHECK(code_of(f.ask<db::user_record>(db::get_user_by_id{"not-a-uuid"}).error()) ==
        db_errc::not_found);
  CHECK(code_of(f.ask<db::user_record>(db::get_user_by_email{"x@example.com"}).error()) ==
        db_errc::not_found);
  CHECK(code_of(f.ask<db::user_record>(db::get_user_by_username{"bob"}).error()) ==
        db_errc::not_found);
  CHECK(code_of(f.ask<db::api_key_record>(db::get_api_key{"missing"}).error()) ==
        db_errc::not_found);
  CHECK(code_of(f.ask<db::done>(db::update_user_password{nobody, "h", ""}).error()) ==
        db_errc::not_found);
  CHECK(code_of(f.ask<db::user_record>(db::update_user_status{nobody, "suspended"}).error()) ==
        db_errc::not_found);
  REQUIRE(f.ask<db::api_key_record>(
      db::insert_api_key{f.make_key("key0000001", alice.id, "token", "t")}));
  // Deleting needs the owner: another user's id does not delete it.
  CHECK(code_of(f.ask<db::done>(db::delete_api_key{"key0000001", nobody}).error()) ==
        db_errc::not_found);
  CHECK(f.ask<db::done>(db::delete_api_key{"key0000001", alice.id}));
  CHECK(code_of(f.ask<db::done>(db::delete_api_key{"key0000001", alice.id}).error()) ==
        db_errc::not_found);
  // Case-insensitive lookups find the row.
  auto found = f.ask<db::user_record>(db::get_user_by_email{"ALICE@example.com"});
  REQUIRE(found);
  CHECK(found->id == alice.id);
  CHECK(f.ask<db::user_record>(db::get_user_by_username{"Alice"}));
}

TEST_CASE("SQL meta-characters and unusual unicode round-trip unchanged") {
  fixture f;
  db::user_record u;
  u.username = "robert'); DROP TABLE users;--";
  u.email = "\"quoted\"@example.com";
  u.name = "Zoë ʕ•ᴥ•ʔ 🚀 \\ $1 %s {}, \"x\" \t tab \u200b zero-width";
  u.hashed_password = "$argon2id$v=19$m=65536,t=3,p=1$YWJj$ZGVm";
  u.roles = {"owner", "a,b", "quote\"d", "back\\slash", "{braces}", "NULL", ""};
  auto stored = f.ask<db::user_record>(db::insert_user{u});
  REQUIRE(stored);
  auto back = f.ask<db::user_record>(db::get_user_by_username{u.username});
  REQUIRE(back);
  CHECK(back->username == u.username);
  CHECK(back->email == u.email);
  CHECK(back->name == u.name);
  CHECK(back->hashed_password == u.hashed_password);
  CHECK(back->roles == u.roles);
  CHECK(back->id == stored->id);
  CHECK(back->created_at == stored->created_at);
  auto all = f.ask<db::user_list>(db::list_users{});
  REQUIRE(all);
  REQUIRE(all->users.size() == 1);
  CHECK(all->users[0].name == u.name);
}

TEST_CASE("status updates return the updated user; invalid values name the field") {
  fixture f;
  auto alice = f.make_user("alice", "alice@example.com");
  CHECK(alice.status == "active");
  CHECK(alice.last_seen_at.empty());
  CHECK(alice.created_at.size() == 27);  // 2026-12-04T16:00:00.123456Z
  CHECK(alice.created_at.back() == 'Z');
  auto s = f.ask<db::user_record>(db::update_user_status{alice.id, "suspended"});
  REQUIRE(s);
  CHECK(s->status == "suspended");
  CHECK(s->updated_at >= alice.updated_at);
  auto bad = f.ask<db::user_record>(db::update_user_status{alice.id, "banished"});
  REQUIRE_FALSE(bad);
  CHECK(code_of(bad.error()) == db_errc::invalid);
  CHECK(persistence::error_field(bad.error()) == "status");

  // A password change keeps one login session (the caller's), deletes the other ones, and leaves
  // named tokens alone — in the same transaction as the new hash.
  REQUIRE(f.ask<db::api_key_record>(
      db::insert_api_key{f.make_key("sess000001", alice.id, "password")}));
  REQUIRE(f.ask<db::api_key_record>(
      db::insert_api_key{f.make_key("sess000002", alice.id, "password")}));
  REQUIRE(f.ask<db::api_key_record>(
      db::insert_api_key{f.make_key("tokn000001", alice.id, "token", "ci")}));
  REQUIRE(f.ask<db::done>(db::update_user_password{alice.id, "new-hash", "sess000001"}));
  CHECK(f.ask<db::user_record>(db::get_user_by_id{alice.id})->hashed_password == "new-hash");
  CHECK(f.ask<db::api_key_record>(db::get_api_key{"sess000001"}));
  CHECK_FALSE(f.ask<db::api_key_record>(db::get_api_key{"sess000002"}));
  CHECK(f.ask<db::api_key_record>(db::get_api_key{"tokn000001"}));
  REQUIRE(f.ask<db::done>(db::touch_user_last_seen{alice.id, "2026-01-02T03:04:05.000006Z"}));
  CHECK(f.ask<db::user_record>(db::get_user_by_id{alice.id})->last_seen_at ==
        "2026-01-02T03:04:05.000006Z");
}

TEST_CASE("api keys: list by type, batch last_used touch that never goes backwards") {
  fixture f;
  auto alice = f.make_user("alice", "alice@example.com");
  auto bob = f.make_user("bob", "bob@example.com");
  auto k =
      f.ask<db::api_key_record>(db::insert_api_key{f.make_key("aaaaaaaaa1", alice.id, "password")});
  REQUIRE(k);
  CHECK(k->last_used.empty());
  CHECK(k->expires_at == "2030-01-01T00:00:00.000000Z");
  CHECK(k->lifetime_seconds == 86400);
  REQUIRE(f.ask<db::api_key_record>(
      db::insert_api_key{f.make_key("aaaaaaaaa2", alice.id, "token", "ci")}));
  REQUIRE(f.ask<db::api_key_record>(
      db::insert_api_key{f.make_key("bbbbbbbbb1", bob.id, "token", "ci")}));
  auto tokens = f.ask<db::api_key_list>(db::list_api_keys{alice.id, "token"});
  REQUIRE(tokens);
  REQUIRE(tokens->keys.size() == 1);
  CHECK(tokens->keys[0].id == "aaaaaaaaa2");
  CHECK(f.ask<db::api_key_list>(db::list_api_keys{alice.id, ""})->keys.size() == 2);
  CHECK(f.ask<db::api_key_list>(db::list_api_keys{"junk", ""})->keys.empty());

  const std::string t1 = "2026-06-01T00:00:00.000000Z";
  const std::string t0 = "2026-05-01T00:00:00.000000Z";
  REQUIRE(f.ask<db::done>(db::touch_api_keys_last_used{{"aaaaaaaaa1", "aaaaaaaaa2", "gone"}, t1}));
  CHECK(f.ask<db::api_key_record>(db::get_api_key{"aaaaaaaaa1"})->last_used == t1);
  CHECK(f.ask<db::api_key_record>(db::get_api_key{"aaaaaaaaa2"})->last_used == t1);
  CHECK(f.ask<db::api_key_record>(db::get_api_key{"bbbbbbbbb1"})->last_used.empty());
  REQUIRE(f.ask<db::done>(db::touch_api_keys_last_used{{"aaaaaaaaa1"}, t0}));
  CHECK(f.ask<db::api_key_record>(db::get_api_key{"aaaaaaaaa1"})->last_used == t1);

  // Deleting a user deletes its keys.
  REQUIRE(f.db.exec("DELETE FROM users WHERE id = $1::uuid", {alice.id}).ok);
  CHECK(code_of(f.ask<db::api_key_record>(db::get_api_key{"aaaaaaaaa1"}).error()) ==
        db_errc::not_found);
}

TEST_CASE("the deployment id exists after migration and survives restarts") {
  fixture f;
  auto id = f.ask<db::deployment_info>(db::get_deployment_id{});
  REQUIRE(id);
  CHECK(id->deployment_id.size() == 36);
  auto again = f.ask<db::deployment_info>(db::get_deployment_id{}, f.spawn_extra());
  REQUIRE(again);
  CHECK(again->deployment_id == id->deployment_id);
}

TEST_CASE("a burst of 1000 concurrent requests is answered, in pipelined batches") {
  fixture f;
  auto alice = f.make_user("alice", "alice@example.com");
  constexpr int n = 1000;
  for (int i = 0; i < n; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "burst%05d", i);
    f.self->send(f.actor, db::insert_api_key{f.make_key(id, alice.id, "password")});
  }
  int ok = 0;
  int failed = 0;
  int i = 0;
  f.self->receive_for(i, n)([&](db::api_key_record&) { ++ok; },
                            [&](caf::error& e) {
                              ++failed;
                              MESSAGE(f.sys.render(e));
                            });
  CHECK(ok == n);
  CHECK(failed == 0);
  auto s = f.ask<db::persistence_stats>(db::get_persistence_stats{});
  REQUIRE(s);
  MESSAGE("batches=" << s->batches << " ops=" << s->ops << " max_batch=" << s->max_batch);
  CHECK(s->ops >= n);
  CHECK(s->max_batch > 1);
  CHECK(s->batches < n / 2);  // one message per batch would be n batches
  CHECK(f.ask<db::api_key_list>(db::list_api_keys{alice.id, "password"})->keys.size() == n);
}

namespace {

// Terminates every backend of the test database but the fixture's own and waits until those
// processes are gone. (Only those: the actor reconnects at once, so a new backend may appear.)
void terminate_other_backends(fixture& f) {
  auto killed = f.db.exec(
      // MATERIALIZED: choose the victims first; a WHERE clause may call pg_terminate_backend
      // before it has excluded our own connection.
      "WITH victims AS MATERIALIZED (SELECT pid FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()) "
      "SELECT string_agg(pid::text, ','), count(pg_terminate_backend(pid)) FROM victims");
  REQUIRE(killed.ok);
  auto pids = killed.rows.at(0).at(0).value_or("");
  REQUIRE_FALSE(pids.empty());
  for (int i = 0; i < 500; ++i) {
    auto left = f.db.exec("SELECT count(*) FROM pg_stat_activity WHERE pid IN (" + pids + ")");
    if (left.rows.at(0).at(0).value_or("1") == "0") return;
    std::this_thread::sleep_for(10ms);
  }
  FAIL("backends did not terminate");
}

}  // namespace

TEST_CASE("an op in flight when its backend is killed fails as unavailable and is rolled back") {
  fixture f;
  // A trigger that holds the insert inside the server long enough to kill it mid-statement.
  REQUIRE(f.db.exec("CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$; "
                    "CREATE TRIGGER slow BEFORE INSERT ON users "
                    "FOR EACH ROW EXECUTE FUNCTION slow_insert()")
              .ok);
  db::user_record u;
  u.username = "inflight";
  u.email = "inflight@example.com";
  u.hashed_password = "x";
  f.self->send(f.actor, db::insert_user{u});
  bool sleeping = false;
  for (int i = 0; i < 500 && !sleeping; ++i) {
    auto r = f.db.exec(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event = 'PgSleep'");
    sleeping = r.ok && r.rows.at(0).at(0).value_or("0") == "1";
    if (!sleeping) std::this_thread::sleep_for(10ms);
  }
  REQUIRE(sleeping);
  terminate_other_backends(f);
  std::optional<db_errc> code;
  f.self->receive([&](db::user_record&) { code = db_errc::internal; },
                  [&](caf::error& e) { code = code_of(e); });
  CHECK(code == db_errc::unavailable);
  REQUIRE(f.db.exec("DROP TRIGGER slow ON users").ok);
  CHECK(f.db.exec("SELECT count(*) FROM users").rows.at(0).at(0).value_or("") == "0");
  // Reconnected on its own: the next request works.
  bool back = false;
  for (int i = 0; i < 200 && !back; ++i) {
    back = static_cast<bool>(f.ask<db::user_count>(db::count_users{}));
    if (!back) std::this_thread::sleep_for(25ms);
  }
  CHECK(back);
}

TEST_CASE("a terminated backend fails requests as unavailable, then the actor reconnects") {
  fixture f;
  REQUIRE(f.ask<db::user_count>(db::count_users{}));
  // Kill the actor's idle backend from another connection, as a DBA or a failover would.
  terminate_other_backends(f);
  auto failed = f.ask<db::user_count>(db::count_users{});
  REQUIRE_FALSE(failed);
  CHECK(code_of(failed.error()) == db_errc::unavailable);
  // The actor reconnects on its own (first attempt immediately, then with backoff).
  bool back = false;
  for (int i = 0; i < 200 && !back; ++i) {
    back = static_cast<bool>(f.ask<db::user_count>(db::count_users{}));
    if (!back) std::this_thread::sleep_for(25ms);
  }
  CHECK(back);
  auto s = f.ask<db::persistence_stats>(db::get_persistence_stats{});
  REQUIRE(s);
  CHECK(s->reconnects == 1);
  CHECK(s->failed_unavailable >= 1);
  CHECK(s->connected);
}
