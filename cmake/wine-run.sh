#!/usr/bin/env bash
# Runs a Windows program under wine: the CMAKE_CROSSCOMPILING_EMULATOR of the
# mingw-w64 build (cmake/toolchain-mingw-w64.cmake), so ctest and doctest's
# test discovery run the .exe files as if they were native.
#
#   wine-run.sh --prefix=DIR prog.exe [args...]   run a program
#   wine-run.sh --prefix=DIR --server-start       start a persistent wineserver
#   wine-run.sh --prefix=DIR --server-stop        stop it
#
# The prefix (a private "C:" and registry, ~700 MB) lives in the build tree and
# is created on first use, once, under a lock: parallel first runs (ninja runs
# test discovery for several executables at once) wait for each other instead
# of racing on a half-made prefix.
#
# Speed: Debian's wineserver exits as soon as its last client does (-p0), so
# every run would start the server and the Windows services again (~2.7 s).
# The test fixture of tests/CMakeLists.txt starts one persistent server for
# the whole ctest run (--server-start, ~0.07 s per test after that) and stops
# it at the end. It is started with its standard streams detached: a server or
# a service that inherits ctest's pipes keeps ctest waiting. If a run is
# interrupted before the stop, `wine-run.sh --prefix=DIR --server-stop` (or
# WINEPREFIX=DIR wineserver -k) ends it.
#
# Output: msvcrt writes CRLF line ends into pipes; they are turned into LF so
# that doctest's test list (and any output compared by tools) reads the same
# as on Linux.
#
# Address-space randomization is turned off for wine's processes (setarch -R).
# Debian's wine64 has no preloader, so nothing reserves the fixed Windows
# addresses before the Linux loader places the brk heap, which with
# randomization starts anywhere in the 1 GiB above the loader (0x7d000000).
# Now and then the heap lay over the shared user data page at 0x7ffe0000 and
# the program died before main, silently under WINEDEBUG=-all ("failed to
# map the shared user data: c0000018", exit 1 in ~10 ms, no output): 3 of
# 17,000 starts of core_test.exe here, and one CI run (~300 starts) failed on
# it. Without randomization the heap starts right after the loader, 47 MiB
# below that page, in every run (/proc/PID/maps), and 6,000 starts had no
# failure.
#
# Docker's default seccomp profile refuses that personality (gdb's "Error
# disabling address space randomization" in containers), so there, or with
# NET_WINE_KEEP_ASLR=1, wine runs with randomization on and the wrapper
# retries that one failure instead: wine's err channel for it is enabled,
# the program's standard error is held until it exits, and a start that
# failed to map the shared user data (before main, so it printed nothing) is
# run again, at most three times in all. Forced here, 8,000 starts met the
# failure once, and the second start ran the program.
set -uo pipefail

prefix=""
case "${1:-}" in
  --prefix=*) prefix="${1#--prefix=}"; shift ;;
esac
if [[ -z $prefix || $# -eq 0 ]]; then
  echo "usage: wine-run.sh --prefix=DIR (prog.exe [args...] | --server-start | --server-stop)" >&2
  exit 2
fi

export WINEPREFIX="$prefix"
export WINEDEBUG=-all
# No Mono or Gecko installer dialogs while a prefix is created; no display.
export WINEDLLOVERRIDES="mscoree=;mshtml=;winemenubuilder.exe="
unset DISPLAY WAYLAND_DISPLAY

wine=$(command -v wine) || { echo "wine-run.sh: wine is not installed" >&2; exit 2; }
wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
if [[ ${NET_WINE_KEEP_ASLR:-0} != 1 ]] && setarch "$(uname -m)" -R true 2>/dev/null; then
  aslr_off=1
  wine_cmd=(setarch "$(uname -m)" -R "$wine")
else
  aslr_off=0
  wine_cmd=("$wine")
fi

# Runs the program with randomization on: see the header.
run_with_retry() {
  local errors rc attempt
  errors=$(mktemp) || exit 2
  trap 'rm -f "$errors"' EXIT
  for attempt in 1 2 3; do
    WINEDEBUG=-all,err+virtual "$wine" "$@" 2>"$errors" | tr -d '\r'
    rc=${PIPESTATUS[0]}
    grep -q "failed to map the shared user data" "$errors" || break
    echo "wine-run.sh: wine could not map the shared user data (start $attempt of 3)" >&2
  done
  cat "$errors" >&2
  exit "$rc"
}

# Creates the prefix if needed (8-14 s, once), and makes it report Windows 10
# (a new prefix reports Windows 7).
ensure_prefix() {
  [[ -f "$prefix/.net-ready" ]] && return 0
  mkdir -p "$(dirname "$prefix")"
  (
    flock 9
    [[ -f "$prefix/.net-ready" ]] && exit 0
    "${wine_cmd[@]}" wineboot -i </dev/null >/dev/null 2>&1
    "${wine_cmd[@]}" winecfg -v win10 </dev/null >/dev/null 2>&1
    "$wineserver" -w
    touch "$prefix/.net-ready"
  ) 9>"$prefix.lock"
}

case "$1" in
  --server-start)
    ensure_prefix || exit 1
    # -p: stay until --server-stop. wineboot starts the services now, with
    # the server's detached streams, instead of inside the first test.
    "$wineserver" -p </dev/null >/dev/null 2>&1
    "${wine_cmd[@]}" wineboot </dev/null >/dev/null 2>&1
    echo "wineserver running for $prefix"
    ;;
  --server-stop)
    "$wineserver" -k </dev/null >/dev/null 2>&1
    "$wineserver" -w </dev/null >/dev/null 2>&1
    echo "wineserver stopped for $prefix"
    exit 0
    ;;
  *)
    ensure_prefix || exit 1
    (( aslr_off )) || run_with_retry "$@"
    "${wine_cmd[@]}" "$@" | tr -d '\r'
    exit "${PIPESTATUS[0]}"
    ;;
esac
