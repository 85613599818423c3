#!/usr/bin/env bash
# tests/server/stream.sh — black-box tests of GET /v1/hits/stream: NDJSON lines, one per hit,
# each with its cursor; new hits arrive on an open stream as batches are screened; a client
# that disconnects and comes back with ?since=LAST gets every later hit once, none again; a
# stream from 0 replays the log; tokens and roles; SIGTERM closes open streams and exits 0.
# Usage: stream.sh PATH_TO_PAXSCREEND PATH_TO_PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

make_store
write_config
start_server || exit 1

batch() { # N -> a JSON batch with one traveller on the stolen-document list
  printf '{"flight": {"carrier": "XZ", "number": "%s"}, "travellers": [
    {"id": "S%s", "surname": "STREAM", "documents": [{"type": "P", "number": "X1234567", "issuer": "FRA"}]}]}' "$1" "$1"
}
submit() { batch "$1" | curl -s --max-time 10 -H "Authorization: Bearer $CARRIER" --data-binary @- "$base/v1/batches" >/dev/null; }
stream() { # SINCE OUTFILE: a stream in the background; its pid in $spid
  curl -s -N --max-time 30 -H "Authorization: Bearer $SYSTEM" "$base/v1/hits/stream?since=$1" >"$2" &
  spid=$!
}

check "stream without a token 401" test "$(req - GET /v1/hits/stream)" = 401
check "stream for a carrier 403" test "$(req $CARRIER GET /v1/hits/stream)" = 403

stream 0 "$tmp/s1"
sleep 0.3
submit 1
check "first hit arrives on the open stream" wait_for '[ "$(wc -l <"$tmp/s1")" -ge 1 ]'
check "its cursor is 1" test "$(head -n 1 "$tmp/s1" | jq .cursor)" = 1
check "it is the hit of batch 1" test "$(head -n 1 "$tmp/s1" | jq -r .traveller_id)" = S1
submit 2
check "second hit arrives" wait_for '[ "$(wc -l <"$tmp/s1")" -ge 2 ]'
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
last=$(tail -n 1 "$tmp/s1" | jq .cursor)
check "last seen cursor 2" test "$last" = 2

# while nobody listens
submit 3
submit 4
check "batch 4 screened" wait_for '[ "$(batch_status 4)" = screened ]'
stream "$last" "$tmp/s2"
spid2=$spid
check "resumed stream catches up" wait_for '[ "$(wc -l <"$tmp/s2")" -ge 2 ]'
submit 5
check "and goes on" wait_for '[ "$(wc -l <"$tmp/s2")" -ge 3 ]'
check "resumed: cursors 3,4,5 exactly" test "$(jq -s -c '[.[].cursor]' "$tmp/s2")" = '[3,4,5]'

stream 0 "$tmp/s3"
check "stream from 0 replays the log" wait_for '[ "$(wc -l <"$tmp/s3")" -ge 5 ]'
check "replay: cursors 1..5, no repeats" test "$(jq -s -c '[.[].cursor]' "$tmp/s3")" = '[1,2,3,4,5]'
check "every line is a hit" test "$(jq -s 'map(has("hit_id") and has("batch_id")) | all' "$tmp/s3")" = true

check "SIGTERM with streams open exits 0" stop_server
check "open streams ended by the server" timeout 5 bash -c "while kill -0 $spid 2>/dev/null || kill -0 $spid2 2>/dev/null; do sleep 0.1; done"
kill "$spid" "$spid2" 2>/dev/null
wait "$spid" "$spid2" 2>/dev/null
finish
