#include "actors/users/login_rate_limiter.hpp"

#include <algorithm>

namespace coder::users {

login_rate_limiter::bucket& login_rate_limiter::refill(const std::string& key,
                                                       double rate_per_minute, double burst,
                                                       time_point now) {
  auto [it, inserted] = buckets_.try_emplace(key, bucket{burst, now});
  auto& b = it->second;
  if (!inserted) {
    std::chrono::duration<double> elapsed = now - b.updated;
    b.tokens = std::min(burst, b.tokens + elapsed.count() * rate_per_minute / 60.0);
    b.updated = now;
  }
  return b;
}

void login_rate_limiter::prune(time_point now) {
  // A bucket idle long enough to be full again carries no information: drop it, so memory is
  // bounded by recent attackers rather than by every address ever seen.
  if (now - last_prune_ < std::chrono::minutes(1)) return;
  last_prune_ = now;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (now - it->second.updated > std::chrono::minutes(10))
      it = buckets_.erase(it);
    else
      ++it;
  }
}

bool login_rate_limiter::try_acquire(std::string_view ip, std::string_view email, time_point now) {
  prune(now);
  auto& by_ip = refill("ip:" + std::string(ip), limits_.per_ip_per_minute, limits_.ip_burst, now);
  auto& by_email =
      refill("email:" + std::string(email), limits_.per_email_per_minute, limits_.email_burst, now);
  if (by_ip.tokens < 1.0 || by_email.tokens < 1.0) return false;
  by_ip.tokens -= 1.0;
  by_email.tokens -= 1.0;
  return true;
}

}  // namespace coder::users
