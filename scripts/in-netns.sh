#!/usr/bin/env bash
# Copyright 2026 The net Authors.
#
# scripts/in-netns.sh [--rule 'IPTABLES ARGS']... [--rule6 'IP6TABLES ARGS']...
#                     [--] COMMAND [ARG]...
#
# Runs COMMAND inside a fresh network namespace whose only interface is `lo`
# (brought up), with the given iptables / ip6tables rules installed in that
# namespace only. The host's interfaces and firewall are never touched; the
# namespace and its rules vanish when COMMAND exits. Exits with COMMAND's
# status. The C++ twin, for doctest cases, is tests/posix/netns_util.h.
#
# Each --rule is one iptables invocation's arguments, split on spaces:
#
#   scripts/in-netns.sh \
#     --rule '-A OUTPUT -d 127.0.0.2/32 -p tcp -j REJECT --reject-with icmp-host-unreachable' \
#     --rule '-A OUTPUT -d 127.0.0.3/32 -p tcp -j REJECT --reject-with icmp-net-unreachable' \
#     --rule '-A OUTPUT -d 127.0.0.4/32 -p tcp -j DROP' \
#     -- wine build/mingw/tests/contract_test.exe
#
# The iptables flavour is $NET_TEST_IPTABLES if set, else `iptables` (the
# nf_tables one on Debian 12), else `iptables-legacy`; the one used is
# printed on stderr. Needs root (unshare -n, CAP_NET_ADMIN).
#
# wine: wineserver is per WINEPREFIX and talks to its clients over a unix
# socket in /tmp, which works across network namespaces, but a wineserver
# started outside keeps the outer namespace for what it does itself. Use a
# WINEPREFIX of its own (or `wineserver -k` first) so that everything starts
# inside.
#
# Exit status: COMMAND's; 2 for a usage error; 77 (the automake "skipped"
# code) when the namespace or the rules cannot be set up here, with the
# reason on stderr.
set -euo pipefail

me="in-netns.sh"
usage() { sed -n '4,33p' "$0" | sed 's/^# \{0,1\}//'; }

# Inside the namespace (re-executed by unshare below).
if [[ "${1:-}" == "--inside" ]]; then
  shift
  rules4=() rules6=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --rule) rules4+=("$2"); shift 2 ;;
      --rule6) rules6+=("$2"); shift 2 ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  if command -v ip >/dev/null 2>&1; then
    ip link set lo up
  else
    echo "$me: no 'ip' command (iproute2) to bring lo up" >&2; exit 77
  fi
  if [[ ${#rules4[@]} -gt 0 || ${#rules6[@]} -gt 0 ]]; then
    if [[ -n "${NET_TEST_IPTABLES:-}" ]]; then
      flavours=("$NET_TEST_IPTABLES")
    else
      flavours=(iptables iptables-legacy)
    fi
    used=""
    errors=""
    for v4 in "${flavours[@]}"; do
      if ! command -v "$v4" >/dev/null 2>&1; then
        errors+=" $v4: not installed;"; continue
      fi
      v6="ip6${v4#ip}"  # iptables-legacy -> ip6tables-legacy
      ok=1
      for r in ${rules4[@]+"${rules4[@]}"}; do
        # shellcheck disable=SC2086  # a rule is split on spaces on purpose
        if ! out="$("$v4" -w 3 $r 2>&1)"; then
          errors+=" $v4 $r: $out;"; ok=0; break
        fi
      done
      if [[ $ok == 1 ]]; then
        for r in ${rules6[@]+"${rules6[@]}"}; do
          # shellcheck disable=SC2086
          if ! out="$("$v6" -w 3 $r 2>&1)"; then
            errors+=" $v6 $r: $out;"; ok=0; break
          fi
        done
      fi
      if [[ $ok == 1 ]]; then used="$("$v4" -V 2>&1)"; break; fi
      "$v4" -w 3 -F >/dev/null 2>&1 || true
      "$v6" -w 3 -F >/dev/null 2>&1 || true
    done
    if [[ -z "$used" ]]; then
      echo "$me: no iptables flavour could install the rules:$errors" >&2
      exit 77
    fi
    echo "$me: rules installed with $used" >&2
  fi
  [[ $# -gt 0 ]] || { echo "$me: no command" >&2; exit 2; }
  exec "$@"
fi

# Outside: check the arguments, then re-execute inside a new namespace.
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --rule|--rule6)
      [[ $# -ge 2 ]] || { echo "$me: $1 needs an argument" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    --) shift; break ;;
    -*) echo "$me: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
done
if [[ $# -eq 0 ]]; then usage >&2; exit 2; fi
if ! command -v unshare >/dev/null 2>&1; then
  echo "$me: no 'unshare' command (util-linux)" >&2; exit 77
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "$me: not root (uid $(id -u)): a network namespace needs CAP_SYS_ADMIN" >&2
  exit 77
fi
if ! unshare --net true 2>/dev/null; then
  echo "$me: unshare --net refused: $(unshare --net true 2>&1)" >&2
  exit 77
fi
exec unshare --net -- bash "$0" --inside ${args[@]+"${args[@]}"} -- "$@"
