// Login attempts are limited per client IP and per email (token buckets), so neither one address
// guessing many accounts nor many addresses guessing one account get far. Time is passed in, so
// the actor clock (and the deterministic test scheduler) drives it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

namespace coder::users {

class login_rate_limiter {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  struct limits {
    double per_email_per_minute = 10;
    double email_burst = 10;
    double per_ip_per_minute = 60;
    double ip_burst = 30;
  };

  login_rate_limiter() : login_rate_limiter(limits{}) {}
  explicit login_rate_limiter(limits l) : limits_(l) {}

  // Takes one attempt from both buckets; false (and nothing taken) when either is empty.
  bool try_acquire(std::string_view ip, std::string_view email, time_point now);

  size_t tracked_keys() const { return buckets_.size(); }

 private:
  struct bucket {
    double tokens = 0;
    time_point updated;
  };

  bucket& refill(const std::string& key, double rate_per_minute, double burst, time_point now);
  void prune(time_point now);

  limits limits_;
  std::unordered_map<std::string, bucket> buckets_;
  time_point last_prune_{};
};

}  // namespace coder::users
