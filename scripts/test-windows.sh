#!/usr/bin/env bash
# The Windows suite on this Linux machine, in one command: installs the
# mingw-w64 toolchain and wine (scripts/setup-debian.sh --windows), builds
# Abseil and OpenSSL for Windows from Debian's source packages (cached in
# build/deps-mingw/), then configures, builds and runs every test under wine
# (cmake --workflow --preset mingw-wine; build tree build/mingw-wine/).
# Prints the wall time. Runs as root or with sudo for the apt step.
#
#   bash scripts/test-windows.sh
#   bash scripts/test-windows.sh --shared
#
# --shared: the same whole suite against net.dll (cmake --workflow --preset
# mingw-wine-shared; build tree build/mingw-wine-shared/): the public-API
# suites (shared_library_test: an absl::Status made in net.dll and destroyed
# in the program, callbacks run inside the DLL; tls_test, ...), the examples
# and the tools link the DLL, the suites that reach internals link the same
# objects through net_internal (docs/shipping.md). The DLL's exports are
# checked first (ci/check-exports.sh). CI runs this one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shared=0
if [[ "${1:-}" == --shared ]]; then shared=1; fi
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
  if (( shared )); then
    cmake --preset mingw-wine-shared &&
    cmake --build --preset mingw-wine-shared &&
    bash ci/check-exports.sh build/mingw-wine-shared/bin/net.dll &&
    ctest --preset mingw-wine-shared
  else
    cmake --workflow --preset mingw-wine
  fi
} || status=$?

echo "test-windows.sh: $([[ $status == 0 ]] && echo passed || echo "FAILED ($status)") in $(elapsed) s wall time"
exit "$status"
