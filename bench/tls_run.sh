#!/usr/bin/env bash
# Builds and runs the TLS benchmark of issue 13 (not a test); see
# docs/bench.md, "TLS (issue 13)".
#
#   bench/tls_run.sh          full run: 5 rounds; per case, every server gets
#                             0.5 s warm-up + 2 s measured (about 8 minutes)
#   bench/tls_run.sh --quick  smoke run: 2 rounds, 0.2 s + 0.4 s (one to two
#                             minutes)
#
# Options (as bench/run.sh's): --rounds N, --seconds S, --warmup S (per
#   server and case), --slice S (one server's turn, default 0.1),
#   --idle-conns N (default 2000), --servers "net-tls epoll epoll-b asio
#   bufferevent" (net-tls: examples/tls_echo_server, net's TLS on
#   net::Connection; epoll: bench/tls_echo_epoll, the hand-written OpenSSL +
#   epoll loop, the baseline; epoll-b: bench/tls_echo_epoll_b, a second copy
#   of it, the A/A control; asio: bench/tls_echo_asio, Asio's ssl::stream;
#   bufferevent: bench/tls_echo_bufferevent, libevent's OpenSSL
#   bufferevents), --cases "pp_1x64 pp_100x64 pp_10x16k stream_16k hs_full
#   hs_resumed idle_rss", --server NAME=PATH [ARGS] (add or replace a server
#   with the command line of examples/tls_echo_server), --output DIR (default
#   build/bench/tls), --build-dir DIR (the release tree, default build/bench:
#   bench/run.sh's, so one build serves both), --wait-quiet S, --no-setup,
#   --no-build, --report RAW.tsv (measure nothing: the tables again from an
#   earlier run's raw.tsv).
#
# What it does: installs what is missing (scripts/setup-debian.sh --bench),
# builds the release tree (configured as bench/run.sh configures it) with
# the `tls_bench` target, makes a throwaway test CA and an ECDSA P-256 leaf
# for 127.0.0.1 and localhost in the output directory (openssl command),
# then per round and case starts every server at once on CPU 0 and one load
# generator (bench/tls_load) on CPU 1, which measures them interleaved in
# turns of --slice seconds, who goes first rotating every round (bench/run.sh's
# method). The client offers only TLS 1.3 and TLS_AES_128_GCM_SHA256 and
# does not verify the certificate (it checks the handshake's signature, as
# the protocol does). The idle RSS case runs each server alone. If
# examples/tls_echo_server is not built, net-tls is left out, said so, and
# the rest runs.
#
# Prints a table of medians (min-max over rounds), every server's ratio to
# the epoll loop (the geometric mean of the per-round ratios, 95 % CI;
# epoll-b/epoll is the A/A control), the server CPU per operation, the
# checks (what was negotiated, how many resumed handshakes resumed, echo
# errors, how busy the client's core was), and judges net-tls's targets:
# >= 0.97x epoll in every echo and handshake case, ahead of asio and
# bufferevent in every echo case, <= 16 KiB of RSS per idle connection; and
# its capacity (1 / server CPU per operation) >= 0.97x epoll's, which
# decides where the client bounds the rates (the full handshakes). Writes
# results.json (every raw measurement and the summary) and results.md (the
# tables) to the output directory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
invocation="bench/tls_run.sh${*:+ $*}"
build="$root/build/bench"

rounds=5
seconds=2
warmup=0.5
slice=0.1
idle_conns=2000
quick=0
setup=1
do_build=1
servers="net-tls epoll epoll-b asio bufferevent"
extra_servers=()
wait_quiet=0
output=""
report=""
cases="pp_1x64 pp_100x64 pp_10x16k stream_16k hs_full hs_resumed idle_rss"

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
    --build-dir) build=$(mkdir -p "$2" && cd "$2" && pwd); shift ;;
    --report) report=$2; shift ;;
    --no-setup) setup=0 ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/p}' "$0"; exit 0 ;;
    *) echo "tls_run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "tls_run.sh: $*" >&2; }

if [[ -n $report ]]; then
  [[ -r $report ]] || { log "cannot read $report"; exit 2; }
  report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
  setup=0
  do_build=0
  # The servers, cases and rounds are those of the raw file, in its order.
  servers=$(awk -F'\t' '!seen[$3]++ { printf "%s%s", sep, $3; sep = " " }' "$report")
  cases=$(awk -F'\t' '!seen[$2]++ { printf "%s%s", sep, $2; sep = " " }' "$report")
  rounds=$(awk -F'\t' '$1 > r { r = $1 } END { print r }' "$report")
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
  if [[ ! -f "$build/CMakeCache.txt" ]]; then  # as bench/run.sh configures it
    cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
      -DNET_BUILD_BENCH=ON -DNET_BUILD_EXAMPLES=ON -DNET_BUILD_TESTS=OFF \
      -DNET_BUILD_TOOLS=OFF >&2
  fi
  cmake --build "$build" --target tls_bench >&2
fi

# A server: its binary, then any arguments of its own (before --listen,
# --cert and --key).
declare -A binary=(
  [net-tls]="$build/examples/tls_echo_server"
  [epoll]="$build/bench/tls_echo_epoll"
  # The same source as `epoll`, a binary and a process of its own: the A/A
  # control.
  [epoll-b]="$build/bench/tls_echo_epoll_b"
  [asio]="$build/bench/tls_echo_asio"
  [bufferevent]="$build/bench/tls_echo_bufferevent"
)
for spec in "${extra_servers[@]}"; do
  name=${spec%%=*}
  binary[$name]=${spec#*=}
  [[ " $servers " == *" $name "* ]] || servers+=" $name"
done
load="$build/bench/tls_load"
if [[ -z $report ]]; then
  kept=""
  for s in $servers; do
    command=${binary[$s]:-/nonexistent}
    if [[ ! -x ${command%% *} ]]; then
      if [[ $s == net-tls ]]; then
        log "no ${command%% *} (examples/tls_echo_server is not built yet): net-tls left out, its targets not judged"
        continue
      fi
      log "no server '$s' (${binary[$s]:-unknown name})"
      exit 1
    fi
    kept+="${kept:+ }$s"
  done
  servers=$kept
  [[ -n $servers ]] || { log "no server to measure"; exit 1; }
  [[ -x $load ]] || { log "no load generator at $load"; exit 1; }
fi

# --- the machine -------------------------------------------------------------

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

# What bench/tls_load is told for each case, and its label. The echo cases
# mean what bench/cases.sh's do, over TLS.
declare -A case_args=(
  [pp_1x64]="--case pingpong --conns 1 --size 64"
  [pp_100x64]="--case pingpong --conns 100 --size 64"
  [pp_10x16k]="--case pingpong --conns 10 --size 16384"
  [stream_16k]="--case stream --size 16384"
  [hs_full]="--case handshake --inflight 64"
  [hs_resumed]="--case handshake --inflight 64 --resume"
  [idle_rss]="--case idle --conns $idle_conns"
)
declare -A case_label=(
  [pp_1x64]="ping-pong 1 × 64 B"
  [pp_100x64]="ping-pong 100 × 64 B"
  [pp_10x16k]="ping-pong 10 × 16 KiB"
  [stream_16k]="stream 1 × 16 KiB chunks"
  [hs_full]="full handshakes (64 clients; + 64 B echo, close_notify)"
  [hs_resumed]="resumed handshakes (64 clients, TLS 1.3 tickets)"
  [idle_rss]="RSS per idle TLS connection ($idle_conns held, each after a handshake and a 1-byte echo)"
)
for c in $cases; do
  [[ -n ${case_args[$c]:-} ]] || { log "unknown case '$c'"; exit 2; }
done

[[ -n $output ]] || output=$build/tls
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

# A throwaway CA and an ECDSA P-256 leaf for 127.0.0.1 and localhost, valid
# two days (docs: /work/shared/TLS.md's recipe).
certs="$output/certs"
if [[ -z $report ]]; then
  rm -rf "$certs"
  mkdir -p "$certs"
  (
    cd "$certs"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout ca.key -out ca.pem -subj "/CN=net bench CA" -days 2 \
      -addext basicConstraints=critical,CA:TRUE
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout leaf.key -out leaf.csr -subj /CN=localhost
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > leaf.ext
    openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
      -days 2 -extfile leaf.ext -out leaf.pem
  ) > "$work/openssl.log" 2>&1 || { log "openssl failed:"; cat "$work/openssl.log" >&2; exit 1; }
fi

server_pids=()
cleanup() {
  local p
  for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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
    waited=$((waited + 2))
    busy=$(busy_percent)
  done
  echo "$busy"
}

# start_server NAME FILE: starts a server on the server CPU, its address in
# FILE; sets $started_pid. No --max-seconds: examples/tls_echo_server runs
# until killed, and every server is (stop_servers, and the exit trap).
start_server() {
  local s=$1 addr_file=$2
  local command
  read -r -a command <<< "${binary[$s]}"
  "${server_pin[@]}" "${command[@]}" --listen 127.0.0.1:0 \
    --cert "$certs/leaf.pem" --key "$certs/leaf.key" \
    > "$addr_file" 2> "$work/server.$s.err" &
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
  printf 'tls_run.sh: [%s/%s] %-10s %-11s %12s %-6s errors=%s %s\n' "$round" \
    "$rounds" "$c" "$s" "$value" "$unit" "$errors" "$rest" >&2
}

# run_one ROUND CASE SERVER: one server alone (the idle RSS case, which
# reads one server's memory).
run_one() {
  local round=$1 c=$2 s=$3 addr out status=0 busy=""
  if [[ $wait_quiet -gt 0 ]]; then busy=$(wait_for_quiet); fi
  # A new file each time: the server's shell truncates it after the fork, so
  # a reused name could still show the previous server's address.
  start_server "$s" "$work/addr.$round.$c.$s"
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
  sleep 0.2
}

# run_interleaved ROUND CASE SERVER...: every server started at once, one
# load generator measuring them in turns of $slice seconds.
run_interleaved() {
  local round=$1 c=$2 busy="" out status=0 k
  shift 2
  local names=("$@") pids=() args=()
  if [[ $wait_quiet -gt 0 ]]; then busy=$(wait_for_quiet); fi
  for k in "${!names[@]}"; do
    start_server "${names[$k]}" "$work/addr.$round.$c.$k"
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
    if [[ ${#names[@]} -gt 1 ]]; then
      line=$(grep "^target=$k " <<< "$out" || true)
    else
      line=$out
    fi
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
    if [[ $c == idle_rss ]]; then
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
machine="$cpu, $(nproc) CPUs, Linux $(uname -r), $(openssl version | cut -d' ' -f1-2)"

awk -F'\t' \
  -v servers="$servers" -v cases="$cases" -v labels="$labels" \
  -v json="$output/results.json" -v machine="$machine" \
  -v rounds="$rounds" -v seconds="$seconds" -v warmup="$warmup" -v slice="$slice" \
  -v quick="$quick" -v elapsed="$elapsed" -v command="$invocation" \
  -v load_before="$load_before" -v load_after="$load_after" \
  -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -v pinned="${#server_pin[@]}" \
  -v first_server="${servers%% *}" '
# --- statistics: as bench/run.sh computes them ---
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
# The geometric mean of a[1..n] and its 95 % CI, in g["mean"], g["low"],
# g["high"].
function geo_ci(a, n, g,    i, sum, mean, ss, se) {
  sum = 0; for (i = 1; i <= n; i++) sum += log(a[i]); mean = sum / n
  ss = 0; for (i = 1; i <= n; i++) ss += (log(a[i]) - mean) ^ 2
  se = n > 1 ? sqrt(ss / (n - 1) / n) : 0
  g["mean"] = exp(mean); g["low"] = exp(mean - t95(n - 1) * se)
  g["high"] = exp(mean + t95(n - 1) * se)
}
# The per-round ratios x/y in table t ("value" or "cpu") for case c, paired
# by round, into a[1..m]; returns m.
function paired(t, c, x, y, a,    r, m, p, q) {
  split("", a); m = 0
  for (r = 1; r <= max_round; r++) {
    p = t == "cpu" ? cpu[c, x, r] : value[c, x, r]
    q = t == "cpu" ? cpu[c, y, r] : value[c, y, r]
    if (p != "" && q != "" && p == p + 0 && q == q + 0 && q + 0 != 0) a[++m] = (p + 0) / (q + 0)
  }
  return m
}
function keep_ratio(c, x, y, a, m, g) {
  ratios[++nrat] = sprintf("{\"case\": %s, \"ratio\": \"%s/%s\", \"median\": %.4f, \"min\": %.4f, \"max\": %.4f, \"rounds\": %d, \"geomean\": %.4f, \"ci95_low\": %.4f, \"ci95_high\": %.4f}",
                           jstr(c), x, y, median(a, m), a[1], a[m], m, g["mean"], g["low"], g["high"])
}
# The verdict on "at least t times" (docs/bench.md, "How the target is
# judged"): ahead when the whole 95 % interval lies at or above t, MISSED
# (behind) when below, level when it spans t (a miss when `need_ahead`).
function judge(g, t, need_ahead,    ci, of) {
  ci = sprintf("%.3f× (95 %% CI %.3f–%.3f)", g["mean"], g["low"], g["high"])
  of = t == 1 ? "" : sprintf("%%s %.2f×", t)
  if (g["low"] >= t) return "met, ahead" sprintf(of, " of") ": " ci
  if (g["high"] < t) return "MISSED, behind" sprintf(of, "") ": " ci
  return (need_ahead ? "MISSED, level" : "met, level") sprintf(of, " with") ": " ci
}
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
function field(s, name,    re) {
  re = name "=[^ ]*"
  if (!match(s, re)) return ""
  return substr(s, RSTART + length(name) + 1, RLENGTH - length(name) - 1)
}
function jstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
function jnum(v) { return (v == "" || v != v + 0) ? "null" : v + 0 }
{
  round = $1; c = $2; s = $3
  value[c, s, round] = $4; unit[c] = $5
  if ($6 + 0 > 0) errs[c, s] += $6
  if ($4 == $4 + 0) { n[c, s]++; v[c, s, n[c, s]] = $4 + 0 }
  x = field($7, "server_ns_per_op")
  if (x != "") { cpu[c, s, round] = x + 0; ncpu[c, s]++; vcpu[c, s, ncpu[c, s]] = x + 0 }
  # Checks: what was negotiated, and how many handshakes resumed.
  x = field($7, "tls")
  if (x != "" && !(x in tls_seen)) { tls_seen[x] = 1; tls_list = tls_list (tls_list == "" ? "" : ", ") x }
  x = field($7, "client_busy")
  if (x != "" && s == first_server) { nbusy[c]++; vbusy[c, nbusy[c]] = x + 0 }
  x = field($7, "reused")
  if (x != "") {
    if (!((c, s) in reused_min) || x + 0 < reused_min[c, s]) reused_min[c, s] = x + 0
    if (!((c, s) in reused_max) || x + 0 > reused_max[c, s]) reused_max[c, s] = x + 0
  }
  raw[++nraw] = sprintf("{\"round\": %d, \"case\": %s, \"server\": %s, \"value\": %s, \"unit\": %s, \"errors\": %d, \"detail\": %s}",
                        round, jstr(c), jstr(s), jnum($4), jstr($5), $6 + 0, jstr($7))
  if (round > max_round) max_round = round
}
END {
  ns = split(servers, S, " "); nc = split(cases, C, " ")
  nl = split(labels, L, "\t")
  for (i = 1; i <= nl; i++) { p = index(L[i], "="); if (p) label[substr(L[i], 1, p - 1)] = substr(L[i], p + 1) }
  has_net = present("net-tls"); has_epoll = present("epoll")

  # 1. Medians.
  header = "| case | unit |"; rule = "|---|---|"
  for (j = 1; j <= ns; j++) { header = header " " S[j] " |"; rule = rule "---:|" }
  print header; print rule
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
    print row
  }

  # 2. Every server against the epoll loop: throughput, then server CPU per
  # operation (lower is better), geometric means of the per-round ratios.
  if (has_epoll && ns > 1) {
    print ""
    header = "| X/epoll, geometric mean of per-round ratios (95 % CI) |"; rule = "|---|"
    for (j = 1; j <= ns; j++) if (S[j] != "epoll") { header = header " " S[j] " |"; rule = rule "---:|" }
    print header; print rule
    for (i = 1; i <= nc; i++) {
      c = C[i]; if (unit[c] == "B/conn") continue
      for (t = 1; t <= 2; t++) {
        what = t == 1 ? "value" : "cpu"
        row = "| " label[c] (t == 1 ? ", " unit[c] : ", server CPU per op") " |"
        any = 0
        for (j = 1; j <= ns; j++) {
          o = S[j]; if (o == "epoll") continue
          m = paired(what, c, o, "epoll", a)
          if (m == 0) { row = row " n/a |"; continue }
          any = 1
          geo_ci(a, m, g); sort_values(a, m)
          if (t == 1) keep_ratio(c, o, "epoll", a, m, g)
          row = row sprintf(" %.3f× (%.3f–%.3f) |", g["mean"], g["low"], g["high"])
        }
        if (any) print row
      }
    }
  }

  # 3. Server CPU per operation, medians.
  print ""
  header = "| server CPU per op (µs, lower is better) |"; rule = "|---|"
  for (j = 1; j <= ns; j++) { header = header " " S[j] " |"; rule = rule "---:|" }
  print header; print rule
  for (i = 1; i <= nc; i++) {
    c = C[i]; any = 0
    for (j = 1; j <= ns; j++) if (ncpu[c, S[j]] > 0) any = 1
    if (!any) continue
    row = "| " label[c] " (per " (c ~ /^hs_/ ? "handshake" : c == "stream_16k" ? "16 KiB chunk" : "round trip") ") |"
    for (j = 1; j <= ns; j++) {
      s = S[j]; m = ncpu[c, s]
      if (m == 0) { row = row " n/a |"; continue }
      delete a; for (k = 1; k <= m; k++) a[k] = vcpu[c, s, k]
      sort_values(a, m)
      row = row sprintf(" %.1f (%.1f–%.1f) |", median(a, m) / 1000, a[1] / 1000, a[m] / 1000)
      cpusum[++ncs] = sprintf("{\"case\": %s, \"server\": %s, \"server_ns_per_op_median\": %.0f, \"min\": %.0f, \"max\": %.0f}",
                              jstr(c), jstr(s), median(a, m), a[1], a[m])
    }
    print row
  }

  # 4. Checks.
  print ""
  print "Negotiated: " (tls_list == "" ? "nothing recorded" : tls_list) "."
  for (i = 1; i <= nc; i++) {
    c = C[i]; if (c !~ /^hs_/) continue
    line = ""
    for (j = 1; j <= ns; j++) {
      s = S[j]; if (!((c, s) in reused_min)) continue
      line = line (line == "" ? "" : ", ") sprintf("%s %.4f–%.4f", s, reused_min[c, s], reused_max[c, s])
      checks[++nchk] = sprintf("{\"case\": %s, \"server\": %s, \"reused_fraction_min\": %.4f, \"reused_fraction_max\": %.4f}",
                               jstr(c), jstr(s), reused_min[c, s], reused_max[c, s])
    }
    if (line != "") print "Resumed fraction of the counted handshakes, " label[c] " (min–max over rounds): " line "."
  }
  line = ""
  for (i = 1; i <= nc; i++) {
    c = C[i]; m = nbusy[c]; if (m == 0) continue
    delete a; for (k = 1; k <= m; k++) a[k] = vbusy[c, k]
    sort_values(a, m)
    line = line (line == "" ? "" : ", ") sprintf("%s %.2f", c, median(a, m))
    busy_json = busy_json (busy_json == "" ? "" : ", ") sprintf("%s: %.3f", jstr(c), median(a, m))
  }
  if (line != "") print "Client CPU, the fraction of its core it used while measuring (median over rounds; near 1.00 the client bounds the rates, and server CPU per op tells the servers apart): " line "."
  total_errors = 0
  for (i = 1; i <= nc; i++) for (j = 1; j <= ns; j++) total_errors += errs[C[i], S[j]]
  print "Errors (failed connections or echoes other than the bytes sent): " total_errors "."

  # 5. The targets of issue 13.
  print ""
  if (!has_net) {
    print "net-tls was not measured (not among --servers, or examples/tls_echo_server not built): its targets are not judged."
  } else {
    split("epoll asio bufferevent", O, " ")
    goal["epoll"] = 0.97; goal["asio"] = 1; goal["bufferevent"] = 1
    ahead["epoll"] = 0; ahead["asio"] = 1; ahead["bufferevent"] = 1
    header = "| net-tls (issue 13) |"; rule = "|---|"
    for (k = 1; k <= 3; k++) if (present(O[k])) {
      header = header sprintf(" net-tls/%s (target %s) |", O[k], ahead[O[k]] ? "ahead" : sprintf("≥ %.2f×", goal[O[k]]))
      rule = rule "---|"
    }
    # Where the client bounds the rates (client_busy near 1: the full
    # handshakes), the rates of all servers come out alike; the server CPU
    # per operation then says what each could do: its capacity, 1 / CPU
    # per op, judged against the epoll loop as the rate is.
    if (has_epoll) { header = header " capacity net-tls/epoll (1 / server CPU per op, ≥ 0.97×) |"; rule = rule "---|" }
    print header; print rule
    for (i = 1; i <= nc; i++) {
      c = C[i]; u = unit[c]
      row = "| " label[c] " |"
      if (u == "B/conn") {
        if (med[c, "net-tls"] == "") cell = "n/a"
        else {
          cell = sprintf("%.0f B: %s", med[c, "net-tls"], med[c, "net-tls"] <= 16384 ? "met (≤ 16 KiB)" : "MISSED (> 16 KiB)")
          keep_target(c, "net-tls", "<= 16384 B", cell)
        }
        row = row " " cell " |"
        for (k = 2; k <= 3; k++) if (present(O[k])) row = row " |"
        if (has_epoll) row = row " |"
        print row
        continue
      }
      for (k = 1; k <= 3; k++) {
        o = O[k]; if (!present(o)) continue
        if (o != "epoll" && c ~ /^hs_/) { row = row " — |"; continue }  # echo cases only
        m = paired("value", c, "net-tls", o, a)
        if (m == 0) { row = row " n/a |"; continue }
        geo_ci(a, m, g); sort_values(a, m)
        keep_ratio(c, "net-tls", o, a, m, g)
        cell = judge(g, goal[o], ahead[o])
        keep_target(c, "net-tls/" o, ahead[o] ? "ahead" : sprintf(">= %.2f", goal[o]), cell)
        row = row " " cell " |"
      }
      if (has_epoll) {
        m = paired("cpu", c, "epoll", "net-tls", a)  # epoll CPU / net-tls CPU
        if (m == 0) { row = row " n/a |" }
        else {
          geo_ci(a, m, g)
          cell = judge(g, 0.97, 0)
          keep_target(c, "net-tls/epoll capacity (1 / server CPU per op)", ">= 0.97", cell)
          row = row " " cell " |"
        }
      }
      print row
    }
    print ""
    print "Judged as docs/bench.md says: on the geometric mean of the per-round ratios and its 95 % CI; against epoll, met unless the whole interval lies below 0.97; against asio and bufferevent (echo cases), met only when it lies above 1.00; RSS on the median over rounds. The capacity column judges the inverse of the server CPU per operation the same way: it decides where the client bounds the rates (client CPU near 1.00 above)."
  }
  print ""
  printf "Medians over %d rounds (min–max). Per case and round, all servers interleaved in one run: turns of %s s, %s s measured per server after %s s warm-up; server on CPU 0, client on CPU 1%s; TLS 1.3, TLS_AES_128_GCM_SHA256, ECDSA P-256 certificate, X25519; %s; load average before %s, after %s; %d s.\n",
         max_round, slice, seconds, warmup, pinned ? "" : " (NOT pinned)", machine, load_before, load_after, elapsed

  printf "{\n  \"command\": %s,\n  \"date\": %s,\n  \"machine\": %s,\n", jstr(command), jstr(date), jstr(machine) > json
  printf "  \"load_average_before\": %s,\n  \"load_average_after\": %s,\n", jstr(load_before), jstr(load_after) > json
  printf "  \"rounds\": %d,\n  \"seconds\": %s,\n  \"warmup\": %s,\n  \"slice\": %s,\n  \"quick\": %s,\n  \"pinned\": %s,\n  \"elapsed_seconds\": %d,\n",
         rounds, seconds, warmup, slice, quick ? "true" : "false", pinned ? "true" : "false", elapsed > json
  printf "  \"negotiated\": %s,\n  \"client_busy\": {%s},\n", jstr(tls_list), busy_json > json
  printf "  \"cases\": {" > json
  for (i = 1; i <= nc; i++) printf "%s%s: %s", (i > 1 ? ", " : ""), jstr(C[i]), jstr(label[C[i]]) > json
  printf "},\n  \"summary\": [\n" > json
  for (i = 1; i <= nsum; i++) printf "    %s%s\n", summary[i], (i < nsum ? "," : "") > json
  printf "  ],\n  \"ratios\": [\n" > json
  for (i = 1; i <= nrat; i++) printf "    %s%s\n", ratios[i], (i < nrat ? "," : "") > json
  printf "  ],\n  \"targets\": [\n" > json
  for (i = 1; i <= ntg; i++) printf "    %s%s\n", targets[i], (i < ntg ? "," : "") > json
  printf "  ],\n  \"resumption\": [\n" > json
  for (i = 1; i <= nchk; i++) printf "    %s%s\n", checks[i], (i < nchk ? "," : "") > json
  printf "  ],\n  \"server_cpu\": [\n" > json
  for (i = 1; i <= ncs; i++) printf "    %s%s\n", cpusum[i], (i < ncs ? "," : "") > json
  printf "  ],\n  \"raw\": [\n" > json
  for (i = 1; i <= nraw; i++) printf "    %s%s\n", raw[i], (i < nraw ? "," : "") > json
  printf "  ]\n}\n" > json
}' "$raw" | tee "$output/results.md"
log "raw results: $output/results.json"
