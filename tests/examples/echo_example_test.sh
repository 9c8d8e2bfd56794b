#!/usr/bin/env bash
# The examples as a user runs them: examples/echo_server on a free loopback
# port, examples/echo_client with many connections checking the echo byte
# for byte; then the server's --high-water backpressure against a client
# that sends 64 MiB before it reads a byte. Run by ctest once per backend and
# trigger mode. Loopback only; bounded (the servers stop after 60 s).
#
#   echo_example_test.sh SERVER CLIENT BACKEND TRIGGER
set -euo pipefail
server=$1 client=$2 backend=$3 trigger=$4
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Under AddressSanitizer freed memory waits in a quarantine (256 MiB by
# default) instead of being reused, so RSS grows with the bytes allocated
# and freed, not with what is kept: a path that queues its writes (io_uring
# queues every write made in a callback) churns more and grew past the
# 16 MiB checked below without keeping anything. A small quarantine makes
# RSS measure what the server keeps; the variable means nothing to a build
# without ASan.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4"

# start_server NAME [ARGS...]: starts echo_server with ARGS; sets $pid and
# $addr (the address it printed first).
start_server() {
  local name=$1
  shift
  if ! start_example "$name" "$server" --listen 127.0.0.1:0 \
      --backend "$backend" --trigger "$trigger" --max-seconds 60 "$@"; then
    echo "echo_server $* printed no address:" >&2
    cat "$work/$name.err" >&2
    exit 1
  fi
  echo "echo_server --backend $backend --trigger $trigger${*:+ $*} on $addr"
}

start_server plain
# 300 connections at once, 64 KiB each: more than one read per connection,
# and backpressure when the client is slow to read.
"$client" --connect "$addr" --connections 300 --bytes 65536
# 4 streams of 16 MiB, sent while the echo is read: full 64 KiB reads in a
# row, so the server's connection yields after each MiB (edge-triggered: to
# level-triggered and back) without losing a byte.
"$client" --connect "$addr" --connections 4 --bytes 16777216
kill -0 "$pid"  # the server survived

# --high-water: the same echoes through a server that stops reading from a
# connection whose queue reaches 64 KiB (pausing and resuming all the time).
start_server high-water --high-water 65536
"$client" --connect "$addr" --connections 300 --bytes 65536
"$client" --connect "$addr" --connections 4 --bytes 16777216
# A client that sends 64 MiB and reads nothing until it is stuck: once 64
# KiB wait for it, the server stops reading from it, the socket buffers fill
# (a few MiB at most on loopback) and the client's send blocks. A server
# without backpressure would take all 64 MiB into its queue instead, and the
# send would end at once. Then the client reads: all of it comes back.
total=$((64 << 20))
rss_kib() {  # the server's resident memory, where /proc tells (Linux)
  awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true
}
rss_before=$(rss_kib)
exec 3<> "/dev/tcp/${addr%:*}/${addr##*:}"
head -c "$total" /dev/zero >&3 &
writer=$!
pids+=("$writer")
sleep 2
if ! kill -0 "$writer" 2>/dev/null; then
  echo "FAIL: the client sent all $total bytes without reading: the server" \
       "did not stop reading at --high-water 65536" >&2
  exit 1
fi
rss_during=$(rss_kib)
if [[ -n $rss_before && -n $rss_during ]]; then
  echo "server RSS: $rss_before KiB before, $rss_during KiB with the client stuck"
  if (( rss_during - rss_before > 16384 )); then
    echo "FAIL: the server's RSS grew by more than 16 MiB" >&2
    exit 1
  fi
fi
got=$(head -c "$total" <&3 | wc -c | tr -d ' ')
wait "$writer"
exec 3>&-
if [[ $got != "$total" ]]; then
  echo "FAIL: $got of $total bytes came back" >&2
  exit 1
fi
echo "backpressure: the client was held back, then all $total bytes came back"
kill -0 "$pid"  # the server survived
