#!/usr/bin/env bash
# Installs what coder-node needs and is missing: the Debian packages in scripts/apt-packages.txt
# and the dashboard's npm packages from site/package-lock.json. Idempotent: a second run is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

wanted=$(grep -v '^\s*#' scripts/apt-packages.txt | grep -v '^\s*$' | tr '\n' ' ')
missing=()
for pkg in $wanted; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} Debian package(s): ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ -f site/package-lock.json ]]; then
  if [[ ! -d site/node_modules ]] || [[ site/package-lock.json -nt site/node_modules/.package-lock.json ]]; then
    echo "setup: installing the dashboard's npm packages (npm ci)"
    (cd site && npm ci --no-audit --no-fund)
  fi
fi
