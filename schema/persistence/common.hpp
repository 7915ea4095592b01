// Replies shared by several persistence operations (actors/persistence/persistence_actor.hpp).
#pragma once

#include "schema/reflect.hpp"

// CODER_SCHEMA_EMPTY with an explicit type name, for the few persistence types whose C++ name
// is also used by another actor family (users::done, users::list_users): type names are the
// cluster wire contract and must be unique across the whole system.
#define CODER_DB_SCHEMA_EMPTY_NAMED(type, wire_name)             \
  constexpr const char* coder_schema_name(const type*) {         \
    return wire_name;                                            \
  }                                                              \
  template <class F>                                             \
  decltype(auto) coder_schema_fields(const type&, F&& f) {       \
    return f();                                                  \
  }                                                              \
  template <class Inspector>                                     \
  typename Inspector::result_type inspect(Inspector& f, type&) { \
    return f(::caf::meta::type_name(wire_name));                 \
  }

namespace coder::db {

// The operation committed and has nothing to return.
struct done {};
CODER_DB_SCHEMA_EMPTY_NAMED(done, "db_done")

}  // namespace coder::db
