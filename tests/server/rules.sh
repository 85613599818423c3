#!/usr/bin/env bash
# tests/server/rules.sh — targeting rules in paxscreend's screening: POST /v1/screen, recorded
# batches (their rule hits reach the hit log) and POST /v1/iapi (a no_board rule answers 1Z);
# a rule changed with `paxscreen rules put` while the server runs takes effect for the next
# request, without a restart.
# Usage: rules.sh PAXSCREEND PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

make_store
echo '{"id":"R-seat","name":"seat 13C on XZ","action":"refer","when":{"all":[{"field":"seat","equals":"13C"},{"field":"carrier","equals":"XZ"}]}}' |
  "$cli_bin" rules put --db "$tmp/db" - >/dev/null 2>&1
check "rules put before start" test $? -eq 0
write_config
start_server || exit 1

batch='{"flight":{"carrier":"XZ","number":"877","departure":{"airport":"BCN","time":"2024-05-01T11:00"},"arrival":{"airport":"IAD","time":"2024-05-01T17:00"}},"travellers":[{"id":"S1","surname":"NOONE","given_names":"ANNA","seat":"13C"},{"id":"S2","surname":"NOONE","given_names":"BEN","seat":"14A"}]}'
code=$(req "$SYSTEM" POST /v1/screen --data-binary "$batch")
check "screen: 200" test "$code" = 200
check "screen: the rule hits the traveller in 13C only" \
  test "$(body '[.hits[] | select(.kind == "rule") | .traveller_id] | join(",")')" = S1
check "screen: the hit names the rule and its fields" \
  test "$(body '.hits[0].explanation.rule | [.id, (.matched | map(.field) | join("+"))] | join(" ")')" = "R-seat seat+carrier"

code=$(req "$CARRIER" POST /v1/batches --data-binary "$batch")
check "batch: 202" test "$code" = 202
id=$(body .batch_id)
check "batch screened" wait_for '[ "$(batch_status "$id")" = screened ]'
code=$(req "$ANALYST" GET "/v1/batches/$id")
check "batch: the rule hit is stored" test "$(body '[.hits[] | select(.kind == "rule") | .entry_id] | join(",")')" = R-seat

# a no_board rule on a route, added while the server runs: the next iAPI answer says 1Z
echo '{"id":"R-route","name":"no boarding BCN-IAD","action":"no_board","when":{"field":"route","equals":"BCN-IAD"}}' |
  "$cli_bin" rules put --db "$tmp/db" - >/dev/null 2>&1
check "rules put while running" test $? -eq 0
code=$(req "$CARRIER" POST /v1/iapi --data-binary @"$data/two_passengers.paxlst")
check "iapi: 200" test "$code" = 200
check "iapi: the route rule says do not board, for both" \
  test "$(tr -d '\n' <"$tmp/body" | tr "'" '\n' | grep -c '^ERC+1Z')" = 2

# the rules over HTTP
code=$(req "$ADMIN" PUT /v1/rules/R-anna --data-binary '{"name":"ANNA on XZ","action":"notify","when":{"all":[{"field":"given_names","equals":"anna"},{"field":"carrier","equals":"XZ"}]}}')
check "PUT rule: 200" test "$code" = 200
check "PUT rule: inserted" test "$(body .result)" = inserted
code=$(req "$SYSTEM" POST /v1/screen --data-binary "$batch")
check "screening sees the rule put over HTTP" \
  test "$(body '[.hits[] | select(.entry_id == "R-anna") | .traveller_id] | join(",")')" = S1
code=$(req "$ANALYST" GET /v1/rules/R-anna)
check "GET rule: 200 for an analyst" test "$code" = 200
check "GET rule: the rule and its version" test "$(body '[.id, .action, (.version > 0)] | join(" ")')" = "R-anna notify true"
code=$(req "$ADMIN" GET /v1/rules)
check "GET rules: all three" test "$(body '[.rules[].id] | join(",")')" = "R-anna,R-route,R-seat"
code=$(req "$ADMIN" PUT /v1/rules/R-bad --data-binary '{"name":"bad","action":"refer","when":{"field":"surname","matches":"AB(C"}}')
check "bad pattern: 400" test "$code" = 400
check "bad pattern: Hyperscan's message, rule and path named" \
  test "$(body '.error.message | test("R-bad.*when.matches.*Hyperscan")')" = true
code=$(req "$ADMIN" PUT /v1/rules/R-anna --data-binary '{"id":"R-other","name":"x","action":"refer","when":{"field":"seat","equals":"1A"}}')
check "id in body differs from path: 400" test "$code" = 400
code=$(req "$ADMIN" PUT /v1/rules/R-x --data-binary '{"name":"x","action":"refer","when":{"field":"nope","equals":"1"}}')
check "unknown field: 400 naming the path" test "$(body .error.field)" = "when.field"
code=$(req "$ANALYST" PUT /v1/rules/R-anna --data-binary '{}')
check "analysts may not write rules: 403" test "$code" = 403
code=$(req "$ADMIN" DELETE /v1/rules/R-anna)
check "DELETE rule: 200" test "$code" = 200
code=$(req "$ADMIN" DELETE /v1/rules/R-anna)
check "DELETE again: 404" test "$code" = 404
code=$(req "$SYSTEM" POST /v1/screen --data-binary "$batch")
check "screening no longer sees it" test "$(body '[.hits[] | select(.entry_id == "R-anna")] | length')" = 0

stop_server
check "SIGTERM: exit 0" test $? -eq 0
finish
