#!/usr/bin/env bash
# Copyright 2026 The net Authors.
#
# ci/check-consumers.sh [--keep] [--skip-shared-install] [WORKDIR]
#
# Proves that net is usable the ways a user takes it (issue 2, "Build and
# layout"; issue 16, static and shared):
#
#   1. find_package, static: configures net with tests, tools and examples
#      off, builds it, `cmake --install`s it into WORKDIR/prefix, then builds
#      tests/consumer/find_package against that prefix
#      (find_package(net 0.1 REQUIRED), target net::net) and runs it.
#   2. find_package, shared: the same with BUILD_SHARED_LIBS=ON into
#      WORKDIR/prefix-shared; checks the installed library's SONAME link and
#      its exports (ci/check-exports.sh), that the consumer loads that
#      library (its build RPATH points into the prefix), and runs it.
#   3. add_subdirectory, shared: builds tests/consumer/add_subdirectory, which
#      vendors this checkout with add_subdirectory() (BUILD_SHARED_LIBS=ON),
#      and runs it. (The static add_subdirectory build is what the rest of
#      CI builds all the time.)
#   4. pkg-config: ci/check-pkg-config.sh, the plain Makefile consumer built
#      with only `pkg-config --cflags --libs net`, against each install.
#
# --skip-shared-install leaves out 2 and its pkg-config run: .ci/run passes
# it because ci/check-deb.sh builds the same consumers against the shared
# library of the installed Debian package (and checks its exports), which
# saves one build of net.
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
# Exit status: 0 when every consumer builds and runs; 1 otherwise.
set -euo pipefail

keep=0
skip_shared_install=0
work=""
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    --skip-shared-install) skip_shared_install=1 ;;
    -h|--help) sed -n '4,42p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# install_net NAME SHARED: builds net (library only) and installs it into
# $work/NAME.
install_net() {
  local name="$1" shared="$2" prefix="$work/$1"
  step "install net into $prefix (BUILD_SHARED_LIBS=$shared; tests, tools, examples off)"
  cmake -S "$root" -B "$work/$name-build" ${generator[@]+"${generator[@]}"} ${extra[@]+"${extra[@]}"} \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS="$shared" \
    -DNET_BUILD_TESTS=OFF -DNET_BUILD_TOOLS=OFF -DNET_BUILD_EXAMPLES=OFF \
    -DCMAKE_INSTALL_PREFIX="$prefix"
  cmake --build "$work/$name-build" -j "$jobs"
  cmake --install "$work/$name-build"
  [[ -n "$(find "$prefix" -name netConfig.cmake)" ]] ||
    fail "install: no netConfig.cmake under $prefix"
  [[ -n "$(find "$prefix" -name netConfigVersion.cmake)" ]] ||
    fail "install: no netConfigVersion.cmake under $prefix"
  [[ -f "$prefix/include/net/net.h" ]] ||
    fail "install: no include/net/net.h under $prefix"
}

# build_find_package BUILD PREFIX: the find_package consumer against PREFIX.
build_find_package() {
  cmake -S "$root/tests/consumer/find_package" -B "$work/$1" \
    ${generator[@]+"${generator[@]}"} ${extra[@]+"${extra[@]}"} -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$2"
  cmake --build "$work/$1" -j "$jobs"
}

# The ELF checks of a shared build (skipped for other targets, e.g. mingw).
elf=0
if [[ -z "${NET_CONSUMER_CMAKE_ARGS:-}" && "$(uname -s)" != Darwin ]] &&
   command -v readelf >/dev/null 2>&1; then
  elf=1
fi

install_net prefix OFF
step "find_package consumer (static)"
build_find_package find_package "$work/prefix"
if (( elf )) && readelf -d "$work/find_package/consumer" | grep -q 'libnet\.so'; then
  fail "find_package (static): the consumer needs a libnet.so"
fi
run_consumer find_package "$work/find_package/consumer"

if (( skip_shared_install )); then
  step "find_package consumer (shared): skipped (--skip-shared-install; ci/check-deb.sh builds it against the installed package)"
else
install_net prefix-shared ON
step "find_package consumer (shared)"
build_find_package find_package-shared "$work/prefix-shared"
if (( elf )); then
  lib="$(find "$work/prefix-shared" -name 'libnet.so.*.*.*' | head -n 1)"
  [[ -n "$lib" ]] || fail "install (shared): no libnet.so.X.Y.Z under $work/prefix-shared"
  soname="$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
  [[ "$soname" =~ ^libnet\.so\.[0-9]+(\.[0-9]+)?$ ]] ||
    fail "install (shared): $lib has SONAME '$soname'"
  [[ -L "$(dirname "$lib")/$soname" && -L "$(dirname "$lib")/libnet.so" ]] ||
    fail "install (shared): no $soname and libnet.so links next to $lib"
  "$root/ci/check-exports.sh" "$lib" || fail "install (shared): exports"
  readelf -d "$work/find_package-shared/consumer" | grep -q "\[$soname\]" ||
    fail "find_package (shared): the consumer does not need $soname"
  loaded="$(ldd "$work/find_package-shared/consumer" | awk -v s="$soname" '$1 == s { print $3 }')"
  [[ "$loaded" == "$work/prefix-shared/"* ]] ||
    fail "find_package (shared): the consumer loads '$loaded', not the installed library"
fi
run_consumer find_package "$work/find_package-shared/consumer"
fi

step "add_subdirectory consumer (BUILD_SHARED_LIBS=ON)"
cmake -S "$root/tests/consumer/add_subdirectory" -B "$work/add_subdirectory" \
  ${generator[@]+"${generator[@]}"} ${extra[@]+"${extra[@]}"} -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=ON -DNET_SOURCE_DIR="$root"
cmake --build "$work/add_subdirectory" -j "$jobs"
if (( elf )); then
  readelf -d "$work/add_subdirectory/consumer" | grep -q 'libnet\.so' ||
    fail "add_subdirectory (shared): the consumer does not need libnet.so"
fi
run_consumer add_subdirectory "$work/add_subdirectory/consumer"

# pkg-config (ci/check-pkg-config.sh): the Makefile consumer against both
# installs, with nothing but `pkg-config --cflags --libs net`.
if [[ -z "${NET_CONSUMER_CMAKE_ARGS:-}" ]] && command -v pkg-config >/dev/null 2>&1; then
  for p in prefix prefix-shared; do
    [[ -d "$work/$p" ]] || continue
    step "pkg-config consumer against $work/$p"
    bash "$root/ci/check-pkg-config.sh" --prefix "$work/$p" "$work/pkg-config-$p" ||
      fail "pkg-config consumer against $work/$p"
  done
fi

printf '\ncheck-consumers: OK (find_package static and shared, add_subdirectory shared)\n'
