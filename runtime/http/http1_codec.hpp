// HTTP/1.1 message parser (http-parser inside, never in this header). Envoy-style: dispatch()
// consumes bytes and calls back on_headers / on_body / on_message_complete. It stops after each
// complete message (and after the head of an upgrade or CONNECT), so pipelined messages are
// handled one at a time and bytes that belong to another protocol are never parsed as HTTP.
// Size limits are enforced while parsing, before anything is buffered.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/http/headers.hpp"

namespace coder::http {

enum class codec_mode { request, response };

struct codec_limits {
  size_t max_header_bytes = 32 * 1024;  // request/status line + all fields
  size_t max_url_bytes = 8 * 1024;
  uint64_t max_body_bytes = 1024 * 1024;
};

struct message_head {
  std::string method;  // requests
  std::string url;     // requests, raw target
  int status = 0;      // responses
  int http_major = 1;
  int http_minor = 1;
  header_map headers;
  bool keep_alive = true;
  bool chunked = false;
  bool upgrade = false;  // Upgrade + Connection: upgrade, a CONNECT, or a 101 answer
  std::optional<uint64_t> content_length;
};

enum class codec_status {
  need_more,         // all input consumed, message incomplete
  message_complete,  // one message done; `consumed` ends at its last byte
  upgrade,           // head of an upgrade/CONNECT done; the rest is another protocol
  error,
};

struct dispatch_result {
  codec_status status = codec_status::need_more;
  size_t consumed = 0;
  int http_status = 0;  // for errors: 400, 413, 414, 431 or 505
  std::string detail;   // for errors: what was wrong, safe to show a client
};

class codec_callbacks {
 public:
  virtual ~codec_callbacks() = default;
  // Request mode, before on_headers: true ends parsing after this head, as for an upgrade
  // (dispatch returns codec_status::upgrade, the body stays unparsed and unlimited). A proxy
  // uses it to stream a request body instead of buffering it.
  virtual bool stop_after_head(const message_head& head) {
    (void)head;
    return false;
  }
  virtual void on_headers(message_head&& head) = 0;
  virtual void on_body(std::string_view data) = 0;
  virtual void on_message_complete() = 0;
};

class http1_codec {
 public:
  http1_codec(codec_mode mode, codec_callbacks& callbacks, codec_limits limits = {});
  ~http1_codec();
  http1_codec(const http1_codec&) = delete;
  http1_codec& operator=(const http1_codec&) = delete;

  // Parses from the start of data. After message_complete call dispatch again with the bytes
  // after `consumed`. After an error or upgrade the codec accepts nothing more.
  dispatch_result dispatch(std::string_view data);
  // Response mode: the peer closed the connection; completes a body delimited by EOF.
  dispatch_result finish();
  // Response mode: the next response answers a HEAD request, so it has no body whatever its
  // Content-Length says.
  void expect_head_response(bool head);
  const codec_limits& limits() const { return limits_; }

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  codec_limits limits_;
};

}  // namespace coder::http
