#!/usr/bin/env bash
# Copyright 2026 The net Authors.
#
# ci/check-exports.sh LIBRARY...
# ci/check-exports.sh --self-test
#
# Checks that a shared net exports only net's own symbols (issue 16: "nm -D
# libnet.so exports only net:: symbols"): no Abseil, no OpenSSL, no std::
# template instantiation, no C symbol. Builds nothing itself: give it a built
# libnet.so (ELF, read with `nm -D --defined-only`) or net.dll (PE, its
# export table read with objdump -p; x86_64-w64-mingw32-objdump is used when
# there).
#
# Allowed, after demangling (c++filt):
#
#   net::...                        functions and data of namespace net
#   typeinfo for net::...           RTTI of the exported polymorphic classes
#   typeinfo name for net::...      (IoHandler, ConnectionHandler,
#   vtable for net::...             ServerHandler, PendingConnect,
#   VTT for net::...                Connection): a program that derives
#   [non-]virtual thunk to net::... from them or dynamic_casts needs them
#
# Anything else is listed and fails the check. Exit status: 0 when every
# library passes; 1 when one exports anything else (or exports no net::
# symbol at all, which means the export macro did not work); 2 on bad usage.
#
# --self-test proves the check can fail: it runs the classifier on names that
# must pass and names that must not, and, when a C++ compiler is available
# (CXX, or c++), builds a small shared library that exports a net:: function,
# a C function and a std:: template instance, and expects the check to reject
# it and accept it once only the net:: function is left.
set -euo pipefail

usage() { sed -n '4,29p' "$0" | sed 's/^# \{0,1\}//'; }

# allowed NAME: is this demangled symbol one net may export?
allowed() {
  [[ "$1" =~ ^((typeinfo|typeinfo\ name|vtable|VTT)\ for\ |(non-)?virtual\ thunk\ to\ )?net:: ]]
}

# exported_symbols FILE: one demangled name per line.
exported_symbols() {
  local file="$1" magic
  magic="$(head -c 2 "$file" | od -An -c | tr -d ' ')"
  if [[ "$magic" == "MZ" ]]; then
    local objdump=objdump
    if command -v x86_64-w64-mingw32-objdump >/dev/null 2>&1; then
      objdump=x86_64-w64-mingw32-objdump
    fi
    # The export table: "[Ordinal/Name Pointer] Table" lines "\t[   n] name".
    "$objdump" -p "$file" |
      sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' |
      sed -n 's/^[[:space:]]*\[[[:space:]]*[0-9]*\][[:space:]]*//p' | c++filt
  else
    # Defined dynamic symbols; -D keeps the dynamic table only, so
    # version-script locals and hidden symbols are not listed.
    nm -D --defined-only "$file" | awk '{ $1 = ""; $2 = ""; sub(/^  /, ""); print }' |
      c++filt
  fi
}

# check FILE: prints a verdict; returns 0 or 1.
check() {
  local file="$1" bad=() good=0 name
  [[ -f "$file" ]] || { echo "check-exports: no such file: $file" >&2; return 1; }
  while IFS= read -r name; do
    [[ -z "$name" ]] && continue
    if allowed "$name"; then good=$((good + 1)); else bad+=("$name"); fi
  done < <(exported_symbols "$file")
  if (( ${#bad[@]} > 0 )); then
    echo "check-exports: $file exports ${#bad[@]} symbol(s) outside namespace net:" >&2
    printf '  %s\n' "${bad[@]}" | head -n 50 >&2
    (( ${#bad[@]} > 50 )) && echo "  ... and $(( ${#bad[@]} - 50 )) more" >&2
    return 1
  fi
  if (( good == 0 )); then
    echo "check-exports: $file exports no net:: symbol at all (is NET_EXPORT empty?)" >&2
    return 1
  fi
  echo "check-exports: $file: OK, $good net:: symbols and nothing else"
}

self_test() {
  local name failed=0
  for name in 'net::Socket::Open(net::AddressFamily, net::SocketType, net::OpenFlags)' \
      'typeinfo for net::ConnectionHandler' 'typeinfo name for net::IoHandler' \
      'vtable for net::Connection' 'non-virtual thunk to net::Connection::OnReady(net::Readiness)' \
      'net::sys::StreamSend(unsigned long, char const*, unsigned long)'; do
    allowed "$name" || { echo "self-test: rejected '$name'" >&2; failed=1; }
  done
  for name in 'absl::lts_20220623::Status::ToString[abi:cxx11](absl::lts_20220623::StatusToStringMode) const' \
      'SSL_CTX_new' 'OPENSSL_init_ssl' \
      'std::vector<int, std::allocator<int> >::reserve(unsigned long)' \
      'typeinfo for std::bad_variant_access' 'vtable for absl::lts_20220623::Mutex' \
      'netlink_open' 'internet::Thing()' 'std::net::x()' '_init' '_fini'; do
    if allowed "$name"; then echo "self-test: accepted '$name'" >&2; failed=1; fi
  done

  local cxx="${CXX:-c++}"
  if command -v "$cxx" >/dev/null 2>&1; then
    local dir
    dir="$(mktemp -d "${TMPDIR:-/tmp}/check-exports.XXXXXX")"
    # shellcheck disable=SC2064  # expand now: dir is local
    trap "rm -rf '$dir'" RETURN
    cat > "$dir/lib.cc" <<'CC'
#include <vector>
namespace net { __attribute__((visibility("default"))) int Answer() { return 42; } }
#ifdef LEAK
extern "C" __attribute__((visibility("default"))) int leaked_c_symbol() { return 1; }
__attribute__((visibility("default"))) std::size_t Leak(std::vector<long>& v) {
  v.reserve(7);
  return v.capacity();
}
#endif
CC
    "$cxx" -shared -fPIC -fvisibility=hidden -DLEAK -o "$dir/libleaky.so" "$dir/lib.cc"
    "$cxx" -shared -fPIC -fvisibility=hidden -o "$dir/libclean.so" "$dir/lib.cc"
    if check "$dir/libleaky.so" 2>/dev/null; then
      echo "self-test: a library exporting a C symbol and std:: code passed" >&2
      failed=1
    fi
    check "$dir/libclean.so" >/dev/null || {
      echo "self-test: a library exporting only net::Answer() failed" >&2; failed=1; }
  else
    echo "check-exports: self-test: no C++ compiler ($cxx), library part skipped"
  fi
  if (( failed )); then echo "check-exports: self-test FAILED" >&2; return 1; fi
  echo "check-exports: self-test OK"
}

if (( $# == 0 )); then usage >&2; exit 2; fi
case "$1" in
  -h|--help) usage; exit 0 ;;
  --self-test) self_test; exit $? ;;
esac
status=0
for file in "$@"; do
  check "$file" || status=1
done
exit "$status"
