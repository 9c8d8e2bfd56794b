# Shared by the example tests (sourced; bash): a work directory removed at
# exit, background programs killed at exit, starting a server and reading
# the address it prints first, and a test PKI made with the openssl
# command.
#
#   source "$(dirname "$0")/lib.sh"   (sets $work and the EXIT trap)

work=$(mktemp -d)
pids=()
cleanup() {
  local p
  # (A program started with setsid is killed with its process group.)
  for p in "${pids[@]}"; do
    kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# start_example NAME COMMAND [ARGS...]: starts COMMAND in the background,
# its output in $work/NAME.{out,err}; waits (up to 20 s) for the first line
# of its output, the address it listens on. Sets $pid, $addr and $port.
# Returns 1 if the program exited or printed nothing.
start_example() {
  local name=$1
  shift
  "$@" > "$work/$name.out" 2> "$work/$name.err" &
  pid=$!
  pids+=("$pid")
  addr=""
  for _ in $(seq 400); do
    addr=$(head -n1 "$work/$name.out" 2>/dev/null || true)
    [[ -n $addr ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  [[ -n $addr ]] || return 1
  addr=${addr%$'\r'}
  port=${addr##*:}
}

# make_pki OPENSSL DIR: a CA (ca.pem), a leaf for localhost, 127.0.0.1 and
# ::1 (leaf.pem, leaf.key), a client certificate (client.pem, client.key)
# and a self-signed leaf (self.pem, self.key) in DIR. ECDSA P-256, 2 days.
make_pki() {
  local openssl=$1 d=$2
  mkdir -p "$d"
  (
    cd "$d"
    "$openssl" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout ca.key -out ca.pem -subj "/CN=net example test CA" -days 2 \
      -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
      "basicConstraints=CA:FALSE" "extendedKeyUsage=serverAuth" > leaf.ext
    "$openssl" req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout leaf.key -out leaf.csr -subj /CN=localhost
    "$openssl" x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -days 2 \
      -extfile leaf.ext -out leaf.pem
    printf '%s\n' "basicConstraints=CA:FALSE" "extendedKeyUsage=clientAuth" \
      > client.ext
    "$openssl" req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout client.key -out client.csr -subj "/CN=net example client"
    "$openssl" x509 -req -in client.csr -CA ca.pem -CAkey ca.key -days 2 \
      -extfile client.ext -out client.pem
    "$openssl" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout self.key -out self.pem -subj /CN=localhost -days 2 \
      -addext subjectAltName=DNS:localhost,IP:127.0.0.1
  )
}
