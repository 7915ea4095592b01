// What the persistence actor runs its batches on. The production implementation is one libpq
// connection in pipeline mode (make_pg_executor); the interface exists so that the actor's
// batching and reconnect protocol can be tested deterministically under CAF's test coordinator.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "actors/persistence/pg_connection.hpp"

namespace coder::persistence {

class batch_executor {
 public:
  virtual ~batch_executor() = default;
  // Runs every op (each its own transaction) and returns one outcome per op, in order. Blocks.
  virtual std::vector<pg_op_outcome> run(std::span<const pg_op> ops) = 0;
  // False once the connection is known to be lost.
  virtual bool connected() const = 0;
  // One attempt to connect again (and prepare statements). Blocks; nullopt on success.
  virtual std::optional<std::string> reconnect() = 0;
};

// Takes over a connected, migrated connection; prepares every statement of queries.hpp.
// Returns an error message when preparing fails.
std::optional<std::string> make_pg_executor(std::string conninfo,
                                            std::unique_ptr<pg_connection> conn,
                                            std::unique_ptr<batch_executor>& out);

// Connects with a bounded connect timeout (a URL's own connect_timeout wins).
std::variant<std::unique_ptr<pg_connection>, std::string> connect_with_timeout(
    const std::string& conninfo);

}  // namespace coder::persistence
