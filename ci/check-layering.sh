#!/usr/bin/env bash
# Copyright 2026 The net Authors.
#
# ci/check-layering.sh [ROOT]
# ci/check-layering.sh --self-test
#
# Enforces the one layering rule of shared/DESIGN.md: include/ (the public
# API) and core/ (portable logic) never include an operating-system header
# and never test the operating system in the preprocessor. Only the backends,
# platform/posix/ and platform/windows/, may do either; core/ reaches the OS
# through platform/sys.h. platform/bsd/, the code both backends share
# because Winsock kept the BSD sockets API, is held to the same rule: each
# backend includes it after its own OS headers (platform/bsd/socket_bsd.h).
#
# What counts as a violation, in every *.h, *.hh, *.hpp, *.inc, *.c, *.cc,
# *.cpp, *.cxx file under ROOT/include, ROOT/core and, where it exists,
# ROOT/platform/bsd (ROOT defaults to the repository that holds this
# script):
#
#   * an #include (or #include_next / #import) of an OS header, matched by its
#     exact name: <sys/socket.h>, <netinet/in.h>, <unistd.h>, <winsock2.h>,
#     <windows.h>, ... (see OS_HEADER_RE below). "net/address.h" is ours and
#     is not matched: only OS names such as net/if.h and net/route.h are.
#   * a preprocessor conditional (#if, #ifdef, #ifndef, #elif, #elifdef,
#     #elifndef, continuation lines included) that names an OS or OS
#     toolchain macro: _WIN32, _WIN64, _MSC_VER, __linux__, __APPLE__,
#     __unix__, __FreeBSD__, __MINGW32__, BSD, ... (see OS_MACRO_RE), or that
#     asks __has_include() about an OS header.
#   * #pragma comment(lib, ...): linking Windows libraries is CMake's job.
#
# Comments are ignored (// and /* */), so a comment may talk about _WIN32.
#
# Exit status: 0 when clean; 1 with one "file:line: reason: text" line per
# violation; 2 for a usage error.
set -euo pipefail

usage() { sed -n '4,34p' "$0" | sed 's/^# \{0,1\}//'; }

# --self-test: proves the check catches what it must and nothing else, on a
# scratch tree with known violations and known-clean look-alikes.
self_test() {
  local tmp out expected rc=0
  tmp="$(mktemp -d)"
  mkdir -p "$tmp/include/net" "$tmp/core"
  cat > "$tmp/include/net/clean.h" <<'CLEAN'
#include "net/address.h"
#include <net/error.h>
#include <cstdint>
#include <cerrno>
// #include <winsock2.h> and _WIN32 in a comment are fine
/* #include <unistd.h>
#ifdef __APPLE__ */
#if NET_HAVE_unix_SOCKETS  // _WIN32 in a trailing comment
#endif
const char* kText = "#include <unistd.h>";
CLEAN
  cat > "$tmp/core/bad.cc" <<'BAD'
#include <sys/socket.h>
#include "net/if.h"
  #  include   <windows.h>
#include <csignal>
#include <netinet/in.h>
#if defined(_WIN32) && \
    !defined(__MINGW32__)
#endif
#ifdef __linux__
#elif BSD
#endif
#if __has_include(<ws2tcpip.h>)
#endif
#pragma comment(lib, "ws2_32.lib")
BAD
  expected='core/bad.cc:1: OS header
core/bad.cc:2: OS header
core/bad.cc:3: OS header
core/bad.cc:4: OS header
core/bad.cc:5: OS header
core/bad.cc:6: OS #if
core/bad.cc:9: OS #if
core/bad.cc:10: OS #if
core/bad.cc:12: OS header in __has_include
core/bad.cc:14: #pragma comment(lib)'
  out="$(bash "$0" "$tmp" 2>/dev/null)" || rc=$?
  out="$(printf '%s\n' "$out" | sed -E 's/^([^:]+:[0-9]+: [^:]+):.*/\1/')"
  if [[ $rc -ne 1 || "$out" != "$expected" ]]; then
    printf 'check-layering: self-test FAILED (exit %d); got:\n%s\nexpected:\n%s\n' \
      "$rc" "$out" "$expected" >&2
    rm -rf "$tmp"
    return 1
  fi
  rm "$tmp/core/bad.cc"
  echo '// clean' > "$tmp/core/clean.cc"
  if ! bash "$0" "$tmp" >/dev/null; then
    echo "check-layering: self-test FAILED: the clean tree was rejected" >&2
    rm -rf "$tmp"
    return 1
  fi
  rm -rf "$tmp"
  echo "check-layering: self-test OK (10 violations caught, look-alikes passed)"
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --self-test) self_test; exit $? ;;
esac
if [[ $# -gt 1 ]]; then usage >&2; exit 2; fi

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
if [[ ! -d "$root/include" || ! -d "$root/core" ]]; then
  echo "check-layering: $root has no include/ and core/ directories" >&2
  exit 2
fi

# OS headers, as the text between the include's delimiters (an ERE anchored
# at both ends by the awk program). POSIX and BSD, Linux, Apple, Windows.
OS_HEADER_RE='(sys|netinet|netinet6|arpa|linux|asm|asm-generic|bits|netpacket|net|mach|machine|libkern|CoreFoundation|SystemConfiguration|xlocale)/.*'
# `net/` as a prefix above would swallow our own headers; it is narrowed
# below to the OS's net/ headers.
OS_NET_RE='net/(if|if_arp|if_dl|if_types|if_var|if_media|if_packet|route|ethernet|bpf|pfvar|ppp_defs|if_tun|if_utun)\.h'
OS_TOP_RE='(unistd|netdb|fcntl|poll|ifaddrs|signal|pthread|sched|dlfcn|termios|syslog|pwd|grp|resolv|spawn|strings|libgen|ucontext|execinfo|dirent|sysexits|paths|libutil|kvm|malloc_np|alloca|malloc|endian|byteswap|features|elf|mntent|utmp|utmpx|wordexp|aio|mqueue|semaphore|langinfo|nl_types|ulimit|utime|ftw|glob|fnmatch|regex|iconv|stropts|winsock|winsock2|ws2tcpip|ws2def|ws2ipdef|wsipx|wspiapi|windows|windef|winbase|winnt|winerror|winternl|winioctl|winreg|winuser|wincrypt|mswsock|mstcpip|afunix|iphlpapi|iprtrmib|ipifcons|iptypes|netioapi|in6addr|inaddr|nldef|ntddndis|ntstatus|ntdef|mmsystem|shlobj|shellapi|objbase|combaseapi|process|processthreadsapi|synchapi|handleapi|io|direct|conio|crtdbg|intrin|tchar|sal|specstrings|dispatch/dispatch|TargetConditionals|Availability|AvailabilityMacros)\.h'

# OS and OS-toolchain macros, and the socket-API feature macros that only an
# OS header defines (testing them in core/ means an OS header leaked in),
# matched as whole identifiers.
OS_MACRO_RE='_WIN32|_WIN64|WIN32|WIN64|_WINDOWS|WINVER|_WIN32_WINNT|WINAPI_FAMILY|_MSC_VER|_MSC_FULL_VER|__MINGW32__|__MINGW64__|__CYGWIN__|__CYGWIN32__|__MSYS__|__linux__|__linux|linux|__gnu_linux__|__ANDROID__|__APPLE__|__MACH__|TARGET_OS_[A-Z_]+|__unix__|__unix|unix|__FreeBSD__|__FreeBSD_kernel__|__NetBSD__|__OpenBSD__|__DragonFly__|BSD|__bsdi__|__sun|__sun__|__SVR4|__svr4__|_AIX|__hpux|__HAIKU__|__QNX__|__QNXNTO__|__Fuchsia__|__EMSCRIPTEN__|__wasi__|_POSIX_VERSION|_POSIX_C_SOURCE|_XOPEN_SOURCE|_GNU_SOURCE|_DEFAULT_SOURCE|_BSD_SOURCE|__GLIBC__|__UCLIBC__|__BIONIC__|_LIBCPP_HAS_NO_THREADS|SOCK_CLOEXEC|MSG_NOSIGNAL|SO_NOSIGPIPE|AF_UNIX|AF_INET6|EWOULDBLOCK|EAGAIN|FIONBIO|FIONREAD|SIOCATMARK'

# (A read loop rather than mapfile: macOS ships bash 3.2.)
dirs=("$root/include" "$root/core")
if [[ -d "$root/platform/bsd" ]]; then dirs+=("$root/platform/bsd"); fi
files=()
while IFS= read -r f; do files+=("$f"); done < <(
  find "${dirs[@]}" -type f \
    \( -name '*.h' -o -name '*.hh' -o -name '*.hpp' -o -name '*.inc' \
       -o -name '*.c' -o -name '*.cc' -o -name '*.cpp' -o -name '*.cxx' \) |
    LC_ALL=C sort)

if [[ ${#files[@]} -eq 0 ]]; then
  echo "check-layering: no source files under $root/include or $root/core" >&2
  exit 2
fi

# The awk program reads one file at a time (FNR resets), strips comments,
# joins backslash-continued directive lines, and reports violations with the
# line number where the directive starts.
violations="$(awk \
  -v os_header_re="^(${OS_HEADER_RE}|${OS_TOP_RE}|csignal)\$" \
  -v os_net_re="^${OS_NET_RE}\$" \
  -v os_macro_re="(^|[^A-Za-z0-9_])(${OS_MACRO_RE})([^A-Za-z0-9_]|\$)" \
  -v root="$root/" -v sq="'" '
function rel(path) {
  return index(path, root) == 1 ? substr(path, length(root) + 1) : path
}
function report(line, reason, text) {
  gsub(/^[ \t]+|[ \t]+$/, "", text)
  printf "%s:%d: %s: %s\n", rel(FILENAME), line, reason, text
}
# An OS header name? "net/..." is OS only for the OS net/ headers.
function is_os_header(name) {
  if (name ~ /^net\//) return name ~ os_net_re
  return name ~ os_header_re
}
# Removes comments from `s`, tracking /* */ across lines in `in_block`.
function strip_comments(s,    out, i, c, n, q) {
  out = ""; q = ""
  n = length(s)
  for (i = 1; i <= n; i++) {
    c = substr(s, i, 1)
    if (in_block) {
      if (c == "*" && substr(s, i + 1, 1) == "/") { in_block = 0; i++ }
      continue
    }
    if (q != "") {  # inside a string or char literal
      out = out c
      if (c == "\\") { out = out substr(s, i + 1, 1); i++ }
      else if (c == q) q = ""
      continue
    }
    if (c == "\"" || c == sq) { q = c; out = out c; continue }
    if (c == "/" && substr(s, i + 1, 1) == "/") break
    if (c == "/" && substr(s, i + 1, 1) == "*") { in_block = 1; i++; out = out " "; continue }
    out = out c
  }
  return out
}
function check_directive(text, line,    d, name, rest, h) {
  d = text
  sub(/^[ \t]*#[ \t]*/, "", d)
  if (d ~ /^(include|include_next|import)[ \t<"]/) {
    rest = d
    sub(/^(include|include_next|import)[ \t]*/, "", rest)
    if (match(rest, /^<[^>]*>/) || match(rest, /^"[^"]*"/)) {
      name = substr(rest, 2, RLENGTH - 2)
      if (is_os_header(name)) report(line, "OS header", text)
    }
    return
  }
  if (d ~ /^(if|ifdef|ifndef|elif|elifdef|elifndef)([ \t(!]|$)/) {
    if (d ~ os_macro_re) report(line, "OS #if", text)
    rest = d
    while (match(rest, /__has_include(_next)?[ \t]*\([ \t]*[<"][^>"]*[>"]/)) {
      h = substr(rest, RSTART, RLENGTH)
      sub(/^[^<"]*[<"]/, "", h); sub(/[>"]$/, "", h)
      if (is_os_header(h)) report(line, "OS header in __has_include", text)
      rest = substr(rest, RSTART + RLENGTH)
    }
    return
  }
  if (d ~ /^pragma[ \t]+comment[ \t]*\([ \t]*lib/) {
    report(line, "#pragma comment(lib): link OS libraries from CMake", text)
  }
}
FNR == 1 { in_block = 0; pending = ""; pending_line = 0 }
{
  raw = $0
  sub(/\r$/, "", raw)
  if (pending != "") {
    # A continuation of a directive.
    cont = raw
    more = sub(/\\$/, "", cont)
    pending = pending " " strip_comments(cont)
    if (!more) { check_directive(pending, pending_line); pending = "" }
    next
  }
  was_block = in_block
  code = strip_comments(raw)
  if (!was_block && code ~ /^[ \t]*#/) {
    if (raw ~ /\\$/) {
      pending = code; sub(/\\[ \t]*$/, "", pending); pending_line = FNR
      next
    }
    check_directive(code, FNR)
  }
}
' "${files[@]}")"

if [[ -n "$violations" ]]; then
  echo "$violations"
  count="$(printf '%s\n' "$violations" | wc -l | tr -d ' ')"
  echo "check-layering: $count violation(s): include/, core/ and" \
       "platform/bsd/ must not include OS headers or test the OS in #if;" \
       "move the code to platform/posix/ or platform/windows/ (behind" \
       "platform/sys.h for core/; shared/DESIGN.md)." >&2
  exit 1
fi
echo "check-layering: OK (${#files[@]} files in include/, core/ and platform/bsd/)"
