#!/usr/bin/env bash
# Runs every libFuzzer harness in turn for SECONDS each (default 60) on a scratch copy of its corpus (the
# checked-in seeds and regression inputs, plus the project fixtures that seed it), at low priority.
#   tests/fuzz/run.sh [SECONDS] [HARNESS...]
# Builds the `fuzz` preset first. Crashing inputs are written to build-fuzz/fuzz-findings/<harness>/; the
# script exits 1 when any harness found one.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-60}"
shift || true
build="$root/build-fuzz"
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=(load filter textsearch rawredaction adminaudit csv errorbody setup coordinator timestamp jsonb canonical verify)
fi

cmake --preset fuzz -S "$root" > /dev/null
nice -n 10 cmake --build "$build" --target fuzz_all > /dev/null

fixtures="$root/tests/data"
seeds_for() {
  case "$1" in
    load) echo "$fixtures/api $fixtures/caracal-api $fixtures/delegation $fixtures/filter-events.jsonl" ;;
    adminaudit) echo "$fixtures/caracal-api/demo/admin-audit-list.json $fixtures/caracal-api/demo/admin-audit-list-csv.csv" ;;
    csv) echo "$fixtures/api/audit-zone-demo-a.csv $fixtures/api/list-format-csv.csv" ;;
    errorbody) echo "$fixtures/caracal-api/demo" ;;
    coordinator) echo "$fixtures/delegation" ;;
    jsonb | canonical) echo "$fixtures/api" ;;
    *) echo "" ;;
  esac
}

found=0
for h in "${harnesses[@]}"; do
  work="$build/fuzz-corpus/$h"
  findings="$build/fuzz-findings/$h"
  mkdir -p "$work" "$findings"
  cp -n "$root/tests/fuzz/corpus/$h"/* "$work/" 2>/dev/null || true
  # shellcheck disable=SC2046
  for s in $(seeds_for "$h"); do
    if [ -d "$s" ]; then cp -n "$s"/* "$work/" 2>/dev/null || true; else cp -n "$s" "$work/"; fi
  done
  echo "== $h: ${seconds}s"
  if ! nice -n 10 "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$findings/" -print_final_stats=1 "$work" \
      > "$findings/log.txt" 2>&1; then
    found=1
    echo "   FOUND a crash: $(ls "$findings" | grep -v log.txt | head -3 | tr '\n' ' ')(log: $findings/log.txt)"
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$findings/log.txt" | sed 's/^/   /' || true
done
exit $found
