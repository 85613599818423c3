#!/usr/bin/env bash
# bench/server_load.sh — load benchmark of paxscreend (issue 4 "Proof"), on 127.0.0.1 only:
#   (a) POST /v1/screen, one traveller a request: open-loop runs at fixed rates (--rate R[,R...],
#       default 5,000 requests/s; latency counted from when each request was due) and a closed-loop
#       run at full speed; requests/s and p50/p90/p99 latency (goal: 5,000/s, p99 < 1 ms);
#   (b) PAXLST batch ingest end to end over HTTP (POST /v1/paxlst, one interchange a request)
#       and (c) over the raw EDIFACT socket (every interchange answered with a CONTRL): from
#       the first byte sent until /metrics shows every batch screened and the backlog empty —
#       travellers/s and hits stored (goal: 50,000 travellers/s).
# The client is bench/load_client.c (built with the tree: BUILD/load_client); PAXLST comes from
# BUILD/gen_paxlst; the alert store is imported from --watchlist FILE, else from
# bench/out/eval-100000-5000-20000-1/watchlist.jsonl when present (bench/match_quality.sh
# --entries 100000 makes it), else tests/data/watchlist.jsonl. Everything runs in a temporary directory removed at the end.
# Prints the results as a markdown section (for bench/RESULTS.md) on stdout; progress on stderr.
# Usage: bench/server_load.sh [--build DIR] [--rate R[,R...]] [--seconds S] [--connections C]
#                             [--flights N] [--pax N] [--workers N]
set -u
cd "$(dirname "$0")/.."
build=build rate=5000 seconds=20 conns=16 flights=200 pax=200 workers= watchlist=
while [ $# -gt 0 ]; do
  case $1 in
  --build) build=$2; shift 2 ;;
  --rate) rate=$2; shift 2 ;;
  --seconds) seconds=$2; shift 2 ;;
  --connections) conns=$2; shift 2 ;;
  --flights) flights=$2; shift 2 ;;
  --pax) pax=$2; shift 2 ;;
  --workers) workers=$2; shift 2 ;;
  --watchlist) watchlist=$2; shift 2 ;;
  *) echo "usage: $0 [--build DIR] [--rate R] [--seconds S] [--connections C] [--flights N] [--pax N] [--workers N] [--watchlist FILE]" >&2; exit 2 ;;
  esac
done
for b in paxscreend paxscreen load_client gen_paxlst; do
  [ -x "$build/$b" ] || { echo "server_load: $build/$b missing: build the tree first (tools/build $build)" >&2; exit 2; }
done
command -v jq >/dev/null || { echo "server_load: jq is needed" >&2; exit 2; }
command -v curl >/dev/null || { echo "server_load: curl is needed" >&2; exit 2; }

uptime_before=$(uptime)
tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
log() { echo "server_load: $*" >&2; }

eval_dir=bench/out/eval-100000-5000-20000-1
if [ -n "$watchlist" ]; then
  [ -f "$watchlist" ] || { echo "server_load: $watchlist: no such file" >&2; exit 2; }
elif [ -f "$eval_dir/watchlist.jsonl" ]; then
  watchlist=$eval_dir/watchlist.jsonl
else
  watchlist=tests/data/watchlist.jsonl
fi
if [ -f "$eval_dir/travellers.jsonl" ]; then
  travellers=$eval_dir/travellers.jsonl
else
  travellers=tests/data/travellers.jsonl
fi
gen() { # SEED FILE: prints the travellers generated
  "$build/gen_paxlst" --flights "$flights" --pax "$pax" --seed "$1" -o "$2" 2>"$2.txt"
  sed -n 's/.* \([0-9]*\) travellers.*/\1/p' "$2.txt"
}
# The PAXLST to ingest, made first: every 50th passport in it goes on a list of its own (so the
# batches have hits to store; the generated travellers are not on the evaluation lists).
gen 11 "$tmp/ingest-http.edi" >/dev/null
gen 12 "$tmp/ingest-edifact.edi" >/dev/null
cat "$tmp/ingest-http.edi" "$tmp/ingest-edifact.edi" | grep -o "^DOC+P+[A-Z0-9]*" | awk 'NR % 50 == 0' |
  awk -F+ '{ printf "{\"list\":\"bench_sltd\",\"id\":\"B-%d\",\"action\":\"refer\",\"documents\":[{\"type\":\"P\",\"number\":\"%s\",\"status\":\"stolen\"}]}\n", NR, $3 }' \
  >"$tmp/bench_sltd.jsonl"
log "importing $watchlist"
t0=$(date +%s%N)
timeout 600 "$build/paxscreen" lists import --db "$tmp/db" "$watchlist" >"$tmp/import.json" 2>"$tmp/import.err" ||
  { log "import failed"; cat "$tmp/import.err" >&2; exit 1; }
timeout 600 "$build/paxscreen" lists import --db "$tmp/db" "$tmp/bench_sltd.jsonl" >"$tmp/import2.json" 2>>"$tmp/import.err" ||
  { log "import failed"; cat "$tmp/import.err" >&2; exit 1; }
listed_docs=$(wc -l <"$tmp/bench_sltd.jsonl")
import_s=$((($(date +%s%N) - t0) / 1000000000))
entries=$(jq '[.lists[].entries] | add' "$tmp/import2.json")

jq -n --arg db "$tmp/db" --arg data "$tmp/data" --arg pf "$tmp/port" --arg ef "$tmp/eport" \
  --argjson workers "${workers:-null}" '
  {store: $db, data: $data, listen: "127.0.0.1:0", port_file: $pf,
   edifact_listen: "127.0.0.1:0", edifact_port_file: $ef,
   limits: {max_backlog: 1000000, queue_depth: 100000, max_body_bytes: 67108864,
            edifact_max_bytes: 67108864},
   tokens: [{name: "carrier", token: "carrier-token-0001", roles: ["carrier"]},
            {name: "border", token: "system-token-0001", roles: ["system", "analyst"]}]}
  + (if $workers then {workers: $workers} else {} end)' >"$tmp/cfg.json"
"$build/paxscreend" --config "$tmp/cfg.json" 2>"$tmp/server.log" &
pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port" 2>/dev/null)
eport=$(cat "$tmp/eport" 2>/dev/null)
[ -n "$port" ] && [ -n "$eport" ] || { log "the server did not start"; cat "$tmp/server.log" >&2; exit 1; }
server_workers=$(sed -n 's/.* with \([0-9]*\) workers.*/\1/p' "$tmp/server.log")
metric() { curl -s --max-time 10 "http://127.0.0.1:$port/metrics" | awk -v n="$1" '$1 == n { print $2 }'; }
lc() { timeout $((seconds * 3 + 300)) "$build/load_client" "$@"; }

# ---- (a) POST /v1/screen -----------------------------------------------------------------
log "warming up /v1/screen"
lc screen "$port" system-token-0001 "$travellers" --connections 4 --seconds 2 >/dev/null
for r1 in ${rate//,/ }; do
  log "/v1/screen at $r1 requests/s for $seconds s ($conns connections)"
  lc screen "$port" system-token-0001 "$travellers" --rate "$r1" --connections "$conns" --seconds "$seconds" >"$tmp/rate-$r1.json"
done
log "/v1/screen as fast as it answers for $seconds s (8 connections)"
lc screen "$port" system-token-0001 "$travellers" --connections 8 --seconds "$seconds" >"$tmp/max.json"

# ---- (b) and (c) PAXLST ingest ------------------------------------------------------------
# ingest MODE: sends the interchanges of $tmp/ingest-MODE.edi, waits until all are screened; prints a JSON line
ingest() {
  local mode=$1 file=$tmp/ingest-$1.edi
  local travs=$(sed -n 's/.* \([0-9]*\) travellers.*/\1/p' "$file.txt")
  local n=$(grep -c '^UNZ' "$file")
  local bytes=$(wc -c <"$file")
  local screened0=$(metric paxscreend_batches_screened_total)
  local trav0=$(metric paxscreend_travellers_screened_total)
  local hits0=$(metric paxscreend_hits_total)
  log "$mode ingest: $n interchanges, $travs travellers, $bytes bytes"
  local t0=$(date +%s%N)
  if [ "$mode" = http ]; then
    lc paxlst "$port" carrier-token-0001 "$file" --connections 4 >"$tmp/client-$mode.json"
  else
    lc edifact "$eport" "$file" --connections 4 >"$tmp/client-$mode.json"
  fi
  local t1=$(date +%s%N) waited=0
  while :; do
    local s=$(metric paxscreend_batches_screened_total) b=$(metric paxscreend_screening_backlog)
    [ $((s - screened0)) -ge "$n" ] && [ "$b" = 0 ] && break
    waited=$((waited + 1))
    [ $waited -gt 6000 ] && { log "$mode ingest: not all screened after 600 s"; break; }
    sleep 0.1
  done
  local t2=$(date +%s%N)
  local trav=$(($(metric paxscreend_travellers_screened_total) - trav0))
  local hits=$(($(metric paxscreend_hits_total) - hits0))
  jq -n --arg mode "$mode" --argjson n "$n" --argjson travs "$trav" --argjson hits "$hits" \
    --argjson bytes "$bytes" --argjson acc "$(((t1 - t0) / 1000000))" --argjson e2e "$(((t2 - t0) / 1000000))" \
    --slurpfile client "$tmp/client-$mode.json" '
    {mode: $mode, interchanges: $n, travellers: $travs, hits: $hits, bytes: $bytes,
     accepted_s: ($acc / 1000), end_to_end_s: ($e2e / 1000),
     accepted_travellers_per_s: (if $acc > 0 then ($travs * 1000 / $acc | floor) else null end),
     travellers_per_s: (if $e2e > 0 then ($travs * 1000 / $e2e | floor) else null end),
     client: $client[0]}'
}
ingest http >"$tmp/ingest-http.json"
ingest edifact >"$tmp/ingest-edifact.json"
last_cursor=$(metric paxscreend_hit_cursor)

kill -TERM "$pid"
wait "$pid"
drain_rc=$?
pid=

# ---- the report ---------------------------------------------------------------------------
r() { jq -r "$2" "$tmp/$1"; }
cat <<EOF

## paxscreend under load (bench/server_load.sh)

$(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git rev-parse --short HEAD 2>/dev/null)\`$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes in the tree)'), $(nproc) cores,
\`uptime\` before: \`$uptime_before\`.
Command: \`bench/server_load.sh --build $build --rate $rate --seconds $seconds --connections $conns --flights $flights --pax $pax${workers:+ --workers $workers}\`.
Server: $server_workers workers, alert store of $entries entries ($(basename "$watchlist"), imported in $import_s s, plus $listed_docs passports of the generated PAXLST on a list of their own so that batches have hits); client \`load_client\` on the same machine (one thread).

**(a) POST /v1/screen, one traveller a request** ($(basename "$travellers"), round robin):

| run | requests/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | non-2xx |
|---|---|---|---|---|---|---|---|
$(for r1 in ${rate//,/ }; do f=rate-$r1.json; echo "| open loop at $r1/s, $conns connections, ${seconds} s | $(r $f .requests_per_s) | $(r $f .latency_ms.p50) | $(r $f .latency_ms.p90) | $(r $f .latency_ms.p99) | $(r $f .latency_ms.p999) | $(r $f .latency_ms.max) | $(r $f '.status_4xx + .status_5xx') |"; done)
| closed loop, 8 connections, ${seconds} s | $(r max.json .requests_per_s) | $(r max.json .latency_ms.p50) | $(r max.json .latency_ms.p90) | $(r max.json .latency_ms.p99) | $(r max.json .latency_ms.p999) | $(r max.json .latency_ms.max) | $(r max.json '.status_4xx + .status_5xx') |

**(b, c) PAXLST ingest end to end** (\`gen_paxlst --flights $flights --pax $pax\`, one interchange per flight; from the first byte sent until /metrics shows every batch screened and the backlog empty):

| path | interchanges | travellers | accepted in s (travellers/s) | screened in s | **travellers/s end to end** | hits stored |
|---|---|---|---|---|---|---|
| HTTP POST /v1/paxlst, 4 connections | $(r ingest-http.json .interchanges) | $(r ingest-http.json .travellers) | $(r ingest-http.json .accepted_s) ($(r ingest-http.json .accepted_travellers_per_s)) | $(r ingest-http.json .end_to_end_s) | **$(r ingest-http.json .travellers_per_s)** | $(r ingest-http.json .hits) |
| raw EDIFACT socket (CONTRL each), 4 feeds | $(r ingest-edifact.json .interchanges) | $(r ingest-edifact.json .travellers) | $(r ingest-edifact.json .accepted_s) ($(r ingest-edifact.json .accepted_travellers_per_s)) | $(r ingest-edifact.json .end_to_end_s) | **$(r ingest-edifact.json .travellers_per_s)** | $(r ingest-edifact.json .hits) |

Hit log after the run: last cursor $last_cursor. SIGTERM drain exit status: $drain_rc.
EOF
