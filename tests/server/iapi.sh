#!/usr/bin/env bash
# tests/server/iapi.sh — POST /v1/iapi against the real paxscreend: a PAXLST message in, a
# CUSRES out with one verdict per traveller (1Z do not board for a no_board hit, 2Z contact the
# authorities for a refer hit, 4Z insufficient data, 0Z otherwise), the carrier's references
# echoed, the request recorded as a batch whose hits reach the hit log; auth, malformed bodies,
# and a duplicate request answered alike.
# Usage: iapi.sh PAXSCREEND PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

make_store
write_config
start_server || exit 1

# four passengers: MARTINEZ (wanted, refer), PETROV (wanted, no_board), a clean one, and a
# clean one sent without a travel document
cat >"$tmp/iapi.edi" <<'EDI'
UNA:+.? '
UNB+UNOA:4+XZAIR+BORDERGOV+240501:0930+IAPI0001++APIS'
UNH+M1+PAXLST:D:05B:UN:IATA+XZ877/240501/1700+01:F'
BGM+745'
RFF+TN:XZ877240501:::1'
TDT+20+XZ877+++XZ'
LOC+125+BCN'
DTM+189:2405011100:201'
LOC+87+IAD'
DTM+232:2405011700:201'
NAD+FL+++MARTINEZ:JULIO'
ATT+2++M'
DTM+329:680223'
NAT+2+ESP'
RFF+AVF:GJO3RT'
RFF+ABO:P001'
DOC+P+ZZ0000001'
LOC+91+ESP'
NAD+FL+++PETROV:IVAN SERGEYEVICH'
ATT+2++M'
DTM+329:751102'
RFF+ABO:P002'
DOC+P+ZZ0000002'
LOC+91+RUS'
NAD+FL+++OKONKWO:CHIDI'
ATT+2++M'
DTM+329:800101'
RFF+ABO:P003'
DOC+P+A00000003'
LOC+91+NGA'
NAD+FL+++LINDQVIST:ASTRID'
ATT+2++F'
DTM+329:850505'
RFF+ABO:P004'
CNT+42:4'
UNT+33+M1'
UNZ+1+IAPI0001'
EDI

code=$(req "$CARRIER" POST /v1/iapi --data-binary @"$tmp/iapi.edi")
check "iapi: 200" test "$code" = 200
check "iapi: EDIFACT content type" grep -qi '^content-type: application/edifact' "$tmp/headers"
tr -d '\n' <"$tmp/body" | tr "'" '\n' >"$tmp/segs"
check "answer is a CUSRES" grep -q '^UNH+1+CUSRES:D:05B:UN:IATA' "$tmp/segs"
check "answer goes back to the carrier" grep -q '^UNB+UNOA:4+BORDERGOV+XZAIR+' "$tmp/segs"
check "flight reference echoed" grep -q '^RFF+TN:XZ877240501' "$tmp/segs"
verdict() { # passenger reference -> the ERC code that follows its RFF+ABO
  awk -v ref="RFF+ABO:$1" '$0 == ref { want = 1; next } want && /^ERC\+/ { print substr($0, 5); exit }' "$tmp/segs"
}
check "refer hit: 2Z" test "$(verdict P001)" = 2Z
check "no_board hit: 1Z" test "$(verdict P002)" = 1Z
check "clean: 0Z" test "$(verdict P003)" = 0Z
check "no travel document: 4Z" test "$(verdict P004)" = 4Z
check "UNT counts the message" \
  test "$(grep -c . <(sed -n '/^UNH/,/^UNT/p' "$tmp/segs"))" = "$(grep '^UNT' "$tmp/segs" | cut -d+ -f2)"
ctrl=$(grep '^UNB' "$tmp/segs" | cut -d+ -f6)
check "control reference is the batch id" test "$ctrl" -ge 1

# the request is recorded as a batch; its hits reach the hit log
check "recorded batch screened" wait_for '[ "$(batch_status "$ctrl")" = screened ]'
code=$(req "$ANALYST" GET "/v1/batches/$ctrl")
check "batch hits: MARTINEZ and PETROV" \
  test "$(body '[.hits[].traveller_id] | sort | unique | join(",")')" = "P001,P002"

# the same request again: the same answer (same control reference), not recorded twice
code=$(req "$CARRIER" POST /v1/iapi --data-binary @"$tmp/iapi.edi")
check "duplicate: 200" test "$code" = 200
check "duplicate: same control reference" \
  test "$(tr -d '\n' <"$tmp/body" | tr "'" '\n' | grep '^UNB' | cut -d+ -f6)" = "$ctrl"

# roles and bad bodies
code=$(req - POST /v1/iapi --data-binary @"$tmp/iapi.edi")
check "no token: 401" test "$code" = 401
code=$(req "$SYSTEM" POST /v1/iapi --data-binary @"$tmp/iapi.edi")
check "system token: 403" test "$code" = 403
code=$(req "$CARRIER" POST /v1/iapi --data-binary '{"travellers": []}')
check "JSON body: 400" test "$code" = 400
code=$(req "$CARRIER" POST /v1/iapi --data-binary "UNB+UNOA:4+X+Y+240501:0930+1'UNH+1+PAXLST:D:05B:UN:IATA'NAD+FL+++A")
check "cut interchange: 400" test "$code" = 400
check "cut interchange: place named" test "$(body '.error.offset != null or .error.segment != null')" = true
code=$(req "$ADMIN" GET /healthz)
check "server still serving" test "$code" = 200

stop_server
check "SIGTERM: exit 0" test $? -eq 0
finish
