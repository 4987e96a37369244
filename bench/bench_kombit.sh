#!/usr/bin/env bash
# KOMBIT case list (the answer borger.dk asks for most) against nginx serving the same
# bytes as a static file, in the same run: wrk -t2 -c64, interleaved rounds, medians.
# Called by bench/run_all.sh with BUILD, RESULTS, ADDA, ROOT set.
set -euo pipefail
source "$ROOT/bench/lib.sh"
bench_init kombit
CONNS=64
PORT_K=${KOMBIT_BENCH_PORT:-18281}
PORT_N=$((PORT_K + 1))

echo "== kombit: a citizen's case list, adda vs nginx serving the same bytes (wrk -t2 -c$CONNS -d${DURATION}s, $ROUNDS rounds)"
rm -f "$OUT"/kombit.db*
"$ADDA" generate --pilots "$ROOT/pilots/municipalities" --scale 0.05 --seed 2018 --out "$OUT/kombit.db" > /dev/null
CPR=$(python3 - "$OUT/kombit.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
# A typical citizen with cases: the median case count among citizens who have any.
rows = db.execute("SELECT cpr, count(*) c FROM cases GROUP BY cpr ORDER BY c, cpr").fetchall()
print(rows[len(rows) // 2][0])
PY
)
"$ADDA" serve kombit --db "$OUT/kombit.db" --port "$PORT_K" --log "" --threads 64 > "$OUT/serve.out" 2>&1 &
KPID=$!
NPID=""
cleanup() { kill "$KPID" 2>/dev/null || true; [ -n "$NPID" ] && kill "$NPID" 2>/dev/null || true; }
trap cleanup EXIT
wait_for "http://127.0.0.1:$PORT_K/health"
TOKEN=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['system'])" "$OUT/kombit.db.credentials.json")
URL_PATH="/v1/citizens/$CPR/cases"
curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT_K$URL_PATH" > "$OUT/case-list.json"
BYTES=$(stat -c %s "$OUT/case-list.json")
start_nginx "$OUT" "$PORT_N" "$URL_PATH" "$OUT/case-list.json"

: > "$OUT/rounds.txt"
for r in $(seq "$ROUNDS"); do
  wrk -t2 -c$CONNS -d${DURATION}s --latency "http://127.0.0.1:$PORT_N$URL_PATH" > "$OUT/wrk-nginx-$r.txt"
  wrk -t2 -c$CONNS -d${DURATION}s --latency -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT_K$URL_PATH" > "$OUT/wrk-adda-$r.txt"
  n=$(wrk_figures "$OUT/wrk-nginx-$r.txt"); k=$(wrk_figures "$OUT/wrk-adda-$r.txt")
  echo "nginx $n" >> "$OUT/rounds.txt"; echo "adda $k" >> "$OUT/rounds.txt"
  echo "   round $r: nginx $(echo $n | cut -d' ' -f1) req/s, adda $(echo $k | cut -d' ' -f1) req/s"
done
summarise "$OUT/rounds.txt" "{\"bench\": \"kombit_case_list\", \"bytes\": $BYTES, \"connections\": $CONNS, \"seconds\": $DURATION, \"goal\": {\"ratio\": 0.5, \"adda_p99_ms\": 10}}"
