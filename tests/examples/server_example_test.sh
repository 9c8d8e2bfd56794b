#!/usr/bin/env bash
# examples/server_echo as a user runs it, by its command line: both
# strategies echo many clients byte for byte (examples/echo_client); SIGINT
# and SIGTERM stop it (exit 0) after a drain that closes idle connections at
# once and cuts a busy one at --drain-seconds; bad command lines exit 2; an
# address in use and a privileged port without the privilege exit 1 with
# the reason; the TLS variant echoes for openssl s_client with a verified
# client certificate under --verify require. Loopback only; bounded (the
# servers stop after 60 s).
#
#   server_example_test.sh RUNNER SERVER CLIENT
#
# RUNNER runs a program: "" natively; for Windows .exe files the wine
# runner (cmake/wine-run.sh --prefix=DIR as one word list). Under wine the
# server runs in its own process group with line-buffered output (the
# runner pipes it through `tr`), and signals go to the Windows program
# itself, whose C runtime hands SIGINT to its handler as on Windows.
set -euo pipefail
runner=$1 server=$2 client=$3
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
read -r -a run <<< "$runner"
native=$([[ -z $runner ]] && echo 1 || echo 0)
server_run=()
(( native )) || server_run=(stdbuf -oL "${run[@]}")

elapsed_ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# start NAME ARGS...: server_echo on 127.0.0.1:0 with ARGS.
start() {
  local name=$1
  shift
  start_example "$name" setsid "${server_run[@]}" "$server" \
      --listen 127.0.0.1:0 --max-seconds 60 "$@" ||
    fail "server_echo $*: no address: $(cat "$work/$name.err")"
  echo "server_echo $* on $addr"
}

# stop SIGNAL: sends SIGNAL to the server; it must exit 0 within $1 ms
# (second argument). Sets $stop_ms.
stop() {
  local signal=$1 limit=$2 t rc=0
  t=$(date +%s%N)
  if (( native )); then
    kill "-$signal" "$pid"
  else
    # The .exe in the runner's process group (not the runner's shell).
    kill "-$signal" $(pgrep -g "$pid" -x "$(basename "$server")" || echo "$pid")
  fi
  wait "$pid" || rc=$?
  stop_ms=$(elapsed_ms "$t")
  [[ $rc == 0 ]] || fail "SIG$signal: exit status $rc: $(cat "$work"/*.err)"
  (( stop_ms <= limit )) || fail "SIG$signal: took $stop_ms ms (limit $limit)"
}

for strategy in callback threadpool; do
  # (echo_client holds every connection open until all are verified: a
  # thread per connection needs as many workers as it has connections.)
  start "$strategy" --strategy "$strategy" --threads 2 --workers 64
  "${run[@]}" "$client" --connect "$addr" --connections 64 --bytes 65536
  "${run[@]}" "$client" --connect "$addr" --connections 4 --bytes 4194304
  kill -0 "$pid" || fail "$strategy: the server died"
  # An idle client stays connected: the drain closes it at once.
  exec 3<> "/dev/tcp/127.0.0.1/$port"
  stop INT 1500
  echo "ok: $strategy, SIGINT with an idle connection: exit 0 in $stop_ms ms"
  exec 3>&-
  grep -q "stopped after" "$work/$strategy.err" ||
    fail "$strategy: no summary on stderr"
done

# A client that sends and never reads: its connection cannot finish, and
# is cut at --drain-seconds 1; SIGTERM works as SIGINT. (Windows has no
# SIGTERM to send, and wine ends a program at once on one: SIGINT there.)
term=TERM
(( native )) || term=INT
for strategy in callback threadpool; do
  start "busy-$strategy" --strategy "$strategy" --drain-seconds 1
  exec 3<> "/dev/tcp/127.0.0.1/$port"
  head -c $((64 << 20)) /dev/zero >&3 &
  writer=$!
  pids+=("$writer")
  sleep 0.5
  stop "$term" 4000
  if [[ $strategy == callback ]]; then
    # Its queue is full: OnClosing leaves it, the deadline cuts it.
    (( stop_ms >= 900 )) ||
      fail "busy $strategy: exit after $stop_ms ms, before the drain deadline"
    grep -q "(1 cut)" "$work/busy-$strategy.err" ||
      fail "busy $strategy: not cut: $(cat "$work/busy-$strategy.err")"
  else
    # The worker is blocked writing the echo (cut at the deadline), or
    # caught between a write and a read that would wait (the stop ends that
    # read: no cut); which one depends on the moment.
    grep -Eq "\((1 cut|0 cut)\)" "$work/busy-$strategy.err" ||
      fail "busy $strategy: $(cat "$work/busy-$strategy.err")"
  fi
  kill "$writer" 2>/dev/null || true
  exec 3>&-
  echo "ok: $strategy, SIG$term with a busy connection: $(grep -o "([01] cut)" "$work/busy-$strategy.err"), exit 0 in $stop_ms ms"
done

# Bad command lines: 2.
for args in "--strategy callback" "--listen 127.0.0.1:0" \
            "--listen 127.0.0.1:0 --strategy fork" \
            "--listen 127.0.0.1:0 --strategy threadpool --workers 0" \
            "--listen 127.0.0.1:0 --strategy threadpool --workers 2 --pool-max 4" \
            "--listen 127.0.0.1:0 --strategy callback --cert a.pem"; do
  rc=0
  # shellcheck disable=SC2086
  "${run[@]}" "$server" $args > /dev/null 2> "$work/usage.err" || rc=$?
  [[ $rc == 2 ]] || fail "server_echo $args: exit $rc, not 2"
done
echo "ok: bad command lines exit 2"

# An address in use: 1, saying so.
start taken --strategy callback
rc=0
"${run[@]}" "$server" --listen "$addr" --strategy threadpool \
  > /dev/null 2> "$work/in-use.err" || rc=$?
[[ $rc == 1 ]] || fail "address in use: exit $rc, not 1"
grep -qi "address in use" "$work/in-use.err" ||
  fail "address in use: $(cat "$work/in-use.err")"
echo "ok: address in use: $(head -n1 "$work/in-use.err")"

# A privileged port without the privilege: 1, permission denied.
low=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null || echo "")
if [[ $native == 1 && -n $low && $low -gt 1 ]] &&
   { [[ $(id -u) != 0 ]] || command -v setpriv > /dev/null; }; then
  as_user=()
  [[ $(id -u) == 0 ]] &&
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
  rc=0
  "${as_user[@]}" "$server" --listen 127.0.0.1:1 --strategy callback \
    > /dev/null 2> "$work/privileged.err" || rc=$?
  [[ $rc == 1 ]] || fail "privileged port: exit $rc, not 1"
  grep -qi "permission denied" "$work/privileged.err" ||
    fail "privileged port: $(cat "$work/privileged.err")"
  echo "ok: privileged port: $(head -n1 "$work/privileged.err")"
else
  echo "skipped (this part): privileged port: needs Linux with" \
       "ip_unprivileged_port_start above 1 and setpriv (or a non-root user)"
fi

# The TLS variant, --verify require, with openssl s_client as the client.
openssl=${NET_TEST_OPENSSL:-$(command -v openssl || true)}
if [[ -n $openssl ]]; then
  make_pki "$openssl" "$work/pki" > "$work/pki.log" 2>&1 ||
    { cat "$work/pki.log" >&2; fail "making the PKI"; }
  p=$work/pki
  for strategy in callback threadpool; do
    start "tls-$strategy" --strategy "$strategy" --cert "$p/leaf.pem" \
      --key "$p/leaf.key" --verify require --ca "$p/ca.pem"
    printf 'hello over TLS\n' |
      timeout 10 "$openssl" s_client -connect "127.0.0.1:$port" \
        -CAfile "$p/ca.pem" -verify_return_error -servername localhost \
        -cert "$p/client.pem" -key "$p/client.key" -ign_eof \
        > "$work/s_client.out" 2> "$work/s_client.err" &
    s_client=$!
    pids+=("$s_client")
    for _ in $(seq 100); do
      grep -q '^hello over TLS$' "$work/s_client.out" && break
      sleep 0.05
    done
    grep -q '^hello over TLS$' "$work/s_client.out" ||
      fail "tls $strategy: no echo: $(cat "$work/s_client.err")"
    kill "$s_client" 2>/dev/null || true
    stop INT 3000
    echo "ok: TLS $strategy --verify require: s_client with a certificate echoed"
  done
else
  echo "skipped (this part): TLS: needs the openssl command"
fi
echo "server_example_test: passed"
