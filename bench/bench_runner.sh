#!/usr/bin/env bash
# The scenario runner's own speed: adda run against a trivial endpoint (nginx answering
# borger.dk's login, test-user list and overview with fixed bytes) versus wrk against the
# same overview endpoint in the same run, 64 connections each, interleaved rounds,
# medians. Then the full-population scenario end to end (every citizen of the five
# municipalities at scale 1 logs in and reads the overview).
# Called by bench/run_all.sh with BUILD, RESULTS, ADDA, ROOT set.
set -euo pipefail
source "$ROOT/bench/lib.sh"
bench_init runner
PORT=${RUNNER_BENCH_PORT:-18381}

echo "== runner: adda run vs wrk against the same trivial endpoint (64 connections, ${DURATION}s, $ROUNDS rounds)"
start_nginx_with "$OUT" "$PORT" /v1/overview "$(cat <<'LOCATIONS'
    location = /idp/users { return 200 '{"items":[{"cpr":"6101807201","birth_date":"1980-01-01"}],"next_after":null}'; }
    location = /idp/login { return 201 '{"token":"t"}'; }
    location = /v1/overview { return 200 '{"stale":false,"items":[]}'; }
LOCATIONS
)"
trap 'kill $NPID 2>/dev/null || true' EXIT
python3 - "$OUT/scenario.json" "$DURATION" <<'PY'
import json, sys
steps = [{"step": "login"}] + [{"step": "overview"}] * 50
json.dump({"name": "runner-bench", "municipalities": [751], "scale": 0.001,
           "load": {"model": "closed", "stages": [{"duration_s": 0.01, "target": 64}, {"duration_s": float(sys.argv[2]), "target": 64}]},
           "personas": [{"name": "p", "patience_s": 60, "feedback_rate": 0}],
           "journeys": [{"name": "overviews", "steps": steps}]}, open(sys.argv[1], "w"))
PY
: > "$OUT/rounds.txt"
for r in $(seq "$ROUNDS"); do
  "$ADDA" run --scenario "$OUT/scenario.json" --borger "http://127.0.0.1:$PORT" --borger-admin x \
    --time-scale 0 --workers 2 --quiet --out "$OUT/reports" --run-id "round-$r" > /dev/null 2>&1 || true
  python3 - "$OUT/reports/round-$r/summary.json" >> "$OUT/rounds.txt" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
t = s["totals"]
print("adda", t["throughput_rps"], t["latency"]["p50"], t["latency"]["p99"], t["errors"])
PY
  rm -rf "$OUT/reports/round-$r"
  wrk -t2 -c64 -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/v1/overview" > "$OUT/wrk.txt"
  echo "nginx $(wrk_figures "$OUT/wrk.txt")" >> "$OUT/rounds.txt"
done
python3 - "$OUT/rounds.txt" >> "$RESULTS" <<'PY'
import json, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(who, i): return statistics.median(float(r[i + 1]) for r in rows if r[0] == who)
out = {"bench": "runner_vs_wrk", "rounds": sum(r[0] == "adda" for r in rows),
       "runner_rps": round(med("adda", 0)), "runner_p50_ms": med("adda", 1), "runner_p99_ms": med("adda", 2),
       "runner_errors": int(sum(float(r[4]) for r in rows if r[0] == "adda")),
       "wrk_rps": round(med("nginx", 0)), "wrk_p50_ms": med("nginx", 1), "wrk_p99_ms": med("nginx", 2),
       "goal": {"ratio": 0.5}}
out["ratio"] = round(out["runner_rps"] / out["wrk_rps"], 3)
print(json.dumps(out))
PY
tail -1 "$RESULTS" | python3 -c 'import json,sys; j=json.load(sys.stdin); print("   runner {:,} req/s p50 {} ms p99 {} ms errors {} | wrk {:,} req/s p50 {} ms p99 {} ms | ratio {} (goal >= 0.5)".format(j["runner_rps"], j["runner_p50_ms"], j["runner_p99_ms"], j["runner_errors"], j["wrk_rps"], j["wrk_p50_ms"], j["wrk_p99_ms"], j["ratio"]))'
kill $NPID 2>/dev/null || true
trap - EXIT

if [ "${RUNNER_BENCH_FULL:-1}" = 1 ]; then
  echo "== runner: full-population scenario end to end (adda pilot, scale 1; goal <= 600 s)"
  start=$(date +%s.%N)
  code=0
  "$ADDA" pilot --scenario "$ROOT/pilots/scenarios/full-population.json" --out "$OUT/reports" --data "$OUT/data" \
    --run-id full-population --quiet > "$OUT/full.out" 2>&1 || code=$?
  end=$(date +%s.%N)
  python3 - "$OUT/reports/full-population/summary.json" "$start" "$end" "$code" >> "$RESULTS" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
t = s["totals"]
print(json.dumps({"bench": "full_population", "seconds": round(float(sys.argv[3]) - float(sys.argv[2]), 1),
                  "load_seconds": s["manifest"]["wall_seconds"], "citizens": sum(m["citizens"] for m in s["manifest"]["municipalities"]),
                  "journeys": t["journeys"], "requests": t["requests"], "errors": t["errors"], "rps": t["throughput_rps"],
                  "overview_p95_ms": next(x["p95"] for x in s["steps"] if x["step"] == "overview"),
                  "verdict": s["verdict"], "exit": int(sys.argv[4]), "goal_seconds": 600}))
PY
  tail -1 "$RESULTS" | python3 -c 'import json,sys; j=json.load(sys.stdin); print("   {:,} citizens, {:,} journeys, {:,} requests in {} s ({} s of load, {} req/s, overview p95 {} ms, errors {}), verdict {} (goal <= 600 s)".format(j["citizens"], j["journeys"], j["requests"], j["seconds"], j["load_seconds"], j["rps"], j["overview_p95_ms"], j["errors"], j["verdict"]))'
  rm -rf "$OUT/data/pilot/run-"*
fi
