#!/usr/bin/env bash
# Copyright 2026 The net Authors.
#
# scripts/build-deb.sh [--out DIR] [--nocheck] [--keep]
#
# Builds net's Debian packages (debian/, docs/shipping.md "Debian package")
# out of tree: the checkout's files (tracked and untracked, not ignored ones:
# `git ls-files`, so build trees stay out) are copied into a temporary
# directory, `dpkg-buildpackage -b -us -uc` runs there (with the tests of
# debian/rules, unless --nocheck), and the .deb files are copied to DIR
# (default: build/deb in the checkout). Nothing is written into the
# checkout but DIR.
#
#   --out DIR   where the .debs go (made if missing; old net .debs removed)
#   --nocheck   skip the tests during the build (DEB_BUILD_OPTIONS=nocheck)
#   --keep      keep the temporary build directory (its path is printed)
#
# Needs dpkg-dev and debhelper (scripts/setup-debian.sh --deb) and the
# build dependencies of debian/control (dpkg-checkbuilddeps says which are
# missing). Exit status: 0 when the packages were built.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/build/deb"
nocheck=0
keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="${2:?--out needs a directory}"; shift ;;
    --out=*) out="${1#--out=}" ;;
    --nocheck) nocheck=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '4,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

for tool in dpkg-buildpackage dh; do
  command -v "$tool" >/dev/null ||
    { echo "build-deb.sh: no $tool (scripts/setup-debian.sh --deb)" >&2; exit 1; }
done

version="$(dpkg-parsechangelog -l "$root/debian/changelog" -S Version)"
upstream="${version%-*}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/net-deb.XXXXXX")"
if [[ $keep == 0 ]]; then trap 'rm -rf "$tmp"' EXIT; else echo "build-deb.sh: keeping $tmp"; fi
src="$tmp/net-$upstream"
mkdir -p "$src"

# The source: what git knows of (tracked, and new files not ignored), as it
# is in the work tree; without git, everything but build/.
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # (Deleted files git still lists are left out; the quotes are sh's.)
  # shellcheck disable=SC2016
  git -C "$root" ls-files -z --cached --others --exclude-standard |
    (cd "$root" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) |
    tar -C "$root" --null -T - -cf - | tar -C "$src" -xf -
else
  tar -C "$root" --exclude=./build -cf - . | tar -C "$src" -xf -
fi

jobs="$(nproc 2>/dev/null || echo 2)"
opts="${DEB_BUILD_OPTIONS:-}"
[[ $nocheck == 1 ]] && opts="$opts nocheck"
echo "build-deb.sh: dpkg-buildpackage -b -us -uc -j$jobs in $src (net $version${opts:+; DEB_BUILD_OPTIONS=$opts})"
start=$(date +%s)
(cd "$src" && DEB_BUILD_OPTIONS="$opts" dpkg-buildpackage -b -us -uc -j"$jobs")
echo "build-deb.sh: built in $(( $(date +%s) - start )) s"

mkdir -p "$out"
rm -f "$out"/libnet*_*.deb
cp "$tmp"/*.deb "$out"/
ls -l "$out"/*.deb
