#!/usr/bin/env bash
# `make bench` hook (scripts/bench.sh calls it with BUILD=<build dir>): prints the table row of
# terraform plan through terraform-provider-coder vs built-in terraform_data only.
# RUNS=<n> sets the number of measured plans per template (median reported).
set -euo pipefail
build=${BUILD:-build}
exec "$build/tests/provider/provider_plan_bench" \
  "$build/subprojects/terraform-provider-coder/src/terraform-provider-coder" "${RUNS:-9}"
