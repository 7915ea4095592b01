// Back-pressure bookkeeping shared by a thread-safe stream handle (exchange, websocket,
// raw_stream), used on actor threads, and its loop-side session. Internal to runtime/http.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

#include "runtime/uv/event_loop.hpp"

namespace coder::http::detail {

class stream_flow {
 public:
  stream_flow(std::shared_ptr<uv::executor> exec, size_t high_water)
      : exec_(std::move(exec)), high_water_(high_water) {}

  // Caller thread: accounts n bytes about to be posted. Returns false when the stream is over its
  // high-water mark; the session then calls its drain callback once the backlog has halved.
  bool account_send(size_t n, const std::function<void()>& check_drain_on_loop) {
    queued_ += n;
    if (buffered() < high_water_) return true;
    wants_drain_ = true;
    // Posted after setting the flag: the loop re-checks, so a drain cannot slip in between.
    exec_->post(check_drain_on_loop);
    return false;
  }

  // Loop thread: n posted bytes were handed to the transport, whose backlog is now `backlog`.
  void handed_over(size_t n, size_t backlog) {
    queued_ -= n;
    transport_backlog_ = backlog;
  }
  void set_backlog(size_t backlog) { transport_backlog_ = backlog; }

  // Loop thread: true once when a waiting writer may continue.
  bool take_drain() {
    if (!wants_drain_ || buffered() > high_water_ / 2) return false;
    wants_drain_ = false;
    return true;
  }

  size_t buffered() const { return queued_ + transport_backlog_; }
  // Loop thread: the connection is gone; writers see it through closed().
  void mark_closed() { closed_ = true; }
  bool closed() const { return closed_; }
  uv::executor& executor() const { return *exec_; }
  const std::shared_ptr<uv::executor>& executor_ptr() const { return exec_; }

 private:
  std::shared_ptr<uv::executor> exec_;
  size_t high_water_;
  std::atomic<size_t> queued_{0};
  std::atomic<size_t> transport_backlog_{0};
  std::atomic<bool> wants_drain_{false};
  std::atomic<bool> closed_{false};
};

}  // namespace coder::http::detail
