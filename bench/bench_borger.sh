#!/usr/bin/env bash
# borger.dk's overview against nginx serving one such overview's bytes, in the same run:
# wrk -t2 -c64, a different logged-in citizen per request (round robin over 200),
# interleaved rounds, medians. Two borger.dk processes on the same KOMBIT:
#  - "feed" (the default, --kombit-changes on): borger follows KOMBIT's change feed and
#    shows a page explained earlier while nothing of the citizen's changed; after each
#    session's first read, KOMBIT is not asked. Session check and access log still per
#    request.
#  - "direct" (--kombit-changes off): every request goes borger -> KOMBIT -> SQLite.
# Meanwhile a municipality changes those citizens' cases through the integration API
# (BORGER_BENCH_WRITES_PER_S, default 20), so the feed does void pages as it would live.
# KOMBIT gets 160 threads: Poco holds a thread per kept-alive connection, and the two
# borgers keep up to 64 each to it.
# Called by bench/run_all.sh with BUILD, RESULTS, ADDA, ROOT.
set -euo pipefail
source "$ROOT/bench/lib.sh"
bench_init borger
CONNS=64
PORT_K=${BORGER_BENCH_PORT:-18381}
PORT_B=$((PORT_K + 1))
PORT_N=$((PORT_K + 2))
PORT_D=$((PORT_K + 3))

echo "== borger: overview with 200 sessions, adda (feed / direct) vs nginx serving the same bytes (wrk -t2 -c$CONNS -d${DURATION}s, $ROUNDS rounds)"
rm -f "$OUT"/kombit.db* "$OUT"/borger*.db*
"$ADDA" generate --pilots "$ROOT/pilots/municipalities" --scale 0.05 --seed 2018 --out "$OUT/kombit.db" > /dev/null
"$ADDA" serve kombit --db "$OUT/kombit.db" --port "$PORT_K" --threads 160 --log "" > "$OUT/kombit.out" 2>&1 &
KPID=$!
BPID=""
DPID=""
NPID=""
WPID=""
cleanup() { for p in $WPID $KPID $BPID $DPID $NPID; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
wait_for "http://127.0.0.1:$PORT_K/health"
"$ADDA" serve borger --db "$OUT/borger.db" --kombit "http://127.0.0.1:$PORT_K" \
  --kombit-credentials "$OUT/kombit.db.credentials.json" --port "$PORT_B" --log "" > "$OUT/borger.out" 2>&1 &
BPID=$!
"$ADDA" serve borger --db "$OUT/borger-direct.db" --kombit "http://127.0.0.1:$PORT_K" --kombit-changes off \
  --kombit-credentials "$OUT/kombit.db.credentials.json" --port "$PORT_D" --log "" > "$OUT/borger-direct.out" 2>&1 &
DPID=$!
wait_for "http://127.0.0.1:$PORT_B/health"
wait_for "http://127.0.0.1:$PORT_D/health"

# 200 citizens with cases, logged in through each borger's mock IdP.
python3 - "$OUT" "$PORT_B" "$PORT_D" <<'PY'
import json, sqlite3, sys, urllib.request
out, port, port_direct = sys.argv[1], sys.argv[2], sys.argv[3]
db = sqlite3.connect(out + "/kombit.db")
cprs = [r[0] for r in db.execute("SELECT cpr FROM cases GROUP BY cpr ORDER BY cpr LIMIT 200")]
def login(p):
    tokens = []
    for cpr in cprs:
        req = urllib.request.Request(f"http://127.0.0.1:{p}/idp/login", data=json.dumps({"cpr": cpr, "password": "test"}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        tokens.append(json.load(urllib.request.urlopen(req))["token"])
    return tokens
for name, p in (("sessions", port), ("sessions-direct", port_direct)):
    tokens = login(p)
    with open(f"{out}/{name}.lua", "w") as f:
        f.write("tokens = {" + ",".join('"%s"' % t for t in tokens) + "}\n")
        f.write("i = 0\nrequest = function()\n  i = i % #tokens + 1\n"
                "  return wrk.format('GET', '/v1/overview', {['Authorization'] = 'Bearer ' .. tokens[i]})\nend\n")
    if name == "sessions":
        first = tokens
# The baseline's bytes: a median-sized overview.
sizes = []
for t in first[:50]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/overview", headers={"Authorization": "Bearer " + t})
    body = urllib.request.urlopen(req).read()
    sizes.append((len(body), body))
sizes.sort(key=lambda x: x[0])
open(out + "/overview.json", "wb").write(sizes[len(sizes) // 2][1])
PY
BYTES=$(stat -c %s "$OUT/overview.json")

# A municipality at work: changes the benchmarked citizens' cases (a new title) at a
# steady rate for as long as the benchmark runs.
WRITES_PER_S=${BORGER_BENCH_WRITES_PER_S:-20}
python3 - "$OUT" "$PORT_K" "$WRITES_PER_S" > "$OUT/writer.out" 2>&1 <<'PY' &
import json, sqlite3, sys, time, urllib.request
out, port, rate = sys.argv[1], sys.argv[2], float(sys.argv[3])
keys = json.load(open(out + "/kombit.db.credentials.json"))["municipalities"]
db = sqlite3.connect(out + "/kombit.db")
cases = db.execute("SELECT municipality, id FROM cases WHERE cpr IN "
                   "(SELECT cpr FROM cases GROUP BY cpr ORDER BY cpr LIMIT 200) ORDER BY id").fetchall()
db.close()
n = 0
while rate > 0:
    m, cid = cases[n % len(cases)]
    url = f"http://127.0.0.1:{port}/v1/municipalities/{m}/cases/{cid}"
    auth = {"Authorization": "Bearer " + keys[str(m)]}
    try:
        got = urllib.request.urlopen(urllib.request.Request(url, headers=auth))
        body = json.load(got)
        body["title"] = body["title"].split(" (")[0] + f" ({n})"
        req = urllib.request.Request(url, data=json.dumps(body).encode(), method="PUT",
                                     headers={**auth, "Content-Type": "application/json", "If-Match": got.headers["ETag"]})
        urllib.request.urlopen(req).read()
        print("write ok", flush=True)
    except Exception as e:
        print("write failed:", e, flush=True)
    n += 1
    time.sleep(1.0 / rate)
PY
WPID=$!

start_nginx "$OUT" "$PORT_N" /v1/overview "$OUT/overview.json"

: > "$OUT/rounds.txt"
: > "$OUT/rounds-direct.txt"
# CPU time (user + system, in clock ticks) a process has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# µs of CPU per request: TICKS_BEFORE TICKS_AFTER WRK_OUTPUT
us_per_request() {
  python3 - "$1" "$2" "$3" "$(getconf CLK_TCK)" <<'PY'
import re, sys
before, after, out, hz = int(sys.argv[1]), int(sys.argv[2]), open(sys.argv[3]).read(), int(sys.argv[4])
n = int(re.search(r"(\d+) requests in", out).group(1))
print(round((after - before) / hz / max(n, 1) * 1e6, 1))
PY
}
: > "$OUT/cpu.txt"
for r in $(seq "$ROUNDS"); do
  wrk -t2 -c$CONNS -d${DURATION}s --latency "http://127.0.0.1:$PORT_N/v1/overview" > "$OUT/wrk-nginx-$r.txt"
  b0=$(ticks "$BPID"); k0=$(ticks "$KPID")
  wrk -t2 -c$CONNS -d${DURATION}s --latency -s "$OUT/sessions.lua" "http://127.0.0.1:$PORT_B" > "$OUT/wrk-adda-$r.txt"
  b1=$(ticks "$BPID"); k1=$(ticks "$KPID")
  d0=$(ticks "$DPID"); k2=$(ticks "$KPID")
  wrk -t2 -c$CONNS -d${DURATION}s --latency -s "$OUT/sessions-direct.lua" "http://127.0.0.1:$PORT_D" > "$OUT/wrk-direct-$r.txt"
  d1=$(ticks "$DPID"); k3=$(ticks "$KPID")
  n=$(wrk_figures "$OUT/wrk-nginx-$r.txt"); b=$(wrk_figures "$OUT/wrk-adda-$r.txt"); d=$(wrk_figures "$OUT/wrk-direct-$r.txt")
  echo "nginx $n" >> "$OUT/rounds.txt"; echo "adda $b" >> "$OUT/rounds.txt"
  echo "nginx $n" >> "$OUT/rounds-direct.txt"; echo "adda $d" >> "$OUT/rounds-direct.txt"
  cpu="$(us_per_request "$b0" "$b1" "$OUT/wrk-adda-$r.txt") $(us_per_request "$k0" "$k1" "$OUT/wrk-adda-$r.txt") $(us_per_request "$d0" "$d1" "$OUT/wrk-direct-$r.txt") $(us_per_request "$k2" "$k3" "$OUT/wrk-direct-$r.txt")"
  echo "$cpu" >> "$OUT/cpu.txt"
  set -- $cpu
  echo "   round $r: nginx $(echo $n | cut -d' ' -f1) req/s, adda feed $(echo $b | cut -d' ' -f1) req/s (CPU per request: borger $1 µs, KOMBIT $2 µs), adda direct $(echo $d | cut -d' ' -f1) req/s (borger $3 µs, KOMBIT $4 µs)"
done
kill "$WPID" 2>/dev/null || true
echo "   meanwhile a municipality changed cases at $WRITES_PER_S/s: $(grep -c '^write ok' "$OUT/writer.out") writes, $(grep -c '^write failed' "$OUT/writer.out") failed; borger's feed: $(curl -s "http://127.0.0.1:$PORT_B/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["kombit_changes"])')"
echo "   feed (default): borger follows KOMBIT's change feed; KOMBIT asked on a session's first read and after a change"
summarise "$OUT/rounds.txt" "{\"bench\": \"borger_overview\", \"mode\": \"feed\", \"bytes\": $BYTES, \"connections\": $CONNS, \"sessions\": 200, \"seconds\": $DURATION, \"goal\": {\"ratio\": 0.25, \"adda_p99_ms\": 20}}"
echo "   direct (--kombit-changes off): every request borger -> KOMBIT -> SQLite"
summarise "$OUT/rounds-direct.txt" "{\"bench\": \"borger_overview\", \"mode\": \"direct\", \"bytes\": $BYTES, \"connections\": $CONNS, \"sessions\": 200, \"seconds\": $DURATION, \"goal\": {\"ratio\": 0.25, \"adda_p99_ms\": 20}}"
# Where the time goes: CPU per request of each process, medians over the rounds.
python3 - "$OUT/cpu.txt" >> "$RESULTS" <<'PY'
import json, statistics, sys
rows = [[float(x) for x in l.split()] for l in open(sys.argv[1]) if l.strip()]
med = lambda i: statistics.median(r[i] for r in rows)
print(json.dumps({"bench": "borger_overview_cpu", "unit": "us_per_request",
                  "feed": {"borger": med(0), "kombit": med(1)}, "direct": {"borger": med(2), "kombit": med(3)}}))
PY
tail -1 "$RESULTS" | python3 -c 'import json,sys; j=json.load(sys.stdin); print("   CPU per request (medians): feed borger {} µs + KOMBIT {} µs; direct borger {} µs + KOMBIT {} µs".format(j["feed"]["borger"], j["feed"]["kombit"], j["direct"]["borger"], j["direct"]["kombit"]))'
