// Brings a database to the binary's schema: applies the embedded migrations that are missing,
// all in ONE transaction under a transaction-scoped advisory lock (so two servers starting at
// once serialise, and a failure leaves the database as it was), recording each in
// schema_migrations. Refuses a database whose schema is newer than this binary.
#pragma once

#include <string>

#include "actors/persistence/pg_connection.hpp"

namespace coder::persistence {

struct migration_outcome {
  enum class kind { ok, schema_too_new, failed };
  kind status = kind::failed;
  int from_version = 0;  // schema version found
  int to_version = 0;    // schema version now
  int applied = 0;       // migrations applied by this call
  std::string error;     // when not ok
};

migration_outcome apply_migrations(pg_connection& conn);

// The newest version embedded in this binary.
int latest_embedded_version();

}  // namespace coder::persistence
