#!/usr/bin/env bash
# The examples as a user runs them: examples/echo_server on a free loopback
# port, examples/echo_client with many connections checking the echo byte
# for byte. Run by ctest once per backend and trigger mode.
#
#   echo_example_test.sh SERVER CLIENT BACKEND TRIGGER
set -euo pipefail
server=$1 client=$2 backend=$3 trigger=$4
work=$(mktemp -d)
pid=""
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$server" --listen 127.0.0.1:0 --backend "$backend" --trigger "$trigger" \
  --max-seconds 60 > "$work/out" 2> "$work/err" &
pid=$!
addr=""
for _ in $(seq 200); do
  addr=$(head -n1 "$work/out" 2>/dev/null || true)
  [[ -n $addr ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
if [[ -z $addr ]]; then
  echo "echo_server printed no address:" >&2
  cat "$work/err" >&2
  exit 1
fi
echo "echo_server --backend $backend --trigger $trigger on $addr"
# 300 connections at once, 64 KiB each: more than one read per connection,
# and backpressure when the client is slow to read.
"$client" --connect "$addr" --connections 300 --bytes 65536
# 4 streams of 16 MiB, sent while the echo is read: full 64 KiB reads in a
# row, so the server's callback yields after each MiB (edge-triggered: to
# level-triggered and back) without losing a byte.
"$client" --connect "$addr" --connections 4 --bytes 16777216
kill -0 "$pid"  # the server survived
