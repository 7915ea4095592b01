// One declaration per API / message shape: CODER_SCHEMA lists a struct's fields once, and every
// codec is derived from that list — CAF's `inspect` (actor messages, cluster wire format), JSON
// (HTTP API, schema/json_codec.hpp) and the dashboard's TypeScript types
// (schema/generate_typescript.cpp). Writing a shape twice is how Coder's API types drifted.
#pragma once

#include <optional>
#include <string_view>

#include "caf/meta/type_name.hpp"

namespace coder::schema {

// A named reference to one member, handed to field visitors.
template <class T>
struct field_ref {
  const char* name;
  T& value;
};

template <class T>
field_ref<T> make_field(const char* name, T& value) {
  return {name, value};
}

// CAF 0.17 has no std::optional support; this proxy serialises it as a flag plus the value.
template <class T>
struct optional_ref {
  std::optional<T>& value;
};

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, optional_ref<T>& x) {
  if constexpr (Inspector::reads_state) {
    bool has = x.value.has_value();
    if (has) return f(has, *x.value);
    return f(has);
  } else {
    bool has = false;
    if (auto err = f(has)) return err;
    if (!has) {
      x.value.reset();
      return {};
    }
    T tmp{};
    if (auto err = f(tmp)) return err;
    x.value = std::move(tmp);
    return {};
  }
}

template <class T>
T& inspectable(T& x) {
  return x;
}
template <class T>
optional_ref<T> inspectable(std::optional<T>& x) {
  return {x};
}

// True for structs declared with CODER_SCHEMA.
template <class T>
concept reflectable = requires(T& x) {
  { coder_schema_name(static_cast<const T*>(nullptr)) } -> std::convertible_to<const char*>;
};

template <reflectable T>
constexpr const char* schema_name() {
  return coder_schema_name(static_cast<const T*>(nullptr));
}

// Calls f(field_ref<M>...) once, with every field of x in declaration order.
template <reflectable T, class F>
decltype(auto) apply_fields(T& x, F&& f) {
  return coder_schema_fields(x, std::forward<F>(f));
}

}  // namespace coder::schema

#define CODER_SCHEMA_FIELD_(member) ::coder::schema::make_field(#member, x.member)
#define CODER_SCHEMA_INSPECT_(member) ::coder::schema::inspectable(x.member)

// Variadic for-each over up to 40 members.
#define CODER_SCHEMA_EXPAND_(x) x
#define CODER_SCHEMA_N_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, \
                        _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30,  \
                        _31, _32, _33, _34, _35, _36, _37, _38, _39, _40, N, ...)              \
  N
#define CODER_SCHEMA_COUNT_(...)                                                                 \
  CODER_SCHEMA_EXPAND_(CODER_SCHEMA_N_(__VA_ARGS__, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, \
                                       29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16,  \
                                       15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1))
#define CODER_SCHEMA_CAT_(a, b) CODER_SCHEMA_CAT2_(a, b)
#define CODER_SCHEMA_CAT2_(a, b) a##b
#define CODER_SCHEMA_MAP_(m, ...) \
  CODER_SCHEMA_EXPAND_(CODER_SCHEMA_CAT_(CODER_SCHEMA_MAP_, CODER_SCHEMA_COUNT_(__VA_ARGS__))(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_1(m, a) m(a)
#define CODER_SCHEMA_MAP_2(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_1(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_3(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_2(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_4(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_3(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_5(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_4(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_6(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_5(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_7(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_6(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_8(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_7(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_9(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_8(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_10(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_9(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_11(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_10(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_12(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_11(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_13(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_12(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_14(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_13(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_15(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_14(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_16(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_15(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_17(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_16(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_18(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_17(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_19(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_18(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_20(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_19(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_21(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_20(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_22(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_21(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_23(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_22(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_24(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_23(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_25(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_24(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_26(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_25(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_27(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_26(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_28(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_27(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_29(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_28(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_30(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_29(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_31(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_30(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_32(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_31(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_33(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_32(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_34(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_33(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_35(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_34(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_36(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_35(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_37(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_36(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_38(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_37(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_39(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_38(m, __VA_ARGS__))
#define CODER_SCHEMA_MAP_40(m, a, ...) m(a), CODER_SCHEMA_EXPAND_(CODER_SCHEMA_MAP_39(m, __VA_ARGS__))

// Declares the schema of `type` (use in the struct's own namespace, after the struct):
//   CODER_SCHEMA(user, id, username, email)
// The CAF type name — the cluster wire contract — and the TypeScript name are both `type`'s name.
#define CODER_SCHEMA(type, ...)                                                     \
  constexpr const char* coder_schema_name(const type*) { return #type; }            \
  template <class F>                                                                \
  decltype(auto) coder_schema_fields(type& x, F&& f) {                              \
    return f(CODER_SCHEMA_MAP_(CODER_SCHEMA_FIELD_, __VA_ARGS__));                  \
  }                                                                                 \
  template <class F>                                                                \
  decltype(auto) coder_schema_fields(const type& cx, F&& f) {                       \
    auto& x = const_cast<type&>(cx);                                                \
    return f(CODER_SCHEMA_MAP_(CODER_SCHEMA_FIELD_, __VA_ARGS__));                  \
  }                                                                                 \
  template <class Inspector>                                                        \
  typename Inspector::result_type inspect(Inspector& f, type& x) {                  \
    return f(::caf::meta::type_name(#type),                                         \
             CODER_SCHEMA_MAP_(CODER_SCHEMA_INSPECT_, __VA_ARGS__));                \
  }

// For message types without fields (requests like `has_first_user`, replies like `done`).
#define CODER_SCHEMA_EMPTY(type)                                                     \
  constexpr const char* coder_schema_name(const type*) { return #type; }            \
  template <class F>                                                                \
  decltype(auto) coder_schema_fields(const type&, F&& f) {                          \
    return f();                                                                     \
  }                                                                                 \
  template <class Inspector>                                                        \
  typename Inspector::result_type inspect(Inspector& f, type&) {                    \
    return f(::caf::meta::type_name(#type));                                        \
  }
