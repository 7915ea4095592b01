#!/usr/bin/env bash
# make bench: tables whose baselines are measured in the same run on the same machine.
#  1. HTTP: authenticated GET /api/v2/users/me vs GET /healthz, 64 keep-alive connections, wrk
#     in a separate process.
#  2. Persistence: 100k inserts, one message each awaited vs all in flight (mailbox batching).
#  3. Terraform: `terraform plan` with our provider vs built-in resources only.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
duration=${BENCH_SECONDS:-10}

work=$(mktemp -d /tmp/coder-bench.XXXXXX)
chmod 0755 "$work"  # the PostgreSQL cluster inside runs as the postgres user when we are root
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  scripts/test-postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

url=$(scripts/test-postgres.sh start "$work/pg")
export CODER_TEST_POSTGRES_URL=$url

"$build/coder-node" server --http-address 127.0.0.1:0 --postgres-url "$url" \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 300); do
  grep -q "listening on" "$work/server.out" 2>/dev/null && break
  sleep 0.1
done
port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/server.out")
[[ -n "$port" ]] || { cat "$work/server.log"; exit 1; }
base="http://127.0.0.1:$port"
curl -sf -X POST "$base/api/v2/users/first" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","username":"bench","password":"bench-password-123"}' >/dev/null
token=$(curl -sf -X POST "$base/api/v2/users/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password-123"}' |
  sed -n 's/.*"session_token":"\([^"]*\)".*/\1/p')

run_wrk() {  # name, path, extra header
  local out
  out=$(wrk -t2 -c64 -d"${duration}s" --latency ${3:+-H "$3"} "$base$2")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '| %-34s | %12s | %8s | %8s | %8s |\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

echo
echo "## HTTP (wrk, 2 threads, 64 keep-alive connections, ${duration}s each, $(nproc) cores shared with the server)"
echo
printf '| %-34s | %12s | %8s | %8s | %8s |\n' "endpoint" "requests/s" "p50" "p99" "non-2xx"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------------" "--------------" "----------" "----------" "----------"
run_wrk "GET /healthz (baseline)" /healthz
run_wrk "GET /api/v2/users/me (authenticated)" /api/v2/users/me "Coder-Session-Token: $token"

kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

if [[ -x "$build/tests/bench/persistence_bench" ]]; then
  echo
  echo "## Persistence (100k inserts through the persistence actor)"
  echo
  "$build/tests/bench/persistence_bench"
fi

if [[ -x tests/provider/bench.sh ]]; then
  echo
  echo "## Terraform plan overhead of terraform-provider-coder"
  echo
  BUILD=$build tests/provider/bench.sh
fi
