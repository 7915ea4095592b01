#include "actors/persistence/batch_executor.hpp"

#include "actors/persistence/queries.hpp"
#include "runtime/log/log.hpp"

namespace coder::persistence {
namespace {

class pg_executor final : public batch_executor {
 public:
  pg_executor(std::string conninfo, std::unique_ptr<pg_connection> conn)
      : conninfo_(std::move(conninfo)), conn_(std::move(conn)) {}

  std::optional<std::string> prepare() {
    // The actor's thread blocks while a batch runs: a statement stuck behind another node's lock
    // must fail (as `unavailable`) rather than stall every request behind it.
    if (auto r = conn_->exec("SET statement_timeout = '30s'"); !r.ok)
      return "set statement_timeout: " + r.error.message;
    return conn_->prepare_all(sql::all_statements());
  }

  std::vector<pg_op_outcome> run(std::span<const pg_op> ops) override {
    return conn_->run_pipeline(ops);
  }

  bool connected() const override { return conn_ && conn_->healthy(); }

  std::optional<std::string> reconnect() override {
    conn_.reset();
    auto c = connect_with_timeout(conninfo_);
    if (auto* err = std::get_if<std::string>(&c)) return *err;
    conn_ = std::move(std::get<std::unique_ptr<pg_connection>>(c));
    if (auto err = prepare()) {
      conn_.reset();
      return err;
    }
    return std::nullopt;
  }

 private:
  std::string conninfo_;
  std::unique_ptr<pg_connection> conn_;
};

}  // namespace

std::variant<std::unique_ptr<pg_connection>, std::string> connect_with_timeout(
    const std::string& conninfo) {
  // A key=value prefix is overridden by the same key inside conninfo: see pg_connection.cpp.
  return pg_connection::connect(conninfo, {{"connect_timeout", "10"}});
}

std::optional<std::string> make_pg_executor(std::string conninfo,
                                            std::unique_ptr<pg_connection> conn,
                                            std::unique_ptr<batch_executor>& out) {
  auto exec = std::make_unique<pg_executor>(std::move(conninfo), std::move(conn));
  if (auto err = exec->prepare()) return err;
  out = std::move(exec);
  return std::nullopt;
}

}  // namespace coder::persistence
