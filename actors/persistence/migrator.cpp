#include "actors/persistence/migrator.hpp"

#include "runtime/log/log.hpp"
#include "schema/migrations/migrations.hpp"

namespace coder::persistence {
namespace {

// Any constant works as long as every coder-node uses the same one; this is "coder-mi" in ASCII.
constexpr const char* advisory_lock_sql = "SELECT pg_advisory_xact_lock(7237669006032742761)";

}  // namespace

int latest_embedded_version() {
  auto all = db::embedded_migrations();
  return all.empty() ? 0 : all.back().version;
}

migration_outcome apply_migrations(pg_connection& conn) {
  migration_outcome out;
  auto fail = [&](const std::string& what, const pg_result& r) {
    conn.exec("ROLLBACK");
    out.status = migration_outcome::kind::failed;
    out.error = what + ": " + r.error.message;
    log::error("persistence.migration_failed", {{"error", out.error}});
    return out;
  };
  if (auto r = conn.exec("BEGIN"); !r.ok) return fail("begin", r);
  if (auto r = conn.exec(advisory_lock_sql); !r.ok) return fail("advisory lock", r);
  // Created under the lock: concurrent CREATE TABLE IF NOT EXISTS can still collide.
  if (auto r = conn.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         " version integer PRIMARY KEY,"
                         " name text NOT NULL,"
                         " applied_at timestamptz NOT NULL DEFAULT now())");
      !r.ok)
    return fail("create schema_migrations", r);
  auto current = conn.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!current.ok || current.rows.empty()) return fail("read schema version", current);
  out.from_version = std::stoi(current.rows[0][0].value_or("0"));
  int latest = latest_embedded_version();
  if (out.from_version > latest) {
    conn.exec("ROLLBACK");
    out.status = migration_outcome::kind::schema_too_new;
    out.to_version = out.from_version;
    out.error = "the database schema is at version " + std::to_string(out.from_version) +
                " but this coder-node only knows up to version " + std::to_string(latest) +
                ": run a newer coder-node (downgrades are not supported)";
    log::error("persistence.schema_too_new",
               {{"db_version", out.from_version}, {"binary_version", latest}});
    return out;
  }
  for (auto& m : db::embedded_migrations()) {
    if (m.version <= out.from_version) continue;
    if (auto r = conn.exec(m.sql); !r.ok) return fail(std::string("migration ") + m.name, r);
    auto rec = conn.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                                {std::to_string(m.version), std::string(m.name)});
    if (!rec.ok) return fail(std::string("record migration ") + m.name, rec);
    ++out.applied;
  }
  if (auto r = conn.exec("COMMIT"); !r.ok) return fail("commit", r);
  out.status = migration_outcome::kind::ok;
  out.to_version = std::max(out.from_version, latest);
  log::info("persistence.migrated", {{"from_version", out.from_version},
                                     {"to_version", out.to_version},
                                     {"applied", out.applied}});
  return out;
}

}  // namespace coder::persistence
