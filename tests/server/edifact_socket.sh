#!/usr/bin/env bash
# tests/server/edifact_socket.sh — black-box tests of paxscreend's raw EDIFACT socket: the real
# server with "edifact_listen" on a free loopback port, fed by tests/server/edi_client.c (built
# here with cc; CMake does not build it). Interchanges back to back in one write and split in
# 7-byte writes are each answered with an accepting CONTRL, in the order sent, and their
# batches are screened with their hits; a malformed interchange gets a rejecting CONTRL naming
# the reason while the connection goes on; an oversized one is rejected and skipped; one cut
# off by the end of the feed, or stalled past body_timeout_ms, is rejected (UNZ missing);
# garbage and a UNH without envelope close the connection with a log line naming the byte; a
# duplicate is acknowledged without a new batch; an interchange in Type-B service characters
# (UNA:(.) -) is answered in them; a peer outside edifact_allow, or over max_connections, is
# refused; SIGKILL after the CONTRL, then a restart: the acknowledged batch is screened exactly
# once; SIGTERM drains an open feed and exits 0; a bad edifact_listen is a configuration error.
# The log holds no traveller data.
# Usage: edifact_socket.sh PATH_TO_PAXSCREEND PATH_TO_PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

client="$tmp/edi_client"
if ! ${CC:-cc} -std=gnu11 -O1 -o "$client" "$(dirname "$0")/edi_client.c" 2>"$tmp/cc.err"; then
  cat "$tmp/cc.err" >&2
  check "edi_client builds" false
  finish
  exit
fi

make_store
write_config '{"edifact_listen": "127.0.0.1:0", "edifact_port_file": "'"$tmp/eport"'",
               "limits": {"edifact_max_bytes": 4096, "body_timeout_ms": 2000}}'

edi_start() { # starts the server and reads the EDIFACT port
  start_server "$@" || return 1
  eport=$(cat "$tmp/eport" 2>/dev/null)
  [ -n "$eport" ]
}
# send [client options] FILE...: the server's answers on stdout (at most 10 s)
send() { timeout 15 "$client" "$eport" --timeout-ms 10000 "$@"; }
# ucis: the UCI segments of the CONTRLs on stdin, one a line (the service characters of the
# sample interchanges are the default ones)
ucis() { tr "'" '\n' | grep '^UCI+' || true; }
# ich N: the sample PAXLST with interchange control reference N (so its bytes are its own)
ich() { sed "s/000000001/$(printf %09d "$1")/g" "$data/two_passengers.paxlst"; }
hits_json() { curl -s --max-time 10 -H "Authorization: Bearer $ANALYST" "$base/v1/hits?since=0&limit=1000"; }
batch_ids() { hits_json | jq -r '[.hits[].batch_id] | unique | .[]'; }

edi_start || exit 1
check "log names the EDIFACT address" grep -q "raw EDIFACT feeds on 127.0.0.1:$eport" "$tmp/server.log"

# --- three interchanges back to back in one write: three accepting CONTRLs, in order
for n in 11 12 13; do ich $n >"$tmp/i$n.edi"; done
send "$tmp/i11.edi" "$tmp/i12.edi" "$tmp/i13.edi" >"$tmp/out1"
ucis <"$tmp/out1" >"$tmp/uci1"
check "one write: three CONTRLs" test "$(wc -l <"$tmp/uci1")" = 3
check "one write: accepted, in the order sent" test "$(cut -d+ -f2,5 "$tmp/uci1" | tr '\n' ' ')" = \
  "000000011+7 000000012+7 000000013+7 "
check "CONTRL goes back to the sender" grep -q "^UNA:+.? 'UNB+UNOA:4+USADHS+XYZAIRLINES+" "$tmp/out1"
check "CONTRL message CONTRL:4:1:UN" grep -q "UNH+1+CONTRL:4:1:UN'" "$tmp/out1"
check "CONTRL names the subject's parties" grep -q "UCI+000000011+XYZAIRLINES+USADHS+7'" "$tmp/out1"

# --- split across many small writes (7 bytes each), with Type-B framing in front of one
{ printf '\001QU WASAPXS\r\n.XYZAPXH 011200\r\n\002'; ich 22; printf '\003'; } >"$tmp/i22.edi"
ich 21 >"$tmp/i21.edi"
ich 23 | tr -d '\n' >"$tmp/i23.edi" # no line breaks at all
send --chunk 7 --delay-us 200 "$tmp/i21.edi" "$tmp/i22.edi" "$tmp/i23.edi" | ucis >"$tmp/uci2"
check "small writes: accepted, in order" test "$(cut -d+ -f2,5 "$tmp/uci2" | tr '\n' ' ')" = \
  "000000021+7 000000022+7 000000023+7 "

# --- the six batches are screened, each with its hits (the sample's MARTINEZ is listed)
check "six batches with hits" wait_for '[ "$(batch_ids | wc -l)" -eq 6 ]'
for id in $(batch_ids); do
  check "batch $id screened" wait_for '[ "$(batch_status "$id")" = screened ]'
  req $ANALYST GET "/v1/batches/$id" >/dev/null
  check "batch $id: paxlst with the hit for XZ877001" \
    test "$(body '.format + " " + ([.hits[] | select(.traveller_id == "XZ877001")] | length > 0 | tostring)')" = "paxlst true"
done
per_batch=$(hits_json | jq '[.hits[] | select(.batch_id == "'"$(batch_ids | head -n 1)"'")] | length')

# --- a malformed interchange (its UNT is missing) between two good ones: rejected, named
ich 31 >"$tmp/i31.edi"
ich 32 | grep -v '^UNT' >"$tmp/i32.edi"
ich 33 >"$tmp/i33.edi"
send "$tmp/i31.edi" "$tmp/i32.edi" "$tmp/i33.edi" | ucis >"$tmp/uci3"
check "malformed: accepted, rejected (13 missing, UNT), accepted" \
  test "$(cut -d+ -f2,5- "$tmp/uci3" | tr '\n' ' ')" = "000000031+7 000000032+4+13+UNT 000000033+7 "
check "malformed: logged with its control reference" \
  grep -q "control ref 000000032) rejected: error 13 at UNT" "$tmp/server.log"

# --- an interchange over edifact_max_bytes (4096): rejected, skipped, the feed goes on
{ ich 41 | sed -n '1,/^NAD+FL/p' | head -n -1
  for _ in $(seq 120); do printf "FTX+AAH+++PADDING TEXT TO MAKE THE INTERCHANGE LARGE'\n"; done
  ich 41 | sed -n '/^NAD+FL/,$p'; } >"$tmp/i41.edi"
ich 42 >"$tmp/i42.edi"
check "the oversized sample is over the limit" test "$(wc -c <"$tmp/i41.edi")" -gt 4096
send "$tmp/i41.edi" "$tmp/i42.edi" | ucis >"$tmp/uci4"
check "oversized: rejected (18, UNB), the next accepted" \
  test "$(cut -d+ -f2,5- "$tmp/uci4" | tr '\n' ' ')" = "000000041+4+18+UNB 000000042+7 "
check "oversized: logged" grep -q "interchange at byte 0 is longer than 4096 bytes" "$tmp/server.log"

# --- cut off by the end of the feed: rejected as missing its UNZ
ich 51 | head -c 600 >"$tmp/i51.edi"
send "$tmp/i51.edi" | ucis >"$tmp/uci5"
check "truncated: rejected (13, UNZ)" test "$(cut -d+ -f2,5- "$tmp/uci5")" = "000000051+4+13+UNZ"

# --- stalled inside an interchange (the feed stays open): rejected after body_timeout_ms
start=$(now_ms)
send --keep-open "$tmp/i51.edi" | ucis >"$tmp/uci5b"
check "stalled: rejected (13, UNZ)" test "$(cut -d+ -f2,5- "$tmp/uci5b")" = "000000051+4+13+UNZ"
check "stalled: after the 2 s body timeout" test $(($(now_ms) - start)) -ge 1900
check "stalled: logged" grep -q "is not complete after 2000 ms" "$tmp/server.log"

# --- garbage after a good interchange: its CONTRL, then the connection closes
ich 61 >"$tmp/i61.edi"
ich 62 >"$tmp/i62.edi"
printf '\200\201\377 not EDIFACT' >"$tmp/junk.bin"
start=$(now_ms)
send "$tmp/i61.edi" "$tmp/junk.bin" "$tmp/i62.edi" | ucis >"$tmp/uci6"
check "garbage: the interchange before it answered, nothing after" \
  test "$(cut -d+ -f2,5 "$tmp/uci6" | tr '\n' ' ')" = "000000061+7 "
check "garbage: closed at once (not by a timeout)" test $(($(now_ms) - start)) -lt 5000
bytes61=$(wc -c <"$tmp/i61.edi")
check "garbage: logged with its byte offset" \
  grep -q "bytes from $bytes61 are not an interchange (byte 0x80 at $bytes61).*closing the connection" "$tmp/server.log"

# --- a UNH without envelope: closed, logged
printf "UNH+1+PAXLST:D:05B:UN:IATA'\nBGM+745'\n" >"$tmp/nounb.edi"
check "no envelope: no answer" test -z "$(send "$tmp/nounb.edi")"
check "no envelope: logged" grep -q "UNH at byte 0 is outside any interchange" "$tmp/server.log"

# --- the server keeps serving everyone else
check "healthz after the bad feeds" test "$(req - GET /healthz)" = 200
check "a new feed after the bad ones" test "$(send "$tmp/i13.edi" | ucis | cut -d+ -f5)" = 7

# --- a duplicate: acknowledged, no new batch
dup_before=$(metric paxscreend_batches_duplicate_total)
before=$(batch_ids | wc -l)
check "duplicate re-sent: accepted" test "$(send "$tmp/i11.edi" | ucis | cut -d+ -f2,5)" = "000000011+7"
check "duplicate: counted" test "$(metric paxscreend_batches_duplicate_total)" -gt "${dup_before:-0}"
sleep 0.3
check "duplicate: no new batch" test "$(batch_ids | wc -l)" = "$before"

# --- no traveller data in the log
check "log: no traveller names" bash -c "! grep -q -e MARTINEZ -e SOUZA '$tmp/server.log'"
check "log: no document numbers" bash -c "! grep -q -e YY3478621 -e Z1234567 '$tmp/server.log'"

# --- SIGKILL once the CONTRL is in, then a restart: the batch is screened exactly once
check "restart for SIGKILL" stop_server
edi_start --intake-only || exit 1
ich 71 >"$tmp/i71.edi"
check "intake only: accepted" test "$(send "$tmp/i71.edi" | ucis | cut -d+ -f2,5)" = "000000071+7"
kill9_server
edi_start || exit 1
check "SIGKILL: the acknowledged batch is screened after the restart" \
  wait_for '[ "$(batch_ids | wc -l)" -eq $((before + 1)) ]'
hits_json >"$tmp/hits.json"
new_id=$(jq -r '.hits[-1].batch_id' "$tmp/hits.json")
check "SIGKILL: its hits once" \
  test "$(jq --arg b "$new_id" '[.hits[] | select(.batch_id == $b)] | length' "$tmp/hits.json")" = "$per_batch"
check "SIGKILL: no hit stored twice" \
  test "$(jq '([.hits[].hit_id] | unique | length) == (.hits | length)' "$tmp/hits.json")" = true
check "SIGKILL: re-sent after the restart is a duplicate" \
  test "$(send "$tmp/i71.edi" | ucis | cut -d+ -f2,5)" = "000000071+7"
sleep 0.3
check "SIGKILL: still one batch for it" test "$(batch_ids | wc -l)" -eq $((before + 1))

# --- Type-B service characters (UNA:(.) -): the CONTRL is written in them
ich 81 | sed "s/^UNA:+.? '/UNA:(.) -/; s/+/(/g; s/?'/)\x01/g; s/'/-/g; s/\x01/-/g" >"$tmp/i81.edi"
send "$tmp/i81.edi" >"$tmp/out81"
check "Type-B syntax: the CONTRL uses it" grep -q "^UNA:(.) -UNB(UNOA:4(USADHS(XYZAIRLINES(" "$tmp/out81"
check "Type-B syntax: accepted" grep -q "UCI(000000081(XYZAIRLINES(USADHS(7-" "$tmp/out81"

# --- SIGTERM with a feed connection open (idle, and one mid-interchange): drained, exit 0
exec 3<>"/dev/tcp/127.0.0.1/$eport"
exec 4<>"/dev/tcp/127.0.0.1/$eport"
head -c 300 "$tmp/i13.edi" >&4
sleep 0.2
check "SIGTERM with feeds open: exit 0" stop_server
exec 3>&- 4>&-

# --- edifact_allow: a peer not listed is refused
write_config '{"edifact_listen": "127.0.0.1:0", "edifact_port_file": "'"$tmp/eport"'",
               "edifact_allow": ["10.9.8.7"]}'
edi_start || exit 1
check "edifact_allow: not listed, no answer" test -z "$(send "$tmp/i11.edi")"
check "edifact_allow: logged" grep -q "not in edifact_allow; closed" "$tmp/server.log"
check "edifact_allow: stop" stop_server

# --- a gateway named for a carrier: its batches are that carrier's (unnamed ones are nobody's)
write_config '{"edifact_listen": "127.0.0.1:0", "edifact_port_file": "'"$tmp/eport"'",
               "edifact_allow": ["10.9.8.7", {"address": "127.0.0.1", "carrier": "carrier-xz"}]}'
edi_start || exit 1
before=$(batch_ids | sort -n | tail -n 1)
check "earlier batches are there" test -n "$before"
ich 81 >"$tmp/i81.edi"
check "named gateway: accepted" test "$(send "$tmp/i81.edi" | ucis | cut -d+ -f5)" = 7
check "named gateway: a new batch" wait_for '[ "$(batch_ids | sort -n | tail -n 1)" != "$before" ]'
named=$(batch_ids | sort -n | tail -n 1)
check "named gateway: screened" wait_for '[ "$(batch_status "$named")" = screened ]'
check "named gateway: its carrier reads it" test "$(req $CARRIER GET "/v1/batches/$named")" = 200
check "named gateway: another carrier cannot" test "$(req $CARRIER2 GET "/v1/batches/$named")" = 404
check "named gateway: submitted_by" test "$(req $SYSTEM GET "/v1/batches/$named" && body .submitted_by)" = 200carrier-xz
check "unnamed feed: @edifact" test "$(req $SYSTEM GET "/v1/batches/$before" && body .submitted_by)" = 200@edifact
check "unnamed feed: no carrier reads it" test "$(req $CARRIER GET "/v1/batches/$before")" = 404
check "named gateway: stop" stop_server

# --- max_connections feeds at most: one more is closed
write_config '{"edifact_listen": "127.0.0.1:0", "edifact_port_file": "'"$tmp/eport"'",
               "limits": {"max_connections": 1}}'
edi_start || exit 1
exec 5<>"/dev/tcp/127.0.0.1/$eport"
sleep 0.2
check "feed limit: the second feed gets no answer" test -z "$(send "$tmp/i11.edi")"
check "feed limit: logged" grep -q "too many feed connections; closed" "$tmp/server.log"
exec 5>&-
check "feed limit: the first one closed, a new feed is served" \
  wait_for '[ "$(send "$tmp/i11.edi" | ucis | cut -d+ -f5)" = 7 ]'
check "feed limit: stop" stop_server

# --- configuration errors
write_config '{"edifact_listen": "localhost:x"}'
"$srv_bin" --config "$tmp/cfg.json" 2>"$tmp/cfg.err"
check "bad edifact_listen: exit 2" test $? = 2
check "bad edifact_listen: named" grep -q "edifact_listen: " "$tmp/cfg.err"
write_config '{"edifact_allow": ["not an address"]}'
"$srv_bin" --config "$tmp/cfg.json" 2>"$tmp/cfg.err"
check "bad edifact_allow: exit 2" test $? = 2
check "bad edifact_allow: named" grep -q "edifact_allow\[0\]" "$tmp/cfg.err"
write_config '{"edifact_allow": [{"address": "127.0.0.1", "carrier": "@edifact"}]}'
"$srv_bin" --config "$tmp/cfg.json" 2>"$tmp/cfg.err"
check "edifact_allow carrier '@...': exit 2" test $? = 2
check "edifact_allow carrier '@...': named" grep -q "edifact_allow\[0\].carrier" "$tmp/cfg.err"

finish
