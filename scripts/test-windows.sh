#!/usr/bin/env bash
# The Windows suite on this Linux machine, in one command: installs the
# mingw-w64 toolchain and wine (scripts/setup-debian.sh --windows), builds
# Abseil and OpenSSL for Windows from Debian's source packages (cached in
# build/deps-mingw/), then configures, builds and runs every test under wine
# (cmake --workflow --preset mingw-wine; build tree build/mingw-wine/).
# Prints the wall time. Runs as root or with sudo for the apt step.
#
#   bash scripts/test-windows.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$(date +%s%N)
elapsed() {
  local ds=$(( ($(date +%s%N) - start) / 100000000 ))
  echo "$((ds / 10)).$((ds % 10))"
}

status=0
{
  bash scripts/setup-debian.sh --windows &&
  bash scripts/build-windows-deps.sh &&
  echo "test-windows.sh: dependencies ready after $(elapsed) s" &&
  cmake --workflow --preset mingw-wine
} || status=$?

echo "test-windows.sh: $([[ $status == 0 ]] && echo passed || echo "FAILED ($status)") in $(elapsed) s wall time"
exit "$status"
