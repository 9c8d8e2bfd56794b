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
invocation="bench/run.sh${*:+ $*}"
build="$root/build/bench"

rounds=5
seconds=2
warmup=0.5
slice=0.1
idle_conns=""  # 10000; 2000 with --quick
quick=0
setup=1
do_build=1
build_only=0
servers="net net-lt net-conn epoll epoll-b epoll-et libevent bufferevent asio libuv"
extra_servers=()
wait_quiet=0
output=""
report=""
cases="pp_1x64 pp_100x64 pp_1000x64 pp_10x16k stream_16k accept idle_rss idle_rss_unused"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; rounds=2; seconds=0.4; warmup=0.2 ;;
    --rounds) rounds=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --slice) slice=$2; shift ;;
    --idle-conns) idle_conns=$2; shift ;;
    --servers) servers=$2; shift ;;
    --cases) cases=$2; shift ;;
    --server) extra_servers+=("$2"); shift ;;
    --wait-quiet) wait_quiet=$2; shift ;;
    --output) output=$2; shift ;;
    --report) report=$2; shift ;;
    --no-setup) setup=0 ;;
    --no-build) do_build=0 ;;
    --build-only) build_only=1 ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/p}' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "run.sh: $*" >&2; }
[[ -n $idle_conns ]] || idle_conns=$((quick ? 2000 : 10000))

if [[ -n $report ]]; then
  [[ -r $report ]] || { log "cannot read $report"; exit 2; }
  report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
  setup=0
  do_build=0
  # The servers, cases and rounds are those of the raw file, in its order.
  servers=$(awk -F'\t' '!seen[$3]++ { printf "%s%s", sep, $3; sep = " " }' "$report")
  cases=$(awk -F'\t' '!seen[$2]++ { printf "%s%s", sep, $2; sep = " " }' "$report")
  rounds=$(awk -F'\t' '$1 > r { r = $1 } END { print r }' "$report")
  # The idle cases' labels say how many connections were held.
  held=$(awk -F'\t' 'match($7, /held=[0-9]+/) { h = substr($7, RSTART + 5, RLENGTH - 5) + 0; if (h > m) m = h } END { print m + 0 }' "$report")
  [[ $held == 0 ]] || idle_conns=$held
fi

# --- setup and build ---------------------------------------------------------

if [[ $setup == 1 ]]; then
  bash "$root/scripts/setup-debian.sh" --bench >&2
fi
if [[ $do_build == 1 ]]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
      -DNET_BUILD_BENCH=ON -DNET_BUILD_EXAMPLES=ON -DNET_BUILD_TESTS=OFF \
      -DNET_BUILD_TOOLS=OFF >&2
  fi
  cmake --build "$build" --target bench >&2
fi
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
for spec in "${extra_servers[@]}"; do
  name=${spec%%=*}
  binary[$name]=${spec#*=}
  [[ " $servers " == *" $name "* ]] || servers+=" $name"
done
load="$build/bench/load"
if [[ -z $report ]]; then
  for s in $servers; do
    command=${binary[$s]:-/nonexistent}
    [[ -x ${command%% *} ]] || { log "no server '$s' (${binary[$s]:-unknown name})"; exit 1; }
  done
  [[ -x $load ]] || { log "no load generator at $load"; exit 1; }
fi

# --- the machine -------------------------------------------------------------

# Each held connection is a descriptor in the server and one in the client.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fd_limit=$(ulimit -n)
if [[ $fd_limit != unlimited && $fd_limit -lt $((idle_conns + 64)) ]]; then
  idle_conns=$((fd_limit - 64))
  log "descriptor limit $fd_limit: holding only $idle_conns idle connections"
fi

server_pin=()
client_pin=()
if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
  server_pin=(taskset -c 0)
  client_pin=(taskset -c 1)
else
  log "not pinned (needs taskset and 2 CPUs)"
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [[ -z $report ]] && awk -v l="${load_before%% *}" 'BEGIN { exit !(l >= 0.5) }'; then
  log "load average is $load_before: other work is running, expect noise"
fi

# --- cases -------------------------------------------------------------------

# shellcheck source=bench/cases.sh
source "$root/bench/cases.sh"
for c in $cases; do
  [[ -n ${case_args[$c]:-} ]] || { log "unknown case '$c'"; exit 2; }
done

[[ -n $output ]] || output=$build
mkdir -p "$output"
output=$(cd "$output" && pwd)
work="$output/run"
if [[ -n $report ]]; then  # it may live in $work
  report_copy=$(mktemp)
  cp "$report" "$report_copy"
fi
rm -rf "$work"
mkdir -p "$work"
raw="$work/raw.tsv"
if [[ -n $report ]]; then
  cp "$report_copy" "$raw"
  rm -f "$report_copy"
else
  : > "$raw"
fi
server_pids=()
cleanup() {
  local p
  for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# CPU busy percentage of the whole machine over half a second.
busy_percent() {
  local a b
  read -r -a a < /proc/stat
  sleep 0.5
  read -r -a b < /proc/stat
  awk -v a="${a[*]}" -v b="${b[*]}" 'BEGIN {
    n = split(a, x, " "); split(b, y, " ")
    for (i = 2; i <= 9 && i <= n; i++) {  # user .. steal
      d = y[i] - x[i]; total += d
      if (i == 5 || i == 6) idle += d  # idle, iowait
    }
    printf "%d", (total > 0 ? 100 * (total - idle) / total : 0)
  }'
}

# Waits up to $wait_quiet seconds for a quiet moment; prints the last
# busy percentage seen.
wait_for_quiet() {
  local busy waited=0
  busy=$(busy_percent)
  while [[ $busy -ge 10 && $waited -lt $wait_quiet ]]; do
    sleep 1
    waited=$((waited + 2))  # one second asleep, half a second sampling, rounding
    busy=$(busy_percent)
  done
  echo "$busy"
}

# run_one ROUND CASE SERVER: one server alone (the idle RSS cases, which
# read one server's memory), one line appended to $raw.
run_one() {
  local round=$1 c=$2 s=$3 addr out status=0 busy=""
  if [[ $wait_quiet -gt 0 ]]; then busy=$(wait_for_quiet); fi
  local max_seconds
  max_seconds=$(awk -v w="$warmup" -v s="$seconds" 'BEGIN { printf "%d", w + s + 90 }')
  # A new file each time: the server's shell truncates it after the fork, so
  # a reused name could still show the previous server's address.
  start_server "$s" "$work/addr.$round.$c.$s" "$max_seconds"
  addr=$(wait_address "$work/addr.$round.$c.$s" "$s")
  # shellcheck disable=SC2086  # case_args is a word list
  out=$("${client_pin[@]}" "$load" --connect "$addr" ${case_args[$c]} \
        --warmup "$warmup" --seconds "$seconds" --server-pid "$started_pid" \
        2> "$work/load.err") || status=$?
  stop_servers
  if [[ $status -ne 0 || -z $out ]]; then
    log "round $round $c $s: load failed ($status): $(tr '\n' ' ' < "$work/load.err")"
    out="value=nan unit=? errors=1"
  fi
  append_raw "$round" "$c" "$s" "$out" "$busy"
  sleep 0.2  # let the kernel finish tearing down the last connections
}

# start_server NAME FILE: starts a server on the server CPU, its address in
# FILE; sets $started_pid.
start_server() {
  local s=$1 addr_file=$2 max_seconds=$3
  local command
  read -r -a command <<< "${binary[$s]}"
  "${server_pin[@]}" "${command[@]}" --listen 127.0.0.1:0 \
    --max-seconds "$max_seconds" > "$addr_file" 2> "$work/server.$s.err" &
  started_pid=$!
  server_pids+=("$started_pid")
}

# wait_address FILE NAME: prints the address a server printed first.
wait_address() {
  local addr=""
  for _ in $(seq 100); do
    addr=$(head -n1 "$1" 2>/dev/null || true)
    [[ -n $addr ]] && break
    sleep 0.05
  done
  if [[ -z $addr ]]; then
    log "$2 did not print its address"; cat "$work/server.$2.err" >&2; exit 1
  fi
  echo "$addr"
}

stop_servers() {
  local p
  for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${server_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  server_pids=()
}

# append_raw ROUND CASE SERVER OUT BUSY: one line of $raw from the load
# generator's output for one server.
append_raw() {
  local round=$1 c=$2 s=$3 out=$4 busy=$5 value unit errors rest
  value=$(sed -n 's/.*value=\([^ ]*\).*/\1/p' <<< "$out")
  unit=$(sed -n 's/.*unit=\([^ ]*\).*/\1/p' <<< "$out")
  errors=$(sed -n 's/.*errors=\([^ ]*\).*/\1/p' <<< "$out")
  rest=$(sed 's/^\(target=[^ ]* \)\{0,1\}value=[^ ]* unit=[^ ]* errors=[^ ]* *//' <<< "$out")
  [[ -n $busy ]] && rest+=" busy_before=$busy%"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$c" "$s" "$value" "$unit" \
    "$errors" "$rest" >> "$raw"
  printf 'run.sh: [%s/%s] %-10s %-8s %12s %-6s errors=%s %s\n' "$round" \
    "$rounds" "$c" "$s" "$value" "$unit" "$errors" "$rest" >&2
}

# run_interleaved ROUND CASE SERVER...: every server started at once (all on
# the server CPU, idle but for their turns), one load generator measuring
# them in turns of $slice seconds (bench/load.cc, `Schedule`).
run_interleaved() {
  local round=$1 c=$2 busy="" out status=0 k
  shift 2
  local names=("$@") pids=() args=()
  if [[ $wait_quiet -gt 0 ]]; then busy=$(wait_for_quiet); fi
  local max_seconds
  max_seconds=$(awk -v w="$warmup" -v s="$seconds" -v n=$# \
    'BEGIN { printf "%d", (w + s) * n + 90 }')
  for k in "${!names[@]}"; do
    start_server "${names[$k]}" "$work/addr.$round.$c.$k" "$max_seconds"
    pids+=("$started_pid")
  done
  for k in "${!names[@]}"; do
    args+=(--connect "$(wait_address "$work/addr.$round.$c.$k" "${names[$k]}")"
           --server-pid "${pids[$k]}")
  done
  # shellcheck disable=SC2086  # case_args is a word list
  out=$("${client_pin[@]}" "$load" "${args[@]}" ${case_args[$c]} \
        --warmup "$warmup" --seconds "$seconds" --slice "$slice" \
        2> "$work/load.err") || status=$?
  stop_servers
  for k in "${!names[@]}"; do
    local line
    line=$(grep "^target=$k " <<< "$out" || true)
    if [[ $status -ne 0 || -z $line ]]; then
      log "round $round $c ${names[$k]}: load failed ($status): $(tr '\n' ' ' < "$work/load.err")"
      line="value=nan unit=? errors=1"
    fi
    append_raw "$round" "$c" "${names[$k]}" "$line" "$busy"
  done
  sleep 0.5  # let the kernel finish tearing down the last connections
}

started=$(date +%s)
read -r -a server_list <<< "$servers"
n_servers=${#server_list[@]}
measure_rounds=$rounds
[[ -n $report ]] && measure_rounds=0
for ((round = 1; round <= measure_rounds; round++)); do
  for c in $cases; do
    # The order (who has the first turn) rotates every round.
    order=()
    for ((k = 0; k < n_servers; k++)); do
      order+=("${server_list[$(((k + round - 1) % n_servers))]}")
    done
    if [[ $c == idle_rss* ]]; then
      for s in "${order[@]}"; do run_one "$round" "$c" "$s"; done
    else
      run_interleaved "$round" "$c" "${order[@]}"
    fi
  done
done
elapsed=$(($(date +%s) - started))
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
if [[ -n $report ]]; then
  load_before="(not measured: re-reported from $report)"
  load_after=$load_before
fi

# --- report ------------------------------------------------------------------

labels=""
for c in $cases; do labels+="$c=${case_label[$c]}"$'\t'; done
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
machine="$cpu, $(nproc) CPUs, Linux $(uname -r)"
command=$invocation

awk -F'\t' \
  -v servers="$servers" -v cases="$cases" -v labels="$labels" \
  -v json="$output/results.json" -v machine="$machine" \
  -v rounds="$rounds" -v seconds="$seconds" -v warmup="$warmup" -v slice="$slice" \
  -v quick="$quick" -v elapsed="$elapsed" -v command="$command" \
  -v load_before="$load_before" -v load_after="$load_after" \
  -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -v pinned="${#server_pin[@]}" '
function sort_values(a, n,    i, j, t) {
  for (i = 2; i <= n; i++) {
    t = a[i]
    for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
    a[j + 1] = t
  }
}
function median(a, n) {
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
# The two-sided 95 % quantile of Student t with `df` degrees of freedom.
function t95(df) {
  if (df <= 0) return 0
  split("12.71 4.30 3.18 2.78 2.57 2.45 2.36 2.31 2.26 2.23 2.20 2.18 2.16 2.14 2.13 2.12 2.11 2.10 2.09 2.09 2.08 2.07 2.07 2.06 2.06 2.06 2.05 2.05 2.05 2.04", T, " ")
  return df <= 30 ? T[df] + 0 : 1.96
}
# Of the per-round ratios a[1..n]: the geometric mean, and a 95 % confidence
# interval for it (the mean of the logarithms, plus or minus t times its
# standard error), in g["mean"], g["low"], g["high"]. The rounds are paired
# and independent, so this says how well n rounds pin the ratio down; the
# min-max range only widens with more rounds.
function geo_ci(a, n, g,    i, sum, mean, ss, se) {
  sum = 0; for (i = 1; i <= n; i++) sum += log(a[i]); mean = sum / n
  ss = 0; for (i = 1; i <= n; i++) ss += (log(a[i]) - mean) ^ 2
  se = n > 1 ? sqrt(ss / (n - 1) / n) : 0
  g["mean"] = exp(mean); g["low"] = exp(mean - t95(n - 1) * se)
  g["high"] = exp(mean + t95(n - 1) * se)
}
# The per-round ratios of server `x` to server `y` in table `t` ("value"
# or "cpu") for case `c`, into a[1..m]; returns m. Paired by round: both
# ran in the same turns, under the same conditions.
function paired(t, c, x, y, a,    r, m, p, q) {
  split("", a); m = 0
  for (r = 1; r <= max_round; r++) {
    p = t == "cpu" ? cpu[c, x, r] : value[c, x, r]
    q = t == "cpu" ? cpu[c, y, r] : value[c, y, r]
    if (p != "" && q != "" && p == p + 0 && q == q + 0 && q + 0 != 0) a[++m] = (p + 0) / (q + 0)
  }
  return m
}
# Keeps the ratio x/y of case `c` in results.json: a[1..m] sorted, `g`
# from geo_ci().
function keep_ratio(c, x, y, a, m, g) {
  ratios[++nrat] = sprintf("{\"case\": %s, \"ratio\": \"%s/%s\", \"median\": %.4f, \"min\": %.4f, \"max\": %.4f, \"rounds\": %d, \"geomean\": %.4f, \"ci95_low\": %.4f, \"ci95_high\": %.4f}",
                           jstr(c), x, y, median(a, m), a[1], a[m], m, g["mean"], g["low"], g["high"])
}
# The A/A control: the ratio of `x` to `y` in table `t` for case `c`, as
# "G× (LOW–HIGH)"; throughput ratios are also kept in results.json.
function control(t, c, x, y,    m, a, g) {
  m = paired(t, c, x, y, a)
  if (m == 0) return ""
  geo_ci(a, m, g)
  if (t != "cpu") {
    sort_values(a, m)
    keep_ratio(c, x, y, a, m, g)
  }
  return sprintf("%.3f× (%.3f–%.3f)", g["mean"], g["low"], g["high"])
}
# The verdict on a target "at least t times y" from `g` (geo_ci()), as
# docs/bench.md ("How the target is judged") says: MISSED, behind when the
# whole 95 % interval lies below t (measurably behind), ahead when it lies
# at or above t, level when it spans t (no difference the run can resolve),
# which meets the target unless `need_ahead` (a target of being ahead).
# Against a target other than 1.00 the words name it ("met, ahead of
# 0.97×").
function judge(g, t, need_ahead,    ci, of) {
  ci = sprintf("%.3f× (95 %% CI %.3f–%.3f)", g["mean"], g["low"], g["high"])
  of = t == 1 ? "" : sprintf("%%s %.2f×", t)
  if (g["low"] >= t) return "met, ahead" sprintf(of, " of") ": " ci
  if (g["high"] < t) return "MISSED, behind" sprintf(of, "") ": " ci
  return (need_ahead ? "MISSED, level" : "met, level") sprintf(of, " with") ": " ci
}
# Keeps a verdict in results.json.
function keep_target(c, what, target, verdict) {
  targets[++ntg] = sprintf("{\"case\": %s, \"what\": %s, \"target\": %s, \"verdict\": %s}",
                           jstr(c), jstr(what), jstr(target), jstr(verdict))
}
function present(name,    j) {
  for (j = 1; j <= ns; j++) if (S[j] == name) return 1
  return 0
}
function fmt(v, unit) {
  if (v == "" || v != v + 0) return "n/a"
  if (unit == "MB/s" || unit == "B/conn") return sprintf("%.0f", v)
  if (v >= 1000) return sprintf("%.1fk", v / 1000)
  return sprintf("%.0f", v)
}
function jstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
function jnum(v) { return (v == "" || v != v + 0) ? "null" : v + 0 }
{
  round = $1; c = $2; s = $3
  value[c, s, round] = $4; unit[c] = $5
  if ($6 + 0 > 0) errs[c, s] += $6
  if ($4 == $4 + 0) { n[c, s]++; v[c, s, n[c, s]] = $4 + 0 }
  if (match($7, /server_ns_per_op=[0-9.]+/)) {
    x = substr($7, RSTART + 17, RLENGTH - 17) + 0
    cpu[c, s, round] = x; ncpu[c, s]++; vcpu[c, s, ncpu[c, s]] = x
  }
  raw[++nraw] = sprintf("{\"round\": %d, \"case\": %s, \"server\": %s, \"value\": %s, \"unit\": %s, \"errors\": %d, \"detail\": %s}",
                        round, jstr(c), jstr(s), jnum($4), jstr($5), $6 + 0, jstr($7))
  if (round > max_round) max_round = round
}
END {
  ns = split(servers, S, " "); nc = split(cases, C, " ")
  nl = split(labels, L, "\t")
  for (i = 1; i <= nl; i++) { p = index(L[i], "="); if (p) label[substr(L[i], 1, p - 1)] = substr(L[i], p + 1) }
  has_net = 0; for (j = 1; j <= ns; j++) if (S[j] == "net") has_net = 1

  header = "| case | unit |"; rule = "|---|---|"
  for (j = 1; j <= ns; j++) { header = header " " S[j] " |"; rule = rule "---:|" }
  if (has_net) for (j = 1; j <= ns; j++) if (S[j] != "net") {
    header = header " net/" S[j] " |"; rule = rule "---:|"
  }
  if (has_net) { header = header " target |"; rule = rule "---|" }
  print header; print rule

  nsum = 0; nrat = 0
  for (i = 1; i <= nc; i++) {
    c = C[i]; u = unit[c]
    row = "| " label[c] " | " u (u == "B/conn" ? " (lower is better)" : "") " |"
    for (j = 1; j <= ns; j++) {
      s = S[j]; m = n[c, s]
      if (m == 0) { row = row " n/a |"; continue }
      delete a; for (k = 1; k <= m; k++) a[k] = v[c, s, k]
      sort_values(a, m)
      med[c, s] = median(a, m)
      cell = fmt(med[c, s], u) " (" fmt(a[1], u) "–" fmt(a[m], u) ")"
      if (errs[c, s] > 0) cell = cell " ⚠" errs[c, s] " errors"
      row = row " " cell " |"
      summary[++nsum] = sprintf("{\"case\": %s, \"server\": %s, \"unit\": %s, \"median\": %s, \"min\": %s, \"max\": %s, \"n\": %d, \"errors\": %d}",
                                jstr(c), jstr(s), jstr(u), jnum(med[c, s]), jnum(a[1]), jnum(a[m]), m, errs[c, s] + 0)
    }
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
  header = "| server CPU per op (ns, lower is better) |"; rule = "|---|"
  for (j = 1; j <= ns; j++) { header = header " " S[j] " |"; rule = rule "---:|" }
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
    for (j = 1; j <= ns; j++) {
      s = S[j]; m = ncpu[c, s]
      if (m == 0) { row = row " n/a |"; continue }
      delete a; for (k = 1; k <= m; k++) a[k] = vcpu[c, s, k]
      sort_values(a, m)
      row = row sprintf(" %.0f (%.0f–%.0f) |", median(a, m), a[1], a[m])
      cpusum[++ncs] = sprintf("{\"case\": %s, \"server\": %s, \"server_ns_per_op_median\": %.0f, \"min\": %.0f, \"max\": %.0f}",
                              jstr(c), jstr(s), median(a, m), a[1], a[m])
    }
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
      x = control("value", c, "epoll-b", "epoll")
      if (x != "") aa = aa (aa == "" ? "" : "; ") label[c] " " x
      x = control("cpu", c, "epoll-b", "epoll")
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

  printf "{\n  \"command\": %s,\n  \"date\": %s,\n  \"machine\": %s,\n", jstr(command), jstr(date), jstr(machine) > json
  printf "  \"load_average_before\": %s,\n  \"load_average_after\": %s,\n", jstr(load_before), jstr(load_after) > json
  printf "  \"rounds\": %d,\n  \"seconds\": %s,\n  \"warmup\": %s,\n  \"slice\": %s,\n  \"quick\": %s,\n  \"pinned\": %s,\n  \"elapsed_seconds\": %d,\n",
         rounds, seconds, warmup, slice, quick ? "true" : "false", pinned ? "true" : "false", elapsed > json
  printf "  \"cases\": {" > json
  for (i = 1; i <= nc; i++) printf "%s%s: %s", (i > 1 ? ", " : ""), jstr(C[i]), jstr(label[C[i]]) > json
  printf "},\n  \"summary\": [\n" > json
  for (i = 1; i <= nsum; i++) printf "    %s%s\n", summary[i], (i < nsum ? "," : "") > json
  printf "  ],\n  \"ratios\": [\n" > json
  for (i = 1; i <= nrat; i++) printf "    %s%s\n", ratios[i], (i < nrat ? "," : "") > json
  printf "  ],\n  \"targets\": [\n" > json
  for (i = 1; i <= ntg; i++) printf "    %s%s\n", targets[i], (i < ntg ? "," : "") > json
  printf "  ],\n  \"server_cpu\": [\n" > json
  for (i = 1; i <= ncs; i++) printf "    %s%s\n", cpusum[i], (i < ncs ? "," : "") > json
  printf "  ],\n  \"raw\": [\n" > json
  for (i = 1; i <= nraw; i++) printf "    %s%s\n", raw[i], (i < nraw ? "," : "") > json
  printf "  ]\n}\n" > json
}' "$raw" | tee "$output/results.md"
log "raw results: $output/results.json"
