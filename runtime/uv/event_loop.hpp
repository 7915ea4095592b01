// One libuv loop on its own thread: all network I/O of a process runs here. Other threads (actor
// threads) talk to it only through post(); libuv handles are touched only on the loop thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>

// The same typedefs as <uv.h>; repeating an identical typedef is allowed, so including both is
// fine.
typedef struct uv_loop_s uv_loop_t;
typedef struct uv_timer_s uv_timer_t;

namespace coder::uv {

// Something that owns libuv handles. event_loop::stop() calls close() on every attached closable
// still alive, so a loop can always be stopped even when an owner forgot to close its handles.
class closable {
 public:
  // Loop thread. Must uv_close() every handle the object owns; may be called more than once.
  virtual void close() = 0;

 protected:
  ~closable() = default;
};

// Thread-safe entry point into a loop that may be gone: tasks posted after the loop stopped are
// dropped (and destroyed on the caller's thread), never run on a dead loop. Shared by objects
// that may outlive the event_loop (e.g. an http exchange held by an actor).
class executor {
 public:
  virtual ~executor() = default;
  // Returns false when the loop no longer accepts tasks.
  virtual bool post(std::function<void()> task) = 0;
  virtual bool in_loop_thread() const = 0;
};

class event_loop {
 public:
  event_loop();
  ~event_loop();  // stop(); never destroy the loop from its own thread
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;

  // Starts the loop thread; returns once post() is accepted. Calling it twice is an error.
  // Sets SIGPIPE to ignored if it has its default action (a closed peer must not kill us).
  void start();
  // Thread-safe, idempotent. Closes every attached closable and the loop's own handles, runs the
  // close callbacks, then joins the thread. From the loop thread itself it only requests the stop;
  // the destructor (or a later stop() from another thread) joins.
  void stop();

  // Thread-safe. Tasks run on the loop thread in posting order. Returns false after stop().
  bool post(std::function<void()> task);
  // Runs fn on the loop thread and waits for it; runs inline when called on the loop thread.
  void run_sync(const std::function<void()>& fn);
  // Runs task on the loop thread after delay (one-shot). Dropped if the loop stops first.
  void post_after(std::chrono::milliseconds delay, std::function<void()> task);

  bool in_loop_thread() const;
  bool running() const;
  uv_loop_t* native();
  std::shared_ptr<executor> get_executor() const;

  // Loop thread (or after the thread was joined).
  void attach(closable* c);
  void detach(closable* c);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// A libuv timer. Create, use and destroy it on the loop thread.
class timer final : public closable {
 public:
  timer(event_loop& loop, std::function<void()> on_fire);
  ~timer();
  timer(const timer&) = delete;
  timer& operator=(const timer&) = delete;

  // Restarts the timer; repeat == 0 means one-shot.
  void start(std::chrono::milliseconds timeout,
             std::chrono::milliseconds repeat = std::chrono::milliseconds{0});
  void stop();
  bool active() const;
  void close() override;

 private:
  static void on_timer(uv_timer_t* handle);

  event_loop& loop_;
  uv_timer_t* handle_ = nullptr;
  std::function<void()> on_fire_;
};

}  // namespace coder::uv
