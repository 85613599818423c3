#!/usr/bin/env bash
# tests/cli/rules.sh — black-box tests of `paxscreen rules put|list|delete|screen`: bad lines
# (JSON path, Hyperscan's message, rule id, line number) are reported and skipped while the
# rest lands, upserts and unchanged re-puts, list, delete, rule hits with their explanation,
# validity windows judged at --now, the rules sharing a store with watchlists, exit codes.
# Usage: rules.sh PATH_TO_PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

db=$tmp/db
cat >"$tmp/rules.jsonl" <<'EOF'
{"id": "R-1", "name": "Martinez on BCN", "action": "refer", "when": {"all": [{"field": "surname", "equals": "martinez"}, {"field": "route", "matches": "BCN-.*"}]}}
{"id": "R-2", "name": "bad regex", "action": "refer", "when": {"any": [{"field": "pnr", "equals": "X"}, {"field": "document_number", "matches": "YY(34"}]}}
{"id": "R-3", "name": "crew without PNR", "action": "notify", "when": {"not": {"field": "pnr", "matches": ".*"}}}

{"id": "R-4", "name": "typo", "action": "refer", "when": {"all": [{"field": "surname", "equals": "A"}, {"field": "colour", "equals": "B"}]}}
{"id": "R-5", "name": "summer only", "action": "no_board", "valid_from": "2024-06-01", "valid_until": "2024-08-31", "when": {"field": "flight_number", "equals": "XZ877"}}
not json
EOF

# 1. put with bad lines: exit 1, each named by line, path and message; the rest lands
out=$("$bin" rules put --db "$db" "$tmp/rules.jsonl" 2>"$tmp/err")
rc=$?
check "put with bad lines exits 1" test $rc -eq 1
check "Hyperscan's message, rule id, path and line" \
  grep -qF 'line 2: rule R-2: when.any[1].matches: Hyperscan: Missing close parenthesis for group started at index 2.' "$tmp/err"
check "a bad field is named by its JSON path" \
  grep -qF 'line 5: when.all[1].field: must be one of' "$tmp/err"
check "a line that is not JSON" grep -qF 'line 7: (rule): not JSON' "$tmp/err"
check "three errors on stderr" test "$(wc -l <"$tmp/err")" -eq 3
check "one JSON object on stdout" test "$(jq -s length <<<"$out")" = 1
check "put counts" test "$(jq -c '[.lines,.inserted,.updated,.unchanged,.failed,.generation]' <<<"$out")" \
  = "[7,3,0,0,3,1]"

list=$("$bin" rules list --db "$db")
check "list exits 0" test $? -eq 0
check "list has the rules that landed, in id order" \
  test "$(jq -c 'map(.id)' <<<"$list")" = '["R-1","R-3","R-5"]'
check "list gives each rule back as written, with its version" \
  test "$(jq -c '.[2]' <<<"$list")" = '{"id":"R-5","name":"summer only","action":"no_board","valid_from":"2024-06-01","valid_until":"2024-08-31","when":{"field":"flight_number","equals":"XZ877"},"version":1}'

# 2. the same file again: nothing changes, the generation does not move
out=$("$bin" rules put --db "$db" "$tmp/rules.jsonl" 2>/dev/null)
check "re-put: unchanged" test "$(jq -c '[.inserted,.updated,.unchanged,.generation]' <<<"$out")" = "[0,0,3,1]"

# 3. screening with the rules alone
"$bin" rules screen --db "$db" --now 2024-07-01 "$data/batch.json" >"$tmp/hits" 2>"$tmp/err"
check "screen exits 0" test $? -eq 0
check "every stdout line is a hit" test "$(jq -s 'map(.kind == "rule") | all' "$tmp/hits")" = true
hits() { jq -r --arg t "$1" 'select(.traveller_id == $t) | .entry_id' "$tmp/hits" | tr '\n' ' '; }
check "MARTINEZ on BCN-IAD, in summer" test "$(hits XZ877-240501-001)" = "R-1 R-5 "
check "another passenger: only the flight rule" test "$(hits XZ877-240501-002)" = "R-5 "
check "crew without PNR: the NOT rule" test "$(hits XZ877-240501-C01)" = "R-3 R-5 "
r1=$(jq -c 'select(.entry_id == "R-1")' "$tmp/hits")
check "rule hit explanation" \
  test "$(jq -c .explanation <<<"$r1")" = '{"rule":{"id":"R-1","name":"Martinez on BCN","matched":[{"field":"surname","pattern":"martinez"},{"field":"route","pattern":"BCN-.*"}]}}'
check "rule hit fields" \
  test "$(jq -c '[.list,.kind,.action,.score,.entry_version,.batch_id]' <<<"$r1")" = '["rules","rule","refer",1,1,"batch.json"]'
check "NOT-only hit names no pattern" \
  test "$(jq -c 'select(.entry_id == "R-3") | .explanation.rule.matched' "$tmp/hits")" = '[]'
"$bin" rules screen --db "$db" --now 2024-09-01T00:00 "$data/batch.json" >"$tmp/hits" 2>/dev/null
check "out of its window the summer rule is silent" \
  test "$(jq -r .entry_id "$tmp/hits" | sort -u | tr '\n' ' ')" = "R-1 R-3 "

# 4. an update (upsert by id) and a delete
printf '%s\n' '{"id": "R-1", "name": "Martinez anywhere", "action": "no_board", "when": {"field": "surname", "equals": "MARTINEZ"}}' |
  "$bin" rules put --db "$db" - >"$tmp/out"
check "stdin put exits 0" test $? -eq 0
check "update counted" test "$(jq -c '[.inserted,.updated,.generation]' "$tmp/out")" = "[0,1,2]"
out=$("$bin" rules delete --db "$db" R-3)
check "delete exits 0" test $? -eq 0
check "delete says so" test "$(jq -c . <<<"$out")" = '{"id":"R-3","deleted":true}'
"$bin" rules delete --db "$db" R-3 >/dev/null 2>"$tmp/err"
check "delete of an absent rule exits 1" test $? -eq 1
check "and says why" grep -qF "no rule 'R-3'" "$tmp/err"
check "list after update and delete" \
  test "$("$bin" rules list --db "$db" | jq -c 'map([.id,.action,.version])')" = '[["R-1","no_board",2],["R-5","no_board",1]]'
"$bin" rules screen --db "$db" --now 2025-01-01 "$data/batch.json" >"$tmp/hits"
check "the next screening sees the change" \
  test "$(jq -c '[.traveller_id,.entry_id,.action]' "$tmp/hits")" = '["XZ877-240501-001","R-1","no_board"]'

# 5. rules live beside the watchlists in one store
"$bin" lists import --db "$db" "$data/watchlist.jsonl" >/dev/null 2>&1
check "lists import into a store with rules" test $? -eq 0
check "rules survive an import" test "$("$bin" rules list --db "$db" | jq length)" = 2
"$bin" screen --db "$db" "$data/batch.json" >/dev/null 2>&1
check "screen still reads the store" test $? -eq 0

# 5b. `paxscreen screen` runs the rules in force now beside the lists, against the batch's
# flight (a rule with no validity window is always in force)
echo '{"id":"R-route","name":"BCN to IAD on XZ","action":"notify","when":{"all":[{"field":"route","equals":"BCN-IAD"},{"field":"carrier","equals":"XZ"}]}}' |
  "$bin" rules put --db "$db" - >/dev/null 2>&1
"$bin" screen --db "$db" "$data/two_passengers.paxlst" >"$tmp/hits" 2>/dev/null
check "screen: rule hit for every traveller of the flight" \
  test "$(jq -r 'select(.kind == "rule" and .entry_id == "R-route") | .traveller_id' "$tmp/hits" | sort | tr '\n' ' ')" = "XZ877001 XZ877002 "
check "screen: rule hit explains the fields" \
  test "$(jq -c 'select(.entry_id == "R-route") | [.explanation.rule.matched[].field]' "$tmp/hits" | head -1)" = '["route","carrier"]'
check "screen: the lists still hit (MARTINEZ)" \
  test "$(jq -r 'select(.kind == "person") | .entry_id' "$tmp/hits" | head -1)" = W-000123

# 6. usage and store errors
"$bin" rules >/dev/null 2>&1
check "no subcommand: exit 2" test $? -eq 2
"$bin" rules put "$tmp/rules.jsonl" >/dev/null 2>&1
check "put without --db: exit 2" test $? -eq 2
"$bin" rules frob --db "$db" >/dev/null 2>&1
check "unknown subcommand: exit 2" test $? -eq 2
"$bin" rules screen --db "$db" --now yesterday "$data/batch.json" >/dev/null 2>&1
check "bad --now: exit 2" test $? -eq 2
"$bin" rules put --db "$db" "$tmp/absent.jsonl" >/dev/null 2>&1
check "unreadable FILE: exit 2" test $? -eq 2
"$bin" rules list --db "$tmp/nowhere" >"$tmp/out" 2>/dev/null
check "missing store: exit 3" test $? -eq 3
check "store error as JSON" test "$(jq -r .error.kind "$tmp/out")" = store_error

finish
