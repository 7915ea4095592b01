#include "actors/users/user_directory.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <unordered_map>
#include <vector>

#include "actors/persistence/db_error.hpp"
#include "actors/users/credentials/api_key_secret.hpp"
#include "actors/users/credentials/identity_validation.hpp"
#include "actors/users/login_rate_limiter.hpp"
#include "actors/users/password_hasher.hpp"
#include "actors/users/user_actor.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/typed_event_based_actor.hpp"
#include "runtime/api/api_error.hpp"
#include "runtime/log/log.hpp"
#include "schema/timestamp.hpp"

namespace coder::users {
namespace {

using namespace std::chrono_literals;
using api::api_errc;
using api::make_api_error;

constexpr auto db_timeout = 30s;
constexpr auto hash_timeout = 60s;
// Login sessions last a day (Coder's default); API tokens 30 days unless asked otherwise.
constexpr int64_t session_lifetime_seconds = 24 * 3600;
constexpr int64_t default_token_lifetime_seconds = 30 * 24 * 3600;
constexpr int64_t max_token_lifetime_seconds = 365 * 24 * 3600;
constexpr int64_t min_token_lifetime_seconds = 60;
constexpr auto idle_user_eviction = 30min;
constexpr auto sweep_interval = 5min;

struct sweep {};
CODER_SCHEMA_EMPTY(sweep)

struct user_entry {
  user_actor handle;
  std::chrono::steady_clock::time_point last_use;
};

struct directory_state {
  directory_state() = default;
  persistence::persistence_actor db;
  std::vector<password_hasher_actor> hashers;
  size_t next_hasher = 0;
  std::unordered_map<std::string, user_entry> users;        // user id -> actor
  std::unordered_map<std::string, std::string> key_owners;  // api key id -> user id
  std::unordered_map<std::string, std::vector<std::function<void(user_actor)>>> loading;
  login_rate_limiter limiter;
  static inline const char* name = "user_directory";
};

using directory_actor = users_actor::extend<caf::reacts_to<sweep>>;
using directory_pointer = directory_actor::stateful_pointer<directory_state>;

api::user to_api(const db::user_record& r) {
  return {r.id,    r.username, r.email,      r.name,       r.status,
          r.roles, "password", r.created_at, r.updated_at, r.last_seen_at};
}

api::api_key to_api(const db::api_key_record& r) {
  return {r.id,         r.user_id,    r.token_name, r.login_type,
          r.created_at, r.expires_at, r.last_used,  r.lifetime_seconds};
}

caf::error validation_failed(std::vector<api::validation> v) {
  return make_api_error(api_errc::bad_request, "Validation failed.", "", std::move(v));
}

caf::error forbidden() {
  return make_api_error(api_errc::forbidden, "Forbidden.",
                        "Only an owner may do this for another user.");
}

caf::error user_not_found(const std::string& ref) {
  return make_api_error(api_errc::not_found, "User not found.", "No user '" + ref + "'.");
}

// Conflicts from the users table name the unique field; the database says which.
caf::error conflict_to_validation(const caf::error& err) {
  std::string field = persistence::error_field(err) == "email" ? "email" : "username";
  return make_api_error(api_errc::conflict, "A user with that " + field + " already exists.", "",
                        {{field, "is already taken"}});
}

bool is_db_error(const caf::error& err, persistence::db_errc code) {
  return persistence::db_error_code(err) == code;
}

std::vector<api::validation> validate_identity(const std::string& username,
                                               const std::string& email,
                                               const std::string& password,
                                               const std::optional<std::string>& name) {
  std::vector<api::validation> v;
  if (auto e = credentials::validate_username(username)) v.push_back({"username", *e});
  if (auto e = credentials::validate_email(email)) v.push_back({"email", *e});
  if (auto e = credentials::validate_password(password)) v.push_back({"password", *e});
  if (name)
    if (auto e = credentials::validate_real_name(*name)) v.push_back({"name", *e});
  return v;
}

password_hasher_actor next_hasher(directory_pointer self) {
  auto& st = self->state;
  return st.hashers[st.next_hasher++ % st.hashers.size()];
}

// Calls `then` with the user's actor, loading the record and spawning the actor on first use.
// Concurrent first uses share one load.
void with_user_actor(directory_pointer self, const std::string& user_id,
                     std::function<void(user_actor)> then, std::function<void(caf::error)> fail) {
  auto& st = self->state;
  if (auto it = st.users.find(user_id); it != st.users.end()) {
    it->second.last_use = self->clock().now();
    then(it->second.handle);
    return;
  }
  auto& waiters = st.loading[user_id];
  waiters.push_back(std::move(then));
  if (waiters.size() > 1) return;
  self->request(st.db, db_timeout, db::get_user_by_id{user_id})
      .then(
          [self, user_id](db::user_record& record) {
            auto handle = spawn_user_actor(self->system(), std::move(record), self->state.db);
            self->link_to(handle);
            self->state.users[user_id] = {handle, self->clock().now()};
            auto waiting = std::move(self->state.loading[user_id]);
            self->state.loading.erase(user_id);
            for (auto& w : waiting) w(handle);
          },
          [self, user_id, fail](caf::error& err) {
            // Every waiter but the first has no failure path of its own: they fail with it.
            self->state.loading.erase(user_id);
            fail(std::move(err));
          });
}

// Tells a live user actor about a change before the client is answered (FIFO from here).
template <class Msg>
void notify_user(directory_pointer self, const std::string& user_id, Msg msg) {
  if (auto it = self->state.users.find(user_id); it != self->state.users.end())
    self->send(it->second.handle, std::move(msg));
}

caf::typed_response_promise<principal> do_authenticate(directory_pointer self, authenticate& msg) {
  auto rp = self->make_response_promise<principal>();
  auto parts = credentials::parse_api_key(msg.token);
  if (!parts) {
    rp.deliver(make_api_error(api_errc::unauthorized, "Invalid API key format.",
                              "Expected a session token like '<id>-<secret>'."));
    return rp;
  }
  auto forward = [self, rp, parts = *parts](user_actor user,
                                            std::optional<db::api_key_record> fetched) mutable {
    self->request(user, db_timeout, check_key{parts.id, parts.secret, std::move(fetched)})
        .then([rp](principal& p) mutable { rp.deliver(std::move(p)); },
              [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  };
  auto fail = [rp](caf::error err) mutable { rp.deliver(std::move(err)); };
  auto& st = self->state;
  if (auto owner = st.key_owners.find(parts->id); owner != st.key_owners.end()) {
    with_user_actor(
        self, owner->second, [forward](user_actor u) mutable { forward(u, std::nullopt); }, fail);
    return rp;
  }
  self->request(st.db, db_timeout, db::get_api_key{parts->id})
      .then(
          [self, forward, fail](db::api_key_record& key) mutable {
            self->state.key_owners[key.id] = key.user_id;
            auto user_id = key.user_id;
            with_user_actor(
                self, user_id,
                [forward, key = std::move(key)](user_actor u) mutable { forward(u, key); }, fail);
          },
          [rp](caf::error& err) mutable {
            if (is_db_error(err, persistence::db_errc::not_found))
              rp.deliver(make_api_error(api_errc::unauthorized, "API key is invalid.",
                                        "Log in again with `coder-node login`."));
            else
              rp.deliver(std::move(err));
          });
  return rp;
}

// Issues a new API key for `user_id`; delivers the "<id>-<secret>" token.
void issue_key(directory_pointer self, const std::string& user_id, const std::string& login_type,
               const std::string& token_name, int64_t lifetime_seconds,
               std::function<void(caf::expected<std::string>)> done) {
  auto key = credentials::generate_api_key();
  if (!key) {
    done(make_api_error(api_errc::internal, "Could not generate an API key."));
    return;
  }
  auto now = std::chrono::system_clock::now();
  db::api_key_record record;
  record.id = key->id;
  record.user_id = user_id;
  record.hashed_secret = key->hashed_secret;
  record.token_name = token_name;
  record.login_type = login_type;
  record.lifetime_seconds = lifetime_seconds;
  record.expires_at = schema::format_rfc3339(now + std::chrono::seconds(lifetime_seconds));
  self->request(self->state.db, db_timeout, db::insert_api_key{std::move(record)})
      .then(
          [self, done, token = key->token()](db::api_key_record& stored) {
            self->state.key_owners[stored.id] = stored.user_id;
            done(token);
          },
          [done](caf::error& err) { done(std::move(err)); });
}

caf::typed_response_promise<api::login_response> do_sign_in(directory_pointer self, sign_in& msg) {
  auto rp = self->make_response_promise<api::login_response>();
  auto email = credentials::identity_key(msg.request.email);
  if (msg.request.email.empty() || msg.request.password.empty()) {
    rp.deliver(validation_failed({{"email", "is required"}, {"password", "is required"}}));
    return rp;
  }
  if (!self->state.limiter.try_acquire(msg.remote_ip, email, self->clock().now())) {
    log::warn("users.login_rate_limited", {{"email", email}, {"remote_ip", msg.remote_ip}});
    rp.deliver(make_api_error(api_errc::too_many_requests, "Too many login attempts.",
                              "Wait a minute before trying again."));
    return rp;
  }
  auto wrong = [] {
    return make_api_error(api_errc::unauthorized, "Incorrect email or password.");
  };
  auto password = msg.request.password;
  self->request(self->state.db, db_timeout, db::get_user_by_email{email})
      .then(
          [self, rp, password, wrong](db::user_record& user) mutable {
            self->request(next_hasher(self), hash_timeout,
                          verify_password{password, user.hashed_password})
                .then(
                    [self, rp, wrong, user](bool ok) mutable {
                      if (!ok) {
                        rp.deliver(wrong());
                        return;
                      }
                      if (user.status != "active") {
                        rp.deliver(make_api_error(api_errc::unauthorized,
                                                  "Your account is suspended.",
                                                  "Ask an owner to activate it."));
                        return;
                      }
                      issue_key(self, user.id, "password", "", session_lifetime_seconds,
                                [rp, user](caf::expected<std::string> token) mutable {
                                  if (!token) {
                                    rp.deliver(token.error());
                                    return;
                                  }
                                  log::info("users.login", {{"user_id", user.id}});
                                  rp.deliver(api::login_response{std::move(*token)});
                                });
                    },
                    [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
          },
          [self, rp, password, wrong](caf::error& err) mutable {
            if (!is_db_error(err, persistence::db_errc::not_found)) {
              rp.deliver(err);
              return;
            }
            // Same cost as a real verification: response time must not reveal which emails exist.
            self->request(next_hasher(self), hash_timeout, verify_password{password, ""})
                .then([rp, wrong](bool) mutable { rp.deliver(wrong()); },
                      [rp](caf::error& e) mutable { rp.deliver(std::move(e)); });
          });
  return rp;
}

// Resolves a user reference for `caller`. Members may only name themselves: for anyone else
// they get 404, so the API does not reveal which usernames exist.
void resolve_user(directory_pointer self, const principal& caller, const std::string& ref,
                  std::function<void(db::user_record)> then, std::function<void(caf::error)> fail) {
  bool self_ref = ref == "me" || ref == caller.user_id || ref == caller.username;
  if (!caller.is_owner && !self_ref) return fail(user_not_found(ref));
  auto on_error = [fail, ref](caf::error& err) {
    if (is_db_error(err, persistence::db_errc::not_found)) return fail(user_not_found(ref));
    fail(std::move(err));
  };
  auto on_record = [then](db::user_record& r) { then(std::move(r)); };
  if (ref == "me" || ref == caller.user_id) {
    self->request(self->state.db, db_timeout, db::get_user_by_id{caller.user_id})
        .then(on_record, on_error);
  } else if (!credentials::validate_username(ref)) {
    self->request(self->state.db, db_timeout, db::get_user_by_username{ref})
        .then(on_record, on_error);
  } else if (ref.size() == 36 && std::count(ref.begin(), ref.end(), '-') == 4) {
    self->request(self->state.db, db_timeout, db::get_user_by_id{ref}).then(on_record, on_error);
  } else {
    fail(user_not_found(ref));
  }
}

template <class T>
auto deliver_error(caf::typed_response_promise<T> rp) {
  return [rp](caf::error err) mutable { rp.deliver(std::move(err)); };
}

caf::typed_response_promise<api::user> do_set_status(directory_pointer self, set_user_status& msg) {
  auto rp = self->make_response_promise<api::user>();
  if (!msg.caller.is_owner) {
    rp.deliver(forbidden());
    return rp;
  }
  auto status = msg.status;
  auto caller = msg.caller;
  resolve_user(
      self, msg.caller, msg.user_ref,
      [self, rp, status, caller](db::user_record target) mutable {
        if (target.id == caller.user_id && status == "suspended") {
          rp.deliver(make_api_error(api_errc::bad_request, "You cannot suspend yourself."));
          return;
        }
        self->request(self->state.db, db_timeout, db::update_user_status{target.id, status})
            .then(
                [self, rp, caller](db::user_record& updated) mutable {
                  notify_user(self, updated.id, user_changed{updated});
                  log::info("users.status_changed", {{"user_id", updated.id},
                                                     {"status", updated.status},
                                                     {"by_user_id", caller.user_id}});
                  rp.deliver(to_api(updated));
                },
                [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
      },
      deliver_error(rp));
  return rp;
}

caf::typed_response_promise<done> do_change_password(directory_pointer self, change_password& msg) {
  auto rp = self->make_response_promise<done>();
  if (auto e = credentials::validate_password(msg.request.password)) {
    rp.deliver(validation_failed({{"password", *e}}));
    return rp;
  }
  auto caller = msg.caller;
  auto req = msg.request;
  resolve_user(
      self, caller, msg.user_ref,
      [self, rp, caller, req](db::user_record target) mutable {
        // A changed password ends every other login session of that user; the caller's own
        // session survives when it changed its own password.
        std::string keep = target.id == caller.user_id ? caller.api_key_id : std::string();
        auto store = [self, rp, target, req, keep]() mutable {
          self->request(next_hasher(self), hash_timeout, hash_password{req.password})
              .then(
                  [self, rp, target, keep](password_hash& h) mutable {
                    self->request(self->state.db, db_timeout,
                                  db::update_user_password{target.id, h.phc, keep})
                        .then(
                            [self, rp, target, keep](const db::done&) mutable {
                              notify_user(self, target.id, sessions_revoked{keep});
                              log::info("users.password_changed", {{"user_id", target.id}});
                              rp.deliver(done{});
                            },
                            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
                  },
                  [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
        };
        // Changing one's own password proves knowledge of the old one; owners resetting
        // another user's password do not need it.
        if (target.id != caller.user_id) return store();
        if (!req.old_password) {
          rp.deliver(validation_failed({{"old_password", "is required"}}));
          return;
        }
        self->request(next_hasher(self), hash_timeout,
                      verify_password{*req.old_password, target.hashed_password})
            .then(
                [rp, store](bool ok) mutable {
                  if (!ok) {
                    rp.deliver(validation_failed({{"old_password", "is incorrect"}}));
                    return;
                  }
                  store();
                },
                [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
      },
      deliver_error(rp));
  return rp;
}

}  // namespace

namespace {

// Validates a new user's identity, hashes the password on a detached hasher, and hands the row
// to insert to `insert`; failures go to `fail`. Shared by the first user and owner-created users.
template <class Request>
void prepare_new_user(directory_pointer self, const Request& req, std::string role,
                      std::function<void(db::user_record)> insert,
                      std::function<void(caf::error)> fail) {
  auto v = validate_identity(req.username, req.email, req.password, req.name);
  if (!v.empty()) return fail(validation_failed(std::move(v)));
  db::user_record record;
  record.username = req.username;
  record.email = credentials::identity_key(req.email);
  record.name = req.name.value_or("");
  record.status = "active";
  record.roles = {std::move(role)};
  self->request(next_hasher(self), hash_timeout, hash_password{req.password})
      .then(
          [record, insert](password_hash& h) mutable {
            record.hashed_password = std::move(h.phc);
            insert(std::move(record));
          },
          [fail](caf::error& err) { fail(std::move(err)); });
}

caf::typed_response_promise<api::create_first_user_response> do_create_first_user(
    directory_pointer self, create_first_user& msg) {
  auto rp = self->make_response_promise<api::create_first_user_response>();
  auto insert = [self, rp](db::user_record record) mutable {
    self->request(self->state.db, db_timeout, db::insert_first_user{std::move(record)})
        .then(
            [rp](db::user_record& created) mutable {
              log::info("users.first_user_created",
                        {{"user_id", created.id}, {"username", created.username}});
              rp.deliver(api::create_first_user_response{created.id});
            },
            [rp](caf::error& err) mutable {
              if (is_db_error(err, persistence::db_errc::conflict))
                rp.deliver(make_api_error(api_errc::conflict,
                                          "The initial user has already been created."));
              else
                rp.deliver(std::move(err));
            });
  };
  prepare_new_user(self, msg.request, "owner", insert, deliver_error(rp));
  return rp;
}

caf::typed_response_promise<api::user> do_create_user(directory_pointer self, create_user& msg) {
  auto rp = self->make_response_promise<api::user>();
  if (!msg.caller.is_owner) {
    rp.deliver(forbidden());
    return rp;
  }
  auto insert = [self, rp, by = msg.caller.user_id](db::user_record record) mutable {
    self->request(self->state.db, db_timeout, db::insert_user{std::move(record)})
        .then(
            [rp, by](db::user_record& created) mutable {
              log::info(
                  "users.created",
                  {{"user_id", created.id}, {"username", created.username}, {"by_user_id", by}});
              rp.deliver(to_api(created));
            },
            [rp](caf::error& err) mutable {
              if (is_db_error(err, persistence::db_errc::conflict))
                rp.deliver(conflict_to_validation(err));
              else
                rp.deliver(std::move(err));
            });
  };
  prepare_new_user(self, msg.request, "member", insert, deliver_error(rp));
  return rp;
}

std::optional<std::string> validate_token_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return "must be 1 to 64 characters";
  for (unsigned char c : name)
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.'))
      return "may contain only letters, digits, '-', '_' and '.'";
  return std::nullopt;
}

caf::typed_response_promise<api::generate_api_key_response> do_create_token(directory_pointer self,
                                                                            create_token& msg) {
  auto rp = self->make_response_promise<api::generate_api_key_response>();
  auto lifetime = msg.request.lifetime.value_or(default_token_lifetime_seconds);
  std::vector<api::validation> v;
  if (lifetime < min_token_lifetime_seconds || lifetime > max_token_lifetime_seconds)
    v.push_back({"lifetime", "must be between 60 seconds and 365 days"});
  auto name = msg.request.token_name.value_or("");
  if (name.empty()) {
    // Coder names unnamed tokens after their creation time; a random suffix keeps them unique.
    auto key = credentials::generate_api_key();
    name = "token-" + (key ? key->id : std::string("0"));
  } else if (auto e = validate_token_name(name)) {
    v.push_back({"token_name", *e});
  }
  if (!v.empty()) {
    rp.deliver(validation_failed(std::move(v)));
    return rp;
  }
  resolve_user(
      self, msg.caller, msg.user_ref,
      [self, rp, name, lifetime](db::user_record target) mutable {
        issue_key(
            self, target.id, "token", name, lifetime,
            [rp, name, target](caf::expected<std::string> token) mutable {
              if (!token) {
                if (is_db_error(token.error(), persistence::db_errc::conflict)) {
                  rp.deliver(make_api_error(api_errc::conflict,
                                            "A token with that name already exists.", "",
                                            {{"token_name", "is already used by another token"}}));
                  return;
                }
                {
                  rp.deliver(token.error());
                  return;
                }
              }
              log::info("users.token_created", {{"user_id", target.id}, {"token_name", name}});
              rp.deliver(api::generate_api_key_response{std::move(*token)});
            });
      },
      deliver_error(rp));
  return rp;
}

caf::typed_response_promise<token_list> do_list_tokens(directory_pointer self, list_tokens& msg) {
  auto rp = self->make_response_promise<token_list>();
  resolve_user(
      self, msg.caller, msg.user_ref,
      [self, rp](db::user_record target) mutable {
        self->request(self->state.db, db_timeout, db::list_api_keys{target.id, "token"})
            .then(
                [rp](db::api_key_list& keys) mutable {
                  token_list out;
                  for (const auto& k : keys.keys) out.keys.push_back(to_api(k));
                  rp.deliver(std::move(out));
                },
                [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
      },
      deliver_error(rp));
  return rp;
}

void revoke_key(directory_pointer self, const std::string& user_id, const std::string& key_id,
                caf::typed_response_promise<done> rp) {
  self->request(self->state.db, db_timeout, db::delete_api_key{key_id, user_id})
      .then(
          [self, rp, user_id, key_id](const db::done&) mutable {
            self->state.key_owners.erase(key_id);
            notify_user(self, user_id, key_revoked{key_id});
            log::info("users.api_key_deleted", {{"user_id", user_id}, {"api_key_id", key_id}});
            rp.deliver(done{});
          },
          [rp](caf::error& err) mutable {
            if (is_db_error(err, persistence::db_errc::not_found)) {
              rp.deliver(make_api_error(api_errc::not_found, "API key not found."));
              return;
            }
            rp.deliver(std::move(err));
          });
}

caf::typed_response_promise<done> do_delete_token(directory_pointer self, delete_token& msg) {
  auto rp = self->make_response_promise<done>();
  auto key_id = msg.key_id;
  resolve_user(
      self, msg.caller, msg.user_ref,
      [self, rp, key_id](db::user_record target) mutable {
        revoke_key(self, target.id, key_id, rp);
      },
      deliver_error(rp));
  return rp;
}

void do_sweep(directory_pointer self) {
  auto now = self->clock().now();
  auto& users = self->state.users;
  for (auto it = users.begin(); it != users.end();) {
    if (now - it->second.last_use > idle_user_eviction) {
      self->unlink_from(it->second.handle);
      self->send(it->second.handle, retire{});
      it = users.erase(it);
    } else {
      ++it;
    }
  }
  self->delayed_send(self, sweep_interval, sweep{});
}

}  // namespace

users_actor spawn_user_directory(caf::actor_system& sys, persistence::persistence_actor db,
                                 directory_options options) {
  std::vector<password_hasher_actor> hashers;
  for (int i = 0; i < std::max(1, options.password_hashers); ++i)
    hashers.push_back(spawn_password_hasher(sys));
  auto directory = sys.spawn(
      [](directory_pointer self, persistence::persistence_actor db,
         std::vector<password_hasher_actor> hashers) -> directory_actor::behavior_type {
        self->state.db = std::move(db);
        self->state.hashers = std::move(hashers);
        // Hashers and user actors are linked: they die with the directory (a retired user
        // actor is unlinked first, so its normal exit concerns nobody).
        for (auto& h : self->state.hashers) self->link_to(h);
        self->set_exit_handler([self](caf::exit_msg& msg) {
          // A user actor that failed takes only its cache with it: the next request for that
          // user spawns a fresh one. Anything else (shutdown, a dead hasher) ends the directory.
          auto& users = self->state.users;
          for (auto it = users.begin(); it != users.end(); ++it) {
            if (it->second.handle.address() != msg.source) continue;
            log::warn("users.user_actor_failed",
                      {{"user_id", it->first}, {"reason", self->system().render(msg.reason)}});
            users.erase(it);
            return;
          }
          self->quit(msg.reason);
        });
        self->delayed_send(self, sweep_interval, sweep{});
        return {
            [self](authenticate& m) { return do_authenticate(self, m); },
            [self](has_first_user&) {
              auto rp = self->make_response_promise<bool>();
              self->request(self->state.db, db_timeout, db::count_users{})
                  .then([rp](db::user_count& c) mutable { rp.deliver(c.count > 0); },
                        [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
              return rp;
            },
            [self](create_first_user& m) { return do_create_first_user(self, m); },
            [self](sign_in& m) { return do_sign_in(self, m); },
            [self](sign_out& m) {
              auto rp = self->make_response_promise<done>();
              revoke_key(self, m.caller.user_id, m.caller.api_key_id, rp);
              return rp;
            },
            [self](get_user& m) {
              auto rp = self->make_response_promise<api::user>();
              resolve_user(
                  self, m.caller, m.user_ref,
                  [rp](db::user_record r) mutable { rp.deliver(to_api(r)); }, deliver_error(rp));
              return rp;
            },
            [self](list_users& m) {
              auto rp = self->make_response_promise<api::users_response>();
              if (!m.caller.is_owner) {
                rp.deliver(forbidden());
                return rp;
              }
              self->request(self->state.db, db_timeout, db::list_users{})
                  .then(
                      [rp](db::user_list& list) mutable {
                        api::users_response out;
                        for (const auto& u : list.users) out.users.push_back(to_api(u));
                        out.count = static_cast<int64_t>(out.users.size());
                        rp.deliver(std::move(out));
                      },
                      [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
              return rp;
            },
            [self](create_user& m) { return do_create_user(self, m); },
            [self](set_user_status& m) { return do_set_status(self, m); },
            [self](change_password& m) { return do_change_password(self, m); },
            [self](create_token& m) { return do_create_token(self, m); },
            [self](list_tokens& m) { return do_list_tokens(self, m); },
            [self](delete_token& m) { return do_delete_token(self, m); },
            [self](sweep&) { do_sweep(self); },
        };
      },
      std::move(db), std::move(hashers));
  return caf::actor_cast<users_actor>(directory);
}

void register_users_types(caf::actor_system_config& cfg) {
  auto add = [&cfg]<class T>(T*) { cfg.add_message_type<T>(schema::schema_name<T>()); };
  add((principal*)nullptr);
  add((authenticate*)nullptr);
  add((has_first_user*)nullptr);
  add((create_first_user*)nullptr);
  add((sign_in*)nullptr);
  add((sign_out*)nullptr);
  add((get_user*)nullptr);
  add((list_users*)nullptr);
  add((create_user*)nullptr);
  add((set_user_status*)nullptr);
  add((change_password*)nullptr);
  add((create_token*)nullptr);
  add((list_tokens*)nullptr);
  add((delete_token*)nullptr);
  add((done*)nullptr);
  add((token_list*)nullptr);
  add((hash_password*)nullptr);
  add((verify_password*)nullptr);
  add((password_hash*)nullptr);
  add((check_key*)nullptr);
  add((user_changed*)nullptr);
  add((key_revoked*)nullptr);
  add((sessions_revoked*)nullptr);
  add((retire*)nullptr);
  add((sweep*)nullptr);
  add((api::user*)nullptr);
  add((api::users_response*)nullptr);
  add((api::create_first_user_request*)nullptr);
  add((api::create_first_user_response*)nullptr);
  add((api::create_user_request*)nullptr);
  add((api::login_request*)nullptr);
  add((api::login_response*)nullptr);
  add((api::update_password_request*)nullptr);
  add((api::api_key*)nullptr);
  add((api::create_token_request*)nullptr);
  add((api::generate_api_key_response*)nullptr);
  add((api::error_response*)nullptr);
  add((api::validation*)nullptr);
}

}  // namespace coder::users
