// The libpq wrapper: one connection, text-format parameters and results, and pipeline mode for
// running many operations per round trip. libpq's own header stays in the .cpp; the rest of the
// code sees only these plain types. Used by the persistence actor, its migrator and test tools.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

struct pg_conn;

namespace coder::persistence {

using pg_param = std::optional<std::string>;  // nullopt = SQL NULL
using pg_row = std::vector<std::optional<std::string>>;

struct pg_error {
  std::string sqlstate;    // e.g. "23505"; empty when the connection itself failed
  std::string message;     // PostgreSQL's primary message
  std::string constraint;  // the violated constraint or unique index, when there is one
};

// The outcome of one statement.
struct pg_result {
  bool ok = false;
  pg_error error;
  std::vector<pg_row> rows;
  int64_t affected = 0;  // rows inserted/updated/deleted (PQcmdTuples)
};

// A prepared statement, by name, with its parameters.
struct pg_call {
  const char* statement = nullptr;
  std::vector<pg_param> params;
};

// One operation = one transaction: its calls run in order between two pipeline syncs, so they
// commit together and a failure aborts only this operation.
struct pg_op {
  std::vector<pg_call> calls;
};

struct pg_op_outcome {
  enum class kind { ok, failed, unavailable };
  kind status = kind::unavailable;
  std::vector<pg_result> results;  // one per call when ok
  pg_error error;                  // the first failing call's error when failed / unavailable
};

struct pg_statement {
  const char* name;
  const char* sql;
};

class pg_connection {
 public:
  // Blocks until connected (or failed). conninfo: a libpq URL or key=value string; `defaults`
  // apply unless conninfo sets the same keyword.
  static std::variant<std::unique_ptr<pg_connection>, std::string> connect(
      const std::string& conninfo,
      const std::vector<std::pair<std::string, std::string>>& defaults = {});
  ~pg_connection();
  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;

  bool healthy() const;
  int backend_pid() const;

  // Simple-query protocol: `sql` may hold several statements (migrations, admin commands). The
  // last statement's rows are returned.
  pg_result exec(const std::string& sql);
  // One parameterised statement, unprepared.
  pg_result exec_params(const std::string& sql, const std::vector<pg_param>& params);
  // Prepares every statement; returns an error message on the first failure.
  std::optional<std::string> prepare_all(std::span<const pg_statement> statements);

  // Runs every op in one pipeline (interleaving sends and reads, so a large batch cannot
  // deadlock on full socket buffers). When the connection breaks, ops whose sync was not seen
  // are reported `unavailable` and healthy() turns false.
  std::vector<pg_op_outcome> run_pipeline(std::span<const pg_op> ops);

 private:
  explicit pg_connection(pg_conn* c) : conn_(c) {}
  pg_conn* conn_;
};

// Encodes a one-dimensional text[] literal, quoting every element ({"a","b\"c"}).
std::string encode_text_array(const std::vector<std::string>& items);
// Decodes PostgreSQL's text output of a one-dimensional text[] ({a,"b c",NULL} -> NULL skipped).
std::vector<std::string> decode_text_array(const std::string& literal);

// `conninfo` with its database replaced by `dbname`, as a key=value connection string.
std::optional<std::string> with_database(const std::string& conninfo, const std::string& dbname);

}  // namespace coder::persistence
