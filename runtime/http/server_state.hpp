// What every connection of one server shares: options, the handler, TLS, the connection registry
// and shutdown progress. Loop thread only. Internal to runtime/http.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>

#include "runtime/http/server.hpp"

namespace coder::http {
class tls_context;
class transport;
}  // namespace coder::http

namespace coder::http::detail {

struct server_state {
  server_state(uv::event_loop& l, server_options o, request_handler h)
      : loop(l), options(std::move(o)), handler(std::move(h)) {}

  // Cached per second: formatting a date for every response is measurable at high request rates.
  const std::string& date();
  // A UUID-shaped id for logs and the X-Request-Id header. Pseudo-random: ids need to be
  // unique, not secret.
  std::string next_request_id();

  uv::event_loop& loop;
  server_options options;
  request_handler handler;
  std::shared_ptr<tls_context> tls;
  std::unordered_map<transport*, std::weak_ptr<transport>> connections;
  bool shutting_down = false;

 private:
  long long date_second_ = -1;
  std::string date_;
  std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace coder::http::detail
