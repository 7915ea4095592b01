// The numbered SQL migrations of schema/migrations/, embedded at build time by
// embed_migrations.py so that a binary always carries exactly the schema it was written for.
#pragma once

#include <span>

namespace coder::db {

struct migration {
  int version;       // NNNN of NNNN_name.sql; contiguous from 1
  const char* name;  // file name without .sql
  const char* sql;
};

// In version order.
std::span<const migration> embedded_migrations();
// A short hash of every migration's version, name and text: names template databases in tests.
const char* migrations_fingerprint();

}  // namespace coder::db
