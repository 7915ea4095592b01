#include "cty_msgpack.hpp"

#include <charconv>
#include <msgpack.hpp>
#include <stdexcept>

namespace coder::provider::cty {

namespace {

using Packer = msgpack::packer<msgpack::sbuffer>;

constexpr std::int8_t unknown_ext = 0;
constexpr std::int8_t refined_unknown_ext = 12;

void pack_string(Packer& pk, const std::string& s) {
  pk.pack_str(static_cast<std::uint32_t>(s.size()));
  pk.pack_str_body(s.data(), static_cast<std::uint32_t>(s.size()));
}

// cty's own rule: integers as msgpack ints, other numbers as float64 when that is exact, and
// the decimal string otherwise (so 1e400 or 0.1000000000000000000001 lose nothing).
void pack_number(Packer& pk, const Value& v) {
  if (auto i = v.as_int64(); i && std::to_string(*i) == v.number_as_text()) {
    pk.pack_int64(*i);
    return;
  }
  if (auto d = v.as_double()) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    if (ec == std::errc() && Value::number_text(std::string(buf, end)) == v) {
      pk.pack_double(*d);
      return;
    }
  }
  pack_string(pk, v.number_as_text());
}

void pack_value(Packer& pk, const Value& v, const Type& t) {
  switch (v.kind()) {
    case Value::Kind::Null:
      pk.pack_nil();
      return;
    case Value::Kind::Unknown: {
      const char zero = 0;
      pk.pack_ext(1, unknown_ext);
      pk.pack_ext_body(&zero, 1);
      return;
    }
    case Value::Kind::Bool:
      v.as_bool() ? pk.pack_true() : pk.pack_false();
      return;
    case Value::Kind::Number:
      pack_number(pk, v);
      return;
    case Value::Kind::String:
      pack_string(pk, v.as_string());
      return;
    case Value::Kind::List:
    case Value::Kind::Set: {
      const Type element = t.is_collection() ? t.element() : Type::string();
      pk.pack_array(static_cast<std::uint32_t>(v.elements().size()));
      for (const auto& e : v.elements()) pack_value(pk, e, element);
      return;
    }
    case Value::Kind::Map: {
      const Type element = t.is_collection() ? t.element() : Type::string();
      pk.pack_map(static_cast<std::uint32_t>(v.entries().size()));
      for (const auto& [k, e] : v.entries()) {
        pack_string(pk, k);
        pack_value(pk, e, element);
      }
      return;
    }
    case Value::Kind::Object: {
      if (t.kind() != Type::Kind::Object) {
        pk.pack_map(static_cast<std::uint32_t>(v.entries().size()));
        for (const auto& [k, e] : v.entries()) {
          pack_string(pk, k);
          pack_value(pk, e, Type::string());
        }
        return;
      }
      // Every attribute of the type, in name order, absent ones as nil.
      pk.pack_map(static_cast<std::uint32_t>(t.attributes().size()));
      for (const auto& [name, attr_type] : t.attributes()) {
        pack_string(pk, name);
        pack_value(pk, v.get(name), attr_type);
      }
      return;
    }
  }
}

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string kind_name(Type::Kind k) {
  switch (k) {
    case Type::Kind::Bool:
      return "bool";
    case Type::Kind::Number:
      return "number";
    case Type::Kind::String:
      return "string";
    case Type::Kind::List:
      return "list";
    case Type::Kind::Set:
      return "set";
    case Type::Kind::Map:
      return "map";
    case Type::Kind::Object:
      return "object";
  }
  return "?";
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw DecodeError((path.empty() ? std::string("value") : path) + ": " + what);
}

std::string as_std_string(const msgpack::object& o) {
  return std::string(o.via.str.ptr, o.via.str.size);
}

bool is_decimal_number(const std::string& s) {
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  return !s.empty() && end == s.data() + s.size() && ec != std::errc::invalid_argument;
}

Value unpack_value(const msgpack::object& o, const Type& t, const std::string& path) {
  if (o.type == msgpack::type::NIL) return Value::null();
  if (o.type == msgpack::type::EXT) {
    const auto ext = o.via.ext.type();
    if (ext == unknown_ext || ext == refined_unknown_ext) return Value::unknown();
    fail(path, "unsupported msgpack extension type " + std::to_string(ext));
  }
  switch (t.kind()) {
    case Type::Kind::Bool:
      if (o.type != msgpack::type::BOOLEAN) fail(path, "expected bool");
      return Value::boolean(o.via.boolean);
    case Type::Kind::Number:
      switch (o.type) {
        case msgpack::type::POSITIVE_INTEGER:
          return Value::number_text(std::to_string(o.via.u64));
        case msgpack::type::NEGATIVE_INTEGER:
          return Value::number(static_cast<std::int64_t>(o.via.i64));
        case msgpack::type::FLOAT32:
        case msgpack::type::FLOAT64:
          return Value::number(o.via.f64);
        case msgpack::type::STR: {
          auto text = as_std_string(o);
          if (!is_decimal_number(text)) fail(path, "\"" + text + "\" is not a number");
          return Value::number_text(std::move(text));
        }
        default:
          fail(path, "expected number");
      }
    case Type::Kind::String:
      if (o.type == msgpack::type::STR) return Value::string(as_std_string(o));
      if (o.type == msgpack::type::BIN)
        return Value::string(std::string(o.via.bin.ptr, o.via.bin.size));
      fail(path, "expected string");
    case Type::Kind::List:
    case Type::Kind::Set: {
      if (o.type != msgpack::type::ARRAY) fail(path, "expected " + kind_name(t.kind()));
      std::vector<Value> elements;
      for (std::uint32_t i = 0; i < o.via.array.size; ++i)
        elements.push_back(
            unpack_value(o.via.array.ptr[i], t.element(), path + "[" + std::to_string(i) + "]"));
      return t.kind() == Type::Kind::List ? Value::list(std::move(elements))
                                          : Value::set(std::move(elements));
    }
    case Type::Kind::Map:
    case Type::Kind::Object: {
      if (o.type != msgpack::type::MAP) fail(path, "expected " + kind_name(t.kind()));
      std::map<std::string, Value> entries;
      for (std::uint32_t i = 0; i < o.via.map.size; ++i) {
        const auto& kv = o.via.map.ptr[i];
        if (kv.key.type != msgpack::type::STR) fail(path, "map key is not a string");
        auto key = as_std_string(kv.key);
        const std::string sub = path.empty() ? key : path + "." + key;
        if (t.kind() == Type::Kind::Map) {
          entries[key] = unpack_value(kv.val, t.element(), path + "[\"" + key + "\"]");
          continue;
        }
        auto it = t.attributes().find(key);
        if (it == t.attributes().end()) fail(path, "unexpected attribute \"" + key + "\"");
        entries[key] = unpack_value(kv.val, it->second, sub);
      }
      if (t.kind() == Type::Kind::Map) return Value::map(std::move(entries));
      // Absent attributes are null: the schema, not the sender, decides the shape.
      for (const auto& [name, attr_type] : t.attributes()) entries.try_emplace(name, Value::null());
      return Value::object(std::move(entries));
    }
  }
  fail(path, "unsupported type");
}

}  // namespace

std::string encode_msgpack(const Value& value, const Type& type) {
  msgpack::sbuffer buffer;
  Packer pk(buffer);
  pack_value(pk, value, type);
  return std::string(buffer.data(), buffer.size());
}

Decoded decode_msgpack(std::string_view bytes, const Type& type) {
  if (bytes.empty()) return {Value::null(), "empty msgpack value"};
  try {
    std::size_t offset = 0;
    msgpack::object_handle handle = msgpack::unpack(bytes.data(), bytes.size(), offset);
    if (offset != bytes.size())
      return {Value::null(),
              std::to_string(bytes.size() - offset) + " trailing bytes after msgpack value"};
    return {unpack_value(handle.get(), type, ""), ""};
  } catch (const DecodeError& e) {
    return {Value::null(), e.what()};
  } catch (const std::exception& e) {
    return {Value::null(), std::string("malformed msgpack: ") + e.what()};
  }
}

}  // namespace coder::provider::cty
