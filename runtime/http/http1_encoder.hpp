// Serialises HTTP/1.1 message heads and chunked framing. The codec's other half: the server and
// the client both write through these, so framing rules live in one place.
#pragma once

#include <string>
#include <string_view>

#include "runtime/http/headers.hpp"

namespace coder::http {

// "HTTP/1.1 <status> <reason>\r\n" + fields + "\r\n". Fields are written as given; CR/LF inside
// names or values are dropped so a handler can never inject a header.
std::string encode_response_head(int status, const header_map& headers);
std::string encode_request_head(std::string_view method, std::string_view target,
                                const header_map& headers);
// One chunk of a chunked body; empty data encodes nothing (the last chunk is separate).
std::string encode_chunk(std::string_view data);
inline constexpr std::string_view last_chunk = "0\r\n\r\n";

// IMF-fixdate for the Date header, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(long long unix_seconds);

}  // namespace coder::http
