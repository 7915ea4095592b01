// cty values <-> msgpack, the encoding of DynamicValue.msgpack in the plugin protocol.
// Encoding is directed by the type because an object must carry every attribute of its type
// (absent ones as nil); decoding is directed by the type because msgpack cannot tell a list from
// a set or an object from a map. Unknown values are msgpack extension 0; extension 12 (an unknown
// with refinements such as "not null") is accepted and read as plain unknown.
#pragma once

#include <string>
#include <string_view>

#include "cty_type.hpp"
#include "cty_value.hpp"

namespace coder::provider::cty {

struct Decoded {
  Value value;
  std::string error;  // empty on success; otherwise says what was wrong and where
  bool ok() const { return error.empty(); }
};

std::string encode_msgpack(const Value& value, const Type& type);
Decoded decode_msgpack(std::string_view bytes, const Type& type);

}  // namespace coder::provider::cty
