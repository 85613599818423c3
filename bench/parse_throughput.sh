#!/usr/bin/env bash
# bench/parse_throughput.sh — parse-throughput benchmark: bytes of a generated PAXLST stream to
# traveller records, C (`paxscreen parse --summary`) against the JavaScript parsers `edifact` and
# `ts-edifact` (bench/js), measured alternately in the same run, best of N. Prints a markdown
# row for bench/RESULTS.md. MB = 10^6 bytes.
#
# usage: bench/parse_throughput.sh [--size MB] [--seed S] [--runs N] [--timeout SEC]
#                                  [--build-dir DIR] [--gen-opts "..."] [--no-js] [--no-build]
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cmdline="bench/parse_throughput.sh$(printf ' %q' "$@")"
size=300
seed=1
runs=3
tmo=300
build_dir=build
gen_opts="--una-alt=10"
do_js=1
do_build=1

while [ $# -gt 0 ]; do
    case "$1" in
    --size) size=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --timeout) tmo=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --gen-opts) gen_opts=$2; shift 2 ;;
    --no-js) do_js=0; shift ;;
    --no-build) do_build=0; shift ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "parse_throughput: unknown option $1" >&2; exit 2 ;;
    esac
done

log() { printf '%s\n' "$*" >&2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- build -----------------------------------------------------------------------------------
if [ "$do_build" = 1 ]; then
    log "== building ($build_dir)"
    if ! "$root/tools/build" "$build_dir"; then
        log "parse_throughput: build failed"
        exit 1
    fi
fi
gen="$root/$build_dir/gen_paxlst"
cli="$root/$build_dir/paxscreen"
[ -x "$gen" ] || { log "parse_throughput: $gen missing (build first)"; exit 1; }

# ---- JavaScript dependencies -----------------------------------------------------------------
js_ok=0
if [ "$do_js" = 1 ]; then
    if ! command -v node >/dev/null; then
        log "parse_throughput: node not found; skipping the JavaScript baselines"
    else
        if [ ! -d "$root/bench/js/node_modules/edifact" ] ||
            [ ! -d "$root/bench/js/node_modules/ts-edifact" ]; then
            log "== npm install --prefix bench/js"
            if ! timeout 300 npm install --prefix "$root/bench/js" --no-audit --no-fund \
                --no-package-lock >&2; then
                log "parse_throughput: npm install failed (offline?); skipping the JavaScript" \
                    "baselines. Install once with: npm install --prefix bench/js"
            fi
        fi
        [ -d "$root/bench/js/node_modules/edifact" ] &&
            [ -d "$root/bench/js/node_modules/ts-edifact" ] && js_ok=1
    fi
fi

# ---- input stream ----------------------------------------------------------------------------
out="$root/bench/out"
mkdir -p "$out"
tag=$(printf '%s' "$gen_opts" | tr -c 'A-Za-z0-9=' '_')
file="$out/paxlst_${size}MB_seed${seed}_${tag}.edi"
if [ ! -s "$file" ] || [ "$gen" -nt "$file" ]; then
    log "== generating $file"
    # shellcheck disable=SC2086
    if ! "$gen" --size "$size" --seed "$seed" $gen_opts -o "$file.tmp"; then
        log "parse_throughput: generator failed"
        exit 1
    fi
    mv "$file.tmp" "$file"
fi
bytes=$(stat -c %s "$file")
log "== input: $file ($bytes bytes)"

# ---- is the C reader there? ------------------------------------------------------------------
c_ok=0
c_note=""
if [ ! -x "$cli" ]; then
    c_note="pending: $build_dir/paxscreen not built"
else
    probe="$tmp/probe.edi"
    "$gen" --flights 2 --pax 5 --una-alt=50 -o "$probe" 2>/dev/null
    perr=$(timeout 30 "$cli" parse --summary "$probe" 2>&1 >/dev/null)
    prc=$?
    if [ $prc -eq 0 ]; then
        c_ok=1
    elif printf '%s' "$perr" | grep -q "not built yet"; then
        c_note="pending: paxscreen parse --summary not yet built"
    else
        c_note="paxscreen parse --summary failed on a 2-flight sample (exit $prc): ${perr%%$'\n'*}"
    fi
fi
[ "$c_ok" = 1 ] || log "parse_throughput: C side skipped: $c_note"

# ---- measurements ----------------------------------------------------------------------------
now() { date +%s.%N; }
best_c=""
best_e=""
best_t=""
json_e=""
json_t=""
c_summary=""

min() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b + 0 < a + 0) print b; else print a }'; }

run_c() {
    local t0 t1 rc sum
    t0=$(now)
    sum=$(timeout "$tmo" "$cli" parse --summary "$file" 2>"$tmp/c.err")
    rc=$?
    t1=$(now)
    if [ $rc -ne 0 ]; then
        log "   C: exit $rc ($(head -c 200 "$tmp/c.err"))"
        return 1
    fi
    c_summary=$sum
    local s
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    log "   C paxscreen parse --summary: ${s}s"
    best_c=$(min "$best_c" "$s")
}

run_js() { # $1 script, $2 label; prints the JSON line
    local j rc
    j=$(timeout "$tmo" node "$root/bench/js/$1" "$file" 2>"$tmp/js.err")
    rc=$?
    if [ $rc -ne 0 ] || [ -z "$j" ]; then
        log "   $2: exit $rc ($(head -c 300 "$tmp/js.err"))"
        return 1
    fi
    log "   $2: $(printf '%s' "$j" | jq -r '"\(.seconds)s \(.mb_per_s) MB/s"')"
    printf '%s\n' "$j"
}

for r in $(seq 1 "$runs"); do
    log "== run $r/$runs"
    [ "$c_ok" = 1 ] && run_c
    if [ "$js_ok" = 1 ]; then
        j=$(run_js parse_edifact.js edifact) && {
            s=$(printf '%s' "$j" | jq -r .seconds)
            nb=$(min "$best_e" "$s")
            [ "$nb" != "$best_e" ] && json_e=$j
            best_e=$nb
        }
        j=$(run_js parse_ts_edifact.js ts-edifact) && {
            s=$(printf '%s' "$j" | jq -r .seconds)
            nb=$(min "$best_t" "$s")
            [ "$nb" != "$best_t" ] && json_t=$j
            best_t=$nb
        }
    fi
done

# ---- report ----------------------------------------------------------------------------------
mbps() { [ -n "$1" ] && awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", a / b }'; }

c_mb=$(mbps "$best_c")
e_mb=$(mbps "$best_e")
t_mb=$(mbps "$best_t")

# Cross-check counts: the first number after "travellers" / "segments" in the C summary.
js_ref=${json_e:-$json_t}
if [ -n "$c_summary" ] && [ -n "$js_ref" ]; then
    for key in travellers segments; do
        cv=$(printf '%s' "$c_summary" | grep -o "\"$key\"[^0-9]*[0-9]*" | grep -o '[0-9]*$' | head -1)
        jv=$(printf '%s' "$js_ref" | jq -r ".$key")
        if [ -n "$cv" ] && [ "$cv" != "$jv" ]; then
            log "parse_throughput: WARNING: C reports $cv $key, the JavaScript parser $jv"
        fi
    done
fi

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), shared/noisy"
echo
echo "C summary: ${c_summary:-(none)}"
echo "edifact: ${json_e:-(none)}"
echo "ts-edifact: ${json_t:-(none)}"
echo
echo "| date | machine | input | C MB/s | edifact MB/s | ts-edifact MB/s | C / edifact | C / ts-edifact | command |"
echo "|---|---|---|---|---|---|---|---|---|"
# shellcheck disable=SC2016
printf '| %s | %s | %s MB, seed %s, `%s` | %s | %s | %s | %s | %s | `%s` |\n' \
    "$(date -u +%Y-%m-%d)" "$machine" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')" \
    "$seed" "$gen_opts" "${c_mb:-${c_note:-n/a}}" "${e_mb:-n/a}" "${t_mb:-n/a}" \
    "$(ratio "$c_mb" "$e_mb" || echo n/a)" "$(ratio "$c_mb" "$t_mb" || echo n/a)" "$cmdline"
