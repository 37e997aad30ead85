#!/usr/bin/env bash
# One command: builds (Release), generates 1M events once (cached), runs the baselines (grep -c -F, jq) and
# caracal-trace in the same run, and prints each ratio against the targets in product.md.
#   tests/bench/run.sh [EVENTS]          (default 1000000)
#   tests/bench/run.sh --only verify [EVENTS]   just the hash-chain verification section
#   tests/bench/run.sh --only export [EVENTS]   just the view export (JSON lines) against cp
#   tests/bench/run.sh --only ledger [EVENTS]   just the PostgreSQL ledger section (a server started here)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
only=""
if [ "${1:-}" = "--only" ]; then only="$2"; shift 2; fi
events="${1:-1000000}"
build="$root/build"
cache="$root/tests/bench/.cache"
mkdir -p "$cache"

"$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
if [ "$only" = "verify" ]; then
  cmake --build "$build" --target caracal-trace caracal-gen caracal-hash-bench > /dev/null
elif [ "$only" = "export" ]; then
  cmake --build "$build" --target caracal-gen caracal-export-bench > /dev/null
elif [ "$only" = "ledger" ]; then
  cmake --build "$build" --target caracal-trace caracal-gen caracal-ledger-bench caracal-driver-bench > /dev/null
else
  cmake --build "$build" > /dev/null
fi
trace="$build/app/caracal-trace"
gen="$build/tests/gen/caracal-gen"
probe="$build/tests/bench/caracal-bench"

best() { # best wall time in seconds of N runs of a command; prints "seconds peak_kb"
  local n=$1; shift
  local bestT="" bestM=""
  for _ in $(seq "$n"); do
    /usr/bin/time -f "%e %M" -o "$timing" "$@" > /dev/null 2>&1 || true
    local out t m
    out=$(tail -1 "$timing")
    t=${out% *}
    m=${out#* }
    if [ -z "$bestT" ] || awk "BEGIN{exit !($t < $bestT)}"; then bestT=$t; bestM=$m; fi
  done
  echo "$bestT $bestM"
}
ratio() { awk "BEGIN{ if ($2 == 0) print \"inf\"; else printf \"%.2f\", $1 / $2 }"; }
verdict() { awk "BEGIN{ print ($1) ? \"yes\" : \"NO\" }"; }
timing="$cache/time.txt"

# The audit-service search rows with chain fields and the key that chained them, generated once (cached; the
# name covers the generator binary). Sets chain_key and chain_data.
chain_rows() {
  chain_key="$cache/hmac.key"
  printf '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n' > "$chain_key"
  chmod 600 "$chain_key"
  chain_data="$cache/search-$events-$(sha256sum "$gen" | cut -c1-12).jsonl"
  if [ ! -f "$chain_data" ]; then
    rm -f "$cache"/search-"$events"-*.jsonl
    echo "Generating $events search rows with chain fields (cached in $chain_data)..."
    "$gen" --seed 42 --events "$events" --zones 4 --format search --hmac-key-file "$chain_key" -o "$chain_data"
  fi
}

# Hash-chain verification: audit-service search rows with chain fields and a key, against stats and grep -c
# on the same file, and the two SHA-256 implementations on row-sized messages.
verify_section() {
  chain_rows
  local vkey="$chain_key" vdata="$chain_data"
  cat "$vdata" > /dev/null
  echo "Verify: $vdata ($(( $(stat -c %s "$vdata") / 1000000 )) MB, $events rows)"
  local vgrepT vstatsT vverT vverM code
  read -r vgrepT _ < <(best 5 grep -c -F "zzz-not-there" "$vdata")
  read -r vstatsT _ < <(best 3 "$trace" stats "$vdata")
  read -r vverT vverM < <(best 3 "$trace" verify --hmac-key-file "$vkey" "$vdata")
  code=0; "$trace" verify --hmac-key-file "$vkey" "$vdata" > /dev/null 2>&1 || code=$?
  printf '\n%-44s %10s %14s %9s %10s %4s\n' "what" "measured" "baseline" "ratio" "target" "met"
  printf '%-44s %9ss %12ss %8sx %10s %4s\n' "verify --hmac-key-file (whole process)" "$vverT" "stats $vstatsT" \
    "$(ratio "$vverT" "$vstatsT")" "<= 1.5x" "$(verdict "$vverT <= 1.5 * $vstatsT")"
  printf '%-44s %9ss %12ss %8sx %10s %4s\n' "verify --hmac-key-file (whole process)" "$vverT" "grep $vgrepT" \
    "$(ratio "$vverT" "$vgrepT")" "<= 15x" "$(verdict "$vverT <= 15 * $vgrepT")"
  echo "verify exit status $code (0: intact); peak RSS $(( vverM / 1024 )) MB (includes mapped file pages)"
  "$build/tests/bench/caracal-hash-bench" 200000 > "$cache/hash.txt"
  hget() { awk -v k="$1" '$1 == k { print $2 }' "$cache/hash.txt"; }
  printf '%-44s %9s ms %9s ms %8sx\n' "SHA-256, 200k x 1200 B: OpenSSL vs Qt" "$(hget openssl_sha256_ms)" \
    "$(hget qt_sha256_ms)" "$(ratio "$(hget qt_sha256_ms)" "$(hget openssl_sha256_ms)")"
  printf '%-44s %9s ms %9s ms %8sx\n' "HMAC-SHA256, 200k links: OpenSSL vs Qt" "$(hget openssl_hmac_ms)" \
    "$(hget qt_hmac_ms)" "$(ratio "$(hget qt_hmac_ms)" "$(hget openssl_hmac_ms)")"
}
if [ "$only" = "verify" ]; then verify_section; exit 0; fi

# Caracal's ledger read directly: the same rows COPY'd into a PostgreSQL 15 started here, caracal-trace --pg
# against psql doing the same work (the GROUP BY, the COPY of a zone) in the same run.
ledger_section() {
  chain_rows
  local lkey="$chain_key" ldata="$chain_data" lcsv pgdir port runas="" bin=/usr/lib/postgresql/15/bin
  lcsv="${ldata%.jsonl}.ledger.csv"
  [ -f "$lcsv" ] || "$build/tests/bench/caracal-ledger-bench" "$ldata" > "$lcsv" 2> /dev/null
  pgdir=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pgdir"; chmod 755 "$pgdir"; runas="runuser -u postgres --"; fi
  $runas "$bin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --locale=C > /dev/null
  $runas "$bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -o \
    "-p $port -k $pgdir -c listen_addresses= -c fsync=off -c TimeZone=UTC -c shared_buffers=256MB" start > /dev/null
  trap "$runas $bin/pg_ctl -D $pgdir/data -m immediate -w stop > /dev/null 2>&1; rm -rf $pgdir" EXIT
  local conninfo="host=$pgdir port=$port user=postgres dbname=postgres"
  local q=(psql -X -q -At -v ON_ERROR_STOP=1 -d "$conninfo")
  "${q[@]}" -f "$root/tests/data/postgres/audit-tables.sql" > /dev/null
  local copyT
  copyT=$( { /usr/bin/time -f "%e" "${q[@]}" -c "\\copy audit_events (id, zone_id, event_type, request_id, decision, \
policy_set_id, policy_set_version_id, manifest_sha, evaluation_status, determining_policies_json, diagnostics_json, \
metadata_json, occurred_at, content_sha256, prev_content_sha256, chain_hmac, chain_seq) FROM '$lcsv' WITH CSV" \
    > /dev/null; } 2>&1 | tail -1)
  local indexT
  indexT=$( { /usr/bin/time -f "%e" "${q[@]}" -f "$root/tests/data/postgres/audit-indexes.sql" > /dev/null; } 2>&1 | tail -1)
  "${q[@]}" -c "VACUUM ANALYZE audit_events" > /dev/null
  local lrequest lzone
  lrequest=$("${q[@]}" -c "SELECT request_id FROM audit_events OFFSET $(( events / 2 )) LIMIT 1")
  lzone=$("${q[@]}" -c "SELECT zone_id FROM audit_events GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
  local zoneRows
  zoneRows=$("${q[@]}" -c "SELECT count(*) FROM audit_events WHERE zone_id = '$lzone'")
  echo "Ledger: $events rows COPY'd in ${copyT}s (Caracal's indexes built in ${indexT}s) into PostgreSQL 15 ($("${q[@]}" -c "SELECT pg_size_pretty(pg_total_relation_size('audit_events_default'))")); request $lrequest; zone $lzone ($zoneRows rows)"
  local cols="id, zone_id, event_type, request_id, decision, policy_set_id, policy_set_version_id, manifest_sha, evaluation_status, determining_policies_json, diagnostics_json, metadata_json, occurred_at, content_sha256, prev_content_sha256, chain_hmac, chain_seq"
  local lookT plookT pageT statsT pstatsT zoneT pzoneT verT verM fverT
  read -r lookT _ < <(best 5 "$trace" search --pg "$conninfo" --request-id "$lrequest")
  read -r plookT _ < <(best 5 "${q[@]}" -c "SELECT $cols FROM audit_events WHERE request_id = '$lrequest' ORDER BY occurred_at, id")
  read -r pageT _ < <(best 5 "$trace" search --pg "$conninfo" --zone "$lzone" --limit 100)
  read -r statsT _ < <(best 3 "$trace" stats --pg "$conninfo")
  read -r pstatsT _ < <(best 3 "${q[@]}" -c "SELECT zone_id, COALESCE(decision, ''), event_type, count(*), min(occurred_at), max(occurred_at) FROM audit_events GROUP BY 1, 2, 3")
  read -r zoneT zoneM < <(best 3 "$trace" search --pg "$conninfo" --zone "$lzone")
  read -r pzoneT _ < <(best 3 "${q[@]}" -c "COPY (SELECT $cols FROM audit_events WHERE zone_id = '$lzone' ORDER BY occurred_at, id COLLATE \"C\") TO STDOUT")
  read -r verT verM < <(best 1 "$trace" verify --hmac-key-file "$lkey" --pg "$conninfo")
  read -r fverT _ < <(best 1 "$trace" verify --hmac-key-file "$lkey" "$ldata")
  local libpqT libpqM qpsqlT qpsqlM
  read -r libpqT libpqM < <(best 3 "$build/tests/bench/caracal-driver-bench" libpq "$conninfo" "$lzone")
  read -r qpsqlT qpsqlM < <(best 3 "$build/tests/bench/caracal-driver-bench" qpsql "$conninfo" "$lzone")
  local code=0
  "$trace" verify --hmac-key-file "$lkey" --pg "$conninfo" > /dev/null 2>&1 || code=$?
  printf '\n%-44s %10s %14s %9s %10s %4s\n' "what" "measured" "baseline" "ratio" "target" "met"
  printf '%-44s %8sms %11sms %8sx %10s %4s\n' "search --pg --request-id (whole process)" "$(ms "$lookT")" "psql $(ms "$plookT")" \
    "$(ratio "$lookT" "$plookT")" "-" ""
  printf '%-44s %8sms %14s %9s %10s %4s\n' "search --pg --zone --limit 100 (first page)" "$(ms "$pageT")" "" "" "-" ""
  printf '%-44s %9ss %12ss %8sx %10s %4s\n' "stats --pg (SQL GROUP BY)" "$statsT" "psql $pstatsT" \
    "$(ratio "$statsT" "$pstatsT")" "<= 1.5x" "$(verdict "$statsT <= 1.5 * $pstatsT")"
  printf '%-44s %9ss %12ss %8sx %10s %4s\n' "search --pg --zone ($zoneRows rows streamed)" "$zoneT" "COPY $pzoneT" \
    "$(ratio "$zoneT" "$pzoneT")" "<= 2x" "$(verdict "$zoneT <= 2 * $pzoneT")"
  printf '%-44s %7s r/s %9s r/s %8sx\n' "verify --pg vs verify of the same rows' file" "$(rate "$verT")" "$(rate "$fverT")" \
    "$(ratio "$fverT" "$verT")"
  printf '%-44s %9ss %12ss %8sx\n' "a zone streamed: libpq vs Qt's QPSQL driver" "$libpqT" "QPSQL $qpsqlT" \
    "$(ratio "$qpsqlT" "$libpqT")"
  echo "peak RSS of that stream: libpq $(( libpqM / 1024 )) MB, QPSQL $(( qpsqlM / 1024 )) MB"
  echo "verify --pg exit status $code (0: intact), peak RSS $(( verM / 1024 )) MB; search --pg --zone peak RSS $(( zoneM / 1024 )) MB"
}
ms() { awk "BEGIN{printf \"%.0f\", $1 * 1000}"; }
rate() { awk "BEGIN{ if ($1 == 0) print \"inf\"; else printf \"%.0f\", $events / $1 }"; }
if [ "$only" = "ledger" ]; then ledger_section; exit 0; fi

# The cache key covers the generator binary, so a changed generator regenerates the data.
key="$(sha256sum "$gen" | cut -c1-12)"
data="$cache/events-$events-$key.jsonl"
if [ ! -f "$data" ]; then
  rm -f "$cache"/events-"$events"-*.jsonl
  echo "Generating $events events (cached in $data)..."
  /usr/bin/time -f "  generated in %e s" "$gen" --seed 42 --events "$events" --zones 4 -o "$data"
fi
bytes=$(stat -c %s "$data")
request=$(sed -n "$(( events / 2 ))p" "$data" | jq -r .request_id)
zone=$(sed -n "$(( events / 3 ))p" "$data" | jq -r .zone_id)
echo "File: $data ($(( bytes / 1000000 )) MB, $events events); request id $request; zone $zone"
cat "$data" > /dev/null # same warm page cache for every contender

# File > Export view of the whole view as JSON lines (loaded first; only the writing is timed), against cp of
# the file to the same folder. Neither syncs to disk.
export_section() {
  local cpT ex
  read -r cpT _ < <(best 5 cp "$data" "$cache/cp-copy.jsonl")
  rm -f "$cache/cp-copy.jsonl"
  "$build/tests/bench/caracal-export-bench" "$data" "$cache" > "$cache/export.txt"
  ex() { awk -v k="$1" '$1 == k { print $2 }' "$cache/export.txt"; }
  local cpMs rawMs redMs
  cpMs=$(awk "BEGIN{printf \"%.1f\", $cpT * 1000}")
  rawMs=$(ex export_raw_ms)
  redMs=$(ex export_redacted_ms)
  printf '\n%-44s %10s %14s %9s %10s %4s\n' "what" "measured" "baseline" "speed" "target" "met"
  printf '%-44s %8s ms %9s ms cp %8sx %10s %4s\n' "export view, JSON lines, own bytes" "$rawMs" "$cpMs" \
    "$(ratio "$cpMs" "$rawMs")" ">= 0.5x" "$(verdict "$cpMs * 2 >= $rawMs")"
  printf '%-44s %8s ms %9s ms cp %8sx %10s %4s\n' "export view, JSON lines, redacted" "$redMs" "$cpMs" \
    "$(ratio "$cpMs" "$redMs")" ">= 0.5x" "$(verdict "$cpMs * 2 >= $redMs")"
  echo "$(ex export_events) events exported; the redaction changed $(ex export_redacted_events) of them"
}
if [ "$only" = "export" ]; then export_section; exit 0; fi

read -r grepT _ < <(best 5 grep -c -F "$request" "$data")
read -r searchT searchM < <(best 5 "$trace" search --request-id "$request" "$data")
read -r statsT statsM < <(best 3 "$trace" stats "$data")
echo "Running jq (slow)..."
read -r jqT _ < <(best 1 jq -c "select(.request_id == \"$request\")" "$data")

# Same answers: grep and caracal-trace find the same lines for the request id.
grepLines=$(grep -c -F "\"request_id\":\"$request\"" "$data" || true)
searchLines=$("$trace" search --request-id "$request" "$data" | wc -l)

printf '\n%-44s %10s %14s %9s %10s %4s\n' "what" "measured" "baseline" "ratio" "target" "met"
printf '%-44s %9ss %12ss %8sx %10s %4s\n' "search --request-id (whole process)" "$searchT" "grep $grepT" \
  "$(ratio "$searchT" "$grepT")" "<= 3x" "$(verdict "$searchT <= 3 * $grepT")"
printf '%-44s %9ss %12ss %8sx %10s %4s\n' "stats (every event parsed and indexed)" "$statsT" "grep $grepT" \
  "$(ratio "$statsT" "$grepT")" "<= 15x" "$(verdict "$statsT <= 15 * $grepT")"
printf '%-44s %9ss %12ss %8sx %10s %4s\n' "stats speed-up over jq selecting one id" "$statsT" "jq $jqT" \
  "$(ratio "$jqT" "$statsT")" ">= 5x" "$(verdict "$jqT >= 5 * $statsT")"
# Inputs that are not a plain file: a .zst of the same events, and the file through a pipe.
zst="$cache/events-$events-$key.jsonl.zst"
[ -f "$zst" ] || zstd -q -3 -T0 -f "$data" -o "$zst"
read -r zstT zstM < <(best 3 "$trace" stats "$zst")
read -r pipeT pipeM < <(best 5 sh -c "cat '$data' | '$trace' search --request-id '$request'")
printf '%-44s %9ss %12ss %8sx %10s %4s\n' "stats of a .zst ($(( $(stat -c %s "$zst") / 1000000 )) MB)" "$zstT" "plain $statsT" \
  "$(ratio "$zstT" "$statsT")" "<= 1.5x" "$(verdict "$zstT <= 1.5 * $statsT")"
printf '%-44s %9ss %12ss %8sx %10s %4s\n' "search --request-id from a pipe" "$pipeT" "file $searchT" \
  "$(ratio "$pipeT" "$searchT")" "<= 2x" "$(verdict "$pipeT <= 2 * $searchT")"
echo "peak RSS: .zst stats $(( zstM / 1024 )) MB, piped search $(( pipeM / 1024 )) MB (only the matches are kept)"
echo "search found $searchLines events (grep finds $grepLines lines with that request_id)"
echo "peak RSS: search $(( searchM / 1024 )) MB, stats $(( statsM / 1024 )) MB (includes mapped file pages)"

echo
echo "Engine after loading (tests/bench/caracal-bench):"
word=research-bot # one of the generated applications: a realistic free-text search
"$probe" "$data" "$request" "$zone" "$word" > "$cache/probe.txt"
get() { awk -v k="$1" '$1 == k { print $2 }' "$cache/probe.txt"; }
printf '%-44s %12s %10s %4s\n' "first batch handed out" "$(get first_batch_ms) ms" "< 500 ms" "$(verdict "$(get first_batch_ms) < 500")"
printf '%-44s %12s %10s %4s\n' "fully indexed (budget: 15x grep)" "$(get load_ms) ms" "<= $(awk "BEGIN{printf \"%.0f\", 15000 * $grepT}") ms" "$(verdict "$(get load_ms) <= 15000 * $grepT")"
printf '%-44s %12s %10s %4s\n' "request-id lookup ($(get request_matches) events)" "$(get request_lookup_ms) ms" "< 1 ms" "$(verdict "$(get request_lookup_ms) < 1")"
printf '%-44s %12s %10s %4s\n' "zone filter ($(get zone_matches) events)" "$(get zone_filter_ms) ms" "< 50 ms" "$(verdict "$(get zone_filter_ms) < 50")"
printf '%-44s %12s %10s %4s\n' "free-text filter \"$word\" ($(get text_matches) events)" "$(get text_filter_ms) ms" "< 300 ms" "$(verdict "$(get text_filter_ms) < 300")"
printf '%-44s %12s %10s %4s\n' "timeline of every event ($(get timeline_buckets) buckets)" "$(get timeline_ms) ms" "< 200 ms" "$(verdict "$(get timeline_ms) < 200")"
anon=$(get anonymous_kb)
printf '%-44s %9s MB %10s %4s\n' "private (anonymous) memory, $(( bytes / 1000000 )) MB file" "$(( anon / 1024 ))" "<= $(( bytes / 2000000 )) MB" "$(verdict "$anon * 1024 <= $bytes / 2")"

echo
echo "Console (caracal-console --benchmark, offscreen; a 10 ms timer on the GUI thread records its worst lateness):"
QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$cache}" HOME="$cache" \
  "$build/ui/caracal-console" --benchmark --zone "$zone" --benchmark-text "$word" "$data" > "$cache/gui.txt" 2>/dev/null
gui() { awk -v k="$1" '$1 == k { print $2 }' "$cache/gui.txt"; }
printf '%-44s %12s %10s %4s\n' "first rows in the table" "$(gui gui_first_rows_ms) ms" "< 500 ms" "$(verdict "$(gui gui_first_rows_ms) < 500")"
printf '%-44s %12s %10s %4s\n' "loaded, indexed and shown" "$(gui gui_loaded_ms) ms" "<= $(awk "BEGIN{printf \"%.0f\", 15000 * $grepT}") ms" "$(verdict "$(gui gui_loaded_ms) <= 15000 * $grepT")"
printf '%-44s %12s %10s %4s\n' "worst GUI stall while loading" "$(gui gui_load_worst_stall_ms) ms" "<= 100 ms" "$(verdict "$(gui gui_load_worst_stall_ms) <= 100")"
printf '%-44s %12s %10s %4s\n' "zone filter in the window" "$(gui gui_zone_filter_ms) ms" "< 50 ms" "$(verdict "$(gui gui_zone_filter_ms) < 50")"
printf '%-44s %12s %10s %4s\n' "free-text filter in the window" "$(gui gui_text_filter_ms) ms" "< 300 ms" "$(verdict "$(gui gui_text_filter_ms) < 300")"
printf '%-44s %12s %10s %4s\n' "sort every row by actor (off the GUI thread)" "$(gui gui_sort_ms) ms" "<= 1000 ms" "$(verdict "$(gui gui_sort_ms) <= 1000")"
printf '%-44s %12s %10s %4s\n' "timeline of the whole view (off the GUI thread)" "$(gui gui_timeline_ms) ms" "< 200 ms" "$(verdict "$(gui gui_timeline_ms) < 200")"
printf '%-44s %12s %10s %4s\n' "worst GUI stall while the timeline computes" "$(gui gui_timeline_stall_ms) ms" "<= 100 ms" "$(verdict "$(gui gui_timeline_stall_ms) <= 100")"
printf '%-44s %12s %10s %4s\n' "largest zone's graph, first view painted" "$(gui gui_zone_graph_ms) ms" "<= 3000 ms" "$(verdict "$(gui gui_zone_graph_ms) <= 3000")"
printf '%-44s %12s %10s %4s\n' "worst GUI stall during the zone graph" "$(gui gui_zone_graph_stall_ms) ms" "<= 100 ms" "$(verdict "$(gui gui_zone_graph_stall_ms) <= 100")"
grep '^gui_zone_graph_ms' "$cache/gui.txt" | sed 's/^[^(]*/  /'
printf '%-44s %12s %10s %4s\n' "worst GUI stall over every phase" "$(gui gui_worst_stall_ms) ms" "<= 100 ms" "$(verdict "$(gui gui_worst_stall_ms) <= 100")"

echo
echo "Delegation graph (tests/bench/caracal-graph-bench, offscreen view):"
QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$cache}" HOME="$cache" \
  "$build/tests/bench/caracal-graph-bench" "$data" "$zone" > "$cache/graph.txt" 2>/dev/null
graph() { awk -v k="$1" '$1 == k { print $2 }' "$cache/graph.txt"; }
printf '%-44s %12s %10s %4s\n' "zone graph from $(graph zone_graph_events) events ($(graph zone_graph_edges) edges)" "$(graph zone_graph_build_ms) ms" "-" ""
printf '%-44s %12s %10s %4s\n' "$(graph graph_nodes)-node graph: layout + first paint (median)" "$(graph graph_layout_and_paint_ms) ms" "< 100 ms" "$(verdict "$(graph graph_layout_and_paint_ms) < 100")"
printf '%-44s %12s %10s %4s\n' "$(graph graph_nodes)-node graph: worst of 7 runs" "$(graph graph_layout_and_paint_worst_ms) ms" "< 100 ms" "$(verdict "$(graph graph_layout_and_paint_worst_ms) < 100")"
printf '%-44s %12s %10s %4s\n' "$(graph big_graph_sessions)-Session zone: overview painted" "$(graph big_graph_overview_ms) ms" "-" ""
printf '%-44s %12s %10s %4s\n' "  its busiest app ($(graph big_graph_part_sessions) Sessions) drawn" "$(graph big_graph_part_ms) ms" "-" ""
printf '%-44s %12s %10s %4s\n' "  that drawing zoomed out, painted" "$(graph big_graph_part_outline_paint_ms) ms" "-" ""

echo
echo "Export view (tests/bench/caracal-export-bench):"
export_section

echo
echo "Hash-chain verification:"
verify_section

echo
echo "PostgreSQL ledger:"
(ledger_section)
