#!/usr/bin/env bash
# borger.dk overview end to end (borger -> KOMBIT -> SQLite, access log appended) with
# realistic sessions (a different logged-in citizen per request, round robin over 200)
# against nginx serving one such overview's bytes, in the same run: wrk -t2 -c64,
# interleaved rounds, medians. Called by bench/run_all.sh with BUILD, RESULTS, ADDA, ROOT.
set -euo pipefail
OUT="$(realpath -m "$BUILD/bench/borger")"
mkdir -p "$OUT"
DURATION=${BORGER_BENCH_SECONDS:-10}
ROUNDS=${BORGER_BENCH_ROUNDS:-3}
CONNS=64
PORT_K=${BORGER_BENCH_PORT:-18381}
PORT_B=$((PORT_K + 1))
PORT_N=$((PORT_K + 2))

echo "== borger: overview end to end with 200 sessions, adda vs nginx serving the same bytes (wrk -t2 -c$CONNS -d${DURATION}s, $ROUNDS rounds)"
rm -f "$OUT"/kombit.db* "$OUT"/borger.db*
"$ADDA" generate --pilots "$ROOT/pilots/municipalities" --scale 0.05 --seed 2018 --out "$OUT/kombit.db" > /dev/null
"$ADDA" serve kombit --db "$OUT/kombit.db" --port "$PORT_K" --log "" > "$OUT/kombit.out" 2>&1 &
KPID=$!
BPID=""
NPID=""
cleanup() { for p in $KPID $BPID $NPID; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT_K/health" > /dev/null 2>&1 && break; sleep 0.1; done
"$ADDA" serve borger --db "$OUT/borger.db" --kombit "http://127.0.0.1:$PORT_K" \
  --kombit-credentials "$OUT/kombit.db.credentials.json" --port "$PORT_B" --log "" > "$OUT/borger.out" 2>&1 &
BPID=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT_B/health" > /dev/null 2>&1 && break; sleep 0.1; done

# 200 citizens with cases, logged in through the mock IdP.
python3 - "$OUT" "$PORT_B" <<'PY'
import json, sqlite3, sys, urllib.request
out, port = sys.argv[1], sys.argv[2]
db = sqlite3.connect(out + "/kombit.db")
cprs = [r[0] for r in db.execute("SELECT cpr FROM cases GROUP BY cpr ORDER BY cpr LIMIT 200")]
tokens = []
for cpr in cprs:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/idp/login", data=json.dumps({"cpr": cpr, "password": "test"}).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    tokens.append(json.load(urllib.request.urlopen(req))["token"])
with open(out + "/sessions.lua", "w") as f:
    f.write("tokens = {" + ",".join('"%s"' % t for t in tokens) + "}\n")
    f.write("i = 0\nrequest = function()\n  i = i % #tokens + 1\n"
            "  return wrk.format('GET', '/v1/overview', {['Authorization'] = 'Bearer ' .. tokens[i]})\nend\n")
# The baseline's bytes: a median-sized overview.
sizes = []
for t in tokens[:50]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/overview", headers={"Authorization": "Bearer " + t})
    body = urllib.request.urlopen(req).read()
    sizes.append((len(body), body))
sizes.sort(key=lambda x: x[0])
open(out + "/overview.json", "wb").write(sizes[len(sizes) // 2][1])
PY
BYTES=$(stat -c %s "$OUT/overview.json")

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
    location = /v1/overview { default_type application/json; alias $OUT/overview.json; }
  }
}
NGINX
nginx -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx" &
NPID=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT_N/v1/overview" > /dev/null 2>&1 && break; sleep 0.1; done

parse() {
  python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
lat = {p: ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)", t, re.M)}
m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", t)
print(f"{rps} {lat.get('50', 0)} {lat.get('99', 0)} {int(m.group(1)) if m else 0}")
PY
}
: > "$OUT/rounds.txt"
for r in $(seq "$ROUNDS"); do
  wrk -t2 -c$CONNS -d${DURATION}s --latency "http://127.0.0.1:$PORT_N/v1/overview" > "$OUT/wrk-nginx-$r.txt"
  wrk -t2 -c$CONNS -d${DURATION}s --latency -s "$OUT/sessions.lua" "http://127.0.0.1:$PORT_B" > "$OUT/wrk-adda-$r.txt"
  n=$(parse "$OUT/wrk-nginx-$r.txt"); b=$(parse "$OUT/wrk-adda-$r.txt")
  echo "nginx $n" >> "$OUT/rounds.txt"; echo "adda $b" >> "$OUT/rounds.txt"
  echo "   round $r: nginx $(echo $n | cut -d' ' -f1) req/s, adda $(echo $b | cut -d' ' -f1) req/s"
done
python3 - "$OUT/rounds.txt" "$BYTES" "$CONNS" "$DURATION" "$ROUNDS" >> "$RESULTS" <<'PY'
import json, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(who, i): return statistics.median(float(r[i + 1]) for r in rows if r[0] == who)
out = {"bench": "borger_overview", "bytes": int(sys.argv[2]), "connections": int(sys.argv[3]), "sessions": 200,
       "seconds": int(sys.argv[4]), "rounds": int(sys.argv[5]),
       "adda_rps": round(med("adda", 0)), "adda_p50_ms": med("adda", 1), "adda_p99_ms": med("adda", 2),
       "adda_non_2xx": int(sum(float(r[4]) for r in rows if r[0] == "adda")),
       "nginx_rps": round(med("nginx", 0)), "nginx_p50_ms": med("nginx", 1), "nginx_p99_ms": med("nginx", 2)}
out["ratio"] = round(out["adda_rps"] / out["nginx_rps"], 3)
out["goal"] = {"ratio": 0.25, "adda_p99_ms": 20}
print(json.dumps(out))
PY
tail -1 "$RESULTS" | python3 -c 'import json,sys; j=json.load(sys.stdin); print("   {} bytes: adda {:,} req/s p50 {} ms p99 {} ms | nginx {:,} req/s p50 {} ms p99 {} ms | ratio {} (goal >= 0.25, adda p99 <= 20 ms), non-2xx {}".format(j["bytes"], j["adda_rps"], j["adda_p50_ms"], j["adda_p99_ms"], j["nginx_rps"], j["nginx_p50_ms"], j["nginx_p99_ms"], j["ratio"], j["adda_non_2xx"]))'
