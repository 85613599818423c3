#!/usr/bin/env bash
# tests/cli/screen_persons.sh — black-box tests of person (name) screening in `paxscreen
# screen`: exact names, typos, swapped order, native-script aliases, joined particles,
# initials, birth date evidence, and the names that must not hit (one common token, a far
# birth date, a different person sharing a surname).
# Usage: screen_persons.sh PATH_TO_PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

cat >"$tmp/lists.jsonl" <<'EOF'
{"list": "wanted", "id": "W-1", "names": [{"surname": "MARTINEZ", "given_names": "JULIO", "type": "primary"}], "birth_dates": ["1968-02-23"], "gender": "M", "nationalities": ["ESP"]}
{"list": "wanted", "id": "W-2", "names": [{"surname": "PETROFF", "given_names": "JOHN", "type": "primary"}, {"full": "Иван Петров", "type": "alias"}], "birth_dates": ["1975-11-02"]}
{"list": "wanted", "id": "W-3", "names": [{"surname": "AL-RASHID", "given_names": "KHALID", "type": "primary"}], "birth_dates": ["1981"]}
{"list": "wanted", "id": "W-4", "names": [{"surname": "HASSAN", "given_names": "MOHAMMED ALI", "type": "primary"}]}
{"list": "wanted", "id": "W-5", "names": [{"surname": "KOWALCZYK", "given_names": "AGNIESZKA MARIA"}], "birth_dates": ["1990-06-15"], "gender": "F"}
{"list": "missing", "id": "M-1", "action": "notify", "names": [{"full": "محمد عبد الله"}]}
{"list": "targets", "id": "T-1", "action": "no_board", "name_patterns": ["(MO|MU)HAMM?[AE]D ALI( .*)?"]}
EOF
"$bin" lists import --db "$tmp/db" "$tmp/lists.jsonl" >/dev/null 2>&1
check "import exits 0" test $? -eq 0

cat >"$tmp/travellers.jsonl" <<'EOF'
{"id": "exact", "surname": "MARTINEZ", "given_names": "JULIO", "birth_date": "1968-02-23", "gender": "M", "nationality": "ESP"}
{"id": "typo", "surname": "MARTINES", "given_names": "JULIO", "birth_date": "1968-02-23"}
{"id": "swap", "surname": "JULIO", "given_names": "MARTINEZ", "birth_date": "1968-02-23"}
{"id": "lower", "surname": "martínez", "given_names": "julio", "birth_date": "1968-02-23"}
{"id": "alias", "surname": "PETROV", "given_names": "IVAN", "birth_date": "1975-11-02"}
{"id": "joined", "surname": "ALRASHID", "given_names": "KHALID", "birth_date": "1981-03-04"}
{"id": "extra", "surname": "KOWALCZYK", "given_names": "AGNIESZKA", "birth_date": "1990-06-15", "gender": "F"}
{"id": "arabic", "surname": "ABDALLAH", "given_names": "MOHAMMED"}
{"id": "common", "surname": "JOHNSON", "given_names": "MOHAMMED"}
{"id": "far_dob", "surname": "MARTINEZ", "given_names": "JULIO", "birth_date": "1999-07-01"}
{"id": "surname_only", "surname": "MARTINEZ", "given_names": "ANA", "birth_date": "1971-01-01", "gender": "F"}
{"id": "stranger", "surname": "OKONKWO", "given_names": "CHIDI", "birth_date": "1980-01-01"}
{"id": "pattern", "surname": "Mohamed", "given_names": "Ali Hassan"}
{"id": "pattern_no", "surname": "MOHAMED", "given_names": "ALIYEV"}
EOF
"$bin" screen --db "$tmp/db" "$tmp/travellers.jsonl" >"$tmp/hits" 2>"$tmp/err"
check "screen exits 0" test $? -eq 0
person() { jq -r --arg t "$1" "select(.traveller_id == \$t and .kind == \"person\") | $2" "$tmp/hits"; }
check "exact name hits W-1" test "$(person exact .entry_id)" = W-1
check "exact name scores high" test "$(person exact '.score >= 0.95')" = true
check "exact explanation names tokens" test "$(person exact '.explanation.name.tokens | length')" = 2
check "exact birth date evidence" test "$(person exact .explanation.birth_date.match)" = exact
check "one typo hits W-1" test "$(person typo .entry_id)" = W-1
check "swapped order hits W-1" test "$(person swap .entry_id)" = W-1
check "diacritics and case hit W-1" test "$(person lower .entry_id)" = W-1
check "Cyrillic alias hits W-2" test "$(person alias .entry_id)" = W-2
check "alias named in explanation" test "$(person alias .explanation.name.name_type)" = alias
check "joined particle hits W-3" test "$(person joined .entry_id)" = W-3
check "year-only list date is partial" test "$(person joined .explanation.birth_date.match)" = partial
check "missing middle name hits W-5" test "$(person extra .entry_id)" = W-5
check "Arabic-script entry hits M-1" test "$(person arabic .entry_id)" = M-1
check "list action notify" test "$(person arabic .action)" = notify
check "one common token alone: no hit" test -z "$(person common .entry_id)"
check "same name, far birth date: no hit" test -z "$(person far_dob .entry_id)"
check "same surname only: no hit" test -z "$(person surname_only .entry_id)"
check "stranger: no hit" test -z "$(person stranger .entry_id)"
check "threshold in person hits" test "$(person exact .threshold)" = 0.85

target() { jq -r --arg t "$1" "select(.traveller_id == \$t and .list == \"targets\") | $2" "$tmp/hits"; }
check "name pattern hits T-1" test "$(target pattern .entry_id)" = T-1
check "the listed name hits too (W-4)" \
  test "$(person pattern 'select(.list == "wanted") | .entry_id')" = W-4
check "name pattern hit names the pattern" \
  test "$(target pattern .explanation.name.pattern)" = "(MO|MU)HAMM?[AE]D ALI( .*)?"
check "name pattern hit shows the normalized name" \
  test "$(target pattern .explanation.name.traveller)" = "MOHAMED ALI HASSAN"
check "name pattern hit takes the entry's action" test "$(target pattern .action)" = no_board
check "name pattern matches the whole name only" test -z "$(target pattern_no .entry_id)"

# a name pattern Hyperscan cannot compile is refused with its message, naming the field
echo '{"list": "targets", "id": "T-2", "name_patterns": ["AB(C"]}' >"$tmp/bad.jsonl"
"$bin" lists import --db "$tmp/db" "$tmp/bad.jsonl" >/dev/null 2>"$tmp/bad.err"
check "bad name pattern: exit 1" test $? -eq 1
check "bad name pattern: field named" grep -q 'name_patterns\[0\]' "$tmp/bad.err"

# deleting the entry takes its pattern out of the compiled database
echo '{"list": "targets", "id": "T-1", "deleted": true}' >"$tmp/del.jsonl"
"$bin" lists import --db "$tmp/db" "$tmp/del.jsonl" >/dev/null 2>&1
"$bin" screen --db "$tmp/db" "$tmp/travellers.jsonl" >"$tmp/hits" 2>/dev/null
check "deleted pattern entry: no hit" test -z "$(target pattern .entry_id)"

# every core: the same hits in the same order, whatever the number of threads
for i in 1 2 3 4 5; do cat "$tmp/travellers.jsonl"; done >"$tmp/many.jsonl"
"$bin" screen --db "$tmp/db" --threads 1 "$tmp/many.jsonl" >"$tmp/one" 2>/dev/null
"$bin" screen --db "$tmp/db" --threads 3 --stats "$tmp/many.jsonl" >"$tmp/three" 2>"$tmp/err"
check "threads give identical output" cmp -s "$tmp/one" "$tmp/three"
check "three workers ran" grep -q '"threads":3' "$tmp/err"
check "hits from every copy" test "$(wc -l <"$tmp/three")" -eq "$((5 * $(wc -l <"$tmp/hits")))"
"$bin" screen --db "$tmp/db" --threads 0 "$tmp/many.jsonl" >/dev/null 2>&1
check "--threads 0 is a usage error" test $? -eq 2

finish
