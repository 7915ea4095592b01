#include "actors/users/user_actor.hpp"

#include <chrono>
#include <unordered_map>

#include "actors/persistence/db_error.hpp"
#include "actors/users/credentials/api_key_secret.hpp"
#include "caf/actor_clock.hpp"
#include "caf/actor_system.hpp"
#include "caf/typed_event_based_actor.hpp"
#include "runtime/api/api_error.hpp"
#include "runtime/log/log.hpp"
#include "schema/timestamp.hpp"

namespace coder::users {
namespace {

using namespace std::chrono_literals;
using api::api_errc;
using api::make_api_error;

// last_used is advisory (shown in `tokens list`); writing it on every request would turn every
// authenticated read into a database write, so it is written at most once a minute per key.
constexpr auto last_used_write_interval = 60s;

struct cached_key {
  db::api_key_record record;
  std::optional<std::chrono::system_clock::time_point> expires_at;
  // Actor-clock time of the last write, so tests drive the interval deterministically.
  std::optional<caf::actor_clock::time_point> last_used_written;
};

struct user_state {
  user_state() = default;
  db::user_record record;
  user_key_store db;
  std::unordered_map<std::string, cached_key> keys;
  static inline const char* name = "user";
};

principal principal_of(const db::user_record& r, const std::string& key_id) {
  principal p;
  p.user_id = r.id;
  p.username = r.username;
  p.roles = r.roles;
  p.api_key_id = key_id;
  for (const auto& role : r.roles)
    if (role == "owner") p.is_owner = true;
  return p;
}

caf::error invalid_key() {
  return make_api_error(api_errc::unauthorized, "API key is invalid.",
                        "Log in again with `coder-node login`.");
}

// Checks a key that is in the cache; `it` points at it.
caf::expected<principal> verify(user_actor::stateful_pointer<user_state> self,
                                std::unordered_map<std::string, cached_key>::iterator it,
                                const std::string& secret) {
  auto& st = self->state;
  auto& key = it->second;
  if (!credentials::api_key_secret_matches(secret, key.record.hashed_secret)) return invalid_key();
  auto now = std::chrono::system_clock::now();
  if (!key.expires_at || *key.expires_at <= now) {
    st.keys.erase(it);
    return make_api_error(api_errc::unauthorized, "API key expired.",
                          "Log in again or create a new token.");
  }
  if (st.record.status != "active") {
    return make_api_error(api_errc::unauthorized, "Your account is suspended.",
                          "Ask an owner to activate it.");
  }
  auto tick = self->clock().now();
  if (!key.last_used_written || tick - *key.last_used_written >= last_used_write_interval) {
    key.last_used_written = tick;
    key.record.last_used = schema::format_rfc3339(now);
    db::touch_api_keys_last_used touch{{key.record.id}, key.record.last_used};
    self->request(st.db, 30s, std::move(touch))
        .then([](const db::done&) {},
              [self, id = key.record.id](caf::error& err) {
                log::warn("users.last_used_write_failed", {{"user_id", self->state.record.id},
                                                           {"api_key_id", id},
                                                           {"error", self->system().render(err)}});
              });
  }
  return principal_of(st.record, it->first);
}

std::unordered_map<std::string, cached_key>::iterator cache_key(user_state& st,
                                                                db::api_key_record record) {
  auto id = record.id;
  auto expires = schema::parse_rfc3339(record.expires_at);
  return st.keys.insert_or_assign(id, cached_key{std::move(record), expires, std::nullopt}).first;
}

void deliver(caf::typed_response_promise<principal>& rp, caf::expected<principal> result) {
  if (result)
    rp.deliver(std::move(*result));
  else
    rp.deliver(std::move(result.error()));
}

caf::typed_response_promise<principal> check(user_actor::stateful_pointer<user_state> self,
                                             check_key& msg) {
  auto rp = self->make_response_promise<principal>();
  auto& st = self->state;
  auto it = st.keys.find(msg.key_id);
  if (it == st.keys.end() && msg.fetched) {
    if (msg.fetched->user_id != st.record.id || msg.fetched->id != msg.key_id) {
      rp.deliver(invalid_key());
      return rp;
    }
    it = cache_key(st, std::move(*msg.fetched));
  }
  if (it != st.keys.end()) {
    deliver(rp, verify(self, it, msg.secret));
    return rp;
  }
  // Not cached (a key issued since this actor started, or the actor is new): ask the database.
  self->request(st.db, 30s, db::get_api_key{msg.key_id})
      .then(
          [self, rp, secret = msg.secret](db::api_key_record& record) mutable {
            if (record.user_id != self->state.record.id) {
              rp.deliver(invalid_key());
              return;
            }
            deliver(rp, verify(self, cache_key(self->state, std::move(record)), secret));
          },
          [rp](caf::error& err) mutable {
            if (persistence::db_error_code(err) == persistence::db_errc::not_found)
              rp.deliver(invalid_key());
            else
              rp.deliver(std::move(err));
          });
  return rp;
}

user_actor::behavior_type user_behavior(user_actor::stateful_pointer<user_state> self,
                                        db::user_record record, user_key_store db) {
  self->state.record = std::move(record);
  self->state.db = std::move(db);
  return {
      [self](check_key& msg) { return check(self, msg); },
      [self](user_changed& msg) { self->state.record = std::move(msg.record); },
      [self](key_revoked& msg) { self->state.keys.erase(msg.key_id); },
      [self](sessions_revoked& msg) {
        std::erase_if(self->state.keys, [&msg](const auto& entry) {
          return entry.second.record.login_type == "password" && entry.first != msg.keep_api_key_id;
        });
      },
      [self](retire&) { self->quit(); },
  };
}

}  // namespace

user_actor spawn_user_actor(caf::actor_system& sys, db::user_record record, user_key_store db) {
  return sys.spawn(user_behavior, std::move(record), std::move(db));
}

}  // namespace coder::users
