#!/usr/bin/env bash
# Builds and runs the io_uring benchmark of issue 19 (not a test); see
# docs/bench.md, "io_uring (issue 19)".
#
#   bench/uring_run.sh          full run: 5 rounds; per case, every server
#                               gets 0.5 s warm-up + 2 s measured (about 6
#                               minutes)
#   bench/uring_run.sh --quick  smoke run: 2 rounds, 0.2 s + 0.4 s, 2,000
#                               idle connections (about 2 minutes)
#
# Options (as bench/run.sh's): --rounds N, --seconds S, --warmup S,
#   --slice S, --idle-conns N (default 10000), --servers "epoll epoll-b
#   uring net-conn net-uring", --cases "pp_100x64 pp_1000x64 pp_10x16k
#   stream_16k idle_rss" (each throughput case runs twice, with the epoll
#   load generator and with `load --io-uring`: CASE and CASE_u in the raw
#   file), --server NAME=PATH [ARGS], --output DIR (default
#   build/bench/uring), --build-dir DIR (the release tree, default
#   build/bench), --wait-quiet S, --no-setup, --no-build, --report RAW.tsv.
#
# The servers:
#   epoll      bench/echo_epoll, the hand-written epoll loop (the baseline)
#   epoll-b    the same binary, a process of its own: the A/A control
#   uring      bench/echo_uring, the hand-written io_uring loop (the anchor:
#              what io_uring can do here; needs liburing-dev)
#   net-conn   examples/echo_server (net::Connection, default backend)
#   net-uring  examples/echo_server --backend io_uring (issue 19's backend)
# A server that does not start (no binary, or it exits or prints no
# address within 5 s: e.g. net-uring before the backend exists) is left
# out, with the reason, before anything is measured.
#
# The load: bench/load on the client CPU, interleaved turns as run.sh
# (bench/lib.sh). With the epoll load generator the client is the
# bottleneck near the epoll loop's rate (one core each), so the server CPU
# per message tells the servers apart; `load --io-uring` (pingpong and
# stream on one io_uring ring, batched) needs less CPU per message, so the
# server becomes the bottleneck and the rates tell them apart too.
#
# Prints the medians (min-max over rounds) per case and load generator, the
# server CPU per operation, every server's ratio to epoll (throughput and
# server CPU per op: the geometric mean of the per-round ratios and its
# 95 % CI), the A/A control epoll-b/epoll, uring's rate under the io_uring
# load generator against under the epoll one (the client bottleneck
# removed), and issue 19's targets judged on net-uring/net-conn: server CPU
# per message <= 0.75x at 100 and 1,000 x 64 B, >= 1.4x the messages per
# second with the io_uring load generator there, no case below 1.00x, RSS
# per idle connection <= 400 B. Writes results.json and results.md to the
# output directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_init uring_run.sh 9 "$@"

servers="epoll epoll-b uring net-conn net-uring"
cases="pp_100x64 pp_1000x64 pp_10x16k stream_16k idle_rss"

own_option() {
  build_dir_option "$@" && return
  return 1
}

bench_parse "$@"
[[ -n $idle_conns ]] || idle_conns=$((quick ? 2000 : 10000))  # unless --idle-conns
bench_report_settings

# --- setup and build ---------------------------------------------------------

bench_setup_build uring_bench

declare -A binary=(
  [epoll]="$build/bench/echo_epoll"
  # The same binary as `epoll`, a process of its own: the A/A control.
  [epoll-b]="$build/bench/echo_epoll"
  [uring]="$build/bench/echo_uring"
  [net-conn]="$build/examples/echo_server"
  [net-uring]="$build/examples/echo_server --backend io_uring"
)
bench_extra_servers
load="$build/bench/load"

# --- cases -------------------------------------------------------------------

# The cases of bench/cases.sh named in --cases; each throughput case also
# as CASE_u, driven by `load --io-uring`.
# shellcheck source=bench/cases.sh
source "$root/bench/cases.sh"
expanded=""
for c in $cases; do
  [[ -n ${case_args[$c]:-} || $c == *_u ]] || { log "unknown case '$c'"; exit 2; }
  if [[ -n $report ]]; then expanded+=" $c"; continue; fi  # as it was run
  expanded+=" $c"
  if [[ $c != idle_rss* && $c != *_u ]]; then
    case_args[${c}_u]="${case_args[$c]} --io-uring"
    expanded+=" ${c}_u"
  fi
done
cases=${expanded# }
declare -A base_label=()
for c in "${!case_label[@]}"; do base_label[$c]=${case_label[$c]}; done
for c in $cases; do
  if [[ $c == *_u ]]; then
    base=${c%_u}
    case_args[$c]="${case_args[$base]} --io-uring"
    case_label[$c]="${base_label[$base]}, io_uring client"
  elif [[ $c != idle_rss* ]]; then
    case_label[$c]="${base_label[$c]}, epoll client"
  fi
done
bench_check_cases

# --- the machine and the servers ---------------------------------------------

bench_machine
bench_output "$build/uring"
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() {
  bench_start_server "$1" "$2" --listen 127.0.0.1:0 --max-seconds "$3"
}

# Every server of $servers is started once: one that has no binary, exits,
# or prints no address within 5 s is left out, with its reason.
if [[ -z $report ]]; then
  [[ -x $load ]] || { log "no load generator at $load"; exit 1; }
  kept=""
  for s in $servers; do
    command=${binary[$s]:-/nonexistent}
    if [[ ! -x ${command%% *} ]]; then
      log "server $s left out: no ${command%% *} (not built: liburing-dev missing?)"
      continue
    fi
    start_server "$s" "$work/probe.$s" 10
    probe_pid=$started_pid
    for _ in $(seq 50); do
      [[ -s $work/probe.$s ]] && break
      kill -0 "$probe_pid" 2>/dev/null || break
      sleep 0.1
    done
    if [[ -s $work/probe.$s ]]; then
      kept+="${kept:+ }$s"
    else
      log "server $s left out: it did not start: $(head -c 300 "$work/server.$s.err" | tr '\n' ' ')"
    fi
    stop_servers
  done
  servers=$kept
  [[ -n $servers ]] || { log "no server to measure"; exit 1; }
  log "servers: $servers"
fi
# `load --io-uring` must work here (liburing, the kernel): else only the
# epoll load generator.
if [[ -z $report ]] && ! "$load" --io-uring --connect 127.0.0.1:1 --case pingpong >/dev/null 2>"$work/probe.load" &&
   grep -q "without liburing\|io_uring_queue_init\|FEAT_EXT_ARG" "$work/probe.load"; then
  log "load --io-uring unavailable ($(head -n1 "$work/probe.load")): the _u cases are left out"
  kept=""
  for c in $cases; do [[ $c == *_u ]] || kept+="${kept:+ }$c"; done
  cases=$kept
fi

# The idle case: every server but the A/A control, alone.
case_servers() {
  local s list=()
  for s in $servers; do
    [[ $1 == idle_rss* && $s == epoll-b ]] && continue
    list+=("$s")
  done
  echo "${list[*]}"
}

bench_measure

# --- report ------------------------------------------------------------------

# shellcheck disable=SC2016  # an awk program, not shell
bench_report '
{
  read_record()
  x = field($7, "server_ns_per_op")
  if (x != "") keep_cpu(x)
}
# The ratio of server `s` between case `a` and case `b` (same rounds, same
# server), geometric mean (95 % CI), or "n/a".
function client_ratio(s, a, b,    r, m, x, y, q, g) {
  m = 0; split("", q)
  for (r = 1; r <= max_round; r++) {
    x = value[a, s, r]; y = value[b, s, r]
    if (x != "" && y != "" && x == x + 0 && y == y + 0 && y + 0 != 0) q[++m] = x / y
  }
  if (m == 0) return "n/a"
  geo_ci(q, m, g)
  return sprintf("%.3f× (%.3f–%.3f)", g["mean"], g["low"], g["high"])
}
# Whether server `s` echoed anything in case `c` (a median rate above 0).
function echoed(c, s) { return n[c, s] + 0 > 0 && med[c, s] + 0 > 0 }
# x/y judged against `goal` in table `t` ("value": at least goal; "cpu":
# at most goal), kept in results.json.
function target_cell(t, c, x, y, goal, what,    m, a, g, cell, ci) {
  if (!echoed(c, x)) { keep_target(c, what, sprintf("%.2f", goal), "MISSED: no echo"); return "MISSED: " x " echoed nothing" }
  m = paired(t, c, x, y, a)
  if (m == 0) return "n/a"
  geo_ci(a, m, g)
  if (t == "value") {
    sort_values(a, m); keep_ratio(c, x, y, a, m, g)
    cell = judge(g, goal, 0)
  } else {
    ci = sprintf("%.3f× (95 %% CI %.3f–%.3f)", g["mean"], g["low"], g["high"])
    if (g["high"] <= goal) cell = "met: " ci
    else if (g["low"] > goal) cell = "MISSED: " ci
    else cell = "level with " sprintf("%.2f×", goal) " (not shown met): " ci
  }
  keep_target(c, what, (t == "value" ? ">= " : "<= ") sprintf("%.2f", goal), cell)
  return cell
}
END {
  read_settings()
  server_header("| case | unit |", "|---|---|")
  print header; print rule
  nsum = 0; nrat = 0
  for (i = 1; i <= nc; i++) {
    c = C[i]; u = unit[c]
    print "| " label[c] " | " u (u == "B/conn" ? " (lower is better)" : "") " |" median_cells(c, u)
  }
  print ""
  server_header("| server CPU per op (ns, lower is better) |", "|---|")
  print header; print rule
  for (i = 1; i <= nc; i++) {
    c = C[i]; any = 0
    for (j = 1; j <= ns; j++) if (ncpu[c, S[j]] > 0) any = 1
    if (!any) continue
    print "| " label[c] " (per " (c ~ /^stream/ ? "16 KiB chunk" : "round trip") ") |" cpu_cells(c, 1, 0)
  }
  if (present("epoll")) {
    print ""
    header = "| against epoll: throughput; server CPU per op |"; rule = "|---|"
    for (j = 1; j <= ns; j++) if (S[j] != "epoll") { header = header " " S[j] "/epoll |"; rule = rule "---:|" }
    print header; print rule
    for (i = 1; i <= nc; i++) {
      c = C[i]; if (unit[c] == "B/conn") continue
      row = "| " label[c] " |"
      for (j = 1; j <= ns; j++) if (S[j] != "epoll") {
        if (!echoed(c, S[j])) { row = row " no echo |"; continue }
        row = row " " ratio_ci("value", c, S[j], "epoll", "n/a") "; CPU " ratio_ci("cpu", c, S[j], "epoll", "n/a") " |"
      }
      print row
    }
    print ""
    print "Geometric mean of the per-round ratios (95 % CI); epoll-b/epoll is the A/A control: two copies of the same server, the smallest difference the run resolves."
  }
  # The client bottleneck: each server under the io_uring load generator
  # against under the epoll one.
  line = ""
  for (i = 1; i <= nc; i++) {
    c = C[i]; if (c !~ /_u$/) continue
    b = substr(c, 1, length(c) - 2)
    cell = ""
    for (j = 1; j <= ns; j++) cell = cell (cell == "" ? "" : ", ") S[j] " " (echoed(c, S[j]) && echoed(b, S[j]) ? client_ratio(S[j], c, b) : "n/a (no echo)")
    lb = label[b]; sub(/, epoll client$/, "", lb)
    line = line (line == "" ? "" : "; ") lb ": " cell
  }
  if (line != "") {
    print ""
    print "Rate with the io_uring load generator against with the epoll one (same server, same round; geometric mean, 95 % CI): " line "."
  }
  # Issue 19: net-uring against net-conn (net on epoll).
  if (present("net-uring") && present("net-conn")) {
    print ""
    print "| issue 19: net-uring/net-conn | throughput (target) | server CPU per op (target) |"
    print "|---|---|---|"
    for (i = 1; i <= nc; i++) {
      c = C[i]; u = unit[c]
      if (u == "B/conn") {
        m = med[c, "net-uring"]
        cell = (m == "" || errs[c, "net-uring"] > 0 || !(m + 0 > 0)) ? "MISSED: not measured (failed)" : sprintf("%.0f B: %s", m, m <= 400 ? "met (≤ 400 B)" : "MISSED (> 400 B)")
        keep_target(c, "net-uring", "<= 400 B", cell)
        print "| " label[c] " | " cell " | |"
        continue
      }
      goal = (c ~ /^pp_1000?x64_u$/) ? 1.4 : 1
      cpu_goal = (c ~ /^pp_1000?x64/) ? 0.75 : 0
      tc = target_cell("value", c, "net-uring", "net-conn", goal, "net-uring/net-conn")
      cc = cpu_goal > 0 ? target_cell("cpu", c, "net-uring", "net-conn", cpu_goal, "server CPU per op, net-uring/net-conn") : ratio_ci("cpu", c, "net-uring", "net-conn", "n/a")
      print "| " label[c] " | ≥ " sprintf("%.2f×", goal) ": " tc " | " (cpu_goal > 0 ? "≤ 0.75×: " : "") cc " |"
    }
  } else if (present("net-conn")) {
    print ""
    print "(net-uring not measured: examples/echo_server --backend io_uring did not start, or not among --servers; the targets of issue 19 are not judged.)"
  }
  print ""
  printf "Medians over %d rounds (min–max). Per case and round, the servers interleaved in one run: turns of %s s, %s s measured per server after %s s warm-up; servers on CPU 0, the client on CPU 1%s; %s; load average before %s, after %s; %d s.\n",
         max_round, slice, seconds, warmup, pinned ? "" : " (NOT pinned)", machine, load_before, load_after, elapsed
  json_begin()
  json_summary()
  json_end()
}'
