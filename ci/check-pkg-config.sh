#!/usr/bin/env bash
# Copyright 2026 The net Authors.
#
# ci/check-pkg-config.sh [--prefix DIR | --system] [--keep] [WORKDIR]
#
# Proves that an installed net is usable through pkg-config alone (issue 16):
# builds tests/consumer/pkg-config/Makefile, a plain Makefile consumer whose
# flags come only from `pkg-config --cflags --libs net`, and runs it.
#
#   --prefix DIR  the net installed under DIR (`cmake --install`); the script
#                 points PKG_CONFIG_PATH at DIR's net.pc
#   --system      the net pkg-config finds by itself (the Debian package,
#                 ci/check-deb.sh)
#   (neither)     first builds net (Release, static, tests/tools/examples
#                 off) and installs it into WORKDIR/prefix
#
# Checks:
#   1. `pkg-config --modversion net` is the project version of CMakeLists.txt.
#   2. The consumer builds with strict warnings as errors and prints
#      "net consumer (pkg-config): bound 127.0.0.1:<port>"; version.cc
#      prints the version of the library it runs with, the same one.
#   3. Shared library installed (libnet.so): the consumer loads it (NEEDED).
#      Static library installed (libnet.a): a second build links it by path
#      with `pkg-config --static --libs net` for the rest, and needs no
#      libnet.so at run time.
#
# WORKDIR defaults to a fresh temporary directory, removed at the end unless
# --keep is given. CXX picks the compiler. Exit status: 0 when all holds.
set -euo pipefail

keep=0
work=""
mode=build
prefix=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep) keep=1 ;;
    --system) mode=system ;;
    --prefix) mode=prefix; prefix="${2:?--prefix needs a directory}"; shift ;;
    --prefix=*) mode=prefix; prefix="${1#--prefix=}" ;;
    -h|--help) sed -n '4,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-pkg-config: unknown option '$1'" >&2; exit 2 ;;
    *) work="$1" ;;
  esac
  shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "$work" ]]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/net-pkg-config.XXXXXX")"
  if [[ $keep == 0 ]]; then trap 'rm -rf "$work"' EXIT; fi
fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"
jobs="$( (nproc || sysctl -n hw.ncpu) 2>/dev/null || echo 2)"

step() { printf '\n== check-pkg-config: %s\n' "$*"; }
fail() { echo "check-pkg-config: FAILED: $*" >&2; exit 1; }

version="$(sed -n 's/^project(net VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
[[ -n "$version" ]] || fail "no project(net VERSION ...) in $root/CMakeLists.txt"

if [[ $mode == build ]]; then
  step "install net into $work/prefix (static, Release, tests, tools, examples off)"
  generator=()
  if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
  cmake -S "$root" -B "$work/net-build" ${generator[@]+"${generator[@]}"} \
    -DCMAKE_BUILD_TYPE=Release \
    -DNET_BUILD_TESTS=OFF -DNET_BUILD_TOOLS=OFF -DNET_BUILD_EXAMPLES=OFF \
    -DCMAKE_INSTALL_PREFIX="$work/prefix" >/dev/null
  cmake --build "$work/net-build" -j "$jobs"
  cmake --install "$work/net-build" >/dev/null
  mode=prefix
  prefix="$work/prefix"
fi
if [[ $mode == prefix ]]; then
  prefix="$(cd "$prefix" && pwd)"
  pc="$(find "$prefix" -path '*/pkgconfig/net.pc' -print -quit)"
  [[ -n "$pc" ]] || fail "no pkgconfig/net.pc under $prefix"
  PKG_CONFIG_PATH="$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  export PKG_CONFIG_PATH
fi

step "net.pc: $(pkg-config --path net 2>/dev/null || echo none)"
pkg-config --exists --print-errors net || fail "pkg-config finds no net"
pc_version="$(pkg-config --modversion net)"
[[ "$pc_version" == "$version" ]] ||
  fail "pkg-config --modversion net is '$pc_version', CMakeLists.txt says '$version'"
echo "version $pc_version; cflags: $(pkg-config --cflags net)"
echo "libs: $(pkg-config --libs net)"
libdir="$(pkg-config --variable=libdir net)"
# A prefix of one's own is not on the loader's path: run as its user would.
if [[ $mode == prefix ]]; then
  export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

# run_consumer DIR: runs DIR/consumer and DIR/version and checks them.
run_consumer() {
  local dir="$1" out
  out="$("$dir/consumer")" || fail "$dir/consumer exited with $?"
  echo "$out"
  [[ "$out" =~ ^net\ consumer\ \(pkg-config\):\ bound\ 127\.0\.0\.1:[1-9][0-9]*$ ]] ||
    fail "$dir/consumer: unexpected output '$out'"
  out="$("$dir/version")" || fail "$dir/version exited with $?"
  [[ "$out" == "$version" ]] ||
    fail "$dir/version: the library says '$out', the project '$version'"
  echo "net::Version() $out"
}
# needed DIR: the libnet shared objects DIR/consumer needs.
needed() {
  { readelf -d "$1/consumer" 2>/dev/null || true; } |
    sed -n 's/.*(NEEDED).*\[\(libnet\.so[^]]*\)\].*/\1/p'
}

step "pkg-config consumer: \`pkg-config --cflags --libs net\`"
mkdir -p "$work/default"
make -s -f "$root/tests/consumer/pkg-config/Makefile" -j "$jobs" \
  BUILD_DIR="$work/default" || fail "the Makefile consumer did not build"
run_consumer "$work/default"
checked="default flags"

if compgen -G "$libdir/libnet.so*" >/dev/null; then
  so="$(needed "$work/default")"
  [[ -n "$so" ]] || fail "libnet.so is installed, but the consumer does not load it"
  loaded="$(ldd "$work/default/consumer" | awk -v s="$so" '$1 == s { print $3 }')"
  [[ "$(readlink -f "$loaded")" == "$(readlink -f "$libdir/$so")" ]] ||
    fail "the consumer loads '$loaded', not $libdir/$so"
  echo "the consumer loads $loaded"
  checked+=", libnet.so"
fi
if [[ -f "$libdir/libnet.a" ]]; then
  step "pkg-config consumer, static: $libdir/libnet.a and \`pkg-config --static --libs net\`"
  mkdir -p "$work/static"
  make -s -f "$root/tests/consumer/pkg-config/Makefile" -j "$jobs" \
    BUILD_DIR="$work/static" STATIC=1 LIBNET="$libdir/libnet.a" ||
    fail "the Makefile consumer did not build with libnet.a"
  [[ -z "$(needed "$work/static")" ]] ||
    fail "the static consumer still loads $(needed "$work/static")"
  run_consumer "$work/static"
  checked+=", libnet.a"
fi

printf '\ncheck-pkg-config: OK (%s)\n' "$checked"
