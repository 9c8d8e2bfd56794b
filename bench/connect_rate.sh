#!/usr/bin/env bash
# The connect-rate benchmark of issue 12 (not a test; docs/bench.md):
# net::Connect() chained on one loop against a blocking connect loop, with
# an A/A control, in one program (bench/connect_rate.cc). Loopback only.
#
#   bench/connect_rate.sh [--no-setup] [--no-build] [connect_rate options]
#
# connect_rate's options: --rounds R (default 20), --count N (connects per
# pass, default 2000), --max-seconds S (default 120); the defaults take
# about two seconds. Sets up and builds the release tree of bench/run.sh
# (build/bench) first (bench/run.sh --build-only; --no-setup and --no-build
# as there); pins the program to CPU 1 where taskset and two CPUs are there.
# The table goes to standard output and build/bench/connect_rate.md, the
# numbers to build/bench/connect_rate.json.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/bench"
setup=(); do_build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-setup) setup=(--no-setup) ;;
    --no-build) do_build=0 ;;
    *) break ;;
  esac
  shift
done
if [[ $do_build == 1 ]]; then
  "$root/bench/run.sh" --build-only "${setup[@]}"
fi
pin=()
if command -v taskset > /dev/null && [[ $(nproc) -ge 2 ]]; then
  pin=(taskset -c 1)
fi
"${pin[@]}" "$build/bench/connect_rate" --json "$build/connect_rate.json" "$@" |
  tee "$build/connect_rate.md"
