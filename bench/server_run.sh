#!/usr/bin/env bash
# Builds and runs the net::Server benchmark of issue 14 (not a test); see
# docs/bench.md, "net::Server (issue 14)".
#
#   bench/server_run.sh          full run: 5 rounds; per case, every server
#                                gets 0.5 s warm-up + 2 s measured (about
#                                9 minutes: about 100 s a round)
#   bench/server_run.sh --quick  smoke run: 2 rounds, 0.2 s + 0.4 s, 200 idle
#                                connections (about 1 minute)
#
# Options (as bench/run.sh's): --rounds N, --seconds S, --warmup S (per
#   server and case), --slice S (one server's turn, default 0.1),
#   --idle-conns N (default 1000: each is a thread in the thread-pool
#   servers), --servers "net-pool poco pool pool-b net-cb net-cb1 asio
#   asio-b",
#   --cases "pool4_accept pool4_pp8 pool4_pp100 pool16_accept pool16_pp8
#   pool16_pp100 cb_accept cb_pp8 cb_pp100 idle_rss",
#   --server NAME=PATH [ARGS] (add or replace a server; NAME must begin with
#   the name of one above, whose arguments and cases it takes: e.g.
#   --server net-pool2=/tmp/other/bench/server_net), --output DIR (default
#   build/bench/server), --build-dir DIR (the release tree, default
#   build/bench: bench/run.sh's), --session R (round trips per connection in
#   the thread-pool ping-pong cases, default 100), --load PATH (another
#   load generator, e.g. one built with a patched bench/load_common.h),
#   --wait-quiet S, --no-setup, --no-build, --report RAW.tsv (measure
#   nothing: the tables again from an earlier run's raw.tsv).
#
# The servers (each an echo; bench/server_*.cc):
#   thread pool, W workers (4 or 16, from the case; a fixed pool):
#     net-pool  bench/server_net --strategy threadpool --workers W
#               (net::Server, pool_min = pool_max = W)
#     poco      bench/server_poco --workers W (Poco::Net::TCPServer,
#               maxThreads W, a ThreadPool of W, maxQueued 1024)
#     pool      bench/server_pool --workers W (hand-written: one blocking
#               acceptor, a bounded hand-off of W, W blocking workers)
#     pool-b    bench/server_pool_b, the same source: the A/A control
#   callback, 2 threads:
#     net-cb    bench/server_net --strategy callback --threads 2
#     net-cb1   bench/server_net --strategy callback --threads 1: one loop,
#               what the strategy costs with a loop per core (the server's
#               one core here); beside net-cb, it shows what the second
#               loop on the same core costs. Judged as net-cb is, but the
#               issue's target is net-cb's (2 loops).
#     asio      bench/echo_asio --threads 2 (one io_context, run() on
#               2 threads)
#     asio-b    the same binary, a process of its own: the A/A control
# net-pool and net-cb are left out (said so) while bench/server_net is not
# built (core/server.cc not there yet).
#
# The cases (bench/load):
#   poolW_accept  W in 4, 16: connect, 1-byte echo, close, 4 in flight
#   poolW_pp8     ping-pong 8 connections x 64 B, sessions of R round trips
#   poolW_pp100   ping-pong 100 connections x 64 B, sessions of R round trips
#   cb_accept     as poolW_accept, against the callback servers
#   cb_pp8        ping-pong 8 x 64 B, persistent connections
#   cb_pp100      ping-pong 100 x 64 B, persistent connections
#   idle_rss      RSS per idle connection (N held, each after a 1-byte
#                 echo), every server alone; the thread-pool servers with
#                 room for N + 16 workers, started on demand (--min-workers
#                 1), so each connection's thread is counted
#
# What it does: installs what is missing (scripts/setup-debian.sh --bench),
# builds the release tree with the `server_bench` target, then per round and
# case starts the case's servers at once on CPU 0 (fresh processes) and one
# load generator on CPU 1, which measures them interleaved in turns of
# --slice seconds, who goes first rotating every round (bench/run.sh's
# method, bench/lib.sh). The machine has 2 CPUs: every server thread shares
# CPU 0, so 2 loops or 16 workers measure the strategy's overhead, not a
# parallel speed-up.
#
# Prints the medians (min-max over rounds), the server CPU per operation,
# and the targets of issue 14, judged on the geometric mean of the
# per-round ratios and its 95 % CI (docs/bench.md, "How the target is
# judged"): net-pool >= 1.00x poco and >= 0.95x pool (met unless the whole
# interval lies below), net-cb >= 1.00x asio (likewise); the A/A controls
# pool-b/pool and asio-b/asio beside them; and the RSS per idle connection
# of each. Writes results.json (every raw measurement and the summary) and
# results.md (the tables) to the output directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_init server_run.sh 8 "$@"

servers="net-pool poco pool pool-b net-cb net-cb1 asio asio-b"
cases="pool4_accept pool4_pp8 pool4_pp100 pool16_accept pool16_pp8 pool16_pp100 cb_accept cb_pp8 cb_pp100 idle_rss"
session=100
load_override=""

own_option() {
  build_dir_option "$@" && return
  bench_shift=2
  case "$1" in
    --session) session=$2 ;;
    --load) load_override=$2 ;;
    *) return 1 ;;
  esac
}

bench_parse "$@"
[[ -n $idle_conns ]] || idle_conns=$((quick ? 200 : 1000))  # unless --idle-conns
[[ $session =~ ^[1-9][0-9]*$ ]] || { log "--session wants a whole number >= 1"; exit 2; }
bench_report_settings

# --- setup and build ---------------------------------------------------------

bench_setup_build server_bench

# A server: its binary and the arguments of its kind (below, server_args).
declare -A binary=(
  [net-pool]="$build/bench/server_net"
  [net-cb]="$build/bench/server_net"
  [net-cb1]="$build/bench/server_net"
  [poco]="$build/bench/server_poco"
  [pool]="$build/bench/server_pool"
  # The same source as `pool`, a binary and a process of its own: the A/A
  # control of the thread-pool cases.
  [pool-b]="$build/bench/server_pool_b"
  [asio]="$build/bench/echo_asio"
  # The same binary as `asio`, a process of its own: the A/A control of the
  # callback cases.
  [asio-b]="$build/bench/echo_asio"
)
bench_extra_servers

# kind NAME: the server NAME is (an extra server is of the kind its name
# begins with); empty if none.
kind() {
  local k
  for k in net-pool net-cb pool-b pool poco asio-b asio; do
    [[ $1 == "$k"* ]] && { echo "$k"; return; }
  done
}
# group KIND: pool (thread-pool cases), cb (callback cases).
group() {
  case "$1" in
    net-pool|poco|pool|pool-b) echo pool ;;
    net-cb|asio|asio-b) echo cb ;;
  esac
}

load=${load_override:-$build/bench/load}
# Server CPU per operation needs the CPU time of every thread of the
# server: bench/load_common.h's ReadCpuNs() must read the process's CPU
# clock (clock_getcpuclockid), not /proc/PID/schedstat, which is the main
# thread's alone (0 for a thread pool whose main thread sleeps, half for
# Asio on 2 threads). Without that, the CPU figures are left out.
# (A run keeps the answer in run/cpu_all_threads beside its raw.tsv, for
# --report.)
cpu_whole=0
if [[ -n $report && -r $(dirname "$report")/cpu_all_threads ]]; then
  cpu_whole=$(cat "$(dirname "$report")/cpu_all_threads")
elif [[ -n $load_override ]] || grep -q clock_getcpuclockid "$root/bench/load_common.h"; then
  cpu_whole=1
fi
[[ $cpu_whole == 1 ]] || log "bench/load reads the server's CPU from /proc/PID/schedstat (its main thread only): server CPU per operation is not reported"
if [[ -z $report ]]; then
  for s in $servers; do
    [[ -n $(kind "$s") ]] || { log "server '$s': its name must begin with one of net-pool net-cb poco pool pool-b asio asio-b"; exit 2; }
  done
fi
bench_check_servers 'net-*' "core/server.cc not built yet?"

# --- the machine -------------------------------------------------------------

bench_machine
# Each held idle connection is a thread in the thread-pool servers.
threads_max=$(cat /proc/sys/kernel/threads-max 2>/dev/null || echo 0)
if [[ $threads_max -gt 0 && $threads_max -lt $((2 * idle_conns + 1000)) ]]; then
  log "kernel.threads-max is $threads_max: holding only $(( (threads_max - 1000) / 2 )) idle connections"
  idle_conns=$(( (threads_max - 1000) / 2 ))
fi

# --- cases -------------------------------------------------------------------

# The thread-pool cases with 4 and 16 workers, the callback cases, and
# idle_rss; the accept case and idle_rss are bench/cases.sh's.
# shellcheck source=bench/cases.sh
source "$root/bench/cases.sh"
accept_args=${case_args[accept]}
accept_label=${case_label[accept]}
for c in "${!case_args[@]}"; do
  [[ $c == idle_rss ]] || unset "case_args[$c]" "case_label[$c]"
done
for w in 4 16; do
  case_args[pool${w}_accept]=$accept_args
  case_label[pool${w}_accept]="$w workers: $accept_label"
  for conns in 8 100; do
    case_args[pool${w}_pp$conns]="--case pingpong --conns $conns --size 64 --session $session"
    case_label[pool${w}_pp$conns]="$w workers: ping-pong $conns × 64 B, sessions of $session"
  done
done
case_args[cb_accept]=$accept_args
case_label[cb_accept]="2 threads: $accept_label"
for conns in 8 100; do
  case_args[cb_pp$conns]="--case pingpong --conns $conns --size 64"
  case_label[cb_pp$conns]="2 threads: ping-pong $conns × 64 B"
done
bench_check_cases
bench_output "$build/server"
[[ -n $report ]] || echo "$cpu_whole" > "$work/cpu_all_threads"
trap cleanup EXIT
trap 'exit 130' INT TERM

# case_group CASE: pool, cb or idle.
case_group() {
  case "$1" in
    pool*) echo pool ;;
    cb_*) echo cb ;;
    idle_rss*) echo idle ;;
  esac
}
# workers CASE: W of a thread-pool case.
case_workers() {
  local w=${1#pool}
  echo "${w%%_*}"
}

# server_args NAME CASE: the arguments of server NAME in CASE.
server_args() {
  local k w min=""
  k=$(kind "$1")
  if [[ $(case_group "$2") == idle ]]; then
    # Room for every held connection (and the first one, and the load
    # generator's spares), workers started on demand: each connection's
    # thread is in the count.
    w=$((idle_conns + 16))
    min=" --min-workers 1"
  else
    w=$(case_workers "$2")
  fi
  case "$k" in
    net-pool) echo "--strategy threadpool --workers $w$min" ;;
    poco|pool|pool-b) echo "--workers $w$min" ;;
    net-cb) [[ $1 == net-cb1 ]] && echo "--strategy callback --threads 1" ||
      echo "--strategy callback --threads 2" ;;
    asio|asio-b) echo "--threads 2" ;;
  esac
}

# start_server NAME FILE MAX_SECONDS: starts a server on the server CPU, its
# address in FILE; sets $started_pid. The case is $current_case.
start_server() {
  local extra
  read -r -a extra <<< "$(server_args "$1" "$current_case")"
  bench_start_server "$1" "$2" "${extra[@]}" --listen 127.0.0.1:0 \
    --max-seconds "$3"
}

# Replaces bench/lib.sh's: SIGTERM, then up to 5 s for each server to end
# (server_net drains for up to 0.5 s), then SIGKILL, said so: one server
# that does not stop cannot hang the run.
running() {  # a live process, not a zombie waiting for `wait`
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)
  [[ -n $state && $state != Z ]]
}
stop_servers() {
  local p k
  for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${server_pids[@]}"; do
    for ((k = 0; k < 50; k++)); do running "$p" || break; sleep 0.1; done
    if running "$p"; then
      log "server $p did not end within 5 s of SIGTERM: killed"
      kill -KILL "$p" 2>/dev/null || true
    fi
    wait "$p" 2>/dev/null || true
  done
  server_pids=()
}

# case_servers CASE (for bench_measure): the servers of the case's group
# (idle RSS: all but the A/A controls).
case_servers() {
  local s list=()
  for s in $servers; do
    case "$(case_group "$1")" in
      pool) [[ $(group "$(kind "$s")") == pool ]] && list+=("$s") ;;
      cb) [[ $(group "$(kind "$s")") == cb ]] && list+=("$s") ;;
      idle) [[ $(kind "$s") != *-b ]] && list+=("$s") ;;
    esac
  done
  echo "${list[*]}"
}
bench_measure

# --- report ------------------------------------------------------------------

kinds=""
for s in $servers; do kinds+="$s=$(kind "$s") "; done
# shellcheck disable=SC2016  # an awk program, not shell
bench_report '
{
  read_record()
  x = field($7, "server_ns_per_op")
  if (x != "" && cpu_whole) keep_cpu(x)
  x = field($7, "client_ns_per_op")
  if (x != "") keep_client_cpu(x)
  x = field($7, "sessions")
  if (x != "") nsessions[c, s] += x
}
# The servers of `names` (a space-separated list of kinds) that ran, in
# the order of --servers: into S[1..ns], for the functions of bench/lib.sh.
function use_servers(names,    j, n, k, w) {
  n = split(servers, ALL, " "); ns = 0
  split(names, w, " "); delete want
  for (k in w) want[w[k]] = 1
  for (j = 1; j <= n; j++) if (KIND[ALL[j]] in want) S[++ns] = ALL[j]
  return ns
}
# The cases of group `g` (pool, cb, idle) that ran, into G[1..ng].
function use_cases(g,    i) {
  ng = 0
  for (i = 1; i <= nc; i++) {
    if ((g == "pool" && C[i] ~ /^pool/) || (g == "cb" && C[i] ~ /^cb_/) || (g == "idle" && C[i] ~ /^idle_rss/)) G[++ng] = C[i]
  }
  return ng
}
function ran(c, s) { return n[c, s] + 0 > 0 }
# x/y of case `c` judged against `goal` (at least goal×: met unless the
# whole interval lies below), kept in results.json.
function verdict_cell(c, x, y, goal, what,    m, a, g, cell) {
  m = paired("value", c, x, y, a)
  if (m == 0) return "n/a"
  geo_ci(a, m, g); sort_values(a, m)
  keep_ratio(c, x, y, a, m, g)
  # One round has no interval: the ratio, not judged.
  if (m < 2) return sprintf("%.3f× (one round: not judged)", g["mean"])
  cell = judge(g, goal, 0)
  keep_target(c, what, sprintf(">= %.2f", goal), cell)
  return cell
}
# The geometric mean of the per-round ratios x/y (95 % CI), in table `t`
# (value or cpu); kept in results.json for throughput.
function ratio_cell(t, c, x, y) { return ratio_ci(t, c, x, y, "n/a") }
function medians_table(title,    i, c, u) {
  server_header("| " title " | unit |", "|---|---|")
  print header; print rule
  for (i = 1; i <= ng; i++) {
    c = G[i]; u = unit[c]
    print "| " label[c] " | " u (u == "B/conn" ? " (lower is better)" : "") " |" median_cells(c, u)
  }
}
function cpu_table(title,    i, c, j, any) {
  if (!cpu_whole) {
    print "(Server CPU per operation not shown: bench/load reads /proc/PID/schedstat, the main thread'"'"'s CPU alone; it needs ReadCpuNs() in bench/load_common.h on the process'"'"'s CPU clock.)"
    return
  }
  server_header("| " title " |", "|---|")
  print header; print rule
  for (i = 1; i <= ng; i++) {
    c = G[i]; any = 0
    for (j = 1; j <= ns; j++) if (ncpu[c, S[j]] > 0) any = 1
    if (!any) continue
    print "| " label[c] " (per " (c ~ /accept/ ? "connection" : "round trip") ") |" cpu_cells(c, 1000, 1)
  }
  # The load generator: where its core bounds the rate (near 100 % busy),
  # what a server makes it pay per operation decides (docs/bench.md,
  # "Where the client bounds the accept case").
  any = 0
  for (i = 1; i <= ng; i++) if (measured(nccpu, G[i])) any = 1
  if (!any) return
  print ""
  server_header("| client CPU per op (µs, lower is better) |", "|---|")
  print header; print rule
  for (i = 1; i <= ng; i++) {
    if (measured(nccpu, G[i])) print "| " label[G[i]] " |" client_cpu_cells(G[i], 1000, 1)
  }
}
END {
  read_settings()
  nk = split(kinds, KL, " ")
  for (i = 1; i <= nk; i++) { p = index(KL[i], "="); KIND[substr(KL[i], 1, p - 1)] = substr(KL[i], p + 1) }
  total_errors = 0
  for (i = 1; i <= nc; i++) for (s in KIND) total_errors += errs[C[i], s]

  # --- the thread pools ---
  if (use_cases("pool") > 0 && use_servers("net-pool poco pool pool-b") > 0) {
    print "### Thread pool (fixed pools of 4 and 16 workers)"
    print ""
    medians_table("thread pool")
    print ""
    cpu_table("server CPU per op (µs, lower is better)")
    print ""
    # Every net-pool server (an extra one too) against the first poco and
    # the first pool; the A/A control pool-b/pool.
    nn = 0; poco = ""; hand = ""; hand_b = ""
    for (j = 1; j <= ns; j++) {
      if (KIND[S[j]] == "net-pool") NET[++nn] = S[j]
      if (KIND[S[j]] == "poco" && poco == "") poco = S[j]
      if (KIND[S[j]] == "pool" && hand == "") hand = S[j]
      if (KIND[S[j]] == "pool-b" && hand_b == "") hand_b = S[j]
    }
    header = "| thread pool (issue 14) |"; rule = "|---|"
    for (k = 1; k <= nn; k++) {
      if (poco != "") { header = header " " NET[k] "/" poco " (target ≥ 1.00×) |"; rule = rule "---|" }
      if (hand != "") { header = header " " NET[k] "/" hand " (target ≥ 0.95×) |"; rule = rule "---|" }
    }
    if (hand != "" && hand_b != "") { header = header " A/A " hand_b "/" hand " |"; rule = rule "---:|" }
    if (cpu_whole) for (k = 1; k <= nn; k++) {
      if (poco != "") { header = header " server CPU per op " NET[k] "/" poco " |"; rule = rule "---:|" }
      if (hand != "") { header = header " server CPU per op " NET[k] "/" hand " |"; rule = rule "---:|" }
    }
    if (cpu_whole && hand != "" && hand_b != "") { header = header " server CPU per op, A/A |"; rule = rule "---:|" }
    print header; print rule
    for (i = 1; i <= ng; i++) {
      c = G[i]; row = "| " label[c] " |"
      for (k = 1; k <= nn; k++) {
        if (poco != "") row = row " " verdict_cell(c, NET[k], poco, 1, NET[k] "/" poco) " |"
        if (hand != "") row = row " " verdict_cell(c, NET[k], hand, 0.95, NET[k] "/" hand) " |"
      }
      if (hand != "" && hand_b != "") row = row " " ratio_cell("value", c, hand_b, hand) " |"
      if (cpu_whole) for (k = 1; k <= nn; k++) {
        if (poco != "") row = row " " ratio_cell("cpu", c, NET[k], poco) " |"
        if (hand != "") row = row " " ratio_cell("cpu", c, NET[k], hand) " |"
      }
      if (cpu_whole && hand != "" && hand_b != "") row = row " " ratio_cell("cpu", c, hand_b, hand) " |"
      print row
    }
    if (nn == 0) print "\n(net::Server was not measured: bench/server_net not built, or not among --servers; its targets are not judged.)"
    line = ""
    for (i = 1; i <= ng; i++) {
      c = G[i]; if (c !~ /_pp/) continue
      cell = ""
      for (j = 1; j <= ns; j++) if (nsessions[c, S[j]] > 0) cell = cell (cell == "" ? "" : ", ") S[j] " " nsessions[c, S[j]]
      if (cell != "") line = line (line == "" ? "" : "; ") label[c] ": " cell
    }
    if (line != "") { print ""; print "Sessions completed in the counted windows, all rounds: " line "." }
    print ""
  }

  # --- the callback strategy ---
  if (use_cases("cb") > 0 && use_servers("net-cb asio asio-b") > 0) {
    print "### Callback (2 loop threads) against Asio (io_context on 2 threads)"
    print ""
    medians_table("callback")
    print ""
    cpu_table("server CPU per op (µs, lower is better)")
    print ""
    # Every net-cb server against the first asio; the A/A control
    # asio-b/asio.
    nn = 0; asio = ""; asio_b = ""
    for (j = 1; j <= ns; j++) {
      if (KIND[S[j]] == "net-cb") NET[++nn] = S[j]
      if (KIND[S[j]] == "asio" && asio == "") asio = S[j]
      if (KIND[S[j]] == "asio-b" && asio_b == "") asio_b = S[j]
    }
    header = "| callback (issue 14) |"; rule = "|---|"
    if (asio != "") for (k = 1; k <= nn; k++) { header = header " " NET[k] "/" asio " (target ≥ 1.00×) |"; rule = rule "---|" }
    if (asio != "" && asio_b != "") { header = header " A/A " asio_b "/" asio " |"; rule = rule "---:|" }
    if (cpu_whole && asio != "") for (k = 1; k <= nn; k++) { header = header " server CPU per op " NET[k] "/" asio " |"; rule = rule "---:|" }
    if (cpu_whole && asio != "" && asio_b != "") { header = header " server CPU per op, A/A |"; rule = rule "---:|" }
    print header; print rule
    for (i = 1; i <= ng; i++) {
      c = G[i]; row = "| " label[c] " |"
      if (asio != "") for (k = 1; k <= nn; k++) row = row " " verdict_cell(c, NET[k], asio, 1, NET[k] "/" asio) " |"
      if (asio != "" && asio_b != "") row = row " " ratio_cell("value", c, asio_b, asio) " |"
      if (cpu_whole && asio != "") for (k = 1; k <= nn; k++) row = row " " ratio_cell("cpu", c, NET[k], asio) " |"
      if (cpu_whole && asio != "" && asio_b != "") row = row " " ratio_cell("cpu", c, asio_b, asio) " |"
      print row
    }
    if (nn == 0) print "\n(net::Server was not measured: bench/server_net not built, or not among --servers; its target is not judged.)"
    print ""
  }

  # --- memory ---
  if (use_cases("idle") > 0 && use_servers("net-cb net-pool poco pool asio") > 0) {
    print "### Memory per connection"
    print ""
    medians_table("memory")
    print ""
    print "Thread-pool servers: room for every held connection, workers started on demand (so each held connection includes its thread: stack pages touched, thread structures); callback servers: 2 loops (net-cb1: one). RSS counts user space only (socket buffers live in the kernel)."
    print ""
  }

  print "Errors (connections that failed or closed early), all cases: " total_errors "."
  print ""
  printf "Medians over %d rounds (min–max). Targets judged on the geometric mean of the per-round ratios and its 95 %% confidence interval (Student t): met unless the whole interval lies below the target (ahead: above it; level: spans it). Per case and round, the case'"'"'s servers interleaved in one run: turns of %s s, %s s measured per server after %s s warm-up; every server thread on CPU 0, the client on CPU 1%s (2 loops or 16 workers on one core measure overhead, not parallel speed-up); %s; load average before %s, after %s; %d s.\n",
         max_round, slice, seconds, warmup, pinned ? "" : " (NOT pinned)", machine, load_before, load_after, elapsed

  json_begin()
  printf "  \"session_round_trips\": %d,\n  \"server_cpu_all_threads\": %s,\n", session, cpu_whole ? "true" : "false" > json
  json_summary()
  json_end()
}' -v kinds="$kinds" -v session="$session" -v cpu_whole="$cpu_whole"
