// The persistence actor's behaviour. Requests are not executed one by one: each handler turns
// its request into a pg_op plus a response promise and appends it to `pending`; the first one
// also sends the actor a `flush` message. That message queues behind everything already in the
// mailbox, so when it runs, the mailbox has been drained into `pending`, and the whole list
// goes to PostgreSQL as one pipeline (one sync per op: each op its own transaction). Under load
// the batches grow by themselves; when idle, a request costs one round trip.
#include "actors/persistence/persistence_actor.hpp"

#include <algorithm>
#include <chrono>
#include <functional>

#include "actors/persistence/batch_executor.hpp"
#include "actors/persistence/migrator.hpp"
#include "actors/persistence/queries.hpp"
#include "actors/persistence/spawn_persistence.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"
#include "caf/stateful_actor.hpp"
#include "caf/typed_event_based_actor.hpp"
#include "runtime/log/log.hpp"

namespace coder::persistence {
namespace {

using namespace std::chrono_literals;

using flush_atom = caf::atom_constant<caf::atom("pflush")>;
using reconnect_atom = caf::atom_constant<caf::atom("preconnect")>;

// The public interface plus the two messages the actor sends itself.
using persistence_impl =
    persistence_actor::extend<caf::reacts_to<flush_atom>, caf::reacts_to<reconnect_atom>>;

constexpr auto min_backoff = 100ms;
constexpr auto max_backoff = 5000ms;

struct pending_op {
  const char* name;  // the request type, for logs
  pg_op op;
  std::function<void(pg_op_outcome&)> complete;  // delivers the response promise
};

struct persistence_state {
  persistence_state() = default;  // C++20 aggregate rules vs CAF's state construction

  std::shared_ptr<batch_executor> exec;
  size_t max_batch = 512;
  std::vector<pending_op> pending;
  bool flush_queued = false;
  bool reconnecting = false;
  std::chrono::milliseconds backoff{0};
  db::persistence_stats stats;

  static inline const char* name = "persistence";
};

using self_ptr = persistence_impl::stateful_pointer<persistence_state>;

// ---- rows -> records -------------------------------------------------------------------------

std::string col(const pg_row& row, size_t i) {
  return i < row.size() && row[i] ? *row[i] : std::string();
}

db::user_record user_from_row(const pg_row& r) {
  db::user_record u;
  u.id = col(r, 0);
  u.username = col(r, 1);
  u.email = col(r, 2);
  u.name = col(r, 3);
  u.hashed_password = col(r, 4);
  u.status = col(r, 5);
  u.roles = decode_text_array(col(r, 6));
  u.created_at = col(r, 7);
  u.updated_at = col(r, 8);
  u.last_seen_at = col(r, 9);
  return u;
}

db::api_key_record key_from_row(const pg_row& r) {
  db::api_key_record k;
  k.id = col(r, 0);
  k.user_id = col(r, 1);
  k.hashed_secret = col(r, 2);
  k.token_name = col(r, 3);
  k.login_type = col(r, 4);
  k.created_at = col(r, 5);
  k.expires_at = col(r, 6);
  k.last_used = col(r, 7);
  k.lifetime_seconds = std::stoll(r.size() > 8 && r[8] ? *r[8] : std::string("0"));
  return k;
}

const pg_result& last_result(const pg_op_outcome& o) {
  return o.results.back();
}

// ---- database errors -> db_errc ---------------------------------------------------------------

// Which API field each constraint (or unique index) protects.
std::string field_of_constraint(const std::string& constraint) {
  static const std::pair<const char*, const char*> known[] = {
      {"users_username_lower_key", "username"},
      {"users_email_lower_key", "email"},
      {"users_pkey", "id"},
      {"users_status_check", "status"},
      {"users_username_check", "username"},
      {"users_email_check", "email"},
      {"api_keys_pkey", "id"},
      {"api_keys_id_check", "id"},
      {"api_keys_user_token_name_key", "token_name"},
      {"api_keys_user_id_fkey", "user_id"},
      {"api_keys_login_type_check", "login_type"},
      {"api_keys_lifetime_seconds_check", "lifetime_seconds"},
  };
  for (auto& [name, field] : known)
    if (constraint == name) return field;
  return constraint;
}

caf::error error_of(const char* op, const pg_op_outcome& o) {
  const auto& e = o.error;
  if (o.status == pg_op_outcome::kind::unavailable)
    return make_error(db_errc::unavailable, "database unavailable: " + e.message);
  if (e.sqlstate == "57014")  // statement_timeout (batch_executor.cpp)
    return make_error(db_errc::unavailable, std::string(op) + " timed out: " + e.message);
  if (e.sqlstate == "23505") {
    auto field = field_of_constraint(e.constraint);
    return make_error(db_errc::conflict, field + " already exists", field);
  }
  if (e.sqlstate == "23503") {
    auto field = field_of_constraint(e.constraint);
    return make_error(db_errc::invalid, field + " does not reference an existing row", field);
  }
  if (e.sqlstate == "23514")
    return make_error(db_errc::invalid, e.message, field_of_constraint(e.constraint));
  // not_null_violation and data exceptions (bad timestamp, bad uuid, out of range).
  if (e.sqlstate == "23502" || e.sqlstate.rfind("22", 0) == 0)
    return make_error(db_errc::invalid, e.message);
  log::error("persistence.op_failed", {{"op", op}, {"sqlstate", e.sqlstate}, {"error", e.message}});
  return make_error(db_errc::internal, std::string(op) + " failed: " + e.message);
}

// Ids are uuids generated by PostgreSQL; anything else cannot name a row, and is answered
// without a round trip instead of as an SQL cast error.
bool is_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// ---- batching --------------------------------------------------------------------------------

void start_reconnect(self_ptr self) {
  auto& st = self->state;
  if (st.reconnecting) return;
  st.reconnecting = true;
  st.backoff = 0ms;
  log::warn("persistence.connection_lost", {{"actor_id", self->id()}});
  self->send(self, reconnect_atom::value);
}

void run_batch(self_ptr self, std::vector<pending_op>& batch) {
  auto& st = self->state;
  if (st.reconnecting || !st.exec->connected()) {
    pg_op_outcome down;
    down.status = pg_op_outcome::kind::unavailable;
    down.error.message = "no connection to PostgreSQL (reconnecting)";
    for (auto& p : batch) {
      ++st.stats.failed_unavailable;
      p.complete(down);
    }
    start_reconnect(self);
    return;
  }
  std::vector<pg_op> ops;
  ops.reserve(batch.size());
  for (auto& p : batch) ops.push_back(std::move(p.op));
  auto started = std::chrono::steady_clock::now();
  auto outcomes = st.exec->run(ops);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count();
  ++st.stats.batches;
  st.stats.ops += static_cast<int64_t>(batch.size());
  st.stats.max_batch = std::max<int64_t>(st.stats.max_batch, static_cast<int64_t>(batch.size()));
  log::debug("persistence.batch", {{"ops", batch.size()}, {"duration_us", micros}});
  for (size_t i = 0; i < batch.size(); ++i) {
    if (outcomes[i].status == pg_op_outcome::kind::unavailable) ++st.stats.failed_unavailable;
    batch[i].complete(outcomes[i]);
  }
  if (!st.exec->connected()) start_reconnect(self);
}

void run_pending(self_ptr self) {
  auto& st = self->state;
  while (!st.pending.empty()) {
    size_t n = std::min(st.pending.size(), st.max_batch);
    std::vector<pending_op> batch(std::make_move_iterator(st.pending.begin()),
                                  std::make_move_iterator(st.pending.begin() + n));
    st.pending.erase(st.pending.begin(), st.pending.begin() + n);
    run_batch(self, batch);
  }
}

template <class Reply, class Decode>
caf::result<Reply> enqueue(self_ptr self, const char* name, pg_op op, Decode decode) {
  auto rp = self->make_response_promise<Reply>();
  self->state.pending.push_back(pending_op{
      name, std::move(op), [rp, name, decode = std::move(decode)](pg_op_outcome& o) mutable {
        if (o.status != pg_op_outcome::kind::ok) {
          rp.deliver(error_of(name, o));
          return;
        }
        caf::expected<Reply> reply = decode(o);
        if (reply)
          rp.deliver(std::move(*reply));
        else
          rp.deliver(std::move(reply.error()));
      }});
  auto& st = self->state;
  if (st.pending.size() >= st.max_batch) {
    run_pending(self);  // a full batch need not wait for the flush
  } else if (!st.flush_queued) {
    st.flush_queued = true;
    self->send(self, flush_atom::value);
  }
  return rp;
}

pg_op single(const char* statement, std::vector<pg_param> params) {
  pg_op op;
  op.calls.push_back(pg_call{statement, std::move(params)});
  return op;
}

auto one_user(const char* what) {
  return [what](pg_op_outcome& o) -> caf::expected<db::user_record> {
    auto& rows = last_result(o).rows;
    if (rows.empty()) return make_error(db_errc::not_found, std::string(what) + " not found");
    return user_from_row(rows.front());
  };
}

auto one_key() {
  return [](pg_op_outcome& o) -> caf::expected<db::api_key_record> {
    auto& rows = last_result(o).rows;
    if (rows.empty()) return make_error(db_errc::not_found, "api key not found");
    return key_from_row(rows.front());
  };
}

auto done_if_affected(const char* what) {
  return [what](pg_op_outcome& o) -> caf::expected<db::done> {
    if (last_result(o).affected == 0)
      return make_error(db_errc::not_found, std::string(what) + " not found");
    return db::done{};
  };
}

std::vector<pg_param> user_insert_params(const db::user_record& u) {
  return {u.username, u.email, u.name, u.hashed_password, encode_text_array(u.roles)};
}

caf::error user_not_found() {
  return make_error(db_errc::not_found, "user not found");
}

persistence_impl::behavior_type persistence_behavior(self_ptr self,
                                                     std::shared_ptr<batch_executor> exec,
                                                     size_t max_batch) {
  self->state.exec = std::move(exec);
  self->state.max_batch = std::max<size_t>(1, max_batch);
  // On shutdown, answer what was already taken from the mailbox (requests still in it are
  // bounced by CAF with request_receiver_down), so no caller waits for a promise that died.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (!msg.reason) return;  // like CAF's default: a normal exit of a linked actor is no signal
    run_pending(self);
    self->quit(msg.reason);
  });
  return {
      [self](db::insert_first_user& x) -> caf::result<db::user_record> {
        pg_op op;
        op.calls.push_back(pg_call{sql::first_user_lock, {}});
        op.calls.push_back(pg_call{sql::insert_first_user, user_insert_params(x.user)});
        return enqueue<db::user_record>(self, "insert_first_user", std::move(op),
                                        [](pg_op_outcome& o) -> caf::expected<db::user_record> {
                                          auto& rows = last_result(o).rows;
                                          if (rows.empty())
                                            return make_error(db_errc::conflict,
                                                              "a user already exists");
                                          return user_from_row(rows.front());
                                        });
      },
      [self](const db::count_users&) -> caf::result<db::user_count> {
        return enqueue<db::user_count>(
            self, "count_users", single(sql::count_users, {}),
            [](pg_op_outcome& o) -> caf::expected<db::user_count> {
              return db::user_count{std::stoll(col(last_result(o).rows.at(0), 0))};
            });
      },
      [self](db::insert_user& x) -> caf::result<db::user_record> {
        return enqueue<db::user_record>(self, "insert_user",
                                        single(sql::insert_user, user_insert_params(x.user)),
                                        one_user("user"));
      },
      [self](db::get_user_by_id& x) -> caf::result<db::user_record> {
        if (!is_uuid(x.id)) return user_not_found();
        return enqueue<db::user_record>(self, "get_user_by_id", single(sql::get_user_by_id, {x.id}),
                                        one_user("user"));
      },
      [self](db::get_user_by_email& x) -> caf::result<db::user_record> {
        return enqueue<db::user_record>(
            self, "get_user_by_email", single(sql::get_user_by_email, {x.email}), one_user("user"));
      },
      [self](db::get_user_by_username& x) -> caf::result<db::user_record> {
        return enqueue<db::user_record>(self, "get_user_by_username",
                                        single(sql::get_user_by_username, {x.username}),
                                        one_user("user"));
      },
      [self](const db::list_users&) -> caf::result<db::user_list> {
        return enqueue<db::user_list>(self, "list_users", single(sql::list_users, {}),
                                      [](pg_op_outcome& o) -> caf::expected<db::user_list> {
                                        db::user_list out;
                                        for (auto& row : last_result(o).rows)
                                          out.users.push_back(user_from_row(row));
                                        return out;
                                      });
      },
      [self](db::update_user_password& x) -> caf::result<db::done> {
        if (!is_uuid(x.user_id)) return user_not_found();
        // Two statements, one transaction (one pipeline sync per op).
        auto op = single(sql::update_user_password, {x.user_id, x.hashed_password});
        op.calls.push_back(
            pg_call{sql::delete_other_login_sessions, {x.user_id, x.keep_api_key_id}});
        return enqueue<db::done>(self, "update_user_password", std::move(op),
                                 [](pg_op_outcome& o) -> caf::expected<db::done> {
                                   if (o.results.front().affected == 0)
                                     return make_error(db_errc::not_found, "user not found");
                                   return db::done{};
                                 });
      },
      [self](db::update_user_status& x) -> caf::result<db::user_record> {
        if (!is_uuid(x.user_id)) return user_not_found();
        return enqueue<db::user_record>(self, "update_user_status",
                                        single(sql::update_user_status, {x.user_id, x.status}),
                                        one_user("user"));
      },
      [self](db::touch_user_last_seen& x) -> caf::result<db::done> {
        if (!is_uuid(x.user_id)) return user_not_found();
        return enqueue<db::done>(self, "touch_user_last_seen",
                                 single(sql::touch_user_last_seen, {x.user_id, x.at}),
                                 done_if_affected("user"));
      },
      [self](db::insert_api_key& x) -> caf::result<db::api_key_record> {
        auto& k = x.key;
        if (!is_uuid(k.user_id))
          return make_error(db_errc::invalid, "user_id is not a user id", "user_id");
        return enqueue<db::api_key_record>(
            self, "insert_api_key",
            single(sql::insert_api_key,
                   {k.id, k.user_id, k.hashed_secret, k.token_name, k.login_type, k.expires_at,
                    k.last_used, std::to_string(k.lifetime_seconds)}),
            one_key());
      },
      [self](db::get_api_key& x) -> caf::result<db::api_key_record> {
        return enqueue<db::api_key_record>(self, "get_api_key", single(sql::get_api_key, {x.id}),
                                           one_key());
      },
      [self](db::list_api_keys& x) -> caf::result<db::api_key_list> {
        if (!is_uuid(x.user_id)) return db::api_key_list{};
        return enqueue<db::api_key_list>(self, "list_api_keys",
                                         single(sql::list_api_keys, {x.user_id, x.login_type}),
                                         [](pg_op_outcome& o) -> caf::expected<db::api_key_list> {
                                           db::api_key_list out;
                                           for (auto& row : last_result(o).rows)
                                             out.keys.push_back(key_from_row(row));
                                           return out;
                                         });
      },
      [self](db::delete_api_key& x) -> caf::result<db::done> {
        if (!is_uuid(x.user_id)) return make_error(db_errc::not_found, "api key not found");
        return enqueue<db::done>(self, "delete_api_key",
                                 single(sql::delete_api_key, {x.id, x.user_id}),
                                 done_if_affected("api key"));
      },
      [self](db::touch_api_keys_last_used& x) -> caf::result<db::done> {
        if (x.ids.empty()) return db::done{};
        if (x.at.empty()) return make_error(db_errc::invalid, "at is required", "at");
        return enqueue<db::done>(
            self, "touch_api_keys_last_used",
            single(sql::touch_api_keys_last_used, {encode_text_array(x.ids), x.at}),
            [](pg_op_outcome&) -> caf::expected<db::done> { return db::done{}; });
      },
      [self](const db::get_deployment_id&) -> caf::result<db::deployment_info> {
        return enqueue<db::deployment_info>(
            self, "get_deployment_id", single(sql::get_deployment_id, {}),
            [](pg_op_outcome& o) -> caf::expected<db::deployment_info> {
              auto& rows = last_result(o).rows;
              if (rows.empty())
                return make_error(db_errc::internal, "the deployment row is missing");
              return db::deployment_info{col(rows.front(), 0)};
            });
      },
      [self](const db::get_persistence_stats&) -> db::persistence_stats {
        auto s = self->state.stats;
        s.connected = !self->state.reconnecting && self->state.exec->connected();
        return s;
      },
      [self](flush_atom) {
        self->state.flush_queued = false;
        run_pending(self);
      },
      [self](reconnect_atom) {
        auto& st = self->state;
        auto err = st.exec->reconnect();
        if (!err) {
          st.reconnecting = false;
          ++st.stats.reconnects;
          log::info("persistence.reconnected",
                    {{"actor_id", self->id()}, {"reconnects", st.stats.reconnects}});
          return;
        }
        // Exponential backoff on the actor clock, so the test coordinator can fire it.
        st.backoff = std::clamp(st.backoff * 2, std::chrono::milliseconds(min_backoff),
                                std::chrono::milliseconds(max_backoff));
        log::warn("persistence.reconnect_failed",
                  {{"actor_id", self->id()},
                   {"error", *err},
                   {"retry_ms", static_cast<int64_t>(st.backoff.count())}});
        self->delayed_send(self, st.backoff, reconnect_atom::value);
      },
  };
}

template <class... Ts>
void add_types(caf::actor_system_config& cfg) {
  (cfg.add_message_type<Ts>(schema::schema_name<Ts>()), ...);
}

}  // namespace

void register_persistence_types(caf::actor_system_config& cfg) {
  add_types<
      db::user_record, db::api_key_record, db::done,
      // users
      db::insert_first_user, db::count_users, db::user_count, db::insert_user, db::get_user_by_id,
      db::get_user_by_email, db::get_user_by_username, db::list_users, db::user_list,
      db::update_user_password, db::update_user_status, db::touch_user_last_seen,
      // API keys
      db::insert_api_key, db::get_api_key, db::list_api_keys, db::api_key_list, db::delete_api_key,
      db::touch_api_keys_last_used,
      // deployment and stats
      db::get_deployment_id, db::deployment_info, db::get_persistence_stats, db::persistence_stats>(
      cfg);
  register_db_error_category(cfg);
}

caf::expected<persistence_actor> spawn_persistence(caf::actor_system& sys,
                                                   std::string connection_url,
                                                   persistence_options options) {
  auto connected = connect_with_timeout(connection_url);
  if (auto* err = std::get_if<std::string>(&connected))
    return make_error(db_errc::unavailable, "cannot connect to PostgreSQL: " + *err);
  auto conn = std::move(std::get<std::unique_ptr<pg_connection>>(connected));
  auto migrated = apply_migrations(*conn);
  switch (migrated.status) {
    case migration_outcome::kind::ok:
      break;
    case migration_outcome::kind::schema_too_new:
      return make_error(db_errc::schema_too_new, migrated.error);
    case migration_outcome::kind::failed:
      return make_error(db_errc::internal, migrated.error);
  }
  std::unique_ptr<batch_executor> exec;
  if (auto err = make_pg_executor(connection_url, std::move(conn), exec))
    return make_error(db_errc::internal, *err);
  persistence_actor handle = sys.spawn<caf::detached>(
      persistence_behavior, std::shared_ptr<batch_executor>(std::move(exec)), options.max_batch);
  log::info("persistence.started", {{"actor_id", handle->id()},
                                    {"schema_version", migrated.to_version},
                                    {"max_batch", options.max_batch}});
  return handle;
}

persistence_actor spawn_persistence_with_executor_ForTest(caf::actor_system& sys,
                                                          std::shared_ptr<batch_executor> exec,
                                                          persistence_options options) {
  return sys.spawn(persistence_behavior, std::move(exec), options.max_batch);
}

}  // namespace coder::persistence
