#!/usr/bin/env bash
# tests/server/review.sh — black-box tests of the hit review: GET /v1/hits with filters
# (status, list, action, kind, batch, min_score, bad values), GET /v1/hits/{cursor} with its
# status and decisions, POST /v1/hits/{cursor}/decision (all three decisions, several on one
# hit, latest wins, bad bodies named by field, unknown hit), tokens and roles (401/403: system
# may not decide, analyst may not read the audit), GET /v1/audit (admin: reads, decisions and
# exports recorded, in order, paged), the unfiltered GET /v1/hits unchanged,
# `paxscreen hits list|show|decide` on the same data directory while the server runs, and
# suppression (a false_positive silences the same identity on the same entry until it changes).
# Usage: review.sh PATH_TO_PAXSCREEND PATH_TO_PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

make_store
write_config
start_server || exit 1

submit() { # FILE -> batch id
  curl -s --max-time 10 -H "Authorization: Bearer $CARRIER" --data-binary @"$1" \
    "$base/v1/batches" | jq -r .batch_id
}
cat >"$tmp/b1.json" <<'EOF'
{"flight": {"carrier": "XZ", "number": "877"}, "travellers": [
  {"id": "R1", "surname": "MARTINEZ", "given_names": "JULIO", "birth_date": "1968-02-23",
   "gender": "M", "nationality": "ESP"},
  {"id": "R2", "surname": "DOE", "given_names": "JOHN",
   "documents": [{"type": "P", "number": "X1234567", "issuer": "FRA"}]}]}
EOF
cat >"$tmp/b2.json" <<'EOF'
{"flight": {"carrier": "XZ", "number": "878"}, "travellers": [
  {"id": "R3", "surname": "DOE", "given_names": "JANE",
   "documents": [{"type": "P", "number": "X1234567", "issuer": "FRA"}]}]}
EOF
b1=$(submit "$tmp/b1.json")
b2=$(submit "$tmp/b2.json")
check "batches screened" wait_for '[ "$(batch_status "$b1")" = screened ] && [ "$(batch_status "$b2")" = screened ]'

# the log as the unfiltered endpoint gives it: shape unchanged (no status member)
check "GET /v1/hits 200" test "$(req $ANALYST GET '/v1/hits?limit=100')" = 200
cp "$tmp/body" "$tmp/all.json"
n=$(jq '.hits | length' "$tmp/all.json")
check "hits stored (at least 3)" test "$n" -ge 3
check "unfiltered: no status member" test "$(jq '[.hits[] | has("status")] | any' "$tmp/all.json")" = false
c_person=$(jq '[.hits[] | select(.traveller_id == "R1" and .list == "wanted")][0].cursor' "$tmp/all.json")
c_doc1=$(jq '[.hits[] | select(.traveller_id == "R2" and .kind == "document")][0].cursor' "$tmp/all.json")
c_doc2=$(jq '[.hits[] | select(.traveller_id == "R3" and .kind == "document")][0].cursor' "$tmp/all.json")
check "the three hits found" test "$c_person" != null -a "$c_doc1" != null -a "$c_doc2" != null
last=$(jq .next "$tmp/all.json")

# ---- roles ---------------------------------------------------------------------------------
dec() { # TOKEN CURSOR BODY
  req "$1" POST "/v1/hits/$2/decision" -H 'Content-Type: application/json' --data-binary "$3"
}
check "decision without a token 401" test "$(dec - "$c_doc1" '{"decision": "true_match"}')" = 401
check "decision with an unknown token 401" test "$(dec nope "$c_doc1" '{"decision": "true_match"}')" = 401
check "system may not decide 403" test "$(dec $SYSTEM "$c_doc1" '{"decision": "true_match"}')" = 403
check "carrier may not decide 403" test "$(dec $CARRIER "$c_doc1" '{"decision": "true_match"}')" = 403
check "system may not open a hit 403" test "$(req $SYSTEM GET "/v1/hits/$c_doc1")" = 403
check "analyst may not read the audit 403" test "$(req $ANALYST GET /v1/audit)" = 403
check "system may not read the audit 403" test "$(req $SYSTEM GET /v1/audit)" = 403
check "audit without a token 401" test "$(req - GET /v1/audit)" = 401
check "GET on decision 405" test "$(req $ANALYST GET "/v1/hits/$c_doc1/decision")" = 405
check "POST on a hit 405" test "$(req $ANALYST POST "/v1/hits/$c_doc1" --data-binary '{}')" = 405

# ---- decisions -----------------------------------------------------------------------------
check "open a hit 200" test "$(req $ANALYST GET "/v1/hits/$c_doc1")" = 200
check "undecided: status open" test "$(body .status)" = open
check "no decisions yet" test "$(body '.decisions | length')" = 0
check "the hit itself is there" test "$(body .traveller_id)/$(body .cursor)" = "R2/$c_doc1"

check "escalate 201" test "$(dec $ANALYST "$c_doc1" '{"decision": "escalated", "note": "ask Interpol"}')" = 201
check "decision echoed" test "$(body .decision)/$(body .by)/$(body .note)/$(body .cursor)" = "escalated/hq/ask Interpol/$c_doc1"
check "decision time is UTC ISO" grep -Eq '"at":"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z"' "$tmp/body"
check "false_positive 201" test "$(dec $ANALYST "$c_doc1" '{"decision": "false_positive", "note": "passport renewed"}')" = 201
check "a bad validity 400" test "$(dec $ANALYST "$c_doc2" '{"decision": "false_positive", "valid_until": "soon"}')" = 400
check "a bad validity names the field" test "$(body .error.field)" = valid_until
check "admin may decide: true_match 201" test "$(dec $ADMIN "$c_person" '{"decision": "true_match"}')" = 201
check "by the admin token's name" test "$(body .by)" = ops
check "read back" test "$(req $ANALYST GET "/v1/hits/$c_doc1")" = 200
check "latest decision is the status" test "$(body .status)" = false_positive
check "both decisions kept, oldest first" test "$(body '[.decisions[].decision] | join(",")')" = escalated,false_positive
check "notes kept" test "$(body '.decisions[0].note')" = "ask Interpol"

# bad input
check "unknown decision 400" test "$(dec $ANALYST "$c_doc2" '{"decision": "maybe"}')" = 400
check "names the field" test "$(body .error.field)" = decision
check "missing decision 400" test "$(dec $ANALYST "$c_doc2" '{"note": "x"}')" = 400
check "names decision" test "$(body .error.field)" = decision
check "open is no decision 400" test "$(dec $ANALYST "$c_doc2" '{"decision": "open"}')" = 400
long=$(head -c 2001 /dev/zero | tr '\0' n)
check "note too long 400" test "$(dec $ANALYST "$c_doc2" "{\"decision\": \"true_match\", \"note\": \"$long\"}")" = 400
check "names note" test "$(body .error.field)" = note
check "note not a string 400" test "$(dec $ANALYST "$c_doc2" '{"decision": "true_match", "note": 5}')" = 400
check "unknown field 400" test "$(dec $ANALYST "$c_doc2" '{"decision": "true_match", "by": "me"}')" = 400
check "names it" test "$(body .error.field)" = by
check "not JSON 400" test "$(dec $ANALYST "$c_doc2" 'decision=true_match')" = 400
check "names the body" test "$(body .error.field)" = body
check "unknown hit 404" test "$(dec $ANALYST 999999 '{"decision": "true_match"}')" = 404
check "open an unknown hit 404" test "$(req $ANALYST GET /v1/hits/999999)" = 404
check "a hit id that is no cursor 404" test "$(req $ANALYST GET /v1/hits/abc)" = 404
check "stream still routed" test "$(req $CARRIER GET /v1/hits/stream)" = 403
check "nothing landed on the other hit" test "$(req $ANALYST GET "/v1/hits/$c_doc2")-$(body .status)" = 200-open

# ---- filters -------------------------------------------------------------------------------
hits() { # QUERY -> cursors, comma-separated
  curl -s --max-time 10 -H "Authorization: Bearer $ANALYST" "$base/v1/hits?$1" |
    jq -r '[.hits[].cursor] | map(tostring) | join(",")'
}
check "status=false_positive" test "$(hits status=false_positive)" = "$c_doc1"
check "status=true_match" test "$(hits status=true_match)" = "$c_person"
check "flight=XZ878: only that flight's hits" \
  test "$(hits 'flight=XZ878&limit=100')" = "$(curl -s --max-time 10 -H "Authorization: Bearer $ANALYST" "$base/v1/hits?limit=100" | jq -r '[.hits[] | select(.flight.number == "878") | .cursor] | map(tostring) | join(",")')"
check "flight=XZ878 finds some" test -n "$(hits 'flight=xz878&limit=100')"
check "flight=ZZ1: none" test "$(hits 'flight=ZZ1&limit=100')" = ""
check "status=escalated: none now" test "$(hits status=escalated)" = ""
check "status=open excludes decided" test "$(hits 'status=open&limit=100' | tr , '\n' | grep -cxE "$c_doc1|$c_person")" = 0
check "status=open has the other" test "$(hits 'status=open&limit=100' | tr , '\n' | grep -cx "$c_doc2")" = 1
check "kind=document" test "$(hits kind=document)" = "$c_doc1,$c_doc2"
check "list + batch" test "$(hits "list=sltd&batch=$b2")" = "$c_doc2"
check "action=refer has the person hit" test "$(hits action=refer | tr , '\n' | grep -cx "$c_person")" = 1
check "min_score=1 keeps exact document hits" test "$(hits 'kind=document&min_score=1')" = "$c_doc1,$c_doc2"
check "received from 2000 on: all" test "$(hits 'kind=document&from=2000-01-01')" = "$c_doc1,$c_doc2"
check "received before 2000: none" test "$(hits 'kind=document&to=2000-01-01T00%3A00')" = ""
check "filtered hits carry their status" test "$(curl -s -H "Authorization: Bearer $ANALYST" "$base/v1/hits?kind=document" | jq -r '[.hits[].status] | join(",")')" = false_positive,open
check "paging: limit=1" test "$(req $ANALYST GET '/v1/hits?kind=document&limit=1')-$(body '.hits | length')" = 200-1
nx=$(body .next)
check "paging: next page" test "$(hits "kind=document&since=$nx")" = "$c_doc2"
check "bad status 400" test "$(req $ANALYST GET '/v1/hits?status=closed')" = 400
check "names status" grep -q 'status: must be' "$tmp/body"
check "bad min_score 400" test "$(req $ANALYST GET '/v1/hits?min_score=2')" = 400
check "bad batch 400" test "$(req $ANALYST GET '/v1/hits?batch=x')" = 400
check "system may list with filters" test "$(req $SYSTEM GET '/v1/hits?kind=document')" = 200
check "unfiltered page unchanged" test "$(req $ANALYST GET '/v1/hits?limit=100')-$(jq -cS . "$tmp/body")" = "200-$(jq -cS . "$tmp/all.json")"

# a hit named by its hit_id (16 hex digits) rather than its cursor
hid=$(jq -r "[.hits[] | select(.cursor == $c_person)][0].hit_id" "$tmp/all.json")
check "GET /v1/hits/{hit_id}" test "$(req $ANALYST GET "/v1/hits/$hid")-$(body .cursor)" = "200-$c_person"
check "unknown hit_id 404" test "$(req $ANALYST GET /v1/hits/00000000000000ff)" = 404
check "decide by hit_id 201" test "$(dec $ANALYST "$hid" '{"decision": "true_match", "note": "by id"}')-$(body .cursor)" = "201-$c_person"
check "decide on an unknown hit_id 404" test "$(dec $ANALYST 00000000000000ff '{"decision": "true_match"}')" = 404

# ---- the CLI on the same data directory, while the server runs -----------------------------
cli() { timeout 20 "$cli_bin" hits "$@"; }
cli list --data "$tmp/data" >"$tmp/cli_all"
check "hits list exits 0" test $? = 0
check "hits list: every hit, one a line" test "$(wc -l <"$tmp/cli_all")" = "$n"
check "hits list --status false_positive" test "$(cli list --data "$tmp/data" --status false_positive | jq -r .cursor)" = "$c_doc1"
check "hits list --flight" test "$(cli list --data "$tmp/data" --flight XZ878 | jq -r '.flight.number' | sort -u)" = 878
check "hits list --kind document --batch" test "$(cli list --data "$tmp/data" --kind document --batch "$b2" | jq -r .cursor)" = "$c_doc2"
check "hits show" test "$(cli show --data "$tmp/data" --by cli-test "$c_doc1" | jq -r '.status + "/" + (.decisions | length | tostring)')" = false_positive/2
check "hits show by hit_id" test "$(cli show --data "$tmp/data" --by cli-test "$hid" | jq -r .cursor)" = "$c_person"
check "hits decide" test "$(cli decide --data "$tmp/data" "$c_doc2" --decision escalated --note 'from the CLI' --by duty | jq -r .decision)" = escalated
check "the server sees the CLI's decision" test "$(req $ANALYST GET "/v1/hits/$c_doc2")-$(body .status)-$(body '.decisions[0].by')" = 200-escalated-duty
cli decide --data "$tmp/data" "$c_doc2" --decision nope --by duty >/dev/null 2>"$tmp/cli.err"
check "hits decide: bad decision exits 1" test $? = 1
check "and names it" grep -q 'decision' "$tmp/cli.err"
cli decide --data "$tmp/data" 999999 --decision true_match --by duty >/dev/null 2>"$tmp/cli.err"
check "hits decide: unknown hit exits 1" test $? = 1
cli decide --data "$tmp/data" "$c_doc2" --decision true_match >/dev/null 2>&1
check "hits decide without --by: usage 2" test $? = 2
cli list --data "$tmp/nowhere" >/dev/null 2>&1
check "hits list on no data directory exits 3" test $? = 3
cli list --data "$tmp/data" --status closed >/dev/null 2>&1
check "hits list with a bad filter exits 2" test $? = 2

# ---- the audit log -------------------------------------------------------------------------
check "audit 200" test "$(req $ADMIN GET '/v1/audit?limit=1000')" = 200
cp "$tmp/body" "$tmp/audit.json"
check "seqs 1..N in order" test "$(jq '[.entries[].seq] == [range(1; (.entries | length) + 1)]' "$tmp/audit.json")" = true
check "first single-hit read: the analyst's" test "$(jq -r '[.entries[] | select(.action == "hit_read")][0] | .action + "/" + .who + "/" + (.cursor | tostring)' "$tmp/audit.json")" = "hit_read/hq/$c_doc1"
check "reads of hit pages audited too, with who and how many" test "$(jq '[.entries[] | select(.action == "hits_list" and .count > 0 and .who != null)] | length > 0' "$tmp/audit.json")" = true
check "a batch read with its hits audited" test "$(jq '[.entries[] | select(.action == "batch_read")] | length > 0' "$tmp/audit.json")" = true
check "decisions audited with who and what" test "$(jq -r "[.entries[] | select(.action == \"decision\" and .cursor == $c_doc1) | .decision + \":\" + .who] | join(\",\")" "$tmp/audit.json")" = "escalated:hq,false_positive:hq"
check "the CLI's read and decision audited" test "$(jq -r '[.entries[] | select(.who == "cli-test" or .who == "duty") | .action] | join(",")' "$tmp/audit.json")" = hit_read,hit_read,decision
check "refused and failed requests are not audited as reads" test "$(jq '[.entries[] | select(.cursor == 999999)] | length' "$tmp/audit.json")" = 0
check "every entry has a time" test "$(jq '[.entries[] | (.at | test("Z$")) and (.at_ms > 0)] | all' "$tmp/audit.json")" = true
total=$(jq '.entries | length' "$tmp/audit.json")
check "the export itself is audited" test "$(req $ADMIN GET "/v1/audit?since=$total")-$(body '.entries[0].action + "/" + .entries[0].who')" = 200-audit_export/ops
check "paged: since and limit" test "$(req $ADMIN GET '/v1/audit?since=1&limit=2')-$(jq -c '[.entries[].seq]' "$tmp/body")-$(body .next)" = '200-[2,3]-3'
check "earlier entries never rewritten" test "$(req $ADMIN GET '/v1/audit?limit=1000')-$(jq -c ".entries[:$total]" "$tmp/body")" = "200-$(jq -c .entries "$tmp/audit.json")"

# ---- suppression -----------------------------------------------------------------------------
# hit c_doc1 (DOE JOHN, X1234567, on sltd S-1) was decided false_positive: the same identity on
# the same entry is stored suppressed on later batches; another identity is not; after the entry
# changes (its version moves) it alerts again.
later() { # FLIGHT FILE: DOE JOHN again (as R4) and DOE JANE (as R5) with the same document
  printf '{"flight": {"carrier": "XZ", "number": "%s"}, "travellers": [
    {"id": "R4", "surname": "Doe", "given_names": "John",
     "documents": [{"type": "P", "number": "X 123 4567", "issuer": "FRA"}]},
    {"id": "R5", "surname": "DOE", "given_names": "JANE",
     "documents": [{"type": "P", "number": "X1234567", "issuer": "FRA"}]}]}' "$1" >"$2"
}
later 879 "$tmp/b3.json"
b3=$(submit "$tmp/b3.json")
check "batch 3 screened" wait_for '[ "$(batch_status "$b3")" = screened ]'
req $ANALYST GET "/v1/batches/$b3" >/dev/null
cp "$tmp/body" "$tmp/b3.out"
c4=$(jq '[.hits[] | select(.traveller_id == "R4" and .kind == "document")][0].cursor' "$tmp/b3.out")
c5=$(jq '[.hits[] | select(.traveller_id == "R5" and .kind == "document")][0].cursor' "$tmp/b3.out")
check "both hits still stored" test "$c4" != null -a "$c5" != null
check "hits carry an identity" test "$(jq '[.hits[] | .identity | test("^[0-9a-f]{32}$")] | all' "$tmp/b3.out")" = true
id1=$(curl -s -H "Authorization: Bearer $ANALYST" "$base/v1/hits/$c_doc1" | jq -r .identity)
check "same identity as the decided hit (case, spacing of the number)" test "$(jq -r "[.hits[] | select(.cursor == $c4)][0].identity" "$tmp/b3.out")" = "$id1"
check "R4's hit marked suppressed by the decision" test "$(jq -r "[.hits[] | select(.cursor == $c4)][0].suppressed.cursor" "$tmp/b3.out")" = "$c_doc1"
check "R5 (another identity) not suppressed" test "$(jq -r "[.hits[] | select(.cursor == $c5)][0].suppressed" "$tmp/b3.out")" = null
check "status suppressed" test "$(req $ANALYST GET "/v1/hits/$c4")-$(body .status)" = 200-suppressed
check "listed by status=suppressed" test "$(hits status=suppressed)" = "$c4"
check "R5 open" test "$(req $ANALYST GET "/v1/hits/$c5")-$(body .status)" = 200-open
check "the entry changes" test "$(req $ADMIN PUT /v1/lists/sltd/entries/S-1 --data-binary '{"documents": [{"type": "P", "number": "X1234567", "issuer": "FRA", "status": "lost"}]}')-$(body .result)" = 200-updated
later 880 "$tmp/b4.json"
b4=$(submit "$tmp/b4.json")
check "batch 4 screened" wait_for '[ "$(batch_status "$b4")" = screened ]'
check "after the entry changed: alerts again" test "$(curl -s -H "Authorization: Bearer $ANALYST" "$base/v1/batches/$b4" | jq -r '[.hits[] | select(.traveller_id == "R4" and .kind == "document")] | length, (.[0].suppressed | tostring)' | tr '\n' ,)" = 1,null,
check "still one suppressed hit" test "$(hits status=suppressed)" = "$c4"

# a decision with a validity (a date runs to the end of its day, UTC)
check "a validity: 201" test "$(dec $ANALYST "$c5" '{"decision": "escalated", "valid_until": "2031-01-31"}')" = 201
check "a validity is echoed" test "$(body .valid_until)" = "2031-02-01T00:00:00.000Z"

check "SIGTERM exits 0" stop_server
finish
