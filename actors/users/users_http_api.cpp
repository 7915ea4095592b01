#include "actors/users/users_http_api.hpp"

#include <chrono>

#include "caf/event_based_actor.hpp"
#include "runtime/api/api_error.hpp"

namespace coder::users {
namespace {

using namespace std::chrono_literals;
using api::access;
using api::request_context;
using ctx_ptr = std::shared_ptr<request_context>;

constexpr auto users_timeout = 60s;

// Sends `msg` to the user directory and answers with `status` + the reply as JSON.
template <class Msg, class Reply>
void ask_and_reply(caf::event_based_actor* self, const ctx_ptr& ctx, Msg msg, int status) {
  self->request(ctx->svc().users, users_timeout, std::move(msg))
      .then([ctx, status](Reply& reply) { ctx->respond_json(status, reply); },
            [ctx](caf::error& err) { ctx->respond_error(err); });
}

template <class Msg>
void ask_no_content(caf::event_based_actor* self, const ctx_ptr& ctx, Msg msg) {
  self->request(ctx->svc().users, users_timeout, std::move(msg))
      .then([ctx](done&) { ctx->respond_no_content(); },
            [ctx](caf::error& err) { ctx->respond_error(err); });
}

std::string session_cookie(const request_context& ctx, const std::string& token, int64_t max_age) {
  std::string cookie = "coder_session_token=" + token +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (ctx.request().tls) cookie += "; Secure";
  return cookie;
}

void first_user_status(caf::event_based_actor* self, ctx_ptr ctx) {
  self->request(ctx->svc().users, users_timeout, has_first_user{})
      .then(
          [ctx](bool exists) {
            // Coder's contract: 200 once the first user exists, 404 before.
            if (exists)
              ctx->respond_json(
                  200, api::error_response{"The initial user has already been created.", "", {}});
            else
              ctx->respond_json(
                  404, api::error_response{"The initial user has not been created!", "", {}});
          },
          [ctx](caf::error& err) { ctx->respond_error(err); });
}

void post_first_user(caf::event_based_actor* self, ctx_ptr ctx) {
  api::create_first_user_request req;
  if (!ctx->decode_body(req)) return;
  ask_and_reply<create_first_user, api::create_first_user_response>(
      self, ctx, create_first_user{std::move(req)}, 201);
}

void login(caf::event_based_actor* self, ctx_ptr ctx) {
  api::login_request req;
  if (!ctx->decode_body(req)) return;
  self->request(ctx->svc().users, users_timeout,
                sign_in{std::move(req), ctx->request().remote_address})
      .then(
          [ctx](api::login_response& resp) {
            http::header_map h;
            h.add("Set-Cookie", session_cookie(*ctx, resp.session_token, 24 * 3600));
            ctx->respond_json(201, resp, std::move(h));
          },
          [ctx](caf::error& err) { ctx->respond_error(err); });
}

void logout(caf::event_based_actor* self, ctx_ptr ctx) {
  self->request(ctx->svc().users, users_timeout, sign_out{ctx->caller()})
      .then(
          [ctx](done&) {
            http::header_map h;
            h.add("Set-Cookie", session_cookie(*ctx, "", 0));
            ctx->respond_json(200, api::error_response{"Successfully logged out.", "", {}},
                              std::move(h));
          },
          [ctx](caf::error& err) { ctx->respond_error(err); });
}

void get_me(caf::event_based_actor* self, ctx_ptr ctx) {
  ask_and_reply<get_user, api::user>(self, ctx, get_user{ctx->caller(), "me"}, 200);
}

void get_one(caf::event_based_actor* self, ctx_ptr ctx) {
  ask_and_reply<get_user, api::user>(self, ctx, get_user{ctx->caller(), ctx->params().get("user")},
                                     200);
}

void list_all(caf::event_based_actor* self, ctx_ptr ctx) {
  ask_and_reply<list_users, api::users_response>(self, ctx, list_users{ctx->caller()}, 200);
}

void post_user(caf::event_based_actor* self, ctx_ptr ctx) {
  api::create_user_request req;
  if (!ctx->decode_body(req)) return;
  ask_and_reply<create_user, api::user>(self, ctx, create_user{ctx->caller(), std::move(req)}, 201);
}

void put_password(caf::event_based_actor* self, ctx_ptr ctx) {
  api::update_password_request req;
  if (!ctx->decode_body(req)) return;
  ask_no_content(self, ctx,
                 change_password{ctx->caller(), ctx->params().get("user"), std::move(req)});
}

void put_status(caf::event_based_actor* self, ctx_ptr ctx, std::string status) {
  ask_and_reply<set_user_status, api::user>(
      self, ctx, set_user_status{ctx->caller(), ctx->params().get("user"), std::move(status)}, 200);
}

void post_token(caf::event_based_actor* self, ctx_ptr ctx) {
  api::create_token_request req;
  // An empty body means "all defaults", as with Coder's CLI.
  if (!ctx->request().body.empty() && !ctx->decode_body(req)) return;
  ask_and_reply<create_token, api::generate_api_key_response>(
      self, ctx, create_token{ctx->caller(), ctx->params().get("user"), std::move(req)}, 201);
}

void get_tokens(caf::event_based_actor* self, ctx_ptr ctx) {
  self->request(ctx->svc().users, users_timeout,
                list_tokens{ctx->caller(), ctx->params().get("user")})
      .then([ctx](token_list& list) { ctx->respond_json(200, list.keys); },
            [ctx](caf::error& err) { ctx->respond_error(err); });
}

void delete_key(caf::event_based_actor* self, ctx_ptr ctx) {
  ask_no_content(self, ctx,
                 delete_token{ctx->caller(), ctx->params().get("user"), ctx->params().get("id")});
}

}  // namespace

void add_users_routes(api::route_table& routes) {
  auto pub = [](auto fn) { return api::route_handler{access::public_route, fn}; };
  auto auth = [](auto fn) { return api::route_handler{access::authenticated, fn}; };
  routes.add("GET", "/api/v2/users/first", pub(first_user_status));
  routes.add("POST", "/api/v2/users/first", pub(post_first_user));
  routes.add("POST", "/api/v2/users/login", pub(login));
  routes.add("POST", "/api/v2/users/logout", auth(logout));
  routes.add("GET", "/api/v2/users/me", auth(get_me));
  routes.add("GET", "/api/v2/users", auth(list_all));
  routes.add("POST", "/api/v2/users", auth(post_user));
  routes.add("GET", "/api/v2/users/{user}", auth(get_one));
  routes.add("PUT", "/api/v2/users/{user}/password", auth(put_password));
  routes.add("PUT", "/api/v2/users/{user}/status/suspend",
             auth([](caf::event_based_actor* self, ctx_ptr ctx) {
               put_status(self, std::move(ctx), "suspended");
             }));
  routes.add("PUT", "/api/v2/users/{user}/status/activate",
             auth([](caf::event_based_actor* self, ctx_ptr ctx) {
               put_status(self, std::move(ctx), "active");
             }));
  routes.add("POST", "/api/v2/users/{user}/keys/tokens", auth(post_token));
  routes.add("GET", "/api/v2/users/{user}/keys/tokens", auth(get_tokens));
  routes.add("DELETE", "/api/v2/users/{user}/keys/{id}", auth(delete_key));
}

}  // namespace coder::users
