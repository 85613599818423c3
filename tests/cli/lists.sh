#!/usr/bin/env bash
# tests/cli/lists.sh — black-box tests of `paxscreen lists import|show|set`: a bad line in the
# middle is reported and skipped while the rest lands, re-imports change nothing, deletes,
# list settings, stdin, exit codes (0 ok, 1 some lines failed, 2 usage, 3 store error).
# Usage: lists.sh PATH_TO_PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

db=$tmp/db
cat >"$tmp/five.jsonl" <<'EOF'
{"list":"wanted","id":"W-1","names":[{"surname":"MARTINEZ","given_names":"JULIO"}],"documents":[{"number":"YY3478621","issuer":"ES"}]}
{"list":"wanted","id":"W-2","names":[{"full":"Хулио Мартинес","type":"alias"}]}
{"list":"wanted","id":"W-3","names":[{"surname":"BAD","type":"nickname"}]}
{"list":"sltd","id":"S-1","documents":[{"number":"X1234567","issuer":"FRA","status":"stolen"}]}

{"list":"sltd","id":"S-9","documents":[{"pattern":"L8989[0-9]{4}","issuer":"UTO","status":"stolen"}]}
EOF

# 1. a bad line in the middle: exit 1, stderr names line and field, the rest lands
out=$("$bin" lists import --db "$db" "$tmp/five.jsonl" 2>"$tmp/err")
rc=$?
check "import with a bad line exits 1" test $rc -eq 1
check "stderr names the line and field" \
  grep -q 'line 3: names\[0\].type: must be primary, alias or weak_alias' "$tmp/err"
check "one JSON object on stdout" test "$(jq -s 'length' <<<"$out")" = 1
check "summary counts" \
  test "$(jq -c '[.lines,.inserted,.updated,.unchanged,.deleted,.missing,.failed]' <<<"$out")" \
  = "[6,4,0,0,0,0,1]"
check "summary names db and file" \
  test "$(jq -r '"\(.db) \(.file)"' <<<"$out")" = "$db $tmp/five.jsonl"
check "summary lists" \
  test "$(jq -c '[.lists[] | [.name, .entries, .version]]' <<<"$out")" \
  = '[["sltd",2,2],["wanted",2,2]]'
show=$("$bin" lists show --db "$db")
check "show exits 0" test $? -eq 0
check "show has the lines that landed" \
  test "$(jq -c '[.[] | {(.name): .entries}] | add' <<<"$show")" = '{"sltd":2,"wanted":2}'
check "lists default to refer 0.85" \
  test "$(jq -r '.[0] | "\(.action) \(.threshold)"' <<<"$show")" = "refer 0.85"

# 2. the same file again: everything unchanged, versions do not move
out=$("$bin" lists import --db "$db" "$tmp/five.jsonl" 2>/dev/null)
check "re-import still reports the bad line" test $? -eq 1
check "re-import: all unchanged" \
  test "$(jq -c '[.inserted,.updated,.unchanged,.failed]' <<<"$out")" = "[0,0,4,1]"
check "re-import: versions unchanged" \
  test "$(jq -c '[.lists[] | .version]' <<<"$out")" = "[2,2]"

# 3. an update, a delete and a delete of an absent id, from stdin
out=$(printf '%s\n' \
  '{"list":"wanted","id":"W-1","names":[{"surname":"MARTINEZ","given_names":"JULIO XAVIER"}]}' \
  '{"list":"sltd","id":"S-1","deleted":true}' \
  '{"list":"sltd","id":"S-404","deleted":true}' |
  "$bin" lists import --db "$db" -)
check "stdin import exits 0" test $? -eq 0
check "update, delete, missing" \
  test "$(jq -c '[.updated,.deleted,.missing,.failed]' <<<"$out")" = "[1,1,1,0]"
check "file - in the summary" test "$(jq -r .file <<<"$out")" = "-"
show=$("$bin" lists show --db "$db")
check "delete took the entry out" \
  test "$(jq -c '[.[] | [.name, .entries, .version]]' <<<"$show")" = '[["sltd",1,3],["wanted",2,3]]'

# 4. list settings
out=$("$bin" lists set --db "$db" sltd --action no_board --threshold 1)
check "set exits 0" test $? -eq 0
check "set prints the list" test "$(jq -r '"\(.name) \(.action) \(.threshold)"' <<<"$out")" \
  = "sltd no_board 1"
"$bin" lists set --db "$db" wanted --threshold=0.9 >/dev/null
show=$("$bin" lists show --db "$db")
check "show after set" \
  test "$(jq -c '[.[] | [.name, .action, .threshold]]' <<<"$show")" \
  = '[["sltd","no_board",1],["wanted","refer",0.9]]'
"$bin" lists set --db "$db" health --action notify >/dev/null
check "set creates a list" \
  test "$("$bin" lists show --db "$db" | jq -r '.[0] | "\(.name) \(.action) \(.entries)"')" \
  = "health notify 0"
"$bin" lists set --db "$db" sltd --action ignore >/dev/null 2>&1
check "set with a bad action exits 2" test $? -eq 2
"$bin" lists set --db "$db" sltd --threshold 1.5 >/dev/null 2>&1
check "set with a bad threshold exits 2" test $? -eq 2

# 5. usage and store errors
"$bin" lists import "$tmp/five.jsonl" >/dev/null 2>"$tmp/err"
check "import without --db exits 2" test $? -eq 2
check "usage names --db" grep -q -- '--db' "$tmp/err"
"$bin" lists show >/dev/null 2>&1
check "show without --db exits 2" test $? -eq 2
"$bin" lists import --db "$db" >/dev/null 2>&1
check "import without FILE exits 2" test $? -eq 2
"$bin" lists import --db "$db" "$tmp/absent.jsonl" >/dev/null 2>&1
check "import of a missing file exits 2" test $? -eq 2
"$bin" lists frobnicate >/dev/null 2>&1
check "unknown subcommand exits 2" test $? -eq 2
out=$("$bin" lists import --db "$tmp/five.jsonl" "$tmp/five.jsonl" 2>"$tmp/err")
check "a file as --db exits 3" test $? -eq 3
check "store error object" test "$(jq -r .error.kind <<<"$out")" = "store_error"
out=$("$bin" lists show --db "$tmp/nodb" 2>/dev/null)
check "show of an absent store exits 3" test $? -eq 3
check "show did not create a store" test ! -e "$tmp/nodb"

# 6. the example file
out=$("$bin" lists import --db "$tmp/example" "$data/watchlist.jsonl")
check "example imports cleanly" test $? -eq 0
check "example counts" test "$(jq -c '[.lines,.inserted,.failed]' <<<"$out")" = "[12,12,0]"
check "example lists" \
  test "$(jq -c '[.lists[] | [.name, .entries]]' <<<"$out")" \
  = '[["health",2],["missing",2],["sltd",4],["wanted",4]]'

finish
