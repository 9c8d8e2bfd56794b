#!/usr/bin/env bash
# Profiles one server of bench/ under one load case with perf (software
# clock sampling: works in VMs without hardware counters), and prints where
# the server's time goes: by shared object, then the top symbols.
#
#   bench/profile.sh SERVER CASE [SECONDS]
#
# SERVER: net, net-conn, epoll, libevent, bufferevent, asio or libuv (as in
# bench/run.sh). CASE: pp_1x64, pp_100x64, pp_1000x64, pp_10x16k, stream_16k
# or accept (bench/cases.sh).
# Builds build/bench/prof (release flags plus -g -fno-omit-frame-pointer)
# and needs perf (Debian: linux-perf). Loopback only; bounded by SECONDS
# (default 3). Output also in build/bench/prof/perf.<SERVER>.<CASE>.txt.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prof="$root/build/bench/prof"
server=${1:?server}
case_name=${2:?case}
seconds=${3:-3}

command -v perf >/dev/null || {
  echo "profile.sh: needs perf (apt-get install linux-perf)" >&2; exit 1; }
if [[ ! -f $prof/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$prof" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="-g -fno-omit-frame-pointer" -DNET_BUILD_BENCH=ON \
    -DNET_BUILD_EXAMPLES=ON -DNET_BUILD_TESTS=OFF -DNET_BUILD_TOOLS=OFF >&2
fi
cmake --build "$prof" --target bench >&2

declare -A binary=(
  [net]="$prof/bench/echo_listener" [net-conn]="$prof/examples/echo_server"
  [epoll]="$prof/bench/echo_epoll" [libevent]="$prof/bench/echo_libevent"
  [bufferevent]="$prof/bench/echo_bufferevent" [asio]="$prof/bench/echo_asio"
  [libuv]="$prof/bench/echo_libuv")
# shellcheck source=bench/cases.sh
source "$root/bench/cases.sh"
[[ -n ${binary[$server]:-} && -n ${case_args[$case_name]:-} &&
   $case_name != idle_rss* ]] || {
  echo "profile.sh: unknown server or case" >&2; exit 2; }

ulimit -n 65536 2>/dev/null || true
out="$prof/perf.$server.$case_name"
addr_file=$(mktemp)
taskset -c 0 "${binary[$server]}" --max-seconds $((seconds + 30)) \
  > "$addr_file" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$addr_file"' EXIT
for _ in $(seq 100); do [[ -s $addr_file ]] && break; sleep 0.05; done
addr=$(head -n1 "$addr_file")
# shellcheck disable=SC2086
taskset -c 1 "$prof/bench/load" --connect "$addr" ${case_args[$case_name]} \
  --warmup 0.3 --seconds "$seconds" > "$out.result" &
load_pid=$!
sleep 0.3
perf record -q -e cpu-clock -F 9999 -g -p "$pid" -o "$out.data" \
  -- sleep "$(awk -v s="$seconds" 'BEGIN { print s - 0.2 }')" 2>/dev/null
wait $load_pid
{
  echo "# $server $case_name: $(cat "$out.result")"
  perf report -i "$out.data" --no-children --sort dso -g none --stdio 2>/dev/null |
    grep -v '^#' | grep -v '^$' | grep '%' | head -8
  echo "# top symbols (self)"
  perf report -i "$out.data" --no-children --sort dso,symbol -g none \
    --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | grep '%' | head -40
} | tee "$out.txt"
