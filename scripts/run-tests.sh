#!/usr/bin/env bash
# Every test: the regular build (all suites), then the ASan+UBSan build (unit + integration),
# against one throwaway PostgreSQL cluster (or CODER_TEST_POSTGRES_URL when set).
# Ends with one line `N passed, M failed` (also written to build/test-summary.txt).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=${CODER_TEST_JOBS:-2}

pg_dir=""
if [[ -z "${CODER_TEST_POSTGRES_URL:-}" ]]; then
  pg_dir=$(mktemp -d /tmp/coder-test-pg.XXXXXX)
  if ! CODER_TEST_POSTGRES_URL=$(scripts/test-postgres.sh start "$pg_dir"); then
    echo "run-tests: could not start the throwaway PostgreSQL cluster" >&2
    echo "0 passed, 1 failed" | tee build/test-summary.txt
    exit 1
  fi
  export CODER_TEST_POSTGRES_URL
  trap 'scripts/test-postgres.sh stop "$pg_dir"' EXIT
fi
echo "run-tests: postgres at $CODER_TEST_POSTGRES_URL"

# Tools the tests drive for real; CI must have them (tests fail loudly, never skip, without).
for tool in terraform ssh; do
  command -v "$tool" >/dev/null || echo "run-tests: WARNING: '$tool' is missing; tests that need it will fail" >&2
done

export UBSAN_OPTIONS="suppressions=$root/tests/ubsan.supp:print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"

logs=()
meson test -C build --num-processes "$jobs" --print-errorlogs --no-rebuild
logs+=(build/meson-logs/testlog.json)

if [[ "${CODER_SKIP_SANITIZERS:-0}" != 1 ]]; then
  [[ -f build-asan/build.ninja ]] || meson setup build-asan -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debug >/dev/null
  # Only what the sanitized suites run: the provider's gRPC code is not rebuilt with ASan.
  targets=$(meson introspect --tests build-asan | python3 -c '
import json, os, sys
root = os.path.abspath("build-asan")
out = set()
for t in json.load(sys.stdin):
    suites = {s.split(":")[-1] for s in t["suite"]}  # "coder-node:unit" -> "unit"
    if {"unit", "integration"} & suites:
        out.add(os.path.relpath(t["cmd"][0], root))
print(" ".join(sorted(out)))')
  ninja -C build-asan -j "$jobs" $targets runtime/node/coder-node runtime/node/coder-node.stamp >build-asan.log 2>&1 || tail -50 build-asan.log
  meson test -C build-asan --num-processes "$jobs" --print-errorlogs --no-rebuild \
    --suite unit --suite integration
  logs+=(build-asan/meson-logs/testlog.json)
fi

python3 scripts/test-summary.py "${logs[@]}" | tee build/test-summary.txt
exit "${PIPESTATUS[0]}"
