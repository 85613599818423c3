# tests/server/lib.bash — what every black-box paxscreend test shares (sourced, not run): the
# binaries and data arguments, a temporary directory, an alert store made from
# tests/data/watchlist.jsonl, a configuration, starting the real server on a free loopback port
# (port 0; the server writes the port it got to a file), requests with curl, and cleanup of
# the server and the directory on any exit. check/finish come from tests/cli/lib.bash.
# Usage in a script: source "$(dirname "$0")/lib.bash" "$@"   (PAXSCREEND PAXSCREEN DATA_DIR)
set -u
srv_bin=$1
cli_bin=$2
# tests/cli/lib.bash takes BIN DATA and makes $tmp, check and finish
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.bash" "$cli_bin" "$3"
pid=
port=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

CARRIER=carrier-token-0001
CARRIER2=carrier-token-0002 # another carrier: sees none of the first one's batches
SYSTEM=system-token-0001
ANALYST=analyst-token-0001
ADMIN=admin-token-0001

make_store() { # the example watchlists, plus any JSON Lines given on stdin
  "$cli_bin" lists import --db "$tmp/db" "$data/watchlist.jsonl" >/dev/null 2>"$tmp/import.err"
}

# write_config [JSON to merge over the base configuration]
write_config() {
  local extra=${1:-'{}'}
  jq -n --arg db "$tmp/db" --arg data "$tmp/data" --arg pf "$tmp/port" --argjson extra "$extra" '
    {store: $db, data: $data, listen: "127.0.0.1:0", port_file: $pf, workers: 2,
     tokens: [{name: "carrier-xz", token: "carrier-token-0001", roles: ["carrier"]},
              {name: "carrier-qq", token: "carrier-token-0002", roles: ["carrier"]},
              {name: "border", token: "system-token-0001", roles: ["system"]},
              {name: "hq", token: "analyst-token-0001", roles: ["analyst"]},
              {name: "ops", token: "admin-token-0001", roles: ["admin"]}]} * $extra' \
    >"$tmp/cfg.json"
}

start_server() { # waits (at most 10 s) until the server has written its port
  rm -f "$tmp/port"
  "$srv_bin" --config "$tmp/cfg.json" "$@" 2>>"$tmp/server.log" &
  pid=$!
  for _ in $(seq 100); do
    [ -s "$tmp/port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  port=$(cat "$tmp/port" 2>/dev/null)
  if [ -z "$port" ]; then
    echo "server did not start:" >&2
    cat "$tmp/server.log" >&2
    return 1
  fi
  base=http://127.0.0.1:$port
}

stop_server() { # SIGTERM; returns the server's exit status (124 if it did not exit in 20 s)
  kill -TERM "$pid"
  for _ in $(seq 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    pid=
    return 124
  fi
  wait "$pid"
  local rc=$?
  pid=
  return $rc
}

kill9_server() {
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=
}

# req TOKEN METHOD PATH [curl args...]: the status code on stdout, the body in $tmp/body,
# the headers in $tmp/headers. TOKEN "-" sends none.
req() {
  local token=$1 method=$2 path=$3
  shift 3
  local auth=()
  [ "$token" != "-" ] && auth=(-H "Authorization: Bearer $token")
  curl -s --max-time 20 -X "$method" "${auth[@]}" -o "$tmp/body" -D "$tmp/headers" \
    -w '%{http_code}' "$@" "$base$path"
}

body() { jq -r "$1" "$tmp/body"; }

# raw BYTES: sends bytes (printf format) on a new connection and prints what comes back until
# the server closes it (at most 5 s).
raw() {
  timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "$2" >&3; cat <&3' _ "$port" "$1"
}

# wait_for 'SHELL CONDITION': evaluates the condition (afresh each time) for up to 20 s
wait_for() {
  for _ in $(seq 200); do
    eval "$1" && return 0
    sleep 0.1
  done
  return 1
}

batch_status() { # ID -> status
  curl -s --max-time 10 -H "Authorization: Bearer $ANALYST" "$base/v1/batches/$1" | jq -r .status
}

# raw_file FILE: like raw, the bytes of FILE
raw_file() {
  timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; cat "$2" >&3; cat <&3' _ "$port" "$1"
}

now_ms() { date +%s%3N; }

metric() { # NAME -> its value
  curl -s --max-time 10 "$base/metrics" | awk -v n="$1" '$1 == n { print $2 }'
}
