#!/usr/bin/env bash
# Builds net-probe (release preset) and runs it with the given arguments.
#   scripts/probe.sh            the readable report
#   scripts/probe.sh --json     the same for machines
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target net-probe >/dev/null
exec build/release/tools/net-probe "$@"
