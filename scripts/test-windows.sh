#!/usr/bin/env bash
# The Windows suite on this Linux machine, in one command: installs the
# mingw-w64 toolchain and wine (scripts/setup-debian.sh --windows), builds
# Abseil and OpenSSL for Windows from Debian's source packages (cached in
# build/deps-mingw/), then configures, builds and runs every test under wine
# (cmake --workflow --preset mingw-wine; build tree build/mingw-wine/).
# Prints the wall time. Runs as root or with sudo for the apt step.
#
#   bash scripts/test-windows.sh
#   bash scripts/test-windows.sh --shared [BUILD_DIR]
#
# --shared: instead of the whole suite, builds net.dll (BUILD_SHARED_LIBS=ON,
# tree BUILD_DIR, default build/mingw-wine-shared) and the suites that link
# it (docs/shipping.md), checks the DLL's exports (ci/check-exports.sh) and
# runs those suites under wine: shared_library_test (an absl::Status made in
# net.dll and destroyed in the program, callbacks run inside the DLL),
# tls_test and tls_fixture_test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shared=0
shared_dir=build/mingw-wine-shared
if [[ "${1:-}" == --shared ]]; then
  shared=1
  [[ -n "${2:-}" ]] && shared_dir="$2"
fi
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
    shared_suites=(shared_library_test tls_test tls_fixture_test)
    cmake -S . -B "$shared_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      -DNET_WERROR=ON -DNET_FAULT_INJECTION=ON -DBUILD_SHARED_LIBS=ON \
      -DNET_BUILD_EXAMPLES=OFF -DNET_BUILD_TOOLS=OFF \
      -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-mingw-w64.cmake" &&
    cmake --build "$shared_dir" -j 2 --target "${shared_suites[@]}" &&
    bash ci/check-exports.sh "$shared_dir/bin/net.dll" &&
    ctest --test-dir "$shared_dir" -j 2 --output-on-failure \
      -R "^(net_emulator_(start|stop)|($(IFS='|'; echo "${shared_suites[*]}")):)"
  else
    cmake --workflow --preset mingw-wine
  fi
} || status=$?

echo "test-windows.sh: $([[ $status == 0 ]] && echo passed || echo "FAILED ($status)") in $(elapsed) s wall time"
exit "$status"
