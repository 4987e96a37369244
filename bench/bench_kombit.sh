#!/usr/bin/env bash
# KOMBIT case list (the answer borger.dk asks for most) against nginx serving the same
# bytes as a static file, in the same run: wrk -t2 -c64, interleaved rounds, medians.
# Called by bench/run_all.sh with BUILD, RESULTS, ADDA, ROOT set.
set -euo pipefail
OUT="$(realpath -m "$BUILD/bench/kombit")"
mkdir -p "$OUT"
DURATION=${KOMBIT_BENCH_SECONDS:-10}
ROUNDS=${KOMBIT_BENCH_ROUNDS:-3}
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
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT_K/health" > /dev/null 2>&1 && break; sleep 0.1; done
TOKEN=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['system'])" "$OUT/kombit.db.credentials.json")
URL_PATH="/v1/citizens/$CPR/cases"
curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT_K$URL_PATH" > "$OUT/case-list.json"
BYTES=$(stat -c %s "$OUT/case-list.json")

mkdir -p "$OUT/nginx/logs"
cat > "$OUT/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$PORT_N;
    location = $URL_PATH { default_type application/json; alias $OUT/case-list.json; }
  }
}
NGINX
nginx -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx" &
NPID=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT_N$URL_PATH" > /dev/null 2>&1 && break; sleep 0.1; done

run_wrk() {  # name url [header]
  local name=$1 url=$2 header=${3:-}
  if [ -n "$header" ]; then
    wrk -t2 -c$CONNS -d${DURATION}s --latency -H "$header" "$url" > "$OUT/wrk-$name.txt"
  else
    wrk -t2 -c$CONNS -d${DURATION}s --latency "$url" > "$OUT/wrk-$name.txt"
  fi
  python3 - "$OUT/wrk-$name.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
lat = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)", t, re.M)}
errors = sum(int(x) for x in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors:.*?timeout)\D+(\d+)", t))
print(f"{rps} {lat.get('50', 0)} {lat.get('99', 0)} {errors}")
PY
}

: > "$OUT/rounds.txt"
for r in $(seq "$ROUNDS"); do
  n=$(run_wrk "nginx-$r" "http://127.0.0.1:$PORT_N$URL_PATH")
  k=$(run_wrk "adda-$r" "http://127.0.0.1:$PORT_K$URL_PATH" "Authorization: Bearer $TOKEN")
  echo "nginx $n" >> "$OUT/rounds.txt"
  echo "adda $k" >> "$OUT/rounds.txt"
  echo "   round $r: nginx $(echo $n | cut -d' ' -f1) req/s, adda $(echo $k | cut -d' ' -f1) req/s"
done
python3 - "$OUT/rounds.txt" "$BYTES" "$CONNS" "$DURATION" "$ROUNDS" >> "$RESULTS" <<'PY'
import json, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(who, i): return statistics.median(float(r[i + 1]) for r in rows if r[0] == who)
out = {"bench": "kombit_case_list", "bytes": int(sys.argv[2]), "connections": int(sys.argv[3]),
       "seconds": int(sys.argv[4]), "rounds": int(sys.argv[5]),
       "adda_rps": round(med("adda", 0)), "adda_p50_ms": med("adda", 1), "adda_p99_ms": med("adda", 2),
       "adda_errors": int(sum(float(r[4]) for r in rows if r[0] == "adda")),
       "nginx_rps": round(med("nginx", 0)), "nginx_p50_ms": med("nginx", 1), "nginx_p99_ms": med("nginx", 2)}
out["ratio"] = round(out["adda_rps"] / out["nginx_rps"], 3)
out["goal"] = {"ratio": 0.5, "adda_p99_ms": 10}
print(json.dumps(out))
PY
tail -1 "$RESULTS" | python3 -c 'import json,sys; j=json.load(sys.stdin); print("   {} bytes: adda {:,} req/s p50 {} ms p99 {} ms | nginx {:,} req/s p50 {} ms p99 {} ms | ratio {} (goal >= 0.5, adda p99 <= 10 ms), adda errors {}".format(j["bytes"], j["adda_rps"], j["adda_p50_ms"], j["adda_p99_ms"], j["nginx_rps"], j["nginx_p50_ms"], j["nginx_p99_ms"], j["ratio"], j["adda_errors"]))'
