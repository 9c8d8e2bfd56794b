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
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
bench_init tls_run.sh 11 "$@"

idle_conns=2000
servers="net-tls epoll epoll-b asio bufferevent"
cases="pp_1x64 pp_100x64 pp_10x16k stream_16k hs_full hs_resumed idle_rss"

own_option() { build_dir_option "$@"; }

bench_parse "$@"
bench_report_settings

# --- setup and build ---------------------------------------------------------

bench_setup_build tls_bench

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
bench_extra_servers
load="$build/bench/tls_load"
bench_check_servers net-tls "examples/tls_echo_server is not built yet"

# --- the machine -------------------------------------------------------------

bench_machine

# --- cases -------------------------------------------------------------------

# What bench/tls_load is told for each case, and its label: the echo cases
# of bench/cases.sh (they mean the same over TLS), the handshakes, and the
# idle RSS of TLS connections.
# shellcheck source=bench/cases.sh
source "$root/bench/cases.sh"
for c in pp_1000x64 accept idle_rss_unused; do  # not TLS cases
  unset "case_args[$c]" "case_label[$c]"
done
case_args[hs_full]="--case handshake --inflight 64"
case_args[hs_resumed]="--case handshake --inflight 64 --resume"
case_label[hs_full]="full handshakes (64 clients; + 64 B echo, close_notify)"
case_label[hs_resumed]="resumed handshakes (64 clients, TLS 1.3 tickets)"
case_label[idle_rss]="RSS per idle TLS connection ($idle_conns held, each after a handshake and a 1-byte echo)"
bench_check_cases
bench_output "$build/tls"

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

trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server NAME FILE MAX_SECONDS: starts a server on the server CPU, its
# address in FILE; sets $started_pid. No --max-seconds (MAX_SECONDS is not
# used): examples/tls_echo_server runs until killed, and every server is
# (stop_servers, and the exit trap).
start_server() {
  bench_start_server "$1" "$2" --listen 127.0.0.1:0 \
    --cert "$certs/leaf.pem" --key "$certs/leaf.key"
}

bench_measure

# --- report ------------------------------------------------------------------

machine_extra=", $(openssl version | cut -d' ' -f1-2)"
bench_report '
{
  read_record()
  x = field($7, "server_ns_per_op")
  if (x != "") keep_cpu(x)
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
}
END {
  read_settings()
  has_net = present("net-tls"); has_epoll = present("epoll")

  # 1. Medians.
  server_header("| case | unit |", "|---|---|")
  print header; print rule
  for (i = 1; i <= nc; i++) {
    c = C[i]; u = unit[c]
    print "| " label[c] " | " u (u == "B/conn" ? " (lower is better)" : "") " |" median_cells(c, u)
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
          cell = ratio_ci(what, c, o, "epoll", "")
          if (cell == "") { row = row " n/a |"; continue }
          any = 1
          row = row " " cell " |"
        }
        if (any) print row
      }
    }
  }

  # 3. Server CPU per operation, medians.
  print ""
  server_header("| server CPU per op (µs, lower is better) |", "|---|")
  print header; print rule
  for (i = 1; i <= nc; i++) {
    c = C[i]; any = 0
    for (j = 1; j <= ns; j++) if (ncpu[c, S[j]] > 0) any = 1
    if (!any) continue
    row = "| " label[c] " (per " (c ~ /^hs_/ ? "handshake" : c == "stream_16k" ? "16 KiB chunk" : "round trip") ") |"
    print row cpu_cells(c, 1000, 1)
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

  json_begin()
  printf "  \"negotiated\": %s,\n  \"client_busy\": {%s},\n", jstr(tls_list), busy_json > json
  json_summary()
  json_list("resumption", checks, nchk)
  json_end()
}' -v first_server="${servers%% *}"
