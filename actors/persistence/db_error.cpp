#include "actors/persistence/db_error.hpp"

#include "caf/actor_system_config.hpp"
#include "caf/message.hpp"

namespace coder::persistence {

const char* to_string(db_errc code) {
  switch (code) {
    case db_errc::not_found:
      return "not_found";
    case db_errc::conflict:
      return "conflict";
    case db_errc::invalid:
      return "invalid";
    case db_errc::unavailable:
      return "unavailable";
    case db_errc::schema_too_new:
      return "schema_too_new";
    case db_errc::internal:
      return "internal";
  }
  return "unknown";
}

caf::error make_error(db_errc code, std::string detail, std::string field) {
  return caf::error(static_cast<uint8_t>(code), db_error_category,
                    caf::make_message(std::move(detail), std::move(field)));
}

std::optional<db_errc> db_error_code(const caf::error& err) {
  if (!err || err.category() != db_error_category) return std::nullopt;
  return static_cast<db_errc>(err.code());
}

namespace {

std::string context_string(const caf::error& err, size_t index) {
  if (!err || err.category() != db_error_category) return "";
  const auto& ctx = err.context();
  if (ctx.size() != 2 || !ctx.match_element<std::string>(index)) return "";
  return ctx.get_as<std::string>(index);
}

}  // namespace

std::string error_detail(const caf::error& err) {
  return context_string(err, 0);
}

std::string error_field(const caf::error& err) {
  return context_string(err, 1);
}

void register_db_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(db_error_category, [](uint8_t code, caf::atom_value,
                                               const caf::message& ctx) {
    std::string out = "db_error(";
    out += to_string(static_cast<db_errc>(code));
    out += ")";
    if (ctx.size() == 2 && ctx.match_element<std::string>(0) && ctx.match_element<std::string>(1)) {
      const auto& detail = ctx.get_as<std::string>(0);
      const auto& field = ctx.get_as<std::string>(1);
      if (!detail.empty()) out += ": " + detail;
      if (!field.empty()) out += " (field=" + field + ")";
    }
    return out;
  });
}

}  // namespace coder::persistence
