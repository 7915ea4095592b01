// A connection taken over after its HTTP request head: plain bytes both ways with
// back-pressure, for the app proxy and the agent tunnel. Obtained from exchange::take_over().
#pragma once

#include <memory>
#include <string>

#include "runtime/http/stream_flow.hpp"

namespace coder::http {

namespace detail {
struct raw_link;
}

class raw_stream;

// Loop thread, must not block. on_open first (with the bytes already read after the head
// delivered as the first on_data), on_close last, exactly once.
class raw_handler {
 public:
  virtual ~raw_handler() = default;
  virtual void on_open(std::shared_ptr<raw_stream> stream) { (void)stream; }
  virtual void on_data(std::string data) = 0;
  // The peer will send nothing more; writing may continue until end() or close().
  virtual void on_eof() {}
  virtual void on_drain() {}
  virtual void on_close(std::string error) { (void)error; }
};

// Thread-safe.
class raw_stream {
 public:
  explicit raw_stream(std::shared_ptr<detail::raw_link> link);

  // false: above the high-water mark (data still queued); wait for on_drain.
  bool write(std::string data);
  // Half-close after the queued data: the peer reads EOF.
  void end();
  // Abort the connection.
  void close();
  void pause();
  void resume();
  size_t buffered_amount() const;

 private:
  std::shared_ptr<detail::raw_link> link_;
};

}  // namespace coder::http
