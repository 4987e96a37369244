#!/usr/bin/env bash
# make bench: every benchmark, each reported as a ratio against a baseline measured in
# the same run (see ../shared/PERFORMANCE.md for why). Results go to stdout as one line
# per figure and to $BUILD/bench/results.jsonl.
#
#   bench/run_all.sh BUILD_DIR            all benchmarks
#   BENCH_ONLY=generator bench/run_all.sh BUILD_DIR
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$BUILD/bench"
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
ADDA="$BUILD/src/cli/adda"
only=${BENCH_ONLY:-}

want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

if want generator; then
  echo "== generator: rows/s against a bare SQLite insert loop of the same rows (scale ${GEN_SCALE:-0.25}, 3 interleaved rounds)"
  line=$("$BUILD/bench/generator_bench" "$ROOT/pilots/municipalities" "$OUT" "${GEN_SCALE:-0.25}" 3)
  echo "$line" >> "$RESULTS"
  echo "$line" | python3 -c 'import json,sys; j=json.load(sys.stdin); print("   rows {:,}  generator {:,} rows/s  bare insert {:,} rows/s  ratio {} (goal >= 0.5)".format(j["rows"], j["generator_rows_per_s"], j["bare_insert_rows_per_s"], j["ratio"]))'

  echo "== generator: adda generate --scale 1 (goal <= 30 s)"
  start=$(date +%s.%N)
  "$ADDA" generate --pilots "$ROOT/pilots/municipalities" --scale 1 --seed 2018 --out "$OUT/scale1.db" --json > "$OUT/scale1.json"
  end=$(date +%s.%N)
  secs=$(python3 -c "print(round($end - $start, 2))")
  rows=$(python3 -c "import json; print(json.load(open('$OUT/scale1.json'))['rows'])")
  echo "{\"bench\":\"generate_scale_1\",\"seconds\":$secs,\"rows\":$rows,\"goal_seconds\":30}" >> "$RESULTS"
  echo "   $rows rows in $secs s"
  rm -f "$OUT"/scale1.db*
fi

for extra in "$ROOT"/bench/bench_*.sh; do
  [ -e "$extra" ] || continue
  name=$(basename "$extra" .sh); name=${name#bench_}
  want "$name" || continue
  BUILD="$BUILD" RESULTS="$RESULTS" ADDA="$ADDA" ROOT="$ROOT" bash "$extra"
done
echo "results: $RESULTS"
