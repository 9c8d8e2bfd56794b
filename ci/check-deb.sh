#!/usr/bin/env bash
# Copyright 2026 The net Authors.
#
# ci/check-deb.sh [--debs DIR] [--keep] [WORKDIR]
#
# The install test of net's Debian packages (issue 16; docs/shipping.md,
# "Debian package"). Installs libnet0.1 and libnet-dev from DIR (default:
# builds them first with scripts/build-deb.sh into WORKDIR/debs) into a
# throwaway root: a private mount namespace (unshare -m) in which /usr, /etc
# and /var are overlays whose writes land in WORKDIR, so the host stays as it
# was. There, with no prefix path of any kind, it:
#
#   1. checks the root was clean (no net.pc, no CMake package of net);
#   2. installs the packages with dpkg -i; the package version's upstream
#      part is the project version of CMakeLists.txt;
#   3. checks `dpkg -L` lists the expected files: the headers, libnet.a,
#      the libnet.so link, the CMake package and net.pc in libnet-dev,
#      libnet.so.<SOVERSION> in libnet0.1;
#   4. builds tests/consumer/find_package (find_package(net), net::net) and
#      runs it: it binds 127.0.0.1:0 and loads the installed libnet.so;
#   5. runs ci/check-pkg-config.sh --system: the Makefile consumer with the
#      installed net.pc, shared and static.
#
# Needs root (mount namespaces, overlayfs) and what scripts/build-deb.sh
# needs. WORKDIR defaults to a fresh temporary directory, removed at the end
# unless --keep is given. Exit status: 0 when all holds.
set -euo pipefail

keep=0
work=""
debs=""
inside=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep) keep=1 ;;
    --debs) debs="${2:?--debs needs a directory}"; shift ;;
    --debs=*) debs="${1#--debs=}" ;;
    --inside) inside=1 ;;   # internal: the part run in the namespace
    -h|--help) sed -n '4,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-deb: unknown option '$1'" >&2; exit 2 ;;
    *) work="$1" ;;
  esac
  shift
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
step() { printf '\n== check-deb: %s\n' "$*"; }
fail() { echo "check-deb: FAILED: $*" >&2; exit 1; }
version="$(sed -n 's/^project(net VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
[[ -n "$version" ]] || fail "no project(net VERSION ...) in $root/CMakeLists.txt"
multiarch="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)"
libdir="/usr/lib/$multiarch"

# ---------------------------------------------------------------------------
# Inside the namespace: the overlays, the install and the consumers.
if [[ $inside == 1 ]]; then
  for dir in usr etc var; do
    mkdir -p "$work/overlay/$dir/upper" "$work/overlay/$dir/work"
    mount -t overlay "overlay-net-$dir" \
      -o "lowerdir=/$dir,upperdir=$work/overlay/$dir/upper,workdir=$work/overlay/$dir/work" \
      "/$dir" || fail "cannot mount an overlay on /$dir"
  done

  step "the root is clean"
  if pkg-config --exists net 2>/dev/null; then
    fail "pkg-config already finds net ($(pkg-config --path net)): not a clean root"
  fi
  [[ ! -e "$libdir/cmake/net" ]] || fail "$libdir/cmake/net exists before the install"
  if dpkg-query -W -f='${Status}' libnet1-dev 2>/dev/null | grep -q 'install ok installed'; then
    fail "libnet1-dev is installed here; libnet-dev conflicts with it"
  fi

  step "dpkg -i $(cd "$debs" && echo libnet0.1_*.deb libnet-dev_*.deb)"
  shlib_deb="$(ls "$debs"/libnet0.1_*.deb)"
  dev_deb="$(ls "$debs"/libnet-dev_*.deb)"
  for deb in "$shlib_deb" "$dev_deb"; do
    deb_version="$(dpkg-deb -f "$deb" Version)"
    [[ "${deb_version%-*}" == "$version" ]] ||
      fail "$(basename "$deb"): version $deb_version, the project is $version"
  done
  DEBIAN_FRONTEND=noninteractive dpkg -i "$shlib_deb" "$dev_deb" ||
    fail "dpkg -i failed (missing dependencies? scripts/setup-debian.sh installs them)"

  step "dpkg -L: the files of each package"
  expect_files() {
    local package="$1"; shift
    local listing
    listing="$(dpkg -L "$package")"
    for file in "$@"; do
      grep -qx -- "$file" <<< "$listing" || fail "dpkg -L $package has no $file"
      [[ -e "$file" ]] || fail "$file (of $package) is not installed"
    done
    echo "$package: $(grep -c . <<< "$listing") paths, the expected $# among them"
  }
  soversion="$(sed -n 's/^Package: libnet\(.*\)$/\1/p' "$root/debian/control" | grep -v '^-dev$')"
  expect_files "libnet$soversion" "$libdir/libnet.so.$soversion" "$libdir/libnet.so.$version"
  expect_files libnet-dev \
    /usr/include/net/net.h /usr/include/net/version.h /usr/include/net/export.h \
    "$libdir/libnet.a" "$libdir/libnet.so" \
    "$libdir/cmake/net/netConfig.cmake" "$libdir/cmake/net/netConfigVersion.cmake" \
    "$libdir/cmake/net/netTargets.cmake" "$libdir/pkgconfig/net.pc"
  [[ "$(readlink -f "$libdir/libnet.so")" == "$(readlink -f "$libdir/libnet.so.$soversion")" ]] ||
    fail "$libdir/libnet.so does not lead to libnet.so.$soversion"
  # The packaged library exports net:: and nothing else (Release build).
  bash "$root/ci/check-exports.sh" "$libdir/libnet.so.$soversion" ||
    fail "libnet.so.$soversion exports more than net::"
  if dpkg -L libnet-dev | grep -q 'libnet\.so\.'; then
    fail "libnet-dev ships a versioned shared object (it belongs to libnet$soversion)"
  fi

  step "find_package consumer against the installed package (no prefix path)"
  generator=()
  if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
  cmake -S "$root/tests/consumer/find_package" -B "$work/find_package" \
    ${generator[@]+"${generator[@]}"} -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$work/find_package"
  out="$("$work/find_package/consumer")" || fail "find_package consumer exited with $?"
  echo "$out"
  [[ "$out" =~ ^net\ consumer\ \(find_package\):\ bound\ 127\.0\.0\.1:[1-9][0-9]*$ ]] ||
    fail "find_package consumer: unexpected output '$out'"
  readelf -d "$work/find_package/consumer" | grep -q "NEEDED.*\[libnet\.so\.$soversion\]" ||
    fail "the find_package consumer does not load libnet.so.$soversion"
  echo "it loads libnet.so.$soversion"

  step "pkg-config consumer against the installed package"
  bash "$root/ci/check-pkg-config.sh" --system "$work/pkg-config"
  exit 0
fi

# ---------------------------------------------------------------------------
# Outside: the work directory, the packages, then the namespace.
[[ $(id -u) == 0 ]] || fail "needs root (a mount namespace with overlays on /usr, /etc, /var)"
if [[ -z "$work" ]]; then
  work="$(mktemp -d "${TMPDIR:-/tmp}/net-deb-check.XXXXXX")"
  if [[ $keep == 0 ]]; then trap 'rm -rf "$work"' EXIT; fi
fi
mkdir -p "$work"
work="$(cd "$work" && pwd)"
case "$work/" in
  /usr/*|/etc/*|/var/*) fail "WORKDIR $work lies under an overlaid directory" ;;
esac

if [[ -z "$debs" ]]; then
  step "build the packages (scripts/build-deb.sh)"
  bash "$root/scripts/build-deb.sh" --out "$work/debs"
  debs="$work/debs"
fi
debs="$(cd "$debs" && pwd)"
compgen -G "$debs/libnet-dev_*.deb" >/dev/null || fail "no libnet-dev_*.deb in $debs"

step "install test in a private mount namespace (the host is not touched)"
host_state() {
  dpkg-query -W -f='${Package} ${Status}\n' libnet-dev 'libnet0.*' 2>/dev/null || true
  ls -d "$libdir"/libnet.* "$libdir/pkgconfig/net.pc" "$libdir/cmake/net" 2>/dev/null || true
}
before="$(host_state)"
unshare -m --propagation private \
  bash "$0" --inside --debs "$debs" "$work" || fail "the install test failed"
[[ "$(host_state)" == "$before" ]] ||
  fail "the host changed: before '$before', after '$(host_state)'"
printf '\ncheck-deb: OK (libnet%s and libnet-dev %s installed in a throwaway root; find_package and pkg-config consumers)\n' \
  "$(sed -n 's/^Package: libnet\(.*\)$/\1/p' "$root/debian/control" | grep -v '^-dev$')" "$version"
