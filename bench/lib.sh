# Copyright 2026 The net Authors.
#
# What bench/run.sh and bench/tls_run.sh share, sourced by both (see
# docs/bench.md): the options both take, setup and build, the machine
# (descriptor limit, pinning, load average), the output directory, starting
# and stopping servers, the rounds with their interleaved turns, and the
# report's statistics (the awk functions of $bench_awk_lib: geometric means
# and their 95 % CI, the verdicts, the median tables, results.json).
#
# A script sources it first (after setting $root), then calls bench_init
# (its name in messages, the width of a server's name in the progress
# lines) and sets its own defaults; it defines own_option (its own
# options, as bench_option below) and start_server NAME FILE MAX_SECONDS
# (starts a server on the server CPU, its address in FILE, by
# bench_start_server), and the case_args and case_label of its cases; it
# may define case_servers (below).
#
# shellcheck shell=bash disable=SC2034,SC2154  # set and read by the scripts

# The defaults the scripts share (each sets $servers and $cases, and its
# own; $idle_conns, empty unless --idle-conns, its default).
idle_conns=""
rounds=5
seconds=2
warmup=0.5
slice=0.1
quick=0
setup=1
do_build=1
extra_servers=()
wait_quiet=0
output=""
report=""

log() { echo "$bench_name: $*" >&2; }

# bench_init NAME WIDTH ARG...: $bench_name (the script's name in
# messages), $server_width (the width of a server's name in the progress
# lines), $invocation (the command line, in results.json) and $build (the
# release tree, build/bench unless --build-dir).
bench_init() {
  bench_name=$1
  server_width=$2
  shift 2
  invocation="bench/$bench_name${*:+ $*}"
  build="$root/build/bench"
}

# The option both tls_run.sh and server_run.sh take: --build-dir DIR (the
# release tree). For own_option: takes it if it is $1, as bench_option.
build_dir_option() {
  bench_shift=2
  case "$1" in
    --build-dir) build=$(mkdir -p "$2" && cd "$2" && pwd) ;;
    *) return 1 ;;
  esac
}

# bench_option ARG...: takes the option in $1 if it is one that both
# scripts take (its value in $2), and sets $bench_shift to the number of
# words it took; returns 1 if it is not.
bench_option() {
  bench_shift=1
  case "$1" in
    --quick) quick=1; rounds=2; seconds=0.4; warmup=0.2 ;;
    --rounds) rounds=$2; bench_shift=2 ;;
    --seconds) seconds=$2; bench_shift=2 ;;
    --warmup) warmup=$2; bench_shift=2 ;;
    --slice) slice=$2; bench_shift=2 ;;
    --idle-conns) idle_conns=$2; bench_shift=2 ;;
    --servers) servers=$2; bench_shift=2 ;;
    --cases) cases=$2; bench_shift=2 ;;
    --server) extra_servers+=("$2"); bench_shift=2 ;;
    --wait-quiet) wait_quiet=$2; bench_shift=2 ;;
    --output) output=$2; bench_shift=2 ;;
    --report) report=$2; bench_shift=2 ;;
    --no-setup) setup=0 ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/p}' "$0"; exit 0 ;;
    *) return 1 ;;
  esac
}

# bench_parse ARG...: the command line, by bench_option and the script's
# own_option.
bench_parse() {
  while [[ $# -gt 0 ]]; do
    if ! bench_option "$@" && ! own_option "$@"; then
      echo "$bench_name: unknown argument '$1'" >&2
      exit 2
    fi
    shift "$bench_shift"
  done
}

# With --report RAW.tsv: no setup, no build, and the servers, cases and
# rounds of the raw file, in its order.
bench_report_settings() {
  [[ -n $report ]] || return 0
  [[ -r $report ]] || { log "cannot read $report"; exit 2; }
  report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
  setup=0
  do_build=0
  servers=$(awk -F'\t' '!seen[$3]++ { printf "%s%s", sep, $3; sep = " " }' "$report")
  cases=$(awk -F'\t' '!seen[$2]++ { printf "%s%s", sep, $2; sep = " " }' "$report")
  rounds=$(awk -F'\t' '$1 > r { r = $1 } END { print r }' "$report")
  # The idle cases' labels say how many connections were held.
  local held
  held=$(awk -F'\t' 'match($7, /held=[0-9]+/) { h = substr($7, RSTART + 5, RLENGTH - 5) + 0; if (h > m) m = h } END { print m + 0 }' "$report")
  [[ $held == 0 ]] || idle_conns=$held
}

# bench_setup_build TARGET: installs what is missing (unless --no-setup),
# configures the release tree $build if it is not yet, and builds TARGET
# (unless --no-build).
bench_setup_build() {
  if [[ $setup == 1 ]]; then
    bash "$root/scripts/setup-debian.sh" --bench >&2
  fi
  if [[ $do_build == 1 ]]; then
    local generator=()
    command -v ninja >/dev/null && generator=(-G Ninja)
    if [[ ! -f "$build/CMakeCache.txt" ]]; then
      cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
        -DNET_BUILD_BENCH=ON -DNET_BUILD_EXAMPLES=ON -DNET_BUILD_TESTS=OFF \
        -DNET_BUILD_TOOLS=OFF >&2
    fi
    cmake --build "$build" --target "$1" >&2
  fi
}

# --extra servers (NAME=PATH [ARGS]) into $binary and $servers.
bench_extra_servers() {
  local spec name
  for spec in "${extra_servers[@]}"; do
    name=${spec%%=*}
    binary[$name]=${spec#*=}
    [[ " $servers " == *" $name "* ]] || servers+=" $name"
  done
}

# bench_check_servers [OPTIONAL REASON]: every server of $servers has its
# binary (${binary[NAME]}, its first word), and $load is there; unless
# --report. A missing server whose name matches the pattern OPTIONAL is left
# out of $servers, said so with REASON (its binary is not built yet);
# another one ends the script.
bench_check_servers() {
  local optional=${1:-} reason=${2:-} kept="" s command
  [[ -z $report ]] || return 0
  for s in $servers; do
    command=${binary[$s]:-/nonexistent}
    if [[ ! -x ${command%% *} ]]; then
      # shellcheck disable=SC2053  # OPTIONAL is a pattern
      if [[ -n $optional && $s == $optional ]]; then
        log "no ${command%% *} ($reason): $s left out, its targets not judged"
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
}

# The machine: the descriptor limit (each held connection is a descriptor
# in the server and one in the client), the CPUs of the server and of the
# client ($server_pin, $client_pin), the load average before ($load_before).
bench_machine() {
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
}

# Every case of --cases must be one of case_args.
bench_check_cases() {
  local c
  for c in $cases; do
    [[ -n ${case_args[$c]:-} ]] || { log "unknown case '$c'"; exit 2; }
  done
}

# bench_output DEFAULT: the output directory ($output, DEFAULT unless
# --output), a fresh $work in it, and $raw (the raw file of --report, or
# empty).
bench_output() {
  [[ -n $output ]] || output=$1
  mkdir -p "$output"
  output=$(cd "$output" && pwd)
  work="$output/run"
  local report_copy
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
}

# bench_start_server NAME FILE ARG...: starts server NAME (its binary and
# arguments, ${binary[NAME]}, then ARG...) on the server CPU, its standard
# output (the address it prints first) in FILE; adds it to $server_pids and
# sets $started_pid. For start_server.
bench_start_server() {
  local s=$1 addr_file=$2 command
  shift 2
  read -r -a command <<< "${binary[$s]}"
  "${server_pin[@]}" "${command[@]}" "$@" > "$addr_file" 2> "$work/server.$s.err" &
  started_pid=$!
  server_pids+=("$started_pid")
}

server_pids=()
cleanup() {
  local p
  for p in "${server_pids[@]}"; do kill "$p" 2>/dev/null || true; done
}

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
  printf '%s: [%s/%s] %-10s %-*s %12s %-6s errors=%s %s\n' "$bench_name" \
    "$round" "$rounds" "$c" "$server_width" "$s" "$value" "$unit" "$errors" \
    "$rest" >&2
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

# run_interleaved ROUND CASE SERVER...: every server started at once (all on
# the server CPU, idle but for their turns), one load generator measuring
# them in turns of $slice seconds (bench/load_common.h, `Schedule`).
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
    # With one server, the load generator's line has no "target=0 ".
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

# case_servers CASE: the servers that run in CASE, in the order of
# --servers; every one unless the script defines its own.
case_servers() { echo "$servers"; }

# The rounds (none with --report): per round, per case, the case's servers
# (case_servers) interleaved (the idle RSS cases: one after the other,
# alone), who goes first rotating every round; $current_case is the case
# (for start_server). Sets $elapsed and $load_after.
bench_measure() {
  local started round c k s measure_rounds=$rounds list n order
  started=$(date +%s)
  [[ -n $report ]] && measure_rounds=0
  for ((round = 1; round <= measure_rounds; round++)); do
    for c in $cases; do
      current_case=$c
      read -r -a list <<< "$(case_servers "$c")"
      n=${#list[@]}
      if [[ $n -eq 0 ]]; then
        [[ $round -gt 1 ]] || log "case $c: none of its servers among --servers: skipped"
        continue
      fi
      order=()
      for ((k = 0; k < n; k++)); do
        order+=("${list[$(((k + round - 1) % n))]}")
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
}

# bench_report PROGRAM [AWK_ARG...]: the report, the awk PROGRAM (after the
# functions of $bench_awk_lib) over $raw, printed and kept in
# $output/results.md; PROGRAM writes results.json. $machine_extra is added
# to the machine's description.
bench_report() {
  local program=$1 labels="" c cpu machine
  shift
  for c in $cases; do labels+="$c=${case_label[$c]}"$'\t'; done
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
  machine="$cpu, $(nproc) CPUs, Linux $(uname -r)${machine_extra:-}"
  awk -F'\t' \
    -v servers="$servers" -v cases="$cases" -v labels="$labels" \
    -v json="$output/results.json" -v machine="$machine" \
    -v rounds="$rounds" -v seconds="$seconds" -v warmup="$warmup" -v slice="$slice" \
    -v quick="$quick" -v elapsed="$elapsed" -v command="$invocation" \
    -v load_before="$load_before" -v load_after="$load_after" \
    -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -v pinned="${#server_pin[@]}" \
    "$@" "$bench_awk_lib$program" "$raw" | tee "$output/results.md"
  log "raw results: $output/results.json"
}

# The report's awk functions. The statistics (docs/bench.md, "How the
# target is judged"), then the pieces of the tables and of results.json.
bench_awk_lib='
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
# The per-round ratios of server `x` to server `y` in table `t` ("value",
# "cpu" or "client": the CPU of the client) for case `c`, into a[1..m];
# returns m. Paired by round: both ran in the same turns, under the same
# conditions.
function paired(t, c, x, y, a,    r, m, p, q) {
  split("", a); m = 0
  for (r = 1; r <= max_round; r++) {
    p = t == "cpu" ? cpu[c, x, r] : t == "client" ? ccpu[c, x, r] : value[c, x, r]
    q = t == "cpu" ? cpu[c, y, r] : t == "client" ? ccpu[c, y, r] : value[c, y, r]
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
# The geometric mean of the per-round ratios x/y of case `c` in table `t`
# ("value", "cpu" or "client") with its 95 % CI, as "G× (LOW–HIGH)", or `none` if no
# round has both; the throughput ratios kept in results.json.
function ratio_ci(t, c, x, y, none,    m, a, g) {
  m = paired(t, c, x, y, a)
  if (m == 0) return none
  geo_ci(a, m, g); sort_values(a, m)
  if (t == "value") keep_ratio(c, x, y, a, m, g)
  return sprintf("%.3f× (%.3f–%.3f)", g["mean"], g["low"], g["high"])
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
# The value of `name`=VALUE in the words of `s` (the detail of a raw line), or
# "".
function field(s, name,    re) {
  re = name "=[^ ]*"
  if (!match(s, re)) return ""
  return substr(s, RSTART + length(name) + 1, RLENGTH - length(name) - 1)
}
# Keeps `x`, the server CPU per operation of the current record, in
# cpu[case, server, round] and vcpu[case, server, 1..ncpu].
function keep_cpu(x) { keep_spread(cpu, ncpu, vcpu, x) }
# The CPU per operation of the client for the current record (from
# client_ns_per_op=), in ccpu[], nccpu[] and vccpu[] alike.
function keep_client_cpu(x) { keep_spread(ccpu, nccpu, vccpu, x) }
# Whether any server has a value of case `c` in `count` (ncpu, nccpu).
function measured(count, c,    j) {
  for (j = 1; j <= ns; j++) if (count[c, S[j]] > 0) return 1
  return 0
}
function keep_spread(by_round, count, values, x) {
  by_round[c, s, round] = x + 0; count[c, s]++; values[c, s, count[c, s]] = x + 0
}
# What every line of raw.tsv gives: value[case, server, round], the unit,
# the errors, the values v[case, server, 1..n], the raw list of results.json.
function read_record() {
  round = $1; c = $2; s = $3
  value[c, s, round] = $4; unit[c] = $5
  if ($6 + 0 > 0) errs[c, s] += $6
  if ($4 == $4 + 0) { n[c, s]++; v[c, s, n[c, s]] = $4 + 0 }
  raw[++nraw] = sprintf("{\"round\": %d, \"case\": %s, \"server\": %s, \"value\": %s, \"unit\": %s, \"errors\": %d, \"detail\": %s}",
                        round, jstr(c), jstr(s), jnum($4), jstr($5), $6 + 0, jstr($7))
  if (round > max_round) max_round = round
}
# At the END: the servers S[1..ns], the cases C[1..nc], their labels.
function read_settings(    i, p, nl, L) {
  ns = split(servers, S, " "); nc = split(cases, C, " ")
  nl = split(labels, L, "\t")
  for (i = 1; i <= nl; i++) { p = index(L[i], "="); if (p) label[substr(L[i], 1, p - 1)] = substr(L[i], p + 1) }
}
# A table header and its rule, in `header` and `rule`: the first columns
# `first` (their rule `first_rule`), then a column per server.
function server_header(first, first_rule,    j) {
  header = first; rule = first_rule
  for (j = 1; j <= ns; j++) { header = header " " S[j] " |"; rule = rule "---:|" }
}
# The cells of case `c`, unit `u`, in the table of medians: per server, the
# median (min–max) over rounds, in med[c, server]; kept in results.json.
function median_cells(c, u,    j, s, m, k, a, cell, row) {
  row = ""
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
  return row
}
# The cells of case `c` in the table of server CPU per operation: per
# server, the median (min–max) of cpu[] over rounds, divided by `scale`,
# with `digits` decimals; kept (in ns) in results.json.
function cpu_cells(c, scale, digits) {
  return spread_cells(c, ncpu, vcpu, scale, digits, "server")
}
# The same for the CPU per operation of the client (keep_client_cpu()).
function client_cpu_cells(c, scale, digits) {
  return spread_cells(c, nccpu, vccpu, scale, digits, "client")
}
function spread_cells(c, count, values, scale, digits, who,    j, s, m, k, a, f, row) {
  row = ""
  f = " %." digits "f (%." digits "f–%." digits "f) |"
  for (j = 1; j <= ns; j++) {
    s = S[j]; m = count[c, s]
    if (m == 0) { row = row " n/a |"; continue }
    delete a; for (k = 1; k <= m; k++) a[k] = values[c, s, k]
    sort_values(a, m)
    row = row sprintf(f, median(a, m) / scale, a[1] / scale, a[m] / scale)
    cpusum[++ncs] = sprintf("{\"case\": %s, \"server\": %s, \"%s_ns_per_op_median\": %.0f, \"min\": %.0f, \"max\": %.0f}",
                            jstr(c), jstr(s), who, median(a, m), a[1], a[m])
  }
  return row
}
# results.json: its first fields (how, where and when it ran).
function json_begin() {
  printf "{\n  \"command\": %s,\n  \"date\": %s,\n  \"machine\": %s,\n", jstr(command), jstr(date), jstr(machine) > json
  printf "  \"load_average_before\": %s,\n  \"load_average_after\": %s,\n", jstr(load_before), jstr(load_after) > json
  printf "  \"rounds\": %d,\n  \"seconds\": %s,\n  \"warmup\": %s,\n  \"slice\": %s,\n  \"quick\": %s,\n  \"pinned\": %s,\n  \"elapsed_seconds\": %d,\n",
         rounds, seconds, warmup, slice, quick ? "true" : "false", pinned ? "true" : "false", elapsed > json
}
# results.json: the cases and their labels.
function json_cases(    i) {
  printf "  \"cases\": {" > json
  for (i = 1; i <= nc; i++) printf "%s%s: %s", (i > 1 ? ", " : ""), jstr(C[i]), jstr(label[C[i]]) > json
  printf "},\n" > json
}
# results.json after json_begin() and the fields of its own: the cases,
# the summary, the ratios and the targets.
function json_summary() {
  json_cases()
  json_list("summary", summary, nsum)
  json_list("ratios", ratios, nrat)
  json_list("targets", targets, ntg)
}
# results.json: its last fields, the server CPU per operation and every raw
# measurement.
function json_end() {
  json_list("server_cpu", cpusum, ncs)
  json_list("raw", raw, nraw, 1)
}
# results.json: the list `name` of list[1..count]; the last field if `last`.
function json_list(name, list, count, last,    i) {
  printf "  \"%s\": [\n", name > json
  for (i = 1; i <= count; i++) printf "    %s%s\n", list[i], (i < count ? "," : "") > json
  printf "  ]%s\n", (last ? "" : ",") > json
  if (last) printf "}\n" > json
}
'
