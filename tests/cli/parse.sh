#!/usr/bin/env bash
# tests/cli/parse.sh — black-box tests of `paxscreen parse`: output shapes, --summary counts,
# exit codes, error objects that name the place, stdin, JSON input.
# Usage: parse.sh PATH_TO_PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

cat >"$tmp/two.edi" <<'EOF'
UNA:+.? '
UNB+UNOA:4+XYZAIRLINES+USADHS+240501:0930+000000001++APIS'
UNH+PAX001+PAXLST:D:05B:UN:IATA+XZ877/240501/1700+01:F'
BGM+745'
TDT+20+XZ877+++XZ'
LOC+125+BCN'
DTM+189:2405011100:201'
LOC+87+IAD'
DTM+232:2405011700:201'
NAD+FL+++MARTINEZ:JULIO:XAVIER'
ATT+2++M'
DTM+329:680223'
DOC+P+YY3478621'
DTM+36:291230'
LOC+91+ESP'
NAD+FM+++D?'SOUZA:ANITA'
CNT+42:1'
CNT+41:1'
UNT+17+PAX001'
UNZ+1+000000001'
EOF

# 1. full parse: exit 0, JSON with the travellers as sent
out=$("$bin" parse "$tmp/two.edi")
check "parse exits 0" test $? -eq 0
check "parse prints one message" test "$(jq '.messages | length' <<<"$out")" = 1
check "surname with released apostrophe" \
  test "$(jq -r '.messages[0].travellers[1].surname' <<<"$out")" = "D'SOUZA"
check "roles" test "$(jq -r '[.messages[0].travellers[].role] | join(",")' <<<"$out")" = "passenger,crew"
check "flight" test "$(jq -r '.messages[0].flight.departure.time' <<<"$out")" = "2024-05-01T11:00"
check "no warnings" test "$(jq '.warnings | length' <<<"$out")" = 0
check "interchange header" \
  test "$(jq -r '.interchanges[0] | "\(.syntax) \(.sender) \(.control_ref) \(.terminated)"' <<<"$out")" \
  = "UNOA:4 XYZAIRLINES 000000001 true"

# 2. --summary: counts by role, warnings by kind
sum=$("$bin" parse --summary "$tmp/two.edi")
check "summary exits 0" test $? -eq 0
check "summary travellers" test "$(jq '.travellers.total' <<<"$sum")" = 2
check "summary crew" test "$(jq '.travellers.crew' <<<"$sum")" = 1
check "summary interchanges" test "$(jq '.interchanges' <<<"$sum")" = 1
check "summary segments" test "$(jq '.segments' <<<"$sum")" = 19

# 3. warnings alone do not fail: a wrong UNT count
sed 's/UNT+17/UNT+16/' "$tmp/two.edi" >"$tmp/warn.edi"
out=$("$bin" parse "$tmp/warn.edi")
check "warnings exit 0" test $? -eq 0
check "warning kind named" \
  test "$(jq -r '.warnings[0].kind' <<<"$out")" = "unt_count_mismatch"
check "warning segment named" test "$(jq '.warnings[0].segment' <<<"$out")" = 18
sum=$("$bin" parse --summary "$tmp/warn.edi")
check "summary counts warnings by kind" \
  test "$(jq '.warnings.by_kind.unt_count_mismatch' <<<"$sum")" = 1

# 4. a cut-off file: exit 1, only an error object on stdout, the place on stderr
head -c 300 "$tmp/two.edi" >"$tmp/cut.edi"
"$bin" parse "$tmp/cut.edi" >"$tmp/out" 2>"$tmp/err"
check "errors exit 1" test $? -eq 1
check "stdout is one error object" test "$(jq -c 'keys' <"$tmp/out")" = '["error","errors","warnings"]'
check "error names a segment" test "$(jq '.error.segment > 0' <"$tmp/out")" = true
check "error names a byte offset" test "$(jq '.error.offset > 0' <"$tmp/out")" = true
check "error names the file" test "$(jq -r '.error.file' <"$tmp/out")" = "$tmp/cut.edi"
check "stderr names file and segment" grep -q "cut.edi: segment [0-9]*, byte [0-9]*" "$tmp/err"
"$bin" parse --summary "$tmp/cut.edi" >"$tmp/out" 2>/dev/null
check "summary of bad input exits 1" test $? -eq 1
check "summary of bad input is an error object" test "$(jq -r '.error.kind' <"$tmp/out")" != null

# 5. not EDIFACT at all, missing file, usage
echo "hello" >"$tmp/hello.txt"
"$bin" parse "$tmp/hello.txt" >"$tmp/out" 2>/dev/null
check "not EDIFACT exits 1" test $? -eq 1
check "not EDIFACT kind" test "$(jq -r '.error.kind' <"$tmp/out")" = no_interchange
"$bin" parse "$tmp/missing.edi" >"$tmp/out" 2>/dev/null
check "missing file exits 1" test $? -eq 1
check "missing file error object" test "$(jq -r '.error.kind' <"$tmp/out")" = unreadable
"$bin" parse >/dev/null 2>&1
check "no FILE is a usage error" test $? -eq 2
"$bin" parse --bogus "$tmp/two.edi" >/dev/null 2>&1
check "unknown option is a usage error" test $? -eq 2

# 6. stdin
out=$("$bin" parse - <"$tmp/two.edi")
check "stdin" test "$(jq '.messages[0].travellers | length' <<<"$out")" = 2

# 7. JSON batch and JSON Lines
cat >"$tmp/batch.json" <<'EOF'
{"flight": {"carrier": "XZ", "number": "877",
            "departure": {"airport": "BCN", "time": "2024-05-01T11:00"},
            "arrival": {"airport": "IAD", "time": "2024-05-01T17:00"}},
 "travellers": [{"id": "T1", "surname": "MARTINEZ", "given_names": "JULIO", "birth_date": "1968-02-23"},
                {"surname": "Мартинес", "given_names": "Хулио", "role": "crew"}]}
EOF
out=$("$bin" parse "$tmp/batch.json")
check "json batch exits 0" test $? -eq 0
check "json batch format" test "$(jq -r '.format' <<<"$out")" = json_batch
check "json batch travellers" test "$(jq '.batch.travellers | length' <<<"$out")" = 2
check "json keeps Cyrillic as sent" test "$(jq -r '.batch.travellers[1].surname' <<<"$out")" = "Мартинес"
printf '%s\n' '{"surname": "A", "given_names": "B"}' '{"surname": "C", "birth_date": "1970-13"}' \
  >"$tmp/lines.jsonl"
sum=$("$bin" parse --summary "$tmp/lines.jsonl")
check "json lines summary" test "$(jq -r '.format' <<<"$sum")" = json_lines
check "json lines bad field is a warning" test "$(jq '.warnings.total' <<<"$sum")" = 1

finish
