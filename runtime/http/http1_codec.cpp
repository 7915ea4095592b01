#include "runtime/http/http1_codec.hpp"

#include <http_parser.h>

#include <algorithm>

namespace coder::http {

namespace {
enum class phase { head, body, done };
}  // namespace

struct http1_codec::impl {
  impl(codec_mode m, codec_callbacks& cb, const codec_limits& l)
      : mode(m), callbacks(cb), limits(l) {
    http_parser_settings_init(&settings);
    settings.on_message_begin = [](http_parser* p) { return self(p)->on_message_begin(); };
    settings.on_url = [](http_parser* p, const char* at, size_t n) {
      return self(p)->on_url(at, n);
    };
    settings.on_status = [](http_parser*, const char*, size_t) { return 0; };
    settings.on_header_field = [](http_parser* p, const char* at, size_t n) {
      return self(p)->on_header_field(at, n);
    };
    settings.on_header_value = [](http_parser* p, const char* at, size_t n) {
      return self(p)->on_header_value(at, n);
    };
    settings.on_headers_complete = [](http_parser* p) { return self(p)->on_headers_complete(); };
    settings.on_body = [](http_parser* p, const char* at, size_t n) {
      return self(p)->on_body(at, n);
    };
    settings.on_message_complete = [](http_parser* p) { return self(p)->on_message_complete(); };
    http_parser_init(&parser, mode == codec_mode::request ? HTTP_REQUEST : HTTP_RESPONSE);
    parser.data = this;
  }

  static impl* self(http_parser* p) { return static_cast<impl*>(p->data); }

  int fail(int status, std::string detail) {
    error_status = status;
    error_detail = std::move(detail);
    return -1;
  }

  int on_message_begin() {
    head = message_head{};
    field.clear();
    value.clear();
    in_value = false;
    body_bytes = 0;
    return 0;
  }

  int on_url(const char* at, size_t n) {
    if (head.url.size() + n > limits.max_url_bytes) {
      return fail(414, "the request target is longer than " + std::to_string(limits.max_url_bytes) +
                           " bytes");
    }
    head.url.append(at, n);
    return 0;
  }

  void flush_field() {
    if (!field.empty() || in_value) head.headers.add(std::move(field), std::move(value));
    field.clear();
    value.clear();
  }

  int on_header_field(const char* at, size_t n) {
    if (in_value) {
      flush_field();
      in_value = false;
    }
    field.append(at, n);
    return 0;
  }

  int on_header_value(const char* at, size_t n) {
    in_value = true;
    value.append(at, n);
    return 0;
  }

  int on_headers_complete() {
    if (in_value) flush_field();
    in_value = false;
    if (mode == codec_mode::request) {
      head.method = http_method_str(static_cast<http_method>(parser.method));
    } else {
      head.status = static_cast<int>(parser.status_code);
    }
    // http-parser accepts any digit; only HTTP/1.x framing is understood here.
    if (parser.http_major != 1) return fail(505, "only HTTP/1.0 and HTTP/1.1 are supported");
    head.http_major = parser.http_major;
    head.http_minor = parser.http_minor;
    head.keep_alive = http_should_keep_alive(&parser) != 0;
    head.chunked = (parser.flags & F_CHUNKED) != 0;
    head.upgrade = parser.upgrade != 0;
    if ((parser.flags & F_CONTENTLENGTH) != 0) head.content_length = parser.content_length;
    const bool stop = mode == codec_mode::request && callbacks.stop_after_head(head);
    // Checked before a single body byte is read: a client announcing too much is refused at once.
    // A body left to the handler (stop) is not ours to limit.
    if (!stop && head.content_length && *head.content_length > limits.max_body_bytes) {
      return fail(413,
                  "the body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
    }
    if (stop) head.upgrade = true;
    current_phase = phase::body;
    callbacks.on_headers(std::move(head));
    // 2 tells http-parser to end the message here and treat what follows as another protocol.
    if (stop) return 2;
    if (mode == codec_mode::response && head_response) return 1;  // no body follows
    return 0;
  }

  int on_body(const char* at, size_t n) {
    body_bytes += n;
    // Chunked bodies have no announced size: count as they arrive.
    if (body_bytes > limits.max_body_bytes) {
      return fail(413,
                  "the body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
    }
    callbacks.on_body(std::string_view(at, n));
    return 0;
  }

  int on_message_complete() {
    current_phase = phase::done;
    callbacks.on_message_complete();
    // Stop here: the next pipelined message waits until the caller is ready for it.
    http_parser_pause(&parser, 1);
    return 0;
  }

  dispatch_result parser_error(size_t consumed) {
    dispatch_result r;
    r.status = codec_status::error;
    r.consumed = consumed;
    if (error_status != 0) {
      r.http_status = error_status;
      r.detail = error_detail;
      return r;
    }
    auto err = HTTP_PARSER_ERRNO(&parser);
    if (err == HPE_HEADER_OVERFLOW) {
      r.http_status = 431;
      r.detail = "the request head is too large";
    } else {
      r.http_status = 400;
      r.detail = std::string("malformed HTTP message: ") + http_errno_description(err);
    }
    return r;
  }

  codec_mode mode;
  codec_callbacks& callbacks;
  const codec_limits& limits;
  http_parser parser{};
  http_parser_settings settings{};
  message_head head;
  std::string field;
  std::string value;
  bool in_value = false;
  phase current_phase = phase::head;
  size_t head_bytes = 0;
  uint64_t body_bytes = 0;
  bool head_response = false;
  bool finished = false;  // after error or upgrade
  int error_status = 0;
  std::string error_detail;
};

http1_codec::http1_codec(codec_mode mode, codec_callbacks& callbacks, codec_limits limits)
    : limits_(limits) {
  impl_ = std::make_unique<impl>(mode, callbacks, limits_);
}

http1_codec::~http1_codec() = default;

void http1_codec::expect_head_response(bool head) {
  impl_->head_response = head;
}

dispatch_result http1_codec::dispatch(std::string_view data) {
  auto& d = *impl_;
  dispatch_result r;
  if (d.finished) {
    r.status = codec_status::error;
    r.http_status = 400;
    r.detail = "no further messages on this connection";
    return r;
  }
  if (d.current_phase == phase::done) {
    http_parser_pause(&d.parser, 0);
    d.current_phase = phase::head;
    d.head_bytes = 0;
  }
  size_t total = 0;
  while (total < data.size()) {
    std::string_view slice = data.substr(total);
    const bool in_head = d.current_phase == phase::head;
    if (in_head) {
      // Feed at most the remaining head budget, so an endless head fails at the limit instead
      // of growing until http-parser's own (larger) bound.
      size_t budget = d.limits.max_header_bytes - std::min(d.head_bytes, d.limits.max_header_bytes);
      if (budget == 0) {
        d.finished = true;
        r.status = codec_status::error;
        r.consumed = total;
        r.http_status = d.mode == codec_mode::request ? 431 : 502;
        r.detail = "the message head is larger than " + std::to_string(d.limits.max_header_bytes) +
                   " bytes";
        return r;
      }
      slice = slice.substr(0, budget);
    }
    size_t n = http_parser_execute(&d.parser, &d.settings, slice.data(), slice.size());
    total += n;
    auto err = HTTP_PARSER_ERRNO(&d.parser);
    if (err == HPE_PAUSED) {
      r.status = codec_status::message_complete;
      r.consumed = total;
      if (d.parser.upgrade) {
        d.finished = true;
        r.status = codec_status::upgrade;
      }
      return r;
    }
    if (err != HPE_OK) {
      d.finished = true;
      return d.parser_error(total);
    }
    if (d.parser.upgrade) {
      // http-parser returns early at the end of an upgrade head without pausing.
      d.finished = true;
      r.status = codec_status::upgrade;
      r.consumed = total;
      return r;
    }
    if (in_head && d.current_phase == phase::head) d.head_bytes += n;
    if (n < slice.size()) {
      // http-parser stopped without an error: only after an upgrade, handled above.
      break;
    }
  }
  r.status = codec_status::need_more;
  r.consumed = total;
  return r;
}

dispatch_result http1_codec::finish() {
  auto& d = *impl_;
  dispatch_result r;
  if (d.finished || d.current_phase == phase::done) {
    r.status = codec_status::need_more;
    return r;
  }
  if (d.current_phase == phase::head && d.head_bytes == 0) return r;
  http_parser_execute(&d.parser, &d.settings, nullptr, 0);
  auto err = HTTP_PARSER_ERRNO(&d.parser);
  if (err == HPE_PAUSED) {
    r.status = codec_status::message_complete;
    return r;
  }
  d.finished = true;
  if (err != HPE_OK) return d.parser_error(0);
  r.status = codec_status::error;
  r.http_status = 400;
  r.detail = "the connection closed in the middle of a message";
  return r;
}

}  // namespace coder::http
