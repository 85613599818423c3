#!/usr/bin/env bash
# tests/server/http.sh — black-box tests of paxscreend's HTTP transport: keep-alive,
# pipelined requests answered in order (a slow worker request before fast loop ones), chunked
# request bodies, Expect: 100-continue, the body limit (413, by Content-Length and chunked),
# malformed HTTP (400 naming the byte, connection closed, everyone else still served),
# header/body/idle timeouts against slow clients, the bounded work queue and the connection
# limit (503 with Retry-After).
# Usage: http.sh PATH_TO_PAXSCREEND PATH_TO_PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"
export LC_ALL=C

make_store
write_config '{"workers": 1, "limits": {"max_body_bytes": 65536, "header_timeout_ms": 500,
  "body_timeout_ms": 500, "idle_timeout_ms": 1500, "queue_depth": 1,
  "max_pipeline": 64}}'
start_server || exit 1

# --- keep-alive: three requests, one connection
before=$(metric paxscreend_connections_total)
curl -s --max-time 10 -o /dev/null -o /dev/null -o /dev/null "$base/healthz" "$base/healthz" "$base/healthz"
after=$(metric paxscreend_connections_total)
check "keep-alive: three requests on one connection" test $((after - before)) -eq 2

# --- pipelining: a worker request, then loop requests; answers in request order
jq -c -n '{travellers: [range(100) | {id: "P\(.)", surname: "PIPE\(.)", given_names: "LINE",
  documents: [{number: "Q\(1000000 + .)"}]}]}' >"$tmp/screen100.json"
len=$(stat -c %s "$tmp/screen100.json")
{
  printf 'POST /v1/screen HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\nContent-Length: %s\r\n\r\n' "$SYSTEM" "$len"
  cat "$tmp/screen100.json"
  printf 'GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n'
  printf 'GET /v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n'
  printf 'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'
} >"$tmp/pipeline.req"
raw_file "$tmp/pipeline.req" >"$tmp/pipeline.out"
check "pipelining: four answers in order" \
  test "$(grep -a -o 'HTTP/1.1 [0-9]*' "$tmp/pipeline.out" | tr '\n' ' ')" = "HTTP/1.1 200 HTTP/1.1 200 HTTP/1.1 404 HTTP/1.1 200 "
check "pipelining: the screen answer first" grep -a -q '"travellers":100' "$tmp/pipeline.out"
check "pipelining: only the last says close" test "$(grep -a -c -i '^connection: close' "$tmp/pipeline.out")" -eq 1

# --- more pipelined requests than max_pipeline (64): reading pauses and resumes
{
  for i in $(seq 199); do printf 'GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n'; done
  printf 'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'
} >"$tmp/many.req"
raw_file "$tmp/many.req" >"$tmp/many.out"
check "200 pipelined requests, 200 answers" test "$(grep -a -c '{"status":"ok"}' <(sed 's/}/}\n/g' "$tmp/many.out"))" -eq 200

# --- clients that leave before their answer
leavers=()
for i in $(seq 20); do
  curl -s --max-time 0.01 -H "Authorization: Bearer $SYSTEM" --data-binary @"$tmp/screen100.json" \
    "$base/v1/screen" >/dev/null 2>&1 &
  leavers+=($!)
done
wait "${leavers[@]}"
check "still serving after clients left early" wait_for '[ "$(req - GET /healthz)" = 200 ]'

# --- chunked request bodies
check "chunked batch 202" \
  test "$(req $CARRIER POST /v1/batches -H 'Transfer-Encoding: chunked' --data-binary @"$data/batch.json")" = 202
check "chunked batch read whole" test "$(body .travellers)" = 3
check "chunked screen 200" \
  test "$(req $SYSTEM POST /v1/screen -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/screen100.json")" = 200
printf 'POST /v1/screen HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{"id"\r\n10\r\n:"C1","surname":\r\n5\r\n"ZED"\r\n1\r\n}\r\n0\r\n\r\n' "$SYSTEM" >"$tmp/chunks.req"
check "hand-made chunks 200" grep -a -q '^HTTP/1.1 200' <(raw_file "$tmp/chunks.req")
check "expect 100-continue" \
  test "$(req $SYSTEM POST /v1/screen -H 'Expect: 100-continue' --data-binary @"$tmp/screen100.json")" = 200

# --- body limit
head -c 70000 /dev/zero | tr '\0' ' ' >"$tmp/big.txt"
check "body over the limit 413" test "$(req $CARRIER POST /v1/batches --data-binary @"$tmp/big.txt")" = 413
check "413 names the limit" grep -q 65536 "$tmp/body"
check "chunked over the limit 413" \
  test "$(req $CARRIER POST /v1/batches -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/big.txt")" = 413
check "oversized body without a token: 401 first" test "$(req - POST /v1/batches --data-binary @"$tmp/big.txt")" = 401

# --- malformed HTTP
out=$(raw 'GARBAGE\r\n\r\n')
check "garbage request line 400" grep -q '^HTTP/1.1 400' <<<"$out"
check "400 names the byte and the problem" grep -q 'malformed HTTP at byte [0-9]*: invalid HTTP method' <<<"$out"
check "400 closes the connection" grep -qi '^connection: close' <<<"$out"
out=$(raw 'GET /healthz HTTP/1.1\r\nHost t\r\n\r\n')
check "header without colon 400" grep -q '^HTTP/1.1 400' <<<"$out"
out=$(raw 'GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nBAD / HTTP/1.1\r\n\r\n')
check "good then bad: 200 then 400" test "$(grep -o 'HTTP/1.1 [0-9]*' <<<"$out" | tr '\n' ' ')" = "HTTP/1.1 200 HTTP/1.1 400 "
out=$(raw 'POST /v1/screen HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')
check "bad chunk size 400" grep -q '^HTTP/1.1 400' <<<"$out"
check "still serving everyone else" test "$(req - GET /healthz)" = 200

# --- slow clients
t0=$(now_ms)
out=$(raw 'GET /healthz HTTP/1.1\r\nHost:')
t1=$(now_ms)
check "header timeout closes" test -z "$out"
check "header timeout in about 0.5 s" test $((t1 - t0)) -lt 3000
t0=$(now_ms)
out=$(raw 'POST /v1/screen HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{"id":')
t1=$(now_ms)
check "body timeout closes" test -z "$out"
check "body timeout in about 0.5 s" test $((t1 - t0)) -lt 3000
t0=$(now_ms)
out=$(raw '')
t1=$(now_ms)
check "idle timeout closes" test -z "$out"
check "idle timeout after 1.5 s" test $((t1 - t0)) -ge 1400 -a $((t1 - t0)) -lt 4500
check "timeouts counted" test "$(metric paxscreend_timeouts_total)" -ge 3

# --- bounded queue (1 job, 1 worker): pipelined slow requests, some refused with 503
{
  for i in $(seq 12); do
    printf 'POST /v1/screen HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\nContent-Length: %s\r\n\r\n' "$SYSTEM" "$len"
    cat "$tmp/screen100.json"
  done
  printf 'GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'
} >"$tmp/flood.req"
raw_file "$tmp/flood.req" >"$tmp/flood.out"
check "flood: every request answered" test "$(grep -a -o 'HTTP/1.1 [0-9]*' "$tmp/flood.out" | wc -l)" -eq 13
check "flood: the first accepted" test "$(grep -a -o 'HTTP/1.1 [0-9]*' "$tmp/flood.out" | head -n 1)" = "HTTP/1.1 200"
check "flood: queue full gives 503" grep -a -q 'HTTP/1.1 503' "$tmp/flood.out"
check "flood: 503 with Retry-After" grep -a -qi '^retry-after: 1' "$tmp/flood.out"
check "queue full counted" test "$(metric paxscreend_queue_full_total)" -ge 1

check "SIGTERM exits 0" stop_server

# --- connection limit (4), on a server whose idle timeout cannot interfere
write_config '{"limits": {"max_connections": 4, "idle_timeout_ms": 60000}}'
start_server || exit 1
# four idle connections, the fifth is refused
exec 5<>"/dev/tcp/127.0.0.1/$port" 6<>"/dev/tcp/127.0.0.1/$port" 7<>"/dev/tcp/127.0.0.1/$port" 8<>"/dev/tcp/127.0.0.1/$port"
sleep 0.1
check "over the connection limit 503" test "$(req - GET /healthz)" = 503
check "503 says retry" grep -qi '^retry-after: 1' "$tmp/headers"
exec 5>&- 6>&- 7>&- 8>&-
check "below the limit again" wait_for '[ "$(req - GET /healthz)" = 200 ]'

check "limit server: SIGTERM exits 0" stop_server
finish
