#!/usr/bin/env bash
# bench/match_quality.sh — match-quality benchmark of `paxscreen screen`: builds build/,
# generates a labelled set with build/gen_eval (watchlist entries, listed travellers each
# derived from one entry by one kind of variation, clean travellers), imports the watchlist
# into a fresh store, screens every traveller and measures recall per kind of variation, false
# alerts per 1,000 clean travellers and wrong-entry hits, plus import and screening time.
# Prints the per-kind table and one markdown row for bench/RESULTS.md ("## Match quality").
# Needs jq and awk; every step runs under `timeout`.
#
# usage: bench/match_quality.sh [--entries N] [--listed K] [--clean M] [--seed S]
#                               [--timeout SEC] [--reuse-db]
# The set lives in bench/out/eval-N-K-M-S/ (generated when absent; the store db/ in it is
# rebuilt on every run unless --reuse-db says to screen the store already there), with
# hits.jsonl, import.json, screen.stats and quality.md.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cmdline=bench/match_quality.sh
(($#)) && cmdline+=$(printf ' %q' "$@")
entries=100000
listed=5000
clean=20000
seed=1
tmo=1800
reuse_db=0

usage() {
    echo "usage: bench/match_quality.sh [--entries N] [--listed K] [--clean M] [--seed S]" \
        "[--timeout SEC] [--reuse-db]" >&2
    exit 2
}
while (($#)); do
    case $1 in
    --entries) entries=${2:?}; shift 2 ;;
    --listed) listed=${2:?}; shift 2 ;;
    --clean) clean=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --timeout) tmo=${2:?}; shift 2 ;;
    --reuse-db) reuse_db=1; shift ;;
    *) usage ;;
    esac
done
for v in "$entries" "$listed" "$clean" "$seed" "$tmo"; do
    [[ $v =~ ^[0-9]+$ ]] || usage
done

die() {
    echo "match_quality: $*" >&2
    exit 1
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

cd "$root" || die "cannot enter $root"
command -v jq >/dev/null || die "jq is needed"

echo "== build (tools/build build)" >&2
timeout "$tmo" tools/build build || die "tools/build build failed"

dir=bench/out/eval-$entries-$listed-$clean-$seed
if [[ ! -s $dir/watchlist.jsonl || ! -s $dir/travellers.jsonl ]]; then
    echo "== generate into $dir" >&2
    mkdir -p "$dir" || die "cannot create $dir"
    timeout "$tmo" build/gen_eval --entries "$entries" --listed "$listed" --clean "$clean" \
        --seed "$seed" --out "$dir" || die "gen_eval failed"
    for f in watchlist.jsonl travellers.jsonl; do
        timeout "$tmo" jq -c . "$dir/$f" >/dev/null || die "$dir/$f is not valid JSON Lines"
    done
fi

if ((reuse_db)) && [[ -s $dir/db/data.mdb ]]; then
    echo "== import skipped (--reuse-db): screening the store in $dir/db" >&2
    import_s="-"
else
    echo "== import" >&2
    rm -rf "$dir/db"
    t0=$(now)
    timeout "$tmo" build/paxscreen lists import --db "$dir/db" "$dir/watchlist.jsonl" \
        >"$dir/import.json" 2>"$dir/import.err"
    rc=$?
    t1=$(now)
    ((rc == 0)) || die "import failed (exit $rc), see $dir/import.err"
    failed=$(jq -r '.failed' "$dir/import.json")
    [[ $failed == 0 ]] || die "import reported $failed failed lines, see $dir/import.err"
    import_s=$(elapsed "$t0" "$t1")
    echo "import: $(jq -c '{lines, inserted, failed, seconds}' "$dir/import.json"), wall ${import_s} s" >&2
fi

echo "== screen" >&2
t0=$(now)
timeout "$tmo" build/paxscreen screen --db "$dir/db" --stats "$dir/travellers.jsonl" \
    >"$dir/hits.jsonl" 2>"$dir/screen.stats"
rc=$?
t1=$(now)
((rc == 0)) || die "screen failed (exit $rc), see $dir/screen.stats"
screen_s=$(elapsed "$t0" "$t1")
sed 's/^/screen: /' "$dir/screen.stats" >&2

jq -r '.id' "$dir/travellers.jsonl" >"$dir/ids.txt" || die "reading traveller ids failed"
jq -r '[.traveller_id, .entry_id, .kind] | @tsv' "$dir/hits.jsonl" >"$dir/hits.tsv" ||
    die "reading hits failed"

# Listed ids are L-<kind>-<entry id>-<n> (kinds hold no dash, entry ids may).
awk -F'\t' -v out="$dir/quality.md" -v screen_s="$screen_s" '
FNR == NR {
    id = $1
    if (id ~ /^L-/) {
        s = substr(id, 3)
        k = substr(s, 1, index(s, "-") - 1)
        e = substr(s, length(k) + 2)
        sub(/-[0-9]+$/, "", e)
        kind[id] = k; want[id] = e; nk[k]++; nl++
    } else if (id ~ /^C-/) {
        nc++
    }
    ntrav++
    next
}
{
    t = $1; e = $2; hk = $3
    if (t in kind) {
        if (e == want[t]) {
            if (!(t in found)) found[t] = hk
            else if (found[t] != hk) found[t] = "both"
        } else {
            wrong_hits[kind[t]]++; wrong_all++
            if (!(t in wt)) { wt[t] = 1; wtk[kind[t]]++; wt_all++ }
        }
    } else if (t ~ /^C-/) {
        clean_hits++
        if (!(t in fa)) { fa[t] = 1; nfa++ }
        if (hk == "person" && !(t in fap)) { fap[t] = 1; nfap++ }
        if (hk == "document" && !(t in fad)) { fad[t] = 1; nfad++ }
    }
}
END {
    split("exact typo1 typo2 translit swap middle_missing middle_extra compound native_alias " \
          "initials dob_variant doc_confusable doc_only", order, " ")
    for (t in found) {
        k = kind[t]; fk[k]++; nf++
        if (found[t] != "document") fp[k]++
        if (found[t] != "person") fd[k]++
    }
    hdr = "| kind | listed | found | recall | found by person hit | found by document hit | travellers with wrong-entry hits |"
    print hdr > out
    print "|---|---|---|---|---|---|---|" > out
    worst = ""; wr = 2
    for (i = 1; i in order; i++) {
        k = order[i]
        if (!(k in nk)) continue
        r = fk[k] / nk[k]
        if (r < wr) { wr = r; worst = k }
        printf "| %s | %d | %d | %.1f%% | %d | %d | %d |\n", k, nk[k], fk[k], 100 * r, \
               fp[k], fd[k], wtk[k] > out
    }
    printf "| **all** | %d | %d | **%.1f%%** | | | %d (%d hits) |\n", nl, nf, \
           nl ? 100 * nf / nl : 0, wt_all, wrong_all > out
    close(out)
    while ((getline line < out) > 0) print line
    printf "\nfalse alerts: %d of %d clean travellers had a hit = %.2f per 1,000 " \
           "(person hits %d, document hits %d; %d hits in all)\n", nfa, nc, \
           nc ? 1000 * nfa / nc : 0, nfap, nfad, clean_hits
    printf "wrong-entry hits on listed travellers: %d hits on %d travellers\n", wrong_all, wt_all
    printf "SUMMARY\t%.1f\t%s\t%.1f\t%.2f\t%d\t%.0f\n", nl ? 100 * nf / nl : 0, worst, 100 * wr, \
           nc ? 1000 * nfa / nc : 0, ntrav, (screen_s > 0 ? ntrav / screen_s : 0)
}' "$dir/ids.txt" "$dir/hits.tsv" >"$dir/report.txt" || die "analysis failed"

grep -v '^SUMMARY' "$dir/report.txt"
echo
echo "hits on clean travellers by evidence (hits, name score, birth date match):"
jq -r 'select(.traveller_id | startswith("C-"))
       | [.kind, (if .kind == "document" then "-"
                  elif .explanation.name.score >= 1 then "name exact" else "name fuzzy" end),
          (.explanation.birth_date.match // "no birth date")] | join(", ")' "$dir/hits.jsonl" |
    sort | uniq -c | sort -rn | head -8
fuzzy=$(jq -r 'select(.traveller_id | startswith("C-"))
               | select(.kind != "person" or .explanation.name.score < 1) | .traveller_id' \
    "$dir/hits.jsonl" | sort -u | wc -l)
awk -v n="$fuzzy" -v c="$clean" 'BEGIN { printf "clean travellers with a hit other than an exact " \
    "full-name match: %d = %.2f per 1,000\n", n, c ? 1000 * n / c : 0 }'
IFS=$'\t' read -r _ recall worst worst_r fa_per_k ntrav tps < <(grep '^SUMMARY' "$dir/report.txt")
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD -- engine formats include ingest tools 2>/dev/null; then
    commit="$commit (+ uncommitted changes)"
fi

echo
echo "| date | commit | entries / listed / clean / seed | recall | worst kind | false alerts per 1,000 clean | import s | screen s | travellers/s | command |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '| %s | %s | %s / %s / %s / %s | %s%% | %s (%s%%) | %s | %s | %s | %s | `%s` |\n' \
    "$(date +%F)" "$commit" "$entries" "$listed" "$clean" "$seed" "$recall" "$worst" \
    "$worst_r" "$fa_per_k" "$import_s" "$screen_s" "$tps" "$cmdline"
