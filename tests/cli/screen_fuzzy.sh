#!/usr/bin/env bash
# tests/cli/screen_fuzzy.sh — black-box tests of the harder name variations in `paxscreen
# screen`: misspellings found through the token vocabulary (a letter dropped at the start, a
# three-letter token, one edit in each of two tokens), a misspelled token whose listed form is
# too common to read by itself (WAIG for WANG among 1,100 WANGs), romanizations (Wade-Giles HSU
# and CHOU for pinyin XU and ZHOU, SCHMITT for SCHMIDT), and short names one letter apart that
# must not hit (LE for LI); particles spelled, joined or dropped (ABU/ABOU, BENMAQHI, ZU).
# Usage: screen_fuzzy.sh PATH_TO_PAXSCREEN DATA_DIR
source "$(dirname "$0")/lib.bash" "$@"

{
  cat <<'EOF2'
{"list": "wanted", "id": "F-1", "names": [{"surname": "WILLIAMS", "given_names": "LAURA"}], "birth_dates": ["1980-05-05"]}
{"list": "wanted", "id": "F-2", "names": [{"surname": "FANGKINS", "given_names": "JOHN"}], "birth_dates": ["1971-01-09"]}
{"list": "wanted", "id": "F-3", "names": [{"surname": "ZHUAN", "given_names": "LAIPENG"}], "birth_dates": ["1990-10-10"]}
{"list": "wanted", "id": "F-4", "names": [{"surname": "WANG", "given_names": "ZHANGMEI"}], "birth_dates": ["1985-03-03"]}
{"list": "wanted", "id": "F-5", "names": [{"surname": "XU", "given_names": "NENJUN"}], "birth_dates": ["2005-06-24"]}
{"list": "wanted", "id": "F-6", "names": [{"surname": "ZHOU", "given_names": "KOUGANG"}], "birth_dates": ["1966-07-07"]}
{"list": "wanted", "id": "F-7", "names": [{"surname": "SCHMIDT", "given_names": "SABINE"}], "birth_dates": ["1977-12-01"]}
{"list": "wanted", "id": "F-8", "names": [{"surname": "LI", "given_names": "XINDIU"}], "birth_dates": ["1993-02-02"]}
{"list": "wanted", "id": "F-9", "names": [{"surname": "ABOU SAMRA", "given_names": "HASAN"}], "birth_dates": ["1984-12-23"]}
{"list": "wanted", "id": "F-10", "names": [{"surname": "KHOURI", "given_names": "YOUSSEF"}], "birth_dates": ["1988-02-15"]}
{"list": "wanted", "id": "F-11", "names": [{"surname": "BEN MAQHI", "given_names": "DAHAK"}], "birth_dates": ["1957-01-05"]}
{"list": "wanted", "id": "F-12", "names": [{"surname": "ZU SCHWEIM", "given_names": "SCHNAETTE"}], "birth_dates": ["2002-06-12"]}
EOF2
  # 1,100 more WANGs: WANG alone is too common to read, WANG ZHANGMEI must still be found
  for i in $(seq 1 1100); do
    printf '{"list": "wanted", "id": "C-%d", "names": [{"surname": "WANG", "given_names": "GIVEN%dX"}]}\n' "$i" "$i"
  done
} >"$tmp/lists.jsonl"
"$bin" lists import --db "$tmp/db" "$tmp/lists.jsonl" >/dev/null 2>&1
check "import exits 0" test $? -eq 0

cat >"$tmp/travellers.jsonl" <<'EOF2'
{"id": "first_letter", "surname": "ILLIAMS", "given_names": "LAURA", "birth_date": "1980-05-05"}
{"id": "three_letters", "surname": "FANGKINS", "given_names": "JOH", "birth_date": "1971-01-09"}
{"id": "two_tokens", "surname": "ZZHUAN", "given_names": "LSIPENG", "birth_date": "1990-10-10"}
{"id": "common_typo", "surname": "WAIG", "given_names": "ZHAMGMEI", "birth_date": "1985-03-03"}
{"id": "wade_giles_hs", "surname": "HSU", "given_names": "NENJUN", "birth_date": "2005-06-24"}
{"id": "wade_giles_ch", "surname": "CHOU", "given_names": "KOUGANG", "birth_date": "1966-07-07"}
{"id": "german", "surname": "SCHMITT", "given_names": "SABINE", "birth_date": "1977-12-01"}
{"id": "short_other", "surname": "LE", "given_names": "XINDIU", "birth_date": "1993-02-02"}
{"id": "abu", "surname": "ABU SAMRA", "given_names": "HASSAN", "birth_date": "1984-12-23"}
{"id": "khoury", "surname": "KHOURY", "given_names": "YUSUF", "birth_date": "1988-02-15"}
{"id": "ben_joined", "surname": "BENMAQHI", "given_names": "DAHAK", "birth_date": "1957-01-05"}
{"id": "zu_dropped", "surname": "SCHWEIM", "given_names": "SCHNAETTE", "birth_date": "2002-06-12"}
EOF2
"$bin" screen --db "$tmp/db" "$tmp/travellers.jsonl" >"$tmp/hits" 2>"$tmp/err"
check "screen exits 0" test $? -eq 0
entry() { jq -r --arg t "$1" 'select(.traveller_id == $t and .kind == "person") | .entry_id' "$tmp/hits"; }
check "ILLIAMS finds WILLIAMS" test "$(entry first_letter)" = F-1
check "JOH finds JOHN" test "$(entry three_letters)" = F-2
check "one edit in each of two tokens" test "$(entry two_tokens)" = F-3
check "WAIG finds WANG among 1,100 WANGs" test "$(entry common_typo)" = F-4
check "HSU finds XU" test "$(entry wade_giles_hs)" = F-5
check "CHOU finds ZHOU" test "$(entry wade_giles_ch)" = F-6
check "SCHMITT finds SCHMIDT" test "$(entry german)" = F-7
check "LE is not LI" test -z "$(entry short_other)"
check "ABU SAMRA finds ABOU SAMRA" test "$(entry abu)" = F-9
check "KHOURY YUSUF finds KHOURI YOUSSEF" test "$(entry khoury)" = F-10
check "BENMAQHI finds BEN MAQHI" test "$(entry ben_joined)" = F-11
check "SCHWEIM finds ZU SCHWEIM" test "$(entry zu_dropped)" = F-12
check "nothing else hits" test "$(wc -l <"$tmp/hits")" -eq 11

finish
