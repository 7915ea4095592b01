// An in-memory stand-in for a coder-node deployment behind the CLI's api_transport: just enough of
// the users / sessions / tokens API, with Coder's status codes and error bodies, to drive every
// CLI command without a socket. It records each request so tests can assert on the wire.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runtime/cli/api_client.hpp"
#include "schema/json_codec.hpp"
#include "schema/users/user_api.hpp"

namespace coder::cli::testing {

struct fake_account {
  api::user user;
  std::string password;
};

class fake_deployment {
 public:
  std::vector<fake_account> accounts;
  std::map<std::string, std::string> sessions;  // token -> user id
  std::vector<api::api_key> keys;
  std::vector<http::request> requests;
  bool reachable = true;
  int next_id = 1;

  std::string add_user(const std::string& username, const std::string& email,
                       const std::string& password, bool owner) {
    fake_account a;
    a.user.id = "u" + std::to_string(next_id++);
    a.user.username = username;
    a.user.email = email;
    a.user.status = "active";
    a.user.roles = {owner ? "owner" : "member"};
    a.user.login_type = "password";
    a.user.created_at = "2026-12-04T16:00:00.123Z";
    a.password = password;
    accounts.push_back(a);
    return a.user.id;
  }

  std::string new_session(const std::string& user_id) {
    auto n = std::to_string(next_id++);
    std::string token = "s" + std::string(9 - n.size(), '0') + n + "-abcdefghijklmnopqrstuv";
    sessions[token] = user_id;
    return token;
  }

  http::response handle(const http::request& req) {
    requests.push_back(req);
    const std::string& m = req.method;
    const std::string& t = req.target;
    if (m == "GET" && t == "/api/v2/buildinfo")
      return json(200, api::build_info{"v0.1.0", "http://fake", "http://fake", "dep"});
    if (t == "/api/v2/users/first") {
      if (m == "GET") {
        if (accounts.empty()) return error(404, "The initial user has not been created!");
        return json(200, api::error_response{"The initial user has already been created.", "", {}});
      }
      api::create_first_user_request body;
      if (auto err = schema::from_json(req.body, body)) return error(400, err->message);
      if (!accounts.empty()) return error(409, "The initial user has already been created.");
      return json(201, api::create_first_user_response{
                           add_user(body.username, body.email, body.password, true)});
    }
    if (m == "POST" && t == "/api/v2/users/login") {
      api::login_request body;
      if (auto err = schema::from_json(req.body, body)) return error(400, err->message);
      for (auto& a : accounts)
        if (a.user.email == body.email && a.password == body.password) {
          if (a.user.status != "active") return error(401, "Your account is suspended.");
          return json(201, api::login_response{new_session(a.user.id)});
        }
      return error(401, "Incorrect email or password.");
    }
    fake_account* me = authenticate(req);
    if (!me) return error(401, "You must be logged in.", "Authentication required.");
    if (m == "POST" && t == "/api/v2/users/logout") {
      sessions.erase(std::string(*req.headers.get("Coder-Session-Token")));
      return json(200, api::error_response{"Logged out.", "", {}});
    }
    if (m == "GET" && t == "/api/v2/users") {
      if (!is_owner(*me)) return error(403, "Forbidden.");
      api::users_response r;
      for (auto& a : accounts) r.users.push_back(a.user);
      r.count = static_cast<int64_t>(r.users.size());
      return json(200, r);
    }
    if (m == "POST" && t == "/api/v2/users") {
      if (!is_owner(*me)) return error(403, "Forbidden.");
      api::create_user_request body;
      if (auto err = schema::from_json(req.body, body)) return error(400, err->message);
      for (auto& a : accounts)
        if (a.user.username == body.username)
          return error(409, "User already exists.", "",
                       {{"username", "this value is already in use and should be unique"}});
      add_user(body.username, body.email, body.password, false);
      return json(201, accounts.back().user);
    }
    const std::string prefix = "/api/v2/users/";
    if (t.rfind(prefix, 0) == 0) {
      std::string rest = t.substr(prefix.size());
      std::string who = rest.substr(0, rest.find('/'));
      std::string tail = rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/'));
      fake_account* target = who == "me" ? me : find(who);
      if (!target) return error(404, "User \"" + who + "\" not found.");
      if (m == "GET" && tail.empty()) return json(200, target->user);
      if (m == "PUT" && (tail == "/status/suspend" || tail == "/status/activate")) {
        if (!is_owner(*me)) return error(403, "Forbidden.");
        target->user.status = tail == "/status/suspend" ? "suspended" : "active";
        return json(200, target->user);
      }
      if (m == "POST" && tail == "/keys/tokens") {
        api::create_token_request body;
        if (auto err = schema::from_json(req.body, body)) return error(400, err->message);
        if (body.lifetime && *body.lifetime > 365 * 86400)
          return error(400, "Invalid lifetime.", "", {{"lifetime", "must be at most 365 days"}});
        api::api_key k;
        k.id = "k" + std::string(8, '0') + std::to_string(next_id++ % 10);
        k.user_id = target->user.id;
        k.token_name = body.token_name.value_or("");
        k.login_type = "token";
        k.lifetime_seconds = body.lifetime.value_or(30 * 86400);
        k.created_at = "2026-12-04T16:00:00Z";
        k.expires_at = "2027-01-03T16:00:00Z";
        k.last_used = "0001-01-01T00:00:00Z";
        keys.push_back(k);
        return json(201, api::generate_api_key_response{k.id + "-0123456789abcdefghijkl"});
      }
      if (m == "GET" && tail == "/keys/tokens") {
        std::vector<api::api_key> mine;
        for (auto& k : keys)
          if (k.user_id == target->user.id) mine.push_back(k);
        return json(200, mine);
      }
      if (m == "DELETE" && tail.rfind("/keys/", 0) == 0) {
        std::string id = tail.substr(6);
        for (auto it = keys.begin(); it != keys.end(); ++it)
          if (it->id == id && it->user_id == target->user.id) {
            keys.erase(it);
            return http::response{204, {}, ""};
          }
        return error(404, "API key not found.");
      }
    }
    return error(404, "Route not found.");
  }

  // A transport bound to this deployment (the deployment outlives it).
  std::unique_ptr<api_transport> transport() {
    struct bound : api_transport {
      explicit bound(fake_deployment& d) : d(d) {}
      std::variant<http::response, std::string> round_trip(const http::request& r) override {
        if (!d.reachable) return std::string("connect: connection refused");
        return d.handle(r);
      }
      fake_deployment& d;
    };
    return std::make_unique<bound>(*this);
  }

 private:
  template <class T>
  static http::response json(int status, const T& body) {
    http::response r;
    r.status = status;
    r.headers.add("Content-Type", "application/json");
    r.body = schema::to_json(body);
    return r;
  }
  static http::response error(int status, std::string message, std::string detail = {},
                              std::vector<api::validation> validations = {}) {
    return json(status,
                api::error_response{std::move(message), std::move(detail), std::move(validations)});
  }
  fake_account* find(const std::string& who) {
    for (auto& a : accounts)
      if (a.user.id == who || a.user.username == who) return &a;
    return nullptr;
  }
  fake_account* authenticate(const http::request& req) {
    auto token = req.headers.get("Coder-Session-Token");
    if (!token) return nullptr;
    auto it = sessions.find(std::string(*token));
    if (it == sessions.end()) return nullptr;
    auto* a = find(it->second);
    if (!a || a->user.status != "active") return nullptr;
    return a;
  }
  static bool is_owner(const fake_account& a) {
    return !a.user.roles.empty() && a.user.roles[0] == "owner";
  }
};

}  // namespace coder::cli::testing
