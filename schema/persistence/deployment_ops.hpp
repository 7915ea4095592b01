// Deployment-wide persistence operations and the actor's own statistics.
#pragma once

#include <cstdint>
#include <string>

#include "schema/reflect.hpp"

namespace coder::db {

// The deployment's uuid, created by the first migration. -> deployment_info
struct get_deployment_id {};
CODER_SCHEMA_EMPTY(get_deployment_id)

struct deployment_info {
  std::string deployment_id;
};
CODER_SCHEMA(deployment_info, deployment_id)

// Answered at once from the actor's counters (no database work). -> persistence_stats
struct get_persistence_stats {};
CODER_SCHEMA_EMPTY(get_persistence_stats)

struct persistence_stats {
  int64_t batches = 0;             // pipelines run
  int64_t ops = 0;                 // operations answered from a pipeline (any outcome)
  int64_t max_batch = 0;           // largest pipeline
  int64_t failed_unavailable = 0;  // ops answered `unavailable`
  int64_t reconnects = 0;          // successful reconnects after a lost connection
  bool connected = false;
};
CODER_SCHEMA(persistence_stats, batches, ops, max_batch, failed_unavailable, reconnects, connected)

}  // namespace coder::db
