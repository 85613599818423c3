#!/usr/bin/env bash
# tests/server/api.sh — black-box tests of paxscreend's endpoints: /healthz, /metrics,
# POST /v1/screen (one traveller, a small batch, no hit, malformed JSON naming its place, too
# many travellers), POST /v1/batches and /v1/paxlst (202 with an id, then screened with its
# hits; malformed bodies 400 naming the place; the wrong format), duplicates, GET
# /v1/batches/{id}, GET /v1/hits paging, tokens and roles (401, 403, admin), 404 and 405, and
# configuration errors.
# Usage: api.sh PATH_TO_PAXSCREEND PATH_TO_PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

make_store
check "alert store imported" test -s "$tmp/db/data.mdb"
write_config '{"access_log": true}'
start_server || exit 1

# --- health and metrics: no token needed
check "healthz 200" test "$(req - GET /healthz)" = 200
check "healthz body" test "$(body .status)" = ok
check "metrics 200" test "$(req - GET /metrics)" = 200
check "metrics has queue depth" grep -q '^paxscreend_queue_depth 0' "$tmp/body"
check "metrics has request histogram" grep -q '^paxscreend_request_seconds_bucket{le="+Inf"}' "$tmp/body"
check "metrics has screening histogram" grep -q '^paxscreend_screening_seconds_count' "$tmp/body"
check "metrics text content type" grep -qi '^content-type: text/plain' "$tmp/headers"

# --- POST /v1/screen
check "screen a batch 200" test "$(req $SYSTEM POST /v1/screen --data-binary @"$data/batch.json")" = 200
check "screen finds MARTINEZ's stolen passport" \
  test "$(body '[.hits[] | select(.kind == "document" and .traveller_id == "XZ877-240501-001")] | length')" -ge 1
check "screen hit has the CLI's hit fields" \
  test "$(body '.hits[0] | has("hit_id") and has("entry_id") and has("explanation") and has("action")')" = true
check "screen counts travellers" test "$(body .travellers)" = 3
cat >"$tmp/one.json" <<'J'
{"id": "Q1", "surname": "PETROV", "given_names": "IVAN", "birth_date": "1975-11-02",
 "nationality": "RUS", "documents": [{"type": "P", "number": "724415893", "issuer": "RUS"}]}
J
check "screen one traveller object 200" test "$(req $SYSTEM POST /v1/screen --data-binary @"$tmp/one.json")" = 200
check "one traveller: its hits" test "$(body '[.hits[].traveller_id] | unique')" = '[
  "Q1"
]'
check "one traveller: no_board entry" test "$(body '[.hits[] | select(.entry_id == "W-000124")] | length')" -ge 1
check "screen a clean traveller: no hits" \
  test "$(req $SYSTEM POST /v1/screen --data-binary '{"id": "C1", "surname": "NOONE", "documents": [{"number": "Q0000000"}]}')" = 200
check "clean traveller: empty hits" test "$(body '.hits | length')" = 0
check "screen malformed JSON 400" \
  test "$(req $SYSTEM POST /v1/screen --data-binary $'{"id": "X",\n "surname": }')" = 400
check "malformed JSON: error names line and column" grep -q 'line 2, column' "$tmp/body"
check "malformed JSON: kind and offset" test "$(body '.error.kind + " " + (.error.offset|tostring)')" = "invalid_json 25"
check "screen EDIFACT body 400" test "$(req $SYSTEM POST /v1/screen --data-binary @"$data/two_passengers.paxlst")" = 400
jq -n '{travellers: [range(101) | {id: "T\(.)", surname: "X"}]}' >"$tmp/big.json"
check "screen 101 travellers 413" test "$(req $SYSTEM POST /v1/screen --data-binary @"$tmp/big.json")" = 413
check "too many: says where to go" grep -q '/v1/batches' "$tmp/body"
check "screen field warning kept" \
  test "$(req $SYSTEM POST /v1/screen --data-binary '{"id": "W1", "surname": "A", "birth_date": "1990-13-45"}')" = 200
check "warning names the field" test "$(body '.warnings[0].field')" = birth_date

# --- tokens and roles
check "no token 401" test "$(req - POST /v1/screen --data-binary @"$tmp/one.json")" = 401
check "401 says a token is needed" grep -q 'bearer token is required' "$tmp/body"
check "unknown token 401" test "$(req not-a-real-token POST /v1/screen --data-binary @"$tmp/one.json")" = 401
check "Basic auth is no token 401" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -u a:b --data-binary @"$tmp/one.json" "$base/v1/screen")" = 401
check "carrier may not screen 403" test "$(req $CARRIER POST /v1/screen --data-binary @"$tmp/one.json")" = 403
check "analyst may not screen 403" test "$(req $ANALYST POST /v1/screen --data-binary @"$tmp/one.json")" = 403
check "system may not submit batches 403" test "$(req $SYSTEM POST /v1/batches --data-binary @"$data/batch.json")" = 403
check "carrier may not read the hit log 403" test "$(req $CARRIER GET /v1/hits)" = 403
check "admin may screen" test "$(req $ADMIN POST /v1/screen --data-binary @"$tmp/one.json")" = 200
check "a token is not in the server log" bash -c "! grep -q token-0001 '$tmp/server.log'"

# --- routes
check "unknown path 404" test "$(req $ADMIN GET /v1/nothing)" = 404
check "wrong method 405" test "$(req $ADMIN GET /v1/screen)" = 405
check "405 names the allowed method" grep -qi "^allow: POST" "$tmp/headers"
check "bad batch id 404" test "$(req $ADMIN GET /v1/batches/abc)" = 404
check "bad since 400" test "$(req $ADMIN GET '/v1/hits?since=x')" = 400

# --- POST /v1/batches and /v1/paxlst, then GET /v1/batches/{id}
check "batch 202" test "$(req $CARRIER POST /v1/batches --data-binary @"$data/batch.json")" = 202
json_id=$(body .batch_id)
check "batch id given" test -n "$json_id"
check "batch not a duplicate" test "$(body .duplicate)" = false
check "batch travellers counted" test "$(body .travellers)" = 3
check "paxlst 202" test "$(req $CARRIER POST /v1/paxlst --data-binary @"$data/two_passengers.paxlst")" = 202
pax_id=$(body .batch_id)
check "paxlst id differs" test "$pax_id" != "$json_id"
check "json batch screened" wait_for '[ "$(batch_status "$json_id")" = screened ]'
check "paxlst batch screened" wait_for '[ "$(batch_status "$pax_id")" = screened ]'
check "batch get 200 (carrier)" test "$(req $CARRIER GET /v1/batches/$json_id)" = 200
check "batch get: format" test "$(body .format)" = json
check "batch get: travellers" test "$(body .travellers)" = 3
check "batch get: a carrier sees no hits" test "$(body 'has("hits") or has("hit_count")')" = false
check "batch get 200 (analyst)" test "$(req $ANALYST GET /v1/batches/$json_id)" = 200
check "batch get: hits carry the batch id" test "$(body "[.hits[].batch_id] | unique | .[0]")" = "$json_id"
check "batch get: hit count matches" test "$(body '.hit_count == (.hits | length) and .hit_count > 0')" = true
check "batch get: hits have cursors" test "$(body '[.hits[].cursor] | all(. > 0)')" = true
check "paxlst get: its hits" test "$(req $ANALYST GET /v1/batches/$pax_id)" = 200
check "paxlst get: hit for XZ877001" test "$(body '[.hits[] | select(.traveller_id == "XZ877001")] | length')" -ge 1
check "paxlst get: format" test "$(body .format)" = paxlst
check "unknown batch 404" test "$(req $CARRIER GET /v1/batches/999999)" = 404

# duplicates: the same bytes again
check "duplicate batch 200" test "$(req $CARRIER POST /v1/batches --data-binary @"$data/batch.json")" = 200
check "duplicate flagged" test "$(body .duplicate)" = true
check "duplicate has the first id" test "$(body .batch_id)" = "$json_id"
check "duplicate paxlst" test "$(req $CARRIER POST /v1/paxlst --data-binary @"$data/two_passengers.paxlst")" = 200
check "duplicate paxlst id" test "$(body .batch_id)" = "$pax_id"

# malformed batches are not recorded
check "malformed JSON batch 400" test "$(req $CARRIER POST /v1/batches --data-binary '{"travellers": [{"id": 1,}]}')" = 400
check "malformed batch: place named" test "$(body .error.offset)" = 26
check "EDIFACT to /v1/batches 400" test "$(req $CARRIER POST /v1/batches --data-binary @"$data/two_passengers.paxlst")" = 400
check "says where PAXLST goes" grep -q '/v1/paxlst' "$tmp/body"
head -n 20 "$data/two_passengers.paxlst" >"$tmp/cut.edi"
printf "NAD+FL+++CUT" >>"$tmp/cut.edi"
check "cut PAXLST 400" test "$(req $CARRIER POST /v1/paxlst --data-binary @"$tmp/cut.edi")" = 400
check "cut PAXLST: segment named" test "$(body '.error.segment')" -gt 0
check "cut PAXLST: kind" test "$(body '.error.kind')" = unterminated_segment
check "not EDIFACT at all 400" test "$(req $CARRIER POST /v1/paxlst --data-binary 'hello there')" = 400
check "rejected batches counted" bash -c "curl -s $base/metrics | grep -q '^paxscreend_batches_rejected_total 4'"

# --- GET /v1/hits
check "hits 200" test "$(req $ANALYST GET '/v1/hits?since=0&limit=2')" = 200
check "hits page of 2" test "$(body '.hits | length')" = 2
check "hits cursors 1,2" test "$(body '[.hits[].cursor] | join(",")')" = 1,2
check "next is the last cursor" test "$(body .next)" = 2
total=$(curl -s -H "Authorization: Bearer $SYSTEM" "$base/v1/hits?limit=1000" | jq '.hits | length')
all=()
next=0
while :; do
  req $ANALYST GET "/v1/hits?since=$next&limit=2" >/dev/null
  n=$(body '.hits | length')
  [ "$n" -eq 0 ] && break
  all+=($(body '.hits[].cursor'))
  next=$(body .next)
done
check "paging sees every hit once" test "${#all[@]}" -eq "$total"
check "paging cursors consecutive" test "$(printf '%s\n' "${all[@]}" | sort -n | uniq | wc -l)" -eq "$total"
check "hits after the end: empty" test "$(req $SYSTEM GET "/v1/hits?since=$next")" = 200
check "hits after the end: next unchanged" test "$(body .next)" = "$next"
check "metrics count hits" bash -c "curl -s $base/metrics | grep -q '^paxscreend_hit_cursor $total'"

# --- the log: one line per request, and no personal data in it
check "access log has requests" grep -q 'paxscreend: carrier-xz batches 202' "$tmp/server.log"
check "access log names tokens, not secrets" bash -c "! grep -q 'token-0001' '$tmp/server.log'"
for word in MARTINEZ PETROV YY3478621 724415893 XZ877-240501-001 1968-02-23; do
  check "no $word in the log" bash -c "! grep -q '$word' '$tmp/server.log'"
done

# --- a carrier sees only its own batches; the same bytes from another carrier are its own batch
check "another carrier: no such batch" test "$(req $CARRIER2 GET /v1/batches/$json_id)" = 404
check "another carrier: told as for an absent one" test "$(body .error.message)" = "path: no batch $json_id"
check "authorities see who sent it" test "$(req $SYSTEM GET /v1/batches/$json_id)" = 200
check "submitted_by is the token's name" test "$(body .submitted_by)" = carrier-xz
check "a carrier is not told who sent it" test "$(req $CARRIER GET /v1/batches/$json_id && body 'has("submitted_by")')" = 200false
check "same bytes, other carrier: 202" test "$(req $CARRIER2 POST /v1/batches --data-binary @"$data/batch.json")" = 202
qq_id=$(body .batch_id)
check "same bytes, other carrier: not a duplicate" test "$(body .duplicate)" = false
check "same bytes, other carrier: a new id" test "$qq_id" != "$json_id"
check "its batch screened" wait_for '[ "$(batch_status "$qq_id")" = screened ]'
check "the other carrier reads its own" test "$(req $CARRIER2 GET /v1/batches/$qq_id)" = 200
check "the first carrier cannot" test "$(req $CARRIER GET /v1/batches/$qq_id)" = 404

# --- a second server on the same port cannot bind
"$srv_bin" --db "$tmp/db2" --data "$tmp/data2" --listen "127.0.0.1:$port" 2>"$tmp/err"
check "port in use exits 4" test $? -eq 4
check "port in use says so" grep -q 'address already in use' "$tmp/err"

check "SIGTERM exits 0" stop_server

# --- configuration errors name the field
echo '{"limits": {"max_body_bytes": "big"}}' >"$tmp/bad.json"
"$srv_bin" --config "$tmp/bad.json" 2>"$tmp/err"
check "bad config exits 2" test $? -eq 2
check "bad config names the field" grep -q 'limits.max_body_bytes' "$tmp/err"
echo '{"lisen": "127.0.0.1:1"}' >"$tmp/bad.json"
"$srv_bin" --config "$tmp/bad.json" 2>"$tmp/err"
check "unknown setting names it" grep -q 'lisen: unknown setting' "$tmp/err"
"$srv_bin" --listen nowhere:80 2>"$tmp/err"
check "bad --listen exits 2" test $? -eq 2
"$srv_bin" --bogus 2>"$tmp/err"
check "unknown option: usage" grep -q usage "$tmp/err"
finish
