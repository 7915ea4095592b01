#include "actors/persistence/pg_connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>

#include "runtime/log/log.hpp"

namespace coder::persistence {
namespace {

pg_error error_of(PGconn* conn, const PGresult* r) {
  pg_error e;
  if (r) {
    if (auto* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) e.sqlstate = s;
    if (auto* m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)) e.message = m;
    if (auto* c = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME)) e.constraint = c;
  }
  if (e.message.empty()) {
    e.message = conn ? PQerrorMessage(conn) : "no connection";
    while (!e.message.empty() && (e.message.back() == '\n' || e.message.back() == ' '))
      e.message.pop_back();
  }
  return e;
}

// The server ends the session (admin terminate, shutdown, crash recovery) or the socket broke.
bool is_connection_error(const pg_error& e) {
  return e.sqlstate.empty() || e.sqlstate.rfind("08", 0) == 0 || e.sqlstate.rfind("57P", 0) == 0;
}

pg_result result_of(PGconn* conn, PGresult* r) {
  pg_result out;
  auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    out.error = error_of(conn, r);
    return out;
  }
  out.ok = true;
  int rows = PQntuples(r);
  int cols = PQnfields(r);
  out.rows.reserve(static_cast<size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    pg_row row;
    row.reserve(static_cast<size_t>(cols));
    for (int j = 0; j < cols; ++j) {
      if (PQgetisnull(r, i, j))
        row.emplace_back(std::nullopt);
      else
        row.emplace_back(
            std::string(PQgetvalue(r, i, j), static_cast<size_t>(PQgetlength(r, i, j))));
    }
    out.rows.push_back(std::move(row));
  }
  const char* affected = PQcmdTuples(r);
  if (affected && *affected) out.affected = std::stoll(affected);
  return out;
}

std::vector<const char*> c_params(const std::vector<pg_param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return values;
}

}  // namespace

std::variant<std::unique_ptr<pg_connection>, std::string> pg_connection::connect(
    const std::string& conninfo, const std::vector<std::pair<std::string, std::string>>& defaults) {
  // libpq processes keywords in order and expands the `dbname` entry holding conninfo, so
  // whatever conninfo sets overrides the defaults placed before it.
  std::vector<const char*> keys;
  std::vector<const char*> values;
  for (auto& [k, v] : defaults) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back("dbname");
  values.push_back(conninfo.c_str());
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* c = PQconnectdbParams(keys.data(), values.data(), 1);
  if (!c) return std::string("out of memory");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    PQfinish(c);
    return msg;
  }
  // NOTICEs ("relation already exists, skipping") would go to stderr unstructured.
  PQsetNoticeProcessor(
      c,
      [](void*, const char* message) {
        log::debug("pg.notice", {{"message", message}});
      },
      nullptr);
  // Timestamps cross the actor boundary as UTC strings; pin the session so that no server
  // default changes what now() prints.
  PGresult* r = PQexec(c, "SET TIME ZONE 'UTC'");
  PQclear(r);
  return std::unique_ptr<pg_connection>(new pg_connection(c));
}

pg_connection::~pg_connection() {
  PQfinish(conn_);
}

bool pg_connection::healthy() const {
  return PQstatus(conn_) == CONNECTION_OK;
}

int pg_connection::backend_pid() const {
  return PQbackendPID(conn_);
}

pg_result pg_connection::exec(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  auto out = result_of(conn_, r);
  PQclear(r);
  return out;
}

pg_result pg_connection::exec_params(const std::string& sql, const std::vector<pg_param>& params) {
  auto values = c_params(params);
  PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, 0);
  auto out = result_of(conn_, r);
  PQclear(r);
  return out;
}

std::optional<std::string> pg_connection::prepare_all(std::span<const pg_statement> statements) {
  for (auto& s : statements) {
    PGresult* r = PQprepare(conn_, s.name, s.sql, 0, nullptr);
    auto out = result_of(conn_, r);
    PQclear(r);
    if (!out.ok) return std::string("prepare ") + s.name + ": " + out.error.message;
  }
  return std::nullopt;
}

std::vector<pg_op_outcome> pg_connection::run_pipeline(std::span<const pg_op> ops) {
  std::vector<pg_op_outcome> out(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) out[i].results.resize(ops[i].calls.size());
  auto lose_rest = [&](size_t from, const pg_error& why) {
    for (size_t i = from; i < ops.size(); ++i) {
      out[i].status = pg_op_outcome::kind::unavailable;
      out[i].error = why;
    }
    return out;
  };
  if (ops.empty()) return out;
  if (PQstatus(conn_) != CONNECTION_OK || PQsetnonblocking(conn_, 1) != 0 ||
      PQenterPipelineMode(conn_) != 1)
    return lose_rest(0, error_of(conn_, nullptr));

  // Queue everything; libpq buffers in non-blocking mode and the loop below flushes while it
  // reads, so neither side can stall on a full socket buffer.
  for (auto& op : ops) {
    for (auto& call : op.calls) {
      auto values = c_params(call.params);
      if (PQsendQueryPrepared(conn_, call.statement, static_cast<int>(values.size()), values.data(),
                              nullptr, nullptr, 0) != 1)
        return lose_rest(0, error_of(conn_, nullptr));
    }
    if (PQpipelineSync(conn_) != 1) return lose_rest(0, error_of(conn_, nullptr));
  }

  size_t op_i = 0;
  size_t call_j = 0;
  bool op_failed = false;
  int sock = PQsocket(conn_);
  while (op_i < ops.size()) {
    int flush = PQflush(conn_);
    if (flush < 0) return lose_rest(op_i, error_of(conn_, nullptr));
    int nulls = 0;
    while (op_i < ops.size() && !PQisBusy(conn_)) {
      PGresult* r = PQgetResult(conn_);
      if (!r) {
        // A NULL ends each statement's results; two in a row mean nothing more is buffered.
        if (++nulls > 1) break;
        continue;
      }
      nulls = 0;
      auto status = PQresultStatus(r);
      if (status == PGRES_PIPELINE_SYNC) {
        if (!op_failed) out[op_i].status = pg_op_outcome::kind::ok;
        ++op_i;
        call_j = 0;
        op_failed = false;
      } else if (status == PGRES_PIPELINE_ABORTED) {
        ++call_j;  // skipped because an earlier call of this op failed
      } else {
        auto res = result_of(conn_, r);
        if (!res.ok && !op_failed) {
          op_failed = true;
          out[op_i].status = is_connection_error(res.error) ? pg_op_outcome::kind::unavailable
                                                            : pg_op_outcome::kind::failed;
          out[op_i].error = res.error;
        }
        if (call_j < out[op_i].results.size()) out[op_i].results[call_j] = std::move(res);
        ++call_j;
      }
      PQclear(r);
    }
    if (op_i == ops.size()) break;
    if (PQstatus(conn_) != CONNECTION_OK) return lose_rest(op_i, error_of(conn_, nullptr));
    pollfd pfd{sock, static_cast<short>(POLLIN | (flush == 1 ? POLLOUT : 0)), 0};
    int rc = poll(&pfd, 1, -1);
    if (rc < 0 && errno != EINTR) return lose_rest(op_i, pg_error{"", "poll failed", ""});
    if (rc > 0 && (pfd.revents & (POLLIN | POLLHUP | POLLERR)) && PQconsumeInput(conn_) != 1)
      return lose_rest(op_i, error_of(conn_, nullptr));
  }
  // An op whose statement reported a connection error has no trustworthy outcome even if its
  // sync arrived; the connection is gone either way.
  if (PQstatus(conn_) != CONNECTION_OK) return out;
  PQexitPipelineMode(conn_);
  PQsetnonblocking(conn_, 0);
  return out;
}

std::string encode_text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::vector<std::string> decode_text_array(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  if (i < s.size() && s[i] == '{') ++i;
  while (i < s.size() && s[i] != '}') {
    std::string item;
    bool quoted = false;
    if (s[i] == '"') {
      quoted = true;
      ++i;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        item += s[i++];
      }
      ++i;  // closing quote
    } else {
      while (i < s.size() && s[i] != ',' && s[i] != '}') item += s[i++];
    }
    if (quoted || item != "NULL") out.push_back(std::move(item));
    if (i < s.size() && s[i] == ',') ++i;
  }
  return out;
}

std::optional<std::string> with_database(const std::string& conninfo, const std::string& dbname) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (!opts) {
    PQfreemem(err);
    return std::nullopt;
  }
  auto quote = [](const std::string& v) {
    std::string q = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') q += '\\';
      q += c;
    }
    return q + "'";
  };
  std::string out;
  for (auto* o = opts; o->keyword; ++o) {
    if (!o->val || std::string(o->keyword) == "dbname") continue;
    out += std::string(o->keyword) + "=" + quote(o->val) + " ";
  }
  PQconninfoFree(opts);
  return out + "dbname=" + quote(dbname);
}

}  // namespace coder::persistence
