// The one client library for coder-node's HTTP API (`/api/v2`): typed methods over the shapes in
// schema/, each returning the decoded value or an api_error. The CLI uses it today; the agent and
// later commands reuse it, so no command builds a URL or parses a body itself.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "runtime/cli/server_url.hpp"
#include "runtime/http/request.hpp"
#include "runtime/http/response.hpp"
#include "schema/users/user_api.hpp"

namespace coder::cli {

// One HTTP exchange. The production implementation dials the server (http_transport.hpp); tests
// substitute an in-memory server. A failed exchange (refused, TLS, timeout, oversized response)
// is a message, not an exception.
class api_transport {
 public:
  virtual ~api_transport() = default;
  virtual std::variant<http::response, std::string> round_trip(const http::request& request) = 0;
};

struct api_error {
  int status = 0;  // the HTTP status; 0 when no response arrived
  api::error_response body;
};

// For endpoints that answer 204 or whose body the caller does not need.
struct no_content {};

template <class T>
class api_result {
 public:
  api_result(T value) : state_(std::move(value)) {}
  api_result(api_error error) : state_(std::move(error)) {}

  explicit operator bool() const { return std::holds_alternative<T>(state_); }
  T& operator*() { return std::get<T>(state_); }
  const T& operator*() const { return std::get<T>(state_); }
  T* operator->() { return &std::get<T>(state_); }
  const T* operator->() const { return &std::get<T>(state_); }
  const api_error& error() const { return std::get<api_error>(state_); }

 private:
  std::variant<T, api_error> state_;
};

class api_client {
 public:
  // The header that carries the session token or API key.
  static constexpr std::string_view session_header = "Coder-Session-Token";

  api_client(server_url url, std::unique_ptr<api_transport> transport);

  const server_url& url() const { return url_; }
  void set_session_token(std::string token) { token_ = std::move(token); }
  const std::string& session_token() const { return token_; }

  api_result<api::build_info> build_info();

  // GET /users/first: 200 means a user exists, 404 means none (Coder's contract).
  api_result<bool> has_first_user();
  api_result<api::create_first_user_response> create_first_user(
      const api::create_first_user_request& request);
  api_result<api::login_response> login(const api::login_request& request);
  api_result<no_content> logout();

  // `user` is an id, a username or "me".
  api_result<api::user> user(std::string_view user = "me");
  api_result<api::users_response> users();
  api_result<api::user> create_user(const api::create_user_request& request);
  api_result<no_content> update_password(std::string_view user,
                                         const api::update_password_request& request);
  api_result<api::user> suspend_user(std::string_view user);
  api_result<api::user> activate_user(std::string_view user);

  api_result<api::generate_api_key_response> create_token(std::string_view user,
                                                          const api::create_token_request& request);
  api_result<std::vector<api::api_key>> tokens(std::string_view user);
  api_result<no_content> delete_api_key(std::string_view user, std::string_view key_id);

 private:
  struct raw_reply {
    int status = 0;
    std::string body;
  };
  std::variant<raw_reply, api_error> send(std::string_view method, std::string path,
                                          const std::string* body);
  template <class T>
  api_result<T> call(std::string_view method, std::string path, const std::string* body = nullptr);

  server_url url_;
  std::unique_ptr<api_transport> transport_;
  std::string token_;
};

// An error body for a status with no usable JSON error (proxies, crashes): "<code> <reason>" and
// the start of the body.
api_error error_from_reply(int status, std::string_view body);

}  // namespace coder::cli
