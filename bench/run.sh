#!/usr/bin/env bash
# Builds and runs the benchmark of issues 5 and 12 (not a test); see
# docs/bench.md.
#
#   bench/run.sh            full run: 5 rounds; per case, every server gets
#                           0.5 s warm-up + 2 s measured (about 16 minutes)
#   bench/run.sh --quick    smoke run: 2 rounds, 0.2 s + 0.4 s, 2,000 idle
#                           connections (about 2 minutes)
#
# Options: --rounds N, --seconds S, --warmup S (per server and case),
#   --slice S (the length of one server's turn, default 0.1), --idle-conns N,
#   --servers "net net-lt net-conn epoll epoll-b epoll-et libevent
#   bufferevent asio libuv"
#   (net: bench/echo_listener, the hand-written echo on Listener + EventLoop
#   of issue 5; net-lt: the same with --trigger level; net-conn:
#   examples/echo_server, on net::Connection (issue 12); epoll-b: a second
#   copy of the baseline, the A/A control that shows what the method
#   resolves; epoll-et: the baseline with EPOLLET; bufferevent: libevent's
#   bufferevents, the buffered anchor for net-conn; not by default,
#   net-conn-lt: examples/echo_server --trigger level, and epoll-hot and
#   epoll-cold: the baseline plus a known cost per event, to calibrate),
#   --cases "pp_1x64 ..." (bench/cases.sh),
#   --server NAME=PATH [ARGS] (add or replace a server, e.g. a patched
#   echo_server to compare with: --server net2=/tmp/other/examples/echo_server),
#   --output DIR (where results.json, results.md and the raw files go;
#   default build/bench),
#   --wait-quiet S (before each measurement, wait up to S seconds for half a
#   second in which the machine is under 10 % busy: for a shared machine),
#   --no-setup (skip scripts/setup-debian.sh --bench), --no-build,
#   --build-only (set up and build, measure nothing: bench/connect_rate.sh),
#   --report RAW.tsv (measure nothing: print the tables and write the JSON
#   again from the raw.tsv of an earlier run, e.g. build/bench/run/raw.tsv).
#
# What it does: installs what is missing (scripts/setup-debian.sh --bench),
# builds a release tree in build/bench with -DNET_BUILD_BENCH=ON, raises the
# descriptor limit, then for each round, for each case, starts every server
# at once on CPU 0 (fresh processes) and one load generator on CPU 1 that
# measures them interleaved: turns of --slice seconds, server after server,
# over the same window (who goes first rotates every round), over
# 127.0.0.1 only. The idle-RSS cases run each server alone. Prints a
# markdown table of medians (min-max over rounds) and of net's ratio to each
# other server (the median of the per-round ratios, min-max), judges the
# targets by the geometric mean of the per-round ratios and its 95 %
# confidence interval (issue 5: net >= 1.00x epoll, <= 256 B per idle
# connection; issue 12, a table of its own: net-conn >= 0.97x epoll and
# ahead of bufferevent and libuv, <= 400 B per never-used and <= 600 B per
# idle connection), and writes
# build/bench/results.json (every raw measurement and the summary) and
# build/bench/results.md (the table).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_init run.sh 8 "$@"

build_only=0
servers="net net-lt net-conn epoll epoll-b epoll-et libevent bufferevent asio libuv"
cases="pp_1x64 pp_100x64 pp_1000x64 pp_10x16k stream_16k accept idle_rss idle_rss_unused"

own_option() {
  bench_shift=1
  case "$1" in
    --build-only) build_only=1 ;;
    *) return 1 ;;
  esac
}

bench_parse "$@"
[[ -n $idle_conns ]] || idle_conns=$((quick ? 2000 : 10000))  # unless --idle-conns
bench_report_settings

# --- setup and build ---------------------------------------------------------

bench_setup_build bench
[[ $build_only == 0 ]] || exit 0

# A server: its binary, then any arguments of its own (before run.sh's
# --listen and --max-seconds).
declare -A binary=(
  [net]="$build/bench/echo_listener"
  [net-lt]="$build/bench/echo_listener --trigger level"
  [net-conn]="$build/examples/echo_server"
  [net-conn-lt]="$build/examples/echo_server --trigger level"
  [epoll]="$build/bench/echo_epoll"
  # The same binary as `epoll`, a process of its own: the A/A control.
  [epoll-b]="$build/bench/echo_epoll"
  [epoll-et]="$build/bench/echo_epoll_et"
  # Calibrations, not in the default list: the baseline plus a known cost
  # per event (bench/echo_epoll.cc; docs/bench.md, "How the target is
  # judged").
  [epoll-hot]="$build/bench/echo_epoll_hot"
  [epoll-cold]="$build/bench/echo_epoll_cold"
  [libevent]="$build/bench/echo_libevent"
  [bufferevent]="$build/bench/echo_bufferevent"
  [asio]="$build/bench/echo_asio"
  [libuv]="$build/bench/echo_libuv"
)
bench_extra_servers
load="$build/bench/load"
bench_check_servers "" ""  # every server is required

# --- the machine -------------------------------------------------------------

bench_machine

# --- cases -------------------------------------------------------------------

# shellcheck source=bench/cases.sh
source "$root/bench/cases.sh"
bench_check_cases
bench_output "$build"
trap cleanup EXIT

# start_server NAME FILE MAX_SECONDS: starts a server on the server CPU, its
# address in FILE; sets $started_pid.
start_server() {
  bench_start_server "$1" "$2" --listen 127.0.0.1:0 --max-seconds "$3"
}

bench_measure

# --- report ------------------------------------------------------------------

bench_report '
{
  read_record()
  if (match($7, /server_ns_per_op=[0-9.]+/)) keep_cpu(substr($7, RSTART + 17, RLENGTH - 17))
  x = field($7, "client_ns_per_op")
  if (x != "") keep_client_cpu(x)
}
END {
  read_settings()
  has_net = present("net")

  server_header("| case | unit |", "|---|---|")
  if (has_net) for (j = 1; j <= ns; j++) if (S[j] != "net") {
    header = header " net/" S[j] " |"; rule = rule "---:|"
  }
  if (has_net) { header = header " target |"; rule = rule "---|" }
  print header; print rule

  nsum = 0; nrat = 0
  for (i = 1; i <= nc; i++) {
    c = C[i]; u = unit[c]
    row = "| " label[c] " | " u (u == "B/conn" ? " (lower is better)" : "") " |"
    row = row median_cells(c, u)
    verdict = ""
    if (has_net) for (j = 1; j <= ns; j++) {
      o = S[j]; if (o == "net") continue
      m = paired("value", c, "net", o, a)
      if (m == 0) { row = row " n/a |"; continue }
      sort_values(a, m); rm = median(a, m)
      cell = sprintf("%.2f× (%.2f–%.2f)", rm, a[1], a[m])
      if (a[1] < 1 && a[m] > 1) cell = cell " ≈"
      row = row " " cell " |"
      geo_ci(a, m, g)
      keep_ratio(c, "net", o, a, m, g)
      if (o == "epoll") {
        # Judged on the geometric mean of the per-round ratios and its 95 %
        # confidence interval (judge(); the A/A control, epoll-b, shows how
        # far two copies of the same server drift apart).
        if (u == "B/conn") {
          verdict = med[c, "net"] <= 256 ? "met (≤ 256 B)" : "MISSED (> 256 B)"
          keep_target(c, "net", "<= 256 B", verdict)
        } else {
          verdict = judge(g, 1, 0)
          keep_target(c, "net/epoll", ">= 1.00", verdict)
        }
      }
    }
    if (has_net) row = row " " verdict " |"
    print row
  }
  # Second table: server CPU time per operation, which separates the
  # servers where the client (one core) bounds the rate.
  print ""
  server_header("| server CPU per op (ns, lower is better) |", "|---|")
  if (has_net) for (j = 1; j <= ns; j++) if (S[j] != "net") {
    header = header " net/" S[j] " |"; rule = rule "---:|"
  }
  print header; print rule
  ncs = 0
  for (i = 1; i <= nc; i++) {
    c = C[i]; any = 0
    for (j = 1; j <= ns; j++) if (ncpu[c, S[j]] > 0) any = 1
    if (!any) continue
    row = "| " label[c] " (per " (c == "accept" ? "connection" : c == "stream_16k" ? "16 KiB chunk" : "round trip") ") |"
    row = row cpu_cells(c, 1, 0)
    if (has_net) for (j = 1; j <= ns; j++) {
      o = S[j]; if (o == "net") continue
      m = paired("cpu", c, "net", o, a)
      if (m == 0) { row = row " n/a |"; continue }
      sort_values(a, m)
      cell = sprintf("%.2f× (%.2f–%.2f)", median(a, m), a[1], a[m])
      if (a[1] < 1 && a[m] > 1) cell = cell " ≈"
      row = row " " cell " |"
      if (o == "epoll") {
        geo_ci(a, m, g)
        cpu_ci = cpu_ci sprintf("%s%s %.3f× (%.3f–%.3f)", cpu_ci == "" ? "" : "; ", label[c], g["mean"], g["low"], g["high"])
      }
    }
    print row
  }

  if (cpu_ci != "") {
    print ""
    print "Server CPU per op, net/epoll, geometric mean of the per-round ratios (95 % CI): " cpu_ci "."
  }
  # Third table: the CPU time of the client per operation (in the turns of
  # each server). Where the client runs at 100 % of its core, the rate is
  # what it can do, and a server that makes it pay more per operation
  # (waking the server from its sleep, docs/bench.md "Where the client
  # bounds the accept case") gets less, however little CPU it spends itself.
  any = 0
  for (i = 1; i <= nc; i++) if (measured(nccpu, C[i])) any = 1
  if (any) {
    print ""
    server_header("| client CPU per op (ns, lower is better) |", "|---|")
    print header; print rule
    for (i = 1; i <= nc; i++) {
      if (measured(nccpu, C[i])) print "| " label[C[i]] " |" client_cpu_cells(C[i], 1, 0)
    }
  }
  # The A/A control: the baseline against a second copy of itself, judged
  # the same way. Two identical servers differ only by chance and by the
  # process (its addresses, its place in the turns), so this is the
  # smallest difference the run can tell from nothing.
  has_control = 0
  for (j = 1; j <= ns; j++) if (S[j] == "epoll-b") has_control = 1
  if (has_control) {
    aa = ""; aacpu = ""
    for (i = 1; i <= nc; i++) {
      c = C[i]; if (unit[c] == "B/conn") continue
      x = ratio_ci("value", c, "epoll-b", "epoll", "")
      if (x != "") aa = aa (aa == "" ? "" : "; ") label[c] " " x
      x = ratio_ci("cpu", c, "epoll-b", "epoll", "")
      if (x != "") aacpu = aacpu (aacpu == "" ? "" : "; ") label[c] " " x
    }
    print ""
    print "A/A control, the epoll loop against a second copy of itself (epoll-b/epoll), geometric mean of the per-round ratios (95 % CI): throughput " aa "."
    if (aacpu != "") print "Server CPU per op, epoll-b/epoll: " aacpu "."
  }
  # Issue 12: net-conn (examples/echo_server on net::Connection), at least
  # 0.97x the epoll loop, ahead of the buffered libraries (bufferevent,
  # libuv), and its memory per connection.
  has_conn = 0
  for (j = 1; j <= ns; j++) if (S[j] == "net-conn") has_conn = 1
  if (has_conn) {
    split("epoll bufferevent libuv", O, " ")
    goal["epoll"] = 0.97; goal["bufferevent"] = 1; goal["libuv"] = 1
    ahead["epoll"] = 0; ahead["bufferevent"] = 1; ahead["libuv"] = 1
    rss_goal["idle_rss_unused"] = 400; rss_goal["idle_rss"] = 600
    print ""
    header = "| net-conn (issue 12) |"; rule = "|---|"
    for (k = 1; k <= 3; k++) if (present(O[k])) {
      header = header sprintf(" net-conn/%s (target %s) |", O[k], ahead[O[k]] ? "ahead" : sprintf("≥ %.2f×", goal[O[k]]))
      rule = rule "---|"
    }
    if (present("epoll")) { header = header " server CPU per op, net-conn/epoll |"; rule = rule "---:|" }
    print header; print rule
    for (i = 1; i <= nc; i++) {
      c = C[i]; u = unit[c]
      row = "| " label[c] " |"
      if (u == "B/conn") {
        if (med[c, "net-conn"] == "") { cell = "n/a" }
        else if (c in rss_goal) {
          cell = sprintf("%.0f B: %s", med[c, "net-conn"], med[c, "net-conn"] <= rss_goal[c] ? sprintf("met (≤ %d B)", rss_goal[c]) : sprintf("MISSED (> %d B)", rss_goal[c]))
          keep_target(c, "net-conn", "<= " rss_goal[c] " B", cell)
        } else { cell = sprintf("%.0f B", med[c, "net-conn"]) }
        row = row " " cell " |"
        for (k = 2; k <= 3; k++) if (present(O[k])) row = row " |"
        if (present("epoll")) row = row " |"
        print row
        continue
      }
      for (k = 1; k <= 3; k++) {
        o = O[k]; if (!present(o)) continue
        m = paired("value", c, "net-conn", o, a)
        if (m == 0) { row = row " n/a |"; continue }
        sort_values(a, m); geo_ci(a, m, g)
        keep_ratio(c, "net-conn", o, a, m, g)
        cell = judge(g, goal[o], ahead[o])
        keep_target(c, "net-conn/" o, ahead[o] ? "ahead" : sprintf(">= %.2f", goal[o]), cell)
        row = row " " cell " |"
      }
      if (present("epoll")) {
        m = paired("cpu", c, "net-conn", "epoll", a)
        if (m == 0) { row = row " n/a |" }
        else { geo_ci(a, m, g); row = row sprintf(" %.3f× (%.3f–%.3f) |", g["mean"], g["low"], g["high"]) }
      }
      print row
    }
    print ""
    print "The targets of net-conn are judged as those of net: on the geometric mean of the per-round ratios and its 95 % CI; against epoll, met unless the whole interval lies below 0.97; against bufferevent and libuv, met only when the whole interval lies above 1.00 (ahead)."
  }
  print ""
  printf "Medians over %d rounds (min–max); ratios are medians of per-round ratios (min–max), ≈: the range spans 1.00 (within noise). The target column judges net/epoll by the geometric mean of the per-round ratios and its 95 %% confidence interval (Student t): ahead or MISSED (behind) when the whole interval is on one side of 1.00, level when it spans it. Per case and round, all servers interleaved in one run: turns of %s s, %s s measured per server after %s s warm-up; server on CPU 0, client on CPU 1%s; %s; load average before %s, after %s; %d s.\n",
         max_round, slice, seconds, warmup, pinned ? "" : " (NOT pinned)", machine, load_before, load_after, elapsed

  json_begin()
  json_summary()
  json_end()
}'
