#!/usr/bin/env bash
# The TLS examples as a user runs them: examples/tls_echo_server and
# examples/tls_client driven by their command lines only (the server's first
# line of output is its address; the client exits 0 after a clean close, 1
# with the reason on stderr otherwise), plus `openssl s_client` against the
# server. The certificates are made here with the openssl command (POSIX
# only; skipped without it). Loopback only; bounded (servers stop after 60 s,
# clients after 10 s).
#
#   tls_example_test.sh SERVER CLIENT
set -euo pipefail
server=$1 client=$2
openssl=${NET_TEST_OPENSSL:-$(command -v openssl || true)}
if [[ -z $openssl || ! -x $openssl ]]; then
  echo "[net-skip] openssl command line not found"
  exit 0
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

make_pki "$openssl" "$work/pki" > "$work/pki.log" 2>&1 ||
  { cat "$work/pki.log" >&2; fail "making the PKI"; }
ca=$work/pki/ca.pem
leaf=(--cert "$work/pki/leaf.pem" --key "$work/pki/leaf.key")

# try_start_server NAME LISTEN [ARGS...]: starts tls_echo_server on LISTEN
# with ARGS; sets $pid, $addr (the address it printed first) and $port.
# Returns 1 if it printed no address.
try_start_server() {
  local name=$1 listen=$2
  shift 2
  start_example "$name" "$server" --listen "$listen" --max-seconds 60 "$@" ||
    return 1
  echo "tls_echo_server --listen $listen${*:+ $*} on $addr"
}

# start_server NAME [ARGS...]: as try_start_server on 127.0.0.1:0; fails
# the test if the server does not start.
start_server() {
  local name=$1
  shift
  if ! try_start_server "$name" 127.0.0.1:0 "$@"; then
    cat "$work/$name.err" >&2
    fail "tls_echo_server $* printed no address"
  fi
}

# run_client NAME INPUT_FILE [ARGS...]: runs tls_client with INPUT_FILE on
# stdin; sets $rc, and leaves its output in $work/NAME.{out,err}.
run_client() {
  local name=$1 input=$2
  shift 2
  rc=0
  "$client" --timeout 10 "$@" < "$input" > "$work/$name.out" \
    2> "$work/$name.err" || rc=$?
}

# expect_echo NAME INPUT_FILE [ARGS...]: the client exits 0 and its output
# is its input, byte for byte.
expect_echo() {
  local name=$1 input=$2
  run_client "$@"
  if [[ $rc != 0 ]]; then
    cat "$work/$name.err" >&2
    fail "$name: tls_client ${*:3} exited with $rc"
  fi
  cmp -s "$input" "$work/$name.out" || fail "$name: the echo differs"
  echo "ok: $name"
}

# expect_failure NAME INPUT_FILE TEXT [ARGS...]: the client exits 1 and says
# TEXT on stderr.
expect_failure() {
  local name=$1 input=$2 text=$3
  shift 3
  run_client "$name" "$input" "$@"
  [[ $rc == 1 ]] || fail "$name: tls_client $* exited with $rc, not 1"
  grep -qF -- "$text" "$work/$name.err" ||
    fail "$name: no \"$text\" on stderr: $(cat "$work/$name.err")"
  echo "ok: $name ($(head -n1 "$work/$name.err"))"
}

printf 'hello over TLS\n' > "$work/hello.txt"
head -c $((1 << 20)) /dev/urandom > "$work/random.bin"
: > "$work/empty.txt"

# --- A server with the leaf, no client certificates.
start_server plain "${leaf[@]}"
expect_echo by-name "$work/hello.txt" --connect "localhost:$port" --ca "$ca"
expect_echo by-ip "$work/hello.txt" --connect "127.0.0.1:$port" --ca "$ca"
expect_echo one-mib "$work/random.bin" --connect "localhost:$port" --ca "$ca"
expect_echo nothing "$work/empty.txt" --connect "localhost:$port" --ca "$ca"
# The system store does not have the test CA.
expect_failure no-ca "$work/hello.txt" "certificate verify failed" \
  --connect "localhost:$port"
expect_failure wrong-name "$work/hello.txt" "hostname mismatch" \
  --connect "127.0.0.1:$port" --ca "$ca" --servername wrong.test
[[ ! -s $work/wrong-name.out ]] || fail "wrong-name: data came back"
kill -0 "$pid" || fail "the server died"
plain_pid=$pid plain_port=$port

# openssl s_client against tls_echo_server: verified, echoed, and closed
# cleanly at the end of its stdin (close_notify both ways: exit 0).
mkfifo "$work/s_client.in"
timeout 10 "$openssl" s_client -connect "127.0.0.1:$plain_port" \
  -CAfile "$ca" -verify_return_error -servername localhost \
  -verify_hostname localhost < "$work/s_client.in" \
  > "$work/s_client.out" 2> "$work/s_client.err" &
s_client_pid=$!
pids+=("$s_client_pid")
exec 4> "$work/s_client.in"
printf 'hello from s_client\n' >&4
for _ in $(seq 100); do
  grep -q '^hello from s_client$' "$work/s_client.out" && break
  sleep 0.05
done
exec 4>&-
s_client_rc=0
wait "$s_client_pid" || s_client_rc=$?
grep -q '^hello from s_client$' "$work/s_client.out" ||
  fail "s_client: no echo: $(cat "$work/s_client.err")"
grep -q 'Verify return code: 0 (ok)' "$work/s_client.out" ||
  fail "s_client: not verified"
[[ $s_client_rc == 0 ]] ||
  fail "s_client exited with $s_client_rc: $(cat "$work/s_client.err")"
echo "ok: openssl s_client"

# --- IPv6: [::1] against the leaf's IP:::1.
if try_start_server v6 '[::1]:0' "${leaf[@]}"; then
  expect_echo by-ipv6 "$work/hello.txt" --connect "[::1]:$port" --ca "$ca"
else
  echo "skipped: IPv6 ($(head -n1 "$work/v6.err"))"
fi

# --- A self-signed server: refused unless --insecure.
start_server self --cert "$work/pki/self.pem" --key "$work/pki/self.key"
expect_failure self-signed "$work/hello.txt" "certificate verify failed" \
  --connect "localhost:$port" --ca "$ca"
expect_echo insecure "$work/hello.txt" --connect "localhost:$port" --insecure

# --- --verify require: a client certificate is required.
start_server require "${leaf[@]}" --verify require --ca "$ca"
# TLS 1.3: the client's handshake ends before the server judges it; the
# server's alert (certificate_required) ends the client's read.
expect_failure require-no-cert "$work/hello.txt" "certificate required" \
  --connect "localhost:$port" --ca "$ca"
expect_echo require-cert "$work/hello.txt" --connect "localhost:$port" \
  --ca "$ca" --cert "$work/pki/client.pem" --key "$work/pki/client.key"
grep -q "no peer certificate" "$work/require.err" ||
  fail "the server did not say why it refused: $(cat "$work/require.err")"
kill -0 "$pid" || fail "the --verify require server died"

# --- Bad command lines: exit 2.
rc=0
"$client" --connect nowhere < /dev/null > /dev/null 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "tls_client with a bad --connect exited with $rc, not 2"
kill -0 "$plain_pid" || fail "the first server died"
echo "all TLS example checks passed"
