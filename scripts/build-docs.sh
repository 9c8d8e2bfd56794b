#!/usr/bin/env bash
# Builds net's API reference from include/net/*.h with Doxygen into
# OUTDIR/html (default: build/docs/html). Warnings are errors: an
# undocumented public class, function, enum value, field or macro, or a
# doc comment that names a parameter the function does not have, fails the
# build and every warning is printed as file:line. What counts as public
# API: docs/Doxyfile.in. Needs doxygen and python3
# (`bash scripts/setup-debian.sh --docs`). No configure step: the same
# Doxyfile the CMake target `docs` uses (cmake/docs.cmake), filled in here.
#
#   scripts/build-docs.sh [OUTDIR]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/docs}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if ! command -v doxygen >/dev/null; then
  echo "build-docs.sh: doxygen not found (bash scripts/setup-debian.sh --docs)" >&2
  exit 2
fi
python=$(command -v python3) || {
  echo "build-docs.sh: python3 not found" >&2; exit 2; }

version=$(sed -n 's/^project(net VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
sed -e "s|@NET_SOURCE_DIR@|$root|g" \
    -e "s|@NET_DOCS_OUTPUT_DIR@|$out|g" \
    -e "s|@NET_VERSION@|$version|g" \
    -e "s|@NET_DOXYGEN_FILTER@|\"$python $root/scripts/doxygen-filter.py\"|g" \
    "$root/docs/Doxyfile.in" > "$out/Doxyfile"

rm -rf "$out/html" "$out/xml"
status=0
doxygen "$out/Doxyfile" || status=1
# Doxygen has no warning for an undocumented enum value: checked from its
# XML output, same format.
"$python" "$root/scripts/doxygen-filter.py" --check-enum-values "$out/xml" \
  "$root/include" ||
  status=1
if [[ $status != 0 ]]; then
  echo "build-docs.sh: the API reference has warnings (above); each is an error" >&2
  exit 1
fi
echo "build-docs.sh: $out/html/index.html"
