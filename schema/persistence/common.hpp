// Replies shared by several persistence operations (actors/persistence/persistence_actor.hpp).
#pragma once

#include "schema/reflect.hpp"

namespace coder::db {

// The operation committed and has nothing to return.
struct done {};
CODER_SCHEMA_EMPTY(done)

}  // namespace coder::db
