#!/usr/bin/env bash
# bench/ab_screen.sh — an A/B of two builds of the engine on a shared, noisy machine: runs
# A's and B's bench_screen by turns on the same travellers (each on its own store, since two
# builds may read different store layouts) and prints each pair's clean travellers per
# CPU-second and B/A. Interleaving puts both under the same load; read several pairs, not one.
# Usage: bench/ab_screen.sh --a BUILD_A --db-a DIR [--b BUILD_B] [--db-b DIR] [--runs N]
#                           [--travellers N] [--warmup N] [--file travellers.jsonl]
# BUILD_* are build directories holding bench_screen (B defaults to build-perf, its store to
# A's); the file defaults to the 1,000,000-entry evaluation set of bench/match_quality.sh.
set -uo pipefail

a="" db_a="" b="build-perf" db_b="" runs=3 travellers=20000 warmup=1000
file=bench/out/eval-1000000-5000-20000-1/travellers.jsonl
usage() {
    sed -n '/^# Usage:/,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}
while (($#)); do
    case $1 in
    --a) a=${2:?}; shift 2 ;;
    --db-a) db_a=${2:?}; shift 2 ;;
    --b) b=${2:?}; shift 2 ;;
    --db-b) db_b=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --travellers) travellers=${2:?}; shift 2 ;;
    --warmup) warmup=${2:?}; shift 2 ;;
    --file) file=${2:?}; shift 2 ;;
    *) usage ;;
    esac
done
[ -n "$a" ] && [ -n "$db_a" ] || usage
[ -n "$db_b" ] || db_b=$db_a
for x in "$a/bench_screen" "$b/bench_screen"; do
    [ -x "$x" ] || { echo "ab_screen: no $x (build it first)" >&2; exit 2; }
done
[ -f "$file" ] || { echo "ab_screen: no $file (bench/match_quality.sh --entries 1000000 makes it)" >&2; exit 2; }

rate() { # build db -> clean travellers per CPU-second
    timeout 600 "$1/bench_screen" --db "$2" --travellers "$travellers" --warmup "$warmup" "$file" \
        2>/dev/null | grep -o '"travellers_per_cpu_s": [0-9.]*' | cut -d' ' -f2
}
echo "A: $a on $db_a; B: $b on $db_b; $travellers travellers after $warmup, $runs pairs"
for ((i = 1; i <= runs; i++)); do
    ra=$(rate "$a" "$db_a")
    rb=$(rate "$b" "$db_b")
    if [ -z "$ra" ] || [ -z "$rb" ]; then
        echo "ab_screen: a run failed (A: '${ra}', B: '${rb}')" >&2
        exit 1
    fi
    echo "A $ra  B $rb  B/A $(awk -v a="$ra" -v b="$rb" 'BEGIN { printf "%.3f", b / a }')"
done
