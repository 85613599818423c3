#!/usr/bin/env bash
# tests/server/preempt.sh — a border system's request does not wait behind a carrier's batch:
# paxscreend with a single worker, busy screening a batch of 60,000 travellers, answers
# POST /v1/screen (and GET /healthz-free work such as GET /v1/lists) between two travellers of
# the batch, before the batch is screened; the batch is then screened whole, with its hits.
# Usage: preempt.sh PAXSCREEND PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

make_store
write_config '{"workers": 1, "limits": {"max_body_bytes": 67108864}}'
start_server || exit 1

# 60,000 travellers: MARTINEZ JULIO (listed) every 1,000th, the rest unlisted names
jq -c -n '{travellers: [range(60000) | {id: "B\(.)",
            surname: (if . % 1000 == 0 then "MARTINEZ" else "QUENTORVAL\(. % 977)" end),
            given_names: (if . % 1000 == 0 then "JULIO" else "ZEPHRANIO" end),
            birth_date: "1968-02-23"}]}' >"$tmp/big.json"
check "big batch 202" test "$(req $CARRIER POST /v1/batches --data-binary @"$tmp/big.json")" = 202
big=$(body .batch_id)

# while it is being screened, a border system asks about one traveller
code=$(req $SYSTEM POST /v1/screen --data-binary \
  '{"travellers": [{"id": "Q1", "surname": "MARTINES", "given_names": "JULIO"}]}')
status_then=$(batch_status "$big")
check "screen answered 200" test "$code" = 200
check "screen found the listed name" test "$(body '[.hits[] | select(.traveller_id == "Q1")] | length')" -ge 1
check "answered before the batch was screened" test "$status_then" = received
check "the batch is screened after" wait_for '[ "$(batch_status "$big")" = screened ]'
req $ANALYST GET "/v1/batches/$big" >/dev/null
check "all its travellers" test "$(body .travellers)" = 60000
check "its 60 hits" test "$(body '[.hits[] | select(.kind == "person")] | length')" = 60
check "SIGTERM exits 0" stop_server
finish
