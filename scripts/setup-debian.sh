#!/usr/bin/env bash
# Installs what building and testing net needs on Debian 12, as root.
# Idempotent: packages already present are not fetched again.
#
#   scripts/setup-debian.sh            Linux build and tests
#   scripts/setup-debian.sh --windows  also the mingw-w64 cross toolchain,
#                                      wine, and Debian's source packages
#                                      tooling (for the Windows build)
#   scripts/setup-debian.sh --tsan     also what unpacks Debian's Abseil
#                                      sources (scripts/test-tsan.sh)
#   scripts/setup-debian.sh --bench    also libevent, Asio, libuv and POCO
#                                      (the comparison servers of bench/;
#                                      their OpenSSL parts for the TLS ones;
#                                      POCO's Net for bench/server_poco),
#                                      taskset (util-linux) to pin them and
#                                      the openssl command (bench/tls_run.sh
#                                      makes its test certificates with it)
#   scripts/setup-debian.sh --fuzz     also libFuzzer (clang's runtime;
#                                      scripts/fuzz.sh, the fuzz preset)
#   scripts/setup-debian.sh --valgrind also valgrind
#                                      (scripts/test-valgrind.sh)
#   scripts/setup-debian.sh --docs     also doxygen (the API reference,
#                                      scripts/build-docs.sh)
#   scripts/setup-debian.sh --deb      also dpkg-dev and debhelper (the
#                                      Debian package: scripts/build-deb.sh,
#                                      ci/check-deb.sh)
set -euo pipefail

want_windows=0
want_bench=0
want_tsan=0
want_fuzz=0
want_valgrind=0
want_docs=0
want_deb=0
for arg in "$@"; do
  case "$arg" in
    --windows) want_windows=1 ;;
    --bench) want_bench=1 ;;
    --tsan) want_tsan=1 ;;
    --fuzz) want_fuzz=1 ;;
    --valgrind) want_valgrind=1 ;;
    --docs) want_docs=1 ;;
    --deb) want_deb=1 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "setup-debian.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential g++ clang cmake ninja-build pkg-config git
  libabsl-dev libssl-dev doctest-dev
  iptables iproute2 libsctp-dev python3
)
if [[ $want_windows == 1 ]]; then
  packages+=(g++-mingw-w64-x86-64-posix wine wine64 dpkg-dev xz-utils)
fi
if [[ $want_tsan == 1 ]]; then
  packages+=(dpkg-dev xz-utils)
fi
if [[ $want_fuzz == 1 ]]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi
if [[ $want_valgrind == 1 ]]; then
  packages+=(valgrind)
fi
if [[ $want_deb == 1 ]]; then
  packages+=(dpkg-dev debhelper)
fi
if [[ $want_docs == 1 ]]; then
  packages+=(doxygen)
fi
if [[ $want_bench == 1 ]]; then
  packages+=(libevent-dev libasio-dev libuv1-dev libpoco-dev util-linux
    openssl liburing-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -gt 0 ]]; then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "setup-debian.sh: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup-debian.sh: ready"
