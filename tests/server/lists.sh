#!/usr/bin/env bash
# tests/server/lists.sh — the lists over HTTP against the real paxscreend: GET /v1/lists, PUT
# and DELETE /v1/lists/{list}/entries/{id}, POST /v1/lists/{list}/import (bad lines named and
# skipped), roles, and screening that sees each change at once.
# Usage: lists.sh PAXSCREEND PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

make_store
write_config
start_server || exit 1

screen_hits() { # traveller JSON -> the entry ids it hits, space separated
  req "$SYSTEM" POST /v1/screen --data-binary "$1" >/dev/null
  body '[.hits[].entry_id] | join(" ")'
}
ROSSI='{"id":"t1","surname":"ROSSI","given_names":"MARIO LUIGI","birth_date":"1971-07-07"}'

code=$(req "$ADMIN" GET /v1/lists)
check "GET /v1/lists: 200" test "$code" = 200
check "the example lists are there" test "$(body '[.lists[].name] | sort | join(",")')" = "health,missing,sltd,wanted"
code=$(req "$ANALYST" GET /v1/lists)
check "analysts may read the lists" test "$code" = 200
code=$(req "$SYSTEM" GET /v1/lists)
check "system may not: 403" test "$code" = 403

check "ROSSI is on no list yet" test -z "$(screen_hits "$ROSSI")"
before=$(req "$ADMIN" GET /v1/lists >/dev/null; body '.lists[] | select(.name == "wanted") | .version')

# PUT an entry (list and id from the path)
code=$(req "$ADMIN" PUT /v1/lists/wanted/entries/W-9001 \
  --data-binary '{"names":[{"surname":"ROSSI","given_names":"MARIO LUIGI"}],"birth_dates":["1971-07-07"],"action":"no_board"}')
check "PUT: 200" test "$code" = 200
check "PUT: inserted" test "$(body .result)" = inserted
check "PUT: list version moved" test "$(body .list_version)" -gt "$before"
check "screening sees the new entry at once" test "$(screen_hits "$ROSSI")" = W-9001
code=$(req "$ADMIN" PUT /v1/lists/wanted/entries/W-9001 \
  --data-binary '{"names":[{"surname":"ROSSI","given_names":"MARIO LUIGI"}],"birth_dates":["1971-07-07"],"action":"no_board"}')
check "PUT again: unchanged" test "$(body .result)" = unchanged
code=$(req "$ADMIN" PUT /v1/lists/wanted/entries/W-9001 \
  --data-binary '{"names":[{"surname":"ROSSI","given_names":"MARIO LUIGI"}],"birth_dates":["1971-07-07"],"action":"refer"}')
check "PUT changed: updated" test "$(body .result)" = updated

# bad PUTs
code=$(req "$ADMIN" PUT /v1/lists/wanted/entries/W-9002 --data-binary '{"list":"sltd","names":[{"full":"A B"}]}')
check "list in body differs from path: 400" test "$code" = 400
check "and says which field" test "$(body .error.message)" = 'body: list: must be the one in the path ("wanted")'
code=$(req "$ADMIN" PUT /v1/lists/wanted/entries/W-9002 --data-binary '{"names":[{"surname":"A","type":"chief"}]}')
check "bad entry: 400" test "$code" = 400
check "bad entry: field named" test "$(body .error.field)" = "names[0].type"
code=$(req "$ADMIN" PUT /v1/lists/wanted/entries/W-9002 --data-binary '{"names": [')
check "not JSON: 400" test "$code" = 400
code=$(req "$ANALYST" PUT /v1/lists/wanted/entries/W-9002 --data-binary '{"names":[{"full":"A B"}]}')
check "analysts may not write: 403" test "$code" = 403
code=$(req "$ADMIN" POST /v1/lists/wanted/entries/W-9002 --data-binary '{}')
check "POST on an entry: 405" test "$code" = 405
check "405 says what is allowed" grep -qi '^allow: PUT, DELETE' "$tmp/headers"
code=$(req "$ADMIN" GET /v1/lists/wanted/nonsense)
check "unknown list path: 404" test "$code" = 404

# an id with characters that need escaping in a path
code=$(req "$ADMIN" PUT "/v1/lists/wanted/entries/W%2F77%20b" --data-binary '{"names":[{"full":"ZED QUUX"}]}')
check "escaped id with a slash: 404 (a slash is never part of an id here)" test "$code" = 404
code=$(req "$ADMIN" PUT "/v1/lists/wanted/entries/W%2077" --data-binary '{"names":[{"full":"ZED QUUX"}]}')
check "escaped id: 200" test "$code" = 200
check "escaped id decoded" test "$(body .id)" = "W 77"

# DELETE
code=$(req "$ADMIN" DELETE /v1/lists/wanted/entries/W-9001)
check "DELETE: 200" test "$code" = 200
check "DELETE: deleted" test "$(body .result)" = deleted
check "screening no longer hits ROSSI" test -z "$(screen_hits "$ROSSI")"
code=$(req "$ADMIN" DELETE /v1/lists/wanted/entries/W-9001)
check "DELETE of an absent entry: 404" test "$code" = 404

# POST import: JSON Lines of one list; bad lines named, the rest land
cat >"$tmp/import.jsonl" <<'JL'
{"list":"watch","id":"X-1","names":[{"surname":"ROSSI","given_names":"MARIO LUIGI"}],"birth_dates":["1971-07-07"]}
{"list":"watch","id":"X-2","names":[{"surname":"BIANCHI"}],"birth_dates":"1970"}
{"list":"other","id":"X-3","names":[{"surname":"VERDI","given_names":"GIUSEPPE"}]}

{"list":"watch","id":"X-4","documents":[{"number":"QQ1234567","issuer":"ITA"}]}
JL
code=$(req "$ADMIN" POST /v1/lists/watch/import --data-binary @"$tmp/import.jsonl")
check "import: 200" test "$code" = 200
check "import: counts" test "$(body '[.lines, .inserted, .failed] | join(",")')" = "5,2,2"
check "import: bad field named with its line" test "$(body '.errors[0].line')" = 2
check "import: another list's line refused" test "$(body '.errors[1].line')" = 3
check "screening sees the import" test "$(screen_hits "$ROSSI")" = X-1
code=$(req "$ADMIN" POST /v1/lists/watch/import --data-binary @"$tmp/import.jsonl")
check "import again: unchanged" test "$(body '[.unchanged, .inserted] | join(",")')" = "2,0"

stop_server
check "SIGTERM: exit 0" test $? -eq 0
finish
