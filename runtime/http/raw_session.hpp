// The loop side of a raw_stream: plain bytes between a transport and a raw_handler.
// Internal to runtime/http.
#pragma once

#include <memory>
#include <string>

#include "runtime/http/raw_stream.hpp"
#include "runtime/http/stream_flow.hpp"
#include "runtime/http/transport.hpp"

namespace coder::http::detail {

class raw_session;

struct raw_link {
  raw_link(std::shared_ptr<uv::executor> exec, size_t high_water)
      : flow(std::move(exec), high_water) {}
  stream_flow flow;
  std::weak_ptr<raw_session> session;  // loop thread only
};

class raw_session final : public transport_handler,
                          public std::enable_shared_from_this<raw_session> {
 public:
  // Creates the session, links the handle and calls handler->on_open(). Loop thread.
  static std::shared_ptr<raw_session> create(transport& t, std::shared_ptr<raw_handler> handler,
                                             std::shared_ptr<raw_link> link);

  void write(std::string data, size_t accounted);
  void end();
  void abort();
  void pause();
  void resume();
  void check_drain();

  void on_data(std::string_view data) override;
  void on_eof() override;
  void on_write_complete(size_t buffered) override;
  void on_closed(const std::string& error) override;

 private:
  raw_session(transport& t, std::shared_ptr<raw_handler> handler, std::shared_ptr<raw_link> link)
      : transport_(&t), handler_(std::move(handler)), link_(std::move(link)) {}

  transport* transport_;  // valid until on_closed
  std::shared_ptr<raw_handler> handler_;
  std::shared_ptr<raw_link> link_;
};

}  // namespace coder::http::detail
