#!/usr/bin/env bash
# Builds the dependencies of the Windows (mingw-w64) build from Debian's own
# source packages, into a cache under the build tree:
#
#   build/deps-mingw/abseil/    Abseil sources with Debian's patches applied
#                               (the CMake build adds them as a subdirectory,
#                               see cmake/deps-mingw.cmake)
#   build/deps-mingw/openssl/   OpenSSL 3.0 for x86_64-w64-mingw32, static
#
# Debian ships both only for Linux. Their source packages are fetched through
# apt with a private configuration (our own deb-src list, index and cache
# under build/deps-mingw/apt/), derived from the machine's Debian sources:
# same mirrors, suites and keys, nothing in /etc/apt is changed.
#
# Cached: once both are built, a second run does nothing (no network).
# Needs: scripts/setup-debian.sh --windows (mingw-w64 -posix, dpkg-dev).
#
# --abseil-only stops after the Abseil sources (no mingw needed): the tsan
# preset builds them with ThreadSanitizer too (scripts/test-tsan.sh).
#
#   scripts/build-windows-deps.sh [--deps-dir DIR] [--jobs N] [--abseil-only]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps="$root/build/deps-mingw"
jobs=2
abseil_only=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --abseil-only) abseil_only=1; shift ;;
    --deps-dir) deps=$(realpath -m "$2"); shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "build-windows-deps.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

host=x86_64-w64-mingw32
log() { echo "build-windows-deps.sh: $*"; }

if [[ -f "$deps/abseil/.net-ready" && -f "$deps/openssl/.net-ready" ]]; then
  log "cached in $deps ($(cat "$deps/abseil/.net-ready"), $(cat "$deps/openssl/.net-ready"))"
  exit 0
fi

for tool in "$host-gcc-posix" "$host-g++-posix" apt-get dpkg-source perl make; do
  command -v "$tool" >/dev/null ||
    { log "missing $tool: run scripts/setup-debian.sh --windows" >&2; exit 1; }
done
mkdir -p "$deps"

# --- deb-src entries derived from the machine's Debian sources ----------------

# Keeps the entries of this Debian release (suite "<codename>" or
# "<codename>-*"), so third-party repositories are left out; turns each into a
# deb-src entry with the same URIs, suites, components and keys.
write_deb_src() {
  local codename out=$1
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [[ -n $codename ]] || { log "no VERSION_CODENAME in /etc/os-release" >&2; exit 1; }
  : >"$out"
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    # One-line format: deb [options] uri suite components...
    awk -v cn="$codename" '
      $1 == "deb" {
        i = 2; opts = ""
        if ($2 ~ /^\[/) { while ($i !~ /\]$/) { opts = opts $i " "; i++ } opts = opts $i " "; i++ }
        uri = $i; suite = $(i + 1)
        if (suite != cn && index(suite, cn "-") != 1) next
        line = "deb-src " opts uri " " suite
        for (j = i + 2; j <= NF; j++) line = line " " $j
        print line
      }' "$f" >>"$out"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    # deb822 format: stanzas separated by blank lines.
    awk -v cn="$codename" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && keep) {
          print "Types: deb-src"; printf "%s", body; print ""
        }
        types = ""; body = ""; keep = 0; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        key = $1; sub(/:$/, "", key)
        if (key == "Types") { types = $0; sub(/^Types:[ \t]*/, "", types); next }
        if (key == "Enabled") { enabled = tolower($2) }
        if (key == "Suites") {
          for (j = 2; j <= NF; j++) if ($j == cn || index($j, cn "-") == 1) keep = 1
        }
        body = body $0 "\n"
      }
      END { flush() }' "$f" >>"$out.deb822"
  done
  if [[ -s "$out.deb822" ]]; then
    mkdir -p "$(dirname "$out")/sources.list.d"
    mv "$out.deb822" "$(dirname "$out")/sources.list.d/debian-src.sources"
  else
    rm -f "$out.deb822"
  fi
}

apt_dir="$deps/apt"
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "APT::Sandbox::User=$(id -un)"
  -o "Debug::NoLocking=true"
  -qq
)

fetch_sources() {
  local src="$deps/src"
  if compgen -G "$src/abseil_*.dsc" >/dev/null && compgen -G "$src/openssl_*.dsc" >/dev/null; then
    return
  fi
  log "fetching the abseil and openssl source packages"
  rm -rf "$apt_dir"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$src"
  write_deb_src "$apt_dir/sources.list"
  if [[ ! -s "$apt_dir/sources.list" && ! -d "$apt_dir/sources.list.d" ]]; then
    log "no Debian entries found in /etc/apt to derive deb-src from" >&2
    exit 1
  fi
  apt-get "${apt_opts[@]}" update
  local pkg version
  for pkg in abseil openssl; do
    # Newest first; a mirror may lack the newest files of a suite (seen: a
    # security pool without the .dsc), so an older version is the fallback.
    for version in $(apt-cache "${apt_opts[@]}" madison "$pkg" |
                       awk -F'|' '$3 ~ /Sources/ { gsub(/ /, "", $2); print $2 }' |
                       sort -V -r -u); do
      if (cd "$src" && apt-get "${apt_opts[@]}" source --download-only \
            "$pkg=$version" >/dev/null 2>&1); then
        log "fetched $pkg $version"
        continue 2
      fi
      log "$pkg $version could not be fetched; trying an older version"
    done
    log "no version of $pkg could be fetched" >&2
    exit 1
  done
}

# --- Abseil: Debian's patched sources, built later by CMake --------------------

unpack_abseil() {
  [[ -f "$deps/abseil/.net-ready" ]] && return
  local dsc
  dsc=$(ls "$deps"/src/abseil_*.dsc | sort -V | tail -n 1)
  log "unpacking $(basename "$dsc")"
  rm -rf "$deps/abseil" "$deps/abseil.tmp"
  # dpkg-source applies debian/patches: with the pristine tarball,
  # absl::string_view differs between the Linux and Windows builds.
  dpkg-source --no-check -x "$dsc" "$deps/abseil.tmp" >/dev/null
  mv "$deps/abseil.tmp" "$deps/abseil"
  rm -f "$deps"/abseil_*.orig.tar.*  # dpkg-source links the tarball next to it
  basename "$dsc" .dsc >"$deps/abseil/.net-ready"
}

# --- OpenSSL 3.0 for mingw64, static ------------------------------------------

build_openssl() {
  [[ -f "$deps/openssl/.net-ready" ]] && return
  local dsc work="$deps/openssl-build"
  dsc=$(ls "$deps"/src/openssl_*.dsc | sort -V | tail -n 1)
  log "building $(basename "$dsc") for $host (a few minutes)"
  rm -rf "$work" "$deps/openssl"
  dpkg-source --no-check -x "$dsc" "$work" >/dev/null
  rm -f "$deps"/openssl_*.orig.tar.*
  (
    cd "$work"
    ./Configure mingw64 --cross-compile-prefix="$host-" \
      --prefix="$deps/openssl" --openssldir="$deps/openssl/ssl" --libdir=lib \
      no-shared no-tests >"$work/configure.log" 2>&1 ||
      { cat "$work/configure.log" >&2; exit 1; }
    make -j"$jobs" build_libs >"$work/build.log" 2>&1 ||
      { tail -n 40 "$work/build.log" >&2; exit 1; }
    make install_dev >"$work/install.log" 2>&1 ||
      { tail -n 40 "$work/install.log" >&2; exit 1; }
  )
  basename "$dsc" .dsc >"$deps/openssl/.net-ready"
  rm -rf "$work"
}

start=$SECONDS
if [[ $abseil_only == 1 && -f "$deps/abseil/.net-ready" ]]; then
  log "Abseil sources cached in $deps/abseil ($(cat "$deps/abseil/.net-ready"))"
  exit 0
fi
fetch_sources
unpack_abseil
if [[ $abseil_only == 1 ]]; then
  log "Abseil sources ready in $deps/abseil ($((SECONDS - start)) s)"
  exit 0
fi
build_openssl
log "ready in $deps ($((SECONDS - start)) s)"
