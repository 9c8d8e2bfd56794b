#!/usr/bin/env bash
# The event loop, listener and connection suites under ThreadSanitizer, on
# the Linux loop backends whose threads differ (epoll; io_uring, whose ring
# is enabled by the thread that first runs the loop; poll and select share
# epoll's core and only wake differently, and the dev and asan steps run
# them), and the TLS suite (one context handshaking on several threads at
# once), in one command.
#
# Debian's libabsl is not built with ThreadSanitizer: TSan cannot see
# absl::Mutex inside it and reports every access the mutex guards as a race.
# So the tsan preset builds Abseil from Debian's own source package, with
# the same flags (NET_ABSEIL_SOURCE_DIR; the sources are fetched and
# unpacked once by scripts/build-windows-deps.sh --abseil-only into
# build/deps-mingw/abseil, which the Windows build shares). Only the loop
# test executables are built. Prints the wall time.
#
#   bash scripts/test-tsan.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$SECONDS
bash scripts/setup-debian.sh --tsan
bash scripts/build-windows-deps.sh --abseil-only
cmake --preset tsan >/dev/null
cmake --build --preset tsan --target event_loop_test_epoll \
  event_loop_test_io_uring tls_test
# The preset sets TSAN_OPTIONS=halt_on_error=1: a race fails its test.
ctest --preset tsan -L event_loop -R '^event_loop_test\[(epoll|io_uring)\]'
ctest --preset tsan -R '^tls_test:'
echo "test-tsan.sh: passed in $((SECONDS - start)) s"
