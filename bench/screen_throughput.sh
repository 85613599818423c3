#!/usr/bin/env bash
# bench/screen_throughput.sh — screening throughput benchmark (issue 3): N person entries
# (bench/gen_eval) plus M document-only entries (bench/gen_documents, list sltd) imported into
# one store with `paxscreen lists import`, then clean travellers (the no-hit path) screened on
# one thread by the engine (bench/bench_screen) and by a brute-force scan of every entry
# (bench/bench_screen --bruteforce) in the same run; prints a summary block for
# bench/RESULTS.md: import time of the persons and of the documents, store size (du), peak
# memory of import and screening (/usr/bin/time -v), engine and brute-force travellers/s and
# their ratio, with commit, state of engine/ and machine load.
#
# usage: bench/screen_throughput.sh [--quick] [--entries N] [--documents M] [--travellers K]
#            [--sustained Z] [--listed L] [--bf-travellers B] [--bf-seconds S] [--seed S]
#            [--no-build] [--reimport] [--runs R] [--build-dir DIR] [--timeout SEC]
#   defaults: 1,000,000 persons, 10,000,000 documents, 20,000 clean travellers, 5,000 listed
#   (screened separately: the hit path), brute force on the first 200 clean travellers or 300 s;
#   the engine's clean run is repeated R times (default 3) and the best kept. Then the same
#   again with Z clean travellers (default 200,000; 0: not run) of a second generated set with
#   the same watchlist: a fresh process's first K travellers pay for what it learns once (the
#   store's pages mapped, its bucket tables, the memo), Z travellers show the rate a running
#   server keeps. --quick: 100,000 persons and 1,000,000 documents. Data goes to bench/out/throughput/ (the store is reused
#   when an import by the same build finished, unless --reimport); a bench/out/eval-N-L-K-S set
#   left by bench/match_quality.sh is reused as is. Every step runs under `timeout`.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cmdline=bench/screen_throughput.sh
(($#)) && cmdline+=$(printf ' %q' "$@")
entries=1000000
documents=10000000
travellers=20000
sustained=200000
listed=5000
bf_travellers=200
bf_seconds=300
runs=3
seed=1
build=1
reimport=0
build_dir="build-bench"
tmo=3600

usage() {
    sed -n '/^# usage:/,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}
while (($#)); do
    case $1 in
    --quick) entries=100000; documents=1000000; shift ;;
    --entries) entries=${2:?}; shift 2 ;;
    --documents) documents=${2:?}; shift 2 ;;
    --travellers) travellers=${2:?}; shift 2 ;;
    --sustained) sustained=${2:?}; shift 2 ;;
    --listed) listed=${2:?}; shift 2 ;;
    --bf-travellers) bf_travellers=${2:?}; shift 2 ;;
    --bf-seconds) bf_seconds=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --no-build) build=0; shift ;;
    --reimport) reimport=1; shift ;;
    --runs) runs=${2:?}; shift 2 ;;
    --build-dir) build_dir=${2:?}; shift 2 ;;
    --timeout) tmo=${2:?}; shift 2 ;;
    *) usage ;;
    esac
done
for v in "$entries" "$documents" "$travellers" "$sustained" "$listed" "$bf_travellers" "$bf_seconds" \
    "$seed" "$runs" "$tmo"; do
    [[ $v =~ ^[0-9]+$ ]] || usage
done
((runs >= 1)) || usage

die() {
    echo "screen_throughput: $*" >&2
    exit 1
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
step() { echo "== $(date -u +%T) $*" >&2; }
# Peak resident set size in MB from a /usr/bin/time -v report.
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
size_of() { du -sh "$1" | cut -f1; }
thousands() { sed ':a; s/\B[0-9]\{3\}\>/,&/; ta' <<<"$1"; }
# What the build is made of: the commit, and the uncommitted changes to the library's sources.
tree_state() {
    local st diff
    st=$(git status --short engine/ include/ formats/ 2>/dev/null |
        awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')
    diff=$(git diff HEAD -- engine include formats 2>/dev/null | sha1sum | cut -c1-10)
    echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); uncommitted under" \
        "engine/ include/ formats/: ${st:-none}${st:+ (diff sha1 $diff)}"
}

cd "$root" || die "cannot enter $root"
command -v jq >/dev/null || die "jq is needed"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (Debian package time)"
B=$build_dir

if ((build)); then
    step "build ($B)"
    mkdir -p "$B" || die "cannot create $B"
    tree_state >"$B/screen_throughput.tree"
    timeout "$tmo" cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null ||
        die "cmake configure failed"
    timeout "$tmo" cmake --build "$B" -j2 --target paxscreen_cli gen_eval gen_documents \
        bench_screen >/dev/null || die "build failed"
fi
for p in paxscreen gen_eval gen_documents bench_screen; do
    [[ -x $B/$p ]] || die "$B/$p is missing (run without --no-build)"
done

out=bench/out/throughput
mkdir -p "$out" || die "cannot create $out"

# A labelled set with CLEAN clean travellers: a match_quality.sh set of that shape, else our
# own (generated once); prints its directory.
eval_set() {
    local clean=$1 dir=bench/out/eval-$entries-$listed-$1-$seed
    if [[ ! -s $dir/watchlist.jsonl || ! -s $dir/travellers.jsonl ]]; then
        dir=$out/eval-$entries-$listed-$clean-$seed
        if [[ ! -s $dir/watchlist.jsonl || ! -s $dir/travellers.jsonl ]]; then
            step "generate $entries persons, $listed listed + $clean clean travellers"
            mkdir -p "$dir" || die "cannot create $dir"
            timeout "$tmo" "$B/gen_eval" --entries "$entries" --listed "$listed" \
                --clean "$clean" --seed "$seed" --out "$dir" 2>"$dir/gen.err" ||
                die "gen_eval failed, see $dir/gen.err"
        fi
    fi
    echo "$dir"
}
eval_dir=$(eval_set "$travellers") || exit 1
# The sustained set: the same watchlist (gen_eval makes it before the travellers), more clean
# travellers.
if ((sustained > 0)); then
    sus_dir=$(eval_set "$sustained") || exit 1
    cmp -s "$sus_dir/watchlist.jsonl" "$eval_dir/watchlist.jsonl" ||
        die "$sus_dir has another watchlist than $eval_dir"
fi

docs_file=$out/documents-$documents-$seed.jsonl
if [[ ! -s $docs_file ]]; then
    step "generate $documents document entries"
    timeout "$tmo" "$B/gen_documents" --count "$documents" --seed "$seed" >"$docs_file.tmp" ||
        die "gen_documents failed"
    mv "$docs_file.tmp" "$docs_file" || die "cannot write $docs_file"
fi

# The store: persons first, then documents, each import timed by itself.
run_dir=$out/run-$entries-$documents-$seed
db=$run_dir/db
build_tree=$(cat "$B/screen_throughput.tree" 2>/dev/null || echo "build not recorded")
if [[ -f $run_dir/import.done && $(sed -n 2p "$run_dir/import.done") != "$build_tree" ]]; then
    step "store $db was imported by another build: importing again"
    reimport=1
fi
if ((reimport)) || [[ ! -f $run_dir/import.done ]]; then
    rm -rf "$run_dir"
    mkdir -p "$run_dir" || die "cannot create $run_dir"
    for part in persons documents; do
        if [[ $part == persons ]]; then src=$eval_dir/watchlist.jsonl; else src=$docs_file; fi
        step "import $part ($src)"
        t0=$(now)
        timeout "$tmo" /usr/bin/time -v -o "$run_dir/import-$part.time" \
            "$B/paxscreen" lists import --db "$db" "$src" \
            >"$run_dir/import-$part.json" 2>"$run_dir/import-$part.err"
        rc=$?
        t1=$(now)
        ((rc == 0)) || die "import of $part failed (exit $rc), see $run_dir/import-$part.err"
        elapsed "$t0" "$t1" >"$run_dir/import-$part.wall"
        size_of "$db" >"$run_dir/size-after-$part"
        echo "   $(jq -c '{lines, inserted, failed, seconds}' "$run_dir/import-$part.json")," \
            "wall $(cat "$run_dir/import-$part.wall") s," \
            "store $(cat "$run_dir/size-after-$part")" >&2
    done
    printf '%s\n%s\n' "$(date -u '+%F %T UTC')" "$build_tree" >"$run_dir/import.done"
else
    step "store $db already imported ($(head -1 "$run_dir/import.done")); --reimport to redo"
fi

load_before=$(uptime | sed 's/.*load average: //')
# Screens COUNT clean travellers of FILE, runs times (as NAME-r.json): sets best_run to the
# fastest run and all_runs to the travellers/s of each.
best_of() {
    local name=$1 count=$2 file=$3 label=$4 r tps best_tps=-1
    best_run=0
    all_runs=()
    for ((r = 1; r <= runs; r++)); do
        step "engine, $count clean travellers, one thread (${label}run $r of $runs)"
        timeout "$tmo" /usr/bin/time -v -o "$run_dir/$name-$r.time" "$B/bench_screen" \
            --db "$db" --set clean --travellers "$count" "$file" \
            >"$run_dir/$name-$r.json" 2>"$run_dir/$name-$r.err" ||
            die "bench_screen failed, see $run_dir/$name-$r.err"
        jq -c . "$run_dir/$name-$r.json" >&2
        tps=$(jq -r '.travellers_per_s | floor' "$run_dir/$name-$r.json")
        all_runs+=("$tps")
        if ((tps > best_tps)); then
            best_run=$r
            best_tps=$tps
        fi
    done
}
best_of engine "$travellers" "$eval_dir/travellers.jsonl" ""
best=$best_run
all_tps=("${all_runs[@]}")
sus_best=0
sus_all=()
if ((sustained > 0)); then
    best_of sustained "$sustained" "$sus_dir/travellers.jsonl" "sustained, "
    sus_best=$best_run
    sus_all=("${all_runs[@]}")
fi
step "engine, $listed listed travellers (the hit path), one thread"
timeout "$tmo" "$B/bench_screen" --db "$db" --set listed --warmup 0 \
    "$eval_dir/travellers.jsonl" >"$run_dir/listed.json" 2>"$run_dir/listed.err" ||
    die "bench_screen --set listed failed, see $run_dir/listed.err"
jq -c . "$run_dir/listed.json" >&2
step "brute force, first $bf_travellers clean travellers or ${bf_seconds} s, one thread"
timeout "$tmo" /usr/bin/time -v -o "$run_dir/bruteforce.time" "$B/bench_screen" --db "$db" \
    --bruteforce --set clean --travellers "$bf_travellers" --seconds "$bf_seconds" \
    "$eval_dir/travellers.jsonl" >"$run_dir/bruteforce.json" 2>"$run_dir/bruteforce.err" ||
    die "bench_screen --bruteforce failed, see $run_dir/bruteforce.err"
jq -c . "$run_dir/bruteforce.json" >&2
load_after=$(uptime | sed 's/.*load average: //')

# ---- summary ----
E=$run_dir/engine-$best.json
S=$run_dir/sustained-$sus_best.json
F=$run_dir/bruteforce.json
L=$run_dir/listed.json
j() { jq -r "$2" "$1"; }
ratio_wall=$(jq -rn --argjson e "$(j "$E" .travellers_per_s)" \
    --argjson b "$(j "$F" .travellers_per_s)" 'if $b > 0 then $e / $b | floor else "n/a" end')
ratio_cpu=$(jq -rn --argjson e "$(j "$E" .travellers_per_cpu_s)" \
    --argjson b "$(j "$F" .travellers_per_cpu_s)" 'if $b > 0 then $e / $b | floor else "n/a" end')
E_n=$(thousands "$entries")
D_n=$(thousands "$documents")
imp() { jq -r "$2" "$run_dir/import-$1.json"; }

cat <<EOF

### Screening throughput, $E_n persons + $D_n documents ($(date -u +%F))

Command: \`$cmdline\` (build: $B, RelWithDebInfo -O2).
Built from: $(cat "$B/screen_throughput.tree" 2>/dev/null || echo "not recorded").
At the end of the run: $(tree_state).
Store imported $(head -1 "$run_dir/import.done") by that build.
Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), shared; load average before
screening $load_before, after $load_after.

| what | value |
|---|---|
| import, $E_n person entries | $(cat "$run_dir/import-persons.wall") s wall ($(imp persons .lines) lines, $(imp persons .failed) failed), peak RSS $(peak_mb "$run_dir/import-persons.time") MB |
| import, $D_n document entries (into the same store) | $(cat "$run_dir/import-documents.wall") s wall ($(imp documents .lines) lines, $(imp documents .failed) failed), peak RSS $(peak_mb "$run_dir/import-documents.time") MB |
| store size (\`du -sh\`) | $(cat "$run_dir/size-after-persons") after persons, $(cat "$run_dir/size-after-documents") with documents |
| engine, clean travellers, 1 thread (best of $runs: $(IFS=/; echo "${all_tps[*]}") travellers/s) | $(j "$E" .travellers) travellers in $(j "$E" .seconds) s: **$(j "$E" '.travellers_per_s | floor') travellers/s** ($(j "$E" '.travellers_per_cpu_s | floor') per CPU-second); $(j "$E" .travellers_with_hits) with a hit ($(j "$E" .person_hits) person, $(j "$E" .document_hits) document hits) |
| engine latency per clean traveller | mean $(j "$E" .latency_us.mean) µs, p50 $(j "$E" .latency_us.p50), p90 $(j "$E" .latency_us.p90), p99 $(j "$E" .latency_us.p99), p99.9 $(j "$E" .latency_us.p999), max $(j "$E" .latency_us.max) µs |
| engine, peak RSS while screening | $(peak_mb "$run_dir/engine-$best.time") MB; at the end $(j "$E" .rss_mb.file_at_end) MB of mapped store pages and $(j "$E" .rss_mb.anon_at_end) MB of the process's own |
| engine, listed travellers (hit path), 1 thread | $(j "$L" .travellers) travellers: $(j "$L" '.travellers_per_s | floor') travellers/s, $(j "$L" .travellers_with_hits) with a hit, p50 $(j "$L" .latency_us.p50) µs, p99 $(j "$L" .latency_us.p99) µs |
| brute force, clean travellers, 1 thread | $(j "$F" .travellers) travellers in $(j "$F" .seconds) s: **$(j "$F" .travellers_per_s) travellers/s** ($(j "$F" .travellers_per_cpu_s) per CPU-second), p50 $(j "$F" .latency_ms.p50) ms; $(j "$F" .travellers_with_hits) with a hit (JW ≥ $(j "$F" .jw)); loading $(j "$F" .names) names and $(j "$F" .documents) documents took $(j "$F" .load_seconds) s |
| brute force, peak RSS | $(peak_mb "$run_dir/bruteforce.time") MB; at the end $(j "$F" .rss_mb.file_at_end) MB mapped store, $(j "$F" .rss_mb.anon_at_end) MB its in-memory copy of the entries |
| **engine / brute force** | **${ratio_wall}×** wall clock, ${ratio_cpu}× per CPU-second |
EOF
pct_of_goal() { jq -rn --argjson e "$(j "$1" .travellers_per_cpu_s)" '$e / 100 | floor / 10 | tostring'; }
if ((sustained > 0)); then
    cat <<EOF
| engine, clean travellers, sustained: $(thousands "$sustained") in one process, 1 thread (best of $runs: $(IFS=/; echo "${sus_all[*]}") travellers/s) | $(j "$S" .travellers) travellers in $(j "$S" .seconds) s: **$(j "$S" '.travellers_per_s | floor') travellers/s** ($(j "$S" '.travellers_per_cpu_s | floor') per CPU-second); $(j "$S" .travellers_with_hits) with a hit; p50 $(j "$S" .latency_us.p50) µs, p99 $(j "$S" .latency_us.p99) µs |
| goal (issue 3) | 100,000 travellers/s per core: the engine is at $(pct_of_goal "$S")% of it sustained, $(pct_of_goal "$E")% over a fresh process's first $(thousands "$travellers") (per CPU-second) |
EOF
else
    echo "| goal (issue 3) | 100,000 travellers/s per core: the engine is at $(pct_of_goal "$E")% of it over a fresh process's first $(thousands "$travellers") (per CPU-second) |"
fi
