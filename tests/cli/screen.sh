#!/usr/bin/env bash
# tests/cli/screen.sh — black-box tests of `paxscreen screen`: document hits by number and
# issuer, number alone, confusable key, no hit across issuers, hits only on stdout, stable hit
# ids, PAXLST and JSON input, exit codes.
# Usage: screen.sh PATH_TO_PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

cat >"$tmp/lists.jsonl" <<'EOF'
{"list": "sltd", "id": "S-1", "action": "no_board", "documents": [{"type": "P", "number": "YY 347-8621", "issuer": "ES", "status": "stolen"}]}
{"list": "sltd", "id": "S-2", "documents": [{"type": "P", "number": "Z1234567", "status": "lost"}]}
{"list": "sltd", "id": "S-3", "documents": [{"type": "P", "number": "AB1234567", "issuer": "FRA"}]}
{"list": "wanted", "id": "W-1", "names": [{"surname": "NOBODY"}], "documents": [{"number": "Q5550001", "issuer": "GBR"}]}
EOF
"$bin" lists import --db "$tmp/db" "$tmp/lists.jsonl" >/dev/null 2>"$tmp/import.err"
check "import exits 0" test $? -eq 0

cat >"$tmp/batch.json" <<'EOF'
{"flight": {"carrier": "XZ", "number": "877", "departure": {"airport": "BCN", "time": "2024-05-01T11:00"}},
 "travellers": [
  {"id": "T-A", "surname": "MARTINEZ", "documents": [{"type": "P", "number": "YY3478621", "issuer": "ESP"}]},
  {"id": "T-B", "surname": "SOUZA", "documents": [{"type": "P", "number": "z1234567", "issuer": "IND"}]},
  {"id": "T-C", "surname": "DUPONT", "documents": [{"type": "P", "number": "AB1234567", "issuer": "BEL"}]},
  {"id": "T-D", "surname": "SMITH", "documents": [{"type": "P", "number": "Q555OOO1", "issuer": "GB"}]},
  {"id": "T-E", "surname": "CLEAN", "documents": [{"type": "P", "number": "C0000001", "issuer": "ESP"}]}
 ]}
EOF
"$bin" screen --db "$tmp/db" "$tmp/batch.json" >"$tmp/hits" 2>"$tmp/err"
check "screen exits 0" test $? -eq 0
check "every stdout line is a hit object" test "$(jq -s 'map(has("hit_id")) | all' "$tmp/hits")" = true
check "three hits" test "$(wc -l <"$tmp/hits")" -eq 3
hit() { jq -r --arg t "$1" "select(.traveller_id == \$t) | $2" "$tmp/hits"; }
check "number and issuer" test "$(hit T-A .explanation.document.match)" = number_and_issuer
check "number and issuer score" test "$(hit T-A .score)" = 1
check "list action" test "$(hit T-A .action)" = no_board
check "entry id" test "$(hit T-A .entry_id)" = S-1
check "number alone (list names no issuer)" test "$(hit T-B .explanation.document.match)" = number
check "default action refer" test "$(hit T-B .action)" = refer
check "different issuers: no hit" test -z "$(hit T-C .hit_id)"
check "confusable O for 0" test "$(hit T-D .explanation.document.match)" = confusable
check "clean traveller: no hit" test -z "$(hit T-E .hit_id)"
check "kind document" test "$(jq -r .kind "$tmp/hits" | sort -u)" = document

# the same input gives the same hit ids
"$bin" screen --db "$tmp/db" "$tmp/batch.json" >"$tmp/hits2" 2>/dev/null
check "stable hit ids" cmp -s "$tmp/hits" "$tmp/hits2"

# PAXLST input
cat >"$tmp/pax.edi" <<'EOF'
UNB+UNOA:4+XZ+GOV+240501:0930+42'
UNH+M1+PAXLST:D:05B:UN:IATA+XZ877/240501/1700'
BGM+745'
TDT+20+XZ877+++XZ'
NAD+FL+++MARTINEZ:JULIO'
RFF+ABO:P1'
DOC+P+YY3478621'
LOC+91+ESP'
NAD+FL+++OTHER:ANNA'
DOC+P+X9999999'
UNT+10+M1'
UNZ+1+42'
EOF
"$bin" screen --db "$tmp/db" --stats "$tmp/pax.edi" >"$tmp/hits" 2>"$tmp/err"
check "paxlst exits 0" test $? -eq 0
check "paxlst one hit" test "$(wc -l <"$tmp/hits")" -eq 1
check "paxlst traveller id" test "$(jq -r .traveller_id "$tmp/hits")" = P1
check "paxlst batch id" test "$(jq -r .batch_id "$tmp/hits")" = "XZ/42/M1"
check "stats on stderr" grep -q '"travellers":2' "$tmp/err"

# bad input: what was read is screened, errors go to stderr, exit 1
head -n 8 "$tmp/pax.edi" >"$tmp/cut.edi"
printf "NAD+FL+++CUT" >>"$tmp/cut.edi"
"$bin" screen --db "$tmp/db" "$tmp/cut.edi" >"$tmp/hits" 2>"$tmp/err"
check "cut input exits 1" test $? -eq 1
check "cut input still screened" test "$(wc -l <"$tmp/hits")" -eq 1
check "cut input error names segment" grep -q "segment [0-9]*, byte [0-9]*" "$tmp/err"

# document patterns (a stolen series of blank passports), compiled with Hyperscan at import
cat >"$tmp/patterns.jsonl" <<'EOF'
{"list": "sltd", "id": "S-9", "documents": [{"pattern": "L8989[0-9]{4}", "issuer": "ESP", "status": "stolen"}]}
{"list": "sltd", "id": "S-10", "documents": [{"pattern": "L8989[0-9", "issuer": "ESP"}]}
EOF
"$bin" lists import --db "$tmp/db" "$tmp/patterns.jsonl" >/dev/null 2>"$tmp/err"
check "a bad pattern fails its line" test $? -eq 1
check "bad pattern named with its field" grep -q "line 2: documents\[0\].pattern:" "$tmp/err"
cat >"$tmp/series.jsonl" <<'EOF'
{"id": "in-series", "surname": "A", "documents": [{"number": "l8989 1234", "issuer": "ES"}]}
{"id": "too-long", "surname": "B", "documents": [{"number": "L898912345", "issuer": "ESP"}]}
{"id": "other-state", "surname": "C", "documents": [{"number": "L89891234", "issuer": "FRA"}]}
EOF
"$bin" screen --db "$tmp/db" "$tmp/series.jsonl" >"$tmp/hits" 2>/dev/null
check "number in the series hits" test "$(jq -r 'select(.traveller_id == "in-series") | .explanation.document.match' "$tmp/hits")" = pattern
check "pattern named in the explanation" test "$(jq -r 'select(.traveller_id == "in-series") | .explanation.document.entry' "$tmp/hits")" = "L8989[0-9]{4}"
check "patterns match the whole number" test -z "$(jq -r 'select(.traveller_id == "too-long") | .hit_id' "$tmp/hits")"
check "patterns respect the issuer" test -z "$(jq -r 'select(.traveller_id == "other-state") | .hit_id' "$tmp/hits")"
echo '{"list": "sltd", "id": "S-9", "deleted": true}' | "$bin" lists import --db "$tmp/db" - >/dev/null 2>&1
"$bin" screen --db "$tmp/db" "$tmp/series.jsonl" >"$tmp/hits" 2>/dev/null
check "a deleted pattern no longer hits" test ! -s "$tmp/hits"

# usage and store errors
"$bin" screen "$tmp/batch.json" >/dev/null 2>&1
check "no --db is a usage error" test $? -eq 2
"$bin" screen --db "$tmp/nowhere" "$tmp/batch.json" >/dev/null 2>&1
check "missing store exits 3" test $? -eq 3

finish
