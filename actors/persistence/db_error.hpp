// Errors of the persistence actor: a CAF error category ("db") so that every caller gets a
// caf::error with a code to branch on and a human message (caf::actor_system::render).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "caf/atom.hpp"
#include "caf/error.hpp"

namespace caf {
class actor_system_config;
}

namespace coder::persistence {

enum class db_errc : uint8_t {
  not_found = 1,
  conflict,        // a unique constraint; error_field() names the field ("username", "email")
  invalid,         // a check or foreign key refused the value; error_field() names it
  unavailable,     // no database connection; the operation may be retried
  schema_too_new,  // the database was migrated by a newer coder-node
  internal,        // anything else (a bug, or a database problem to investigate)
};

constexpr caf::atom_value db_error_category = caf::atom("db");

// context = (detail, field): field is empty unless conflict/invalid name one.
caf::error make_error(db_errc code, std::string detail, std::string field = {});

// The code, when `err` belongs to this category.
std::optional<db_errc> db_error_code(const caf::error& err);
// The field a conflict / invalid error names, or "".
std::string error_field(const caf::error& err);
// The human detail, or "".
std::string error_detail(const caf::error& err);

const char* to_string(db_errc code);

// Registers the category's renderer: "db_error(conflict): username already taken (field=username)".
void register_db_error_category(caf::actor_system_config& cfg);

}  // namespace coder::persistence
