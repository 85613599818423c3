#!/usr/bin/env bash
# tests/server/stats.sh — border statistics from paxscreend: GET /v1/stats by day, month,
# route, carrier, nationality, age band, gender, role and list, as JSON and CSV, counted from
# what was screened (a duplicate batch is not counted twice), roles, and bad queries.
# Usage: stats.sh PAXSCREEND PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

make_store
write_config
start_server || exit 1

# tests/data/batch.json: XZ877 BCN-IAD on 2024-05-01, three travellers (M ESP 1968, F DNK
# 1991-07, M NGA 1979 crew); two_passengers.paxlst: the same flight, two passengers (M ESP
# 1968, F IND 1990)
code=$(req "$CARRIER" POST /v1/batches --data-binary @"$data/batch.json")
check "json batch 202" test "$code" = 202
j=$(body .batch_id)
code=$(req "$CARRIER" POST /v1/paxlst --data-binary @"$data/two_passengers.paxlst")
check "paxlst batch 202" test "$code" = 202
p=$(body .batch_id)
check "both screened" wait_for '[ "$(batch_status "$j")" = screened ] && [ "$(batch_status "$p")" = screened ]'
req "$CARRIER" POST /v1/batches --data-binary @"$data/batch.json" >/dev/null # a duplicate

stats() { req "$ANALYST" GET "/v1/stats?from=2024-05-01&to=2024-05-01&by=$1" >/dev/null; }
rows() { body '[.rows[] | "\(.value)=\(.count)"] | join(" ")'; }

stats day
check "by day: 5 travellers (the duplicate not counted)" test "$(rows)" = "2024-05-01=5"
check "total travellers" test "$(body .travellers)" = 5
check "travellers with a hit" test "$(body .travellers_with_hits)" -ge 1
stats route
check "by route" test "$(rows)" = "BCN-IAD=5"
stats carrier
check "by carrier" test "$(rows)" = "XZ=5"
stats nationality
check "by nationality, largest first" test "$(rows)" = "ESP=2 DNK=1 IND=1 NGA=1"
stats gender
check "by gender" test "$(rows)" = "M=3 F=2"
stats role
check "by role" test "$(rows)" = "passenger=4 crew=1"
stats age_band
check "by age band on the flight day" test "$(rows)" = "30-44=3 45-59=2"
stats list
check "hits by list" test "$(body '.counts')" = hits
check "hits by list: wanted" test "$(body '[.rows[] | select(.value == "wanted") | .count] | .[0] >= 2')" = true
# only the travellers with a hit, by any dimension: MARTINEZ (M, ESP) in both batches
req "$ANALYST" GET "/v1/stats?from=2024-05-01&to=2024-05-01&by=nationality&counts=hits" >/dev/null
check "hit travellers by nationality" test "$(body .counts)/$(body '[.rows[] | select(.value == "ESP") | .count] | .[0]')" = travellers_with_hits/2
req "$ANALYST" GET "/v1/stats?from=2024-05-01&to=2024-05-01&by=day&counts=hits" >/dev/null
check "hit travellers by day = travellers_with_hits" test "$(body '.rows[0].count == .travellers_with_hits')" = true
code=$(req "$ANALYST" GET "/v1/stats?counts=everyone")
check "bad counts: 400" test "$code" = 400
req "$ANALYST" GET "/v1/stats?from=2024-04-01&to=2024-06-30&by=month" >/dev/null
check "by month" test "$(rows)" = "2024-05=5"
req "$ANALYST" GET "/v1/stats?from=2024-05-02&to=2024-05-31&by=route" >/dev/null
check "another period: nothing" test "$(body '.travellers')" = 0
code=$(req "$ADMIN" GET "/v1/stats?from=2024-05-01&to=2024-05-01&by=gender&format=csv")
check "CSV: 200" test "$code" = 200
check "CSV: content type" grep -qi '^content-type: text/csv' "$tmp/headers"
check "CSV: header and rows" test "$(tr '\n' ' ' <"$tmp/body")" = "gender,travellers M,3 F,2 "

code=$(req "$CARRIER" GET "/v1/stats")
check "carriers may not: 403" test "$code" = 403
code=$(req "$ANALYST" GET "/v1/stats?by=shoe_size")
check "unknown dimension: 400" test "$code" = 400
code=$(req "$ANALYST" GET "/v1/stats?from=2024-13-01")
check "bad date: 400" test "$code" = 400
code=$(req "$ANALYST" GET "/v1/stats?from=2024-05-02&to=2024-05-01")
check "from after to: 400" test "$code" = 400

stop_server
check "SIGTERM: exit 0" test $? -eq 0

# the CLI reads the same counts from the data directory
out=$("$cli_bin" report --data "$tmp/data" --from 2024-05-01 --to 2024-05-31 --by nationality)
check "report: exit 0" test $? -eq 0
check "report: as /v1/stats" \
  test "$(jq -r '[.rows[] | "\(.value)=\(.count)"] | join(" ")' <<<"$out")" = "ESP=2 DNK=1 IND=1 NGA=1"
check "report --hits" test "$("$cli_bin" report --data "$tmp/data" --from 2024-05-01 --to 2024-05-01 --by gender --hits | jq -r .counts)" = travellers_with_hits
check "report --csv" test "$("$cli_bin" report --data "$tmp/data" --from 2024-05-01 --to 2024-05-01 --by role --csv | tr '\n' ' ')" = "role,travellers passenger,4 crew,1 "
"$cli_bin" report --data "$tmp/data" --by shoe_size >/dev/null 2>&1
check "report: unknown dimension: exit 2" test $? -eq 2
"$cli_bin" report --data "$tmp/nowhere" >/dev/null 2>&1
check "report: no data directory: exit 3" test $? -eq 3

# retention: a server keeping 30 days purges nothing fresh; a purge of everything received until
# now removes the traveller data (bodies, hits), keeps records and statistics, and is audited
write_config '{"retention_days": 30}'
start_server || exit 1
code=$(req "$ANALYST" GET "/v1/batches/$j")
check "retention 30 days: fresh hits stay" test "$(body '.hits | length')" -ge 1
stop_server
sleep 1.1 # "older than 0 days" is "received before this second"
out=$("$cli_bin" purge --data "$tmp/data" --days 0 --by ops-test)
check "purge: exit 0" test $? -eq 0
check "purge: both batches" test "$(jq .batches <<<"$out")" = 2
check "purge: their hits" test "$(jq '.hits > 0' <<<"$out")" = true
out=$("$cli_bin" purge --data "$tmp/data" --days 0)
check "purge again: nothing left" test "$(jq .batches <<<"$out")" = 0
start_server || exit 1
code=$(req "$ANALYST" GET "/v1/batches/$j")
check "purged batch: record kept" test "$(body .status)" = screened
check "purged batch: hits gone" test "$(body '.hits | length')" = 0
stats gender
check "purged: statistics kept" test "$(rows)" = "M=3 F=2"
code=$(req "$ADMIN" GET /v1/audit)
check "purge in the audit log" \
  test "$(body '[.entries[] | select(.action == "purge") | .who] | first')" = ops-test
stop_server
finish
