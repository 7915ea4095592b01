#include "runtime/uv/event_loop.hpp"

#include <uv.h>

#include <atomic>
#include <cassert>
#include <csignal>
#include <future>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace coder::uv {

namespace {

// The task queue outlives the event_loop when someone still holds the executor: posting then
// fails cleanly instead of touching freed memory.
class task_queue final : public executor {
 public:
  bool post(std::function<void()> task) override {
    {
      std::lock_guard lock(mu_);
      if (async_ != nullptr) {
        tasks_.push_back(std::move(task));
        // Sent under the lock: the loop closes async_ under the same lock, so it is never a
        // dangling handle here. uv_async_send coalesces; drain() takes everything queued.
        uv_async_send(async_);
        return true;
      }
    }
    return false;  // task is destroyed here, outside the lock (its captures may post again)
  }

  bool in_loop_thread() const override { return std::this_thread::get_id() == loop_thread_.load(); }

  void open(uv_async_t* async, std::thread::id loop_thread) {
    std::lock_guard lock(mu_);
    async_ = async;
    loop_thread_ = loop_thread;
  }

  // Refuses further tasks; returns those queued but not yet run.
  std::vector<std::function<void()>> close() {
    std::lock_guard lock(mu_);
    async_ = nullptr;
    return std::exchange(tasks_, {});
  }

  // Runs every queued task, including those posted while draining.
  void drain() {
    for (;;) {
      std::vector<std::function<void()>> batch;
      {
        std::lock_guard lock(mu_);
        batch.swap(tasks_);
      }
      if (batch.empty()) return;
      for (auto& task : batch) task();
    }
  }

 private:
  std::mutex mu_;
  std::vector<std::function<void()>> tasks_;
  uv_async_t* async_ = nullptr;
  std::atomic<std::thread::id> loop_thread_{};
};

}  // namespace

struct delayed_task {
  uv_timer_t handle{};
  std::function<void()> task;
};

namespace {
void close_delayed(delayed_task* d) {
  uv_close(reinterpret_cast<uv_handle_t*>(&d->handle),
           [](uv_handle_t* h) { delete static_cast<delayed_task*>(h->data); });
}
}  // namespace

struct event_loop::impl {
  uv_loop_t loop{};
  uv_async_t* async = nullptr;
  std::shared_ptr<task_queue> queue = std::make_shared<task_queue>();
  std::thread thread;
  std::mutex lifecycle_mu;
  std::mutex join_mu;
  std::atomic<bool> started{false};
  std::atomic<bool> stopping{false};
  std::unordered_set<closable*> closables;
  std::unordered_set<delayed_task*> delayed;

  void shutdown_in_loop() {
    // Tasks already queued still run: they may be the last responses of a graceful shutdown.
    queue->drain();
    for (auto& task : queue->close()) task();
    std::vector<closable*> open(closables.begin(), closables.end());
    for (auto* c : open) c->close();
    for (auto* d : delayed) close_delayed(d);
    delayed.clear();
    uv_close(reinterpret_cast<uv_handle_t*>(async),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_async_t*>(h); });
    async = nullptr;
    // Handles created through native() by code that is not a closable: close them so the loop
    // can end; their owners must not touch them after stop().
    uv_walk(
        &loop,
        [](uv_handle_t* h, void*) {
          if (!uv_is_closing(h)) uv_close(h, nullptr);
        },
        nullptr);
  }
};

event_loop::event_loop() : impl_(std::make_unique<impl>()) {
  if (int rc = uv_loop_init(&impl_->loop); rc != 0) {
    throw std::runtime_error(std::string("uv_loop_init: ") + uv_strerror(rc));
  }
  impl_->loop.data = this;
}

event_loop::~event_loop() {
  stop();
  // Destroying the loop from its own thread would free the state the thread is still using.
  assert(!impl_->thread.joinable() || impl_->thread.get_id() != std::this_thread::get_id());
  if (impl_->thread.joinable()) impl_->thread.join();
  if (!impl_->started) uv_loop_close(&impl_->loop);
}

void event_loop::start() {
  std::lock_guard lock(impl_->lifecycle_mu);
  if (impl_->started.exchange(true)) throw std::logic_error("event_loop started twice");
  // A write to a socket the peer has closed raises SIGPIPE, whose default action kills the whole
  // process; libuv reports EPIPE as an error anyway. Only the default is replaced, so a handler
  // the process installed on purpose stays.
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    signal(SIGPIPE, SIG_IGN);
  }
  impl_->async = new uv_async_t{};
  uv_async_init(&impl_->loop, impl_->async, [](uv_async_t* a) {
    auto* self = static_cast<impl*>(a->data);
    self->queue->drain();
    if (self->stopping && self->async != nullptr) self->shutdown_in_loop();
  });
  impl_->async->data = impl_.get();
  std::promise<void> ready;
  auto ready_future = ready.get_future();
  impl_->thread = std::thread([this, &ready] {
    impl_->queue->open(impl_->async, std::this_thread::get_id());
    ready.set_value();
    uv_run(&impl_->loop, UV_RUN_DEFAULT);
    // Close callbacks of handles closed during the final iteration.
    uv_run(&impl_->loop, UV_RUN_DEFAULT);
    uv_loop_close(&impl_->loop);
  });
  ready_future.wait();
}

void event_loop::stop() {
  {
    std::lock_guard lock(impl_->lifecycle_mu);
    if (!impl_->started) return;
    if (!impl_->stopping.exchange(true)) {
      if (in_loop_thread()) {
        impl_->shutdown_in_loop();
        return;
      }
      // An empty task wakes the loop; the async callback sees `stopping` after draining.
      impl_->queue->post([] {});
    }
  }
  if (in_loop_thread()) return;
  // A separate mutex: the loop thread never takes it, so joining under it cannot deadlock.
  std::lock_guard join_lock(impl_->join_mu);
  if (impl_->thread.joinable()) impl_->thread.join();
}

bool event_loop::post(std::function<void()> task) {
  return impl_->queue->post(std::move(task));
}

void event_loop::run_sync(const std::function<void()>& fn) {
  if (in_loop_thread()) {
    fn();
    return;
  }
  std::promise<void> done;
  auto future = done.get_future();
  std::exception_ptr error;
  if (!post([&] {
        try {
          fn();
        } catch (...) {
          error = std::current_exception();
        }
        // Not set_exception(): libstdc++ copies the pointer and releases the copy after waking
        // the waiter, a reference-count race TSan reports. Here the loop thread is done with the
        // exception before the waiter can run.
        done.set_value();
      })) {
    throw std::runtime_error("event_loop is not running");
  }
  future.get();
  if (error) std::rethrow_exception(error);
}

void event_loop::post_after(std::chrono::milliseconds delay, std::function<void()> task) {
  post([this, delay, task = std::move(task)]() mutable {
    // Tracked so that a stop before the deadline frees it without running the task.
    auto* d = new delayed_task{};
    d->task = std::move(task);
    uv_timer_init(native(), &d->handle);
    d->handle.data = d;
    impl_->delayed.insert(d);
    uv_timer_start(
        &d->handle,
        [](uv_timer_t* h) {
          auto* self = static_cast<delayed_task*>(h->data);
          auto* owner = static_cast<event_loop*>(h->loop->data);
          owner->impl_->delayed.erase(self);
          auto fn = std::move(self->task);
          close_delayed(self);
          fn();
        },
        static_cast<uint64_t>(delay.count()), 0);
  });
}

bool event_loop::in_loop_thread() const {
  return impl_->queue->in_loop_thread();
}
bool event_loop::running() const {
  return impl_->started && !impl_->stopping;
}
uv_loop_t* event_loop::native() {
  return &impl_->loop;
}
std::shared_ptr<executor> event_loop::get_executor() const {
  return impl_->queue;
}

void event_loop::attach(closable* c) {
  impl_->closables.insert(c);
}
void event_loop::detach(closable* c) {
  impl_->closables.erase(c);
}

timer::timer(event_loop& loop, std::function<void()> on_fire)
    : loop_(loop), handle_(new uv_timer_t{}), on_fire_(std::move(on_fire)) {
  uv_timer_init(loop_.native(), handle_);
  handle_->data = this;
  loop_.attach(this);
}

timer::~timer() {
  close();
  loop_.detach(this);
}

void timer::start(std::chrono::milliseconds timeout, std::chrono::milliseconds repeat) {
  if (handle_ == nullptr) return;
  uv_timer_start(handle_, &timer::on_timer, static_cast<uint64_t>(timeout.count()),
                 static_cast<uint64_t>(repeat.count()));
}

void timer::stop() {
  if (handle_ != nullptr) uv_timer_stop(handle_);
}

bool timer::active() const {
  return handle_ != nullptr && uv_is_active(reinterpret_cast<uv_handle_t*>(handle_)) != 0;
}

void timer::close() {
  if (handle_ == nullptr) return;
  uv_close(reinterpret_cast<uv_handle_t*>(handle_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  handle_ = nullptr;
}

void timer::on_timer(uv_timer_t* handle) {
  auto* self = static_cast<timer*>(handle->data);
  // Copy: the callback may destroy the timer.
  auto fn = self->on_fire_;
  fn();
}

}  // namespace coder::uv
