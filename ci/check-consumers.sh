#!/usr/bin/env bash
# Copyright 2026 The net Authors.
#
# ci/check-consumers.sh [--keep] [WORKDIR]
#
# Proves that net is usable the two ways a user takes it (issue 2, "Build and
# layout"):
#
#   1. find_package: configures net with tests, tools and examples off,
#      builds it, `cmake --install`s it into WORKDIR/prefix, then builds
#      tests/consumer/find_package against that prefix
#      (find_package(net 0.1 REQUIRED), target net::net) and runs it.
#   2. add_subdirectory: builds tests/consumer/add_subdirectory, which
#      vendors this checkout with add_subdirectory(), and runs it.
#
# Each consumer prints the 127.0.0.1:<port> address it bound, which is
# checked. Each also compiles tests/consumer/header_hygiene.cc: a translation
# unit that fails to build if <net/net.h> defines min/max (windows.h) or
# pulls in <sys/socket.h> and friends, and the consumers build with strict
# warnings as errors, so the public headers are warning-clean for users.
#
# WORKDIR defaults to a fresh temporary directory, removed at the end unless
# --keep is given. Environment:
#   CXX                      the compiler (CMake's usual variable)
#   NET_CONSUMER_CMAKE_ARGS  extra configure arguments for all three projects
#                            (e.g. "--toolchain cmake/mingw.cmake")
#   NET_CONSUMER_RUNNER      a program to run the consumers with (e.g. wine)
#
# Exit status: 0 when both consumers build and run; 1 otherwise.
set -euo pipefail

keep=0
work=""
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    -h|--help) sed -n '4,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-consumers: unknown option '$arg'" >&2; exit 2 ;;
    *) work="$arg" ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "$work" ]]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/net-consumers.XXXXXX")"
  if [[ $keep == 0 ]]; then trap 'rm -rf "$work"' EXIT; fi
fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"

generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
# Word splitting is the point: both variables hold argument lists.
read -r -a extra <<< "${NET_CONSUMER_CMAKE_ARGS:-}"
read -r -a runner <<< "${NET_CONSUMER_RUNNER:-}"
jobs="$( (nproc || sysctl -n hw.ncpu) 2>/dev/null || echo 2)"

step() { printf '\n== check-consumers: %s\n' "$*"; }
fail() { echo "check-consumers: FAILED: $*" >&2; exit 1; }

# run_consumer NAME BINARY: runs it and checks the address it printed.
run_consumer() {
  local name="$1" binary="$2" out
  [[ -x "$binary" || -x "$binary.exe" ]] || fail "$name: no binary $binary"
  [[ -x "$binary" ]] || binary="$binary.exe"
  out="$(${runner[@]+"${runner[@]}"} "$binary")" || fail "$name: $binary exited with $?"
  echo "$out"
  [[ "$out" =~ \(${name}\):\ bound\ 127\.0\.0\.1:[1-9][0-9]*$ ]] ||
    fail "$name: unexpected output '$out'"
}

step "install net into $work/prefix (tests, tools, examples off)"
cmake -S "$root" -B "$work/net-build" ${generator[@]+"${generator[@]}"} ${extra[@]+"${extra[@]}"} \
  -DCMAKE_BUILD_TYPE=Release \
  -DNET_BUILD_TESTS=OFF -DNET_BUILD_TOOLS=OFF -DNET_BUILD_EXAMPLES=OFF \
  -DCMAKE_INSTALL_PREFIX="$work/prefix"
cmake --build "$work/net-build" -j "$jobs"
cmake --install "$work/net-build"
[[ -n "$(find "$work/prefix" -name netConfig.cmake)" ]] ||
  fail "install: no netConfig.cmake under $work/prefix"
[[ -n "$(find "$work/prefix" -name netConfigVersion.cmake)" ]] ||
  fail "install: no netConfigVersion.cmake under $work/prefix"
[[ -f "$work/prefix/include/net/net.h" ]] ||
  fail "install: no include/net/net.h under $work/prefix"

step "find_package consumer"
cmake -S "$root/tests/consumer/find_package" -B "$work/find_package" \
  ${generator[@]+"${generator[@]}"} ${extra[@]+"${extra[@]}"} -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix"
cmake --build "$work/find_package" -j "$jobs"
run_consumer find_package "$work/find_package/consumer"

step "add_subdirectory consumer"
cmake -S "$root/tests/consumer/add_subdirectory" -B "$work/add_subdirectory" \
  ${generator[@]+"${generator[@]}"} ${extra[@]+"${extra[@]}"} -DCMAKE_BUILD_TYPE=Release \
  -DNET_SOURCE_DIR="$root"
cmake --build "$work/add_subdirectory" -j "$jobs"
run_consumer add_subdirectory "$work/add_subdirectory/consumer"

printf '\ncheck-consumers: OK (find_package and add_subdirectory)\n'
