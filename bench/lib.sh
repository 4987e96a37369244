# Shared by the bench_*.sh scripts: nginx serving a file as the same-run baseline, wrk
# output parsing, and the median summary written to the results file. Source it.

# bench_init NAME: the bench's folder OUT (made), DURATION and ROUNDS from
# NAME_BENCH_SECONDS (default 10) and NAME_BENCH_ROUNDS (default 3), NAME in capitals.
bench_init() {
  local up
  up=$(echo "$1" | tr '[:lower:]' '[:upper:]')
  OUT="$(realpath -m "$BUILD/bench/$1")"
  mkdir -p "$OUT"
  eval "DURATION=\${${up}_BENCH_SECONDS:-10}"
  eval "ROUNDS=\${${up}_BENCH_ROUNDS:-3}"
}

# start_nginx_with DIR PORT PROBE_PATH LOCATIONS: nginx on 127.0.0.1:PORT with the given
# location blocks (JSON by default); waits for PROBE_PATH; sets NPID.
start_nginx_with() {
  local dir=$1 port=$2 probe=$3 locations=$4
  mkdir -p "$dir/nginx/logs"
  cat > "$dir/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  default_type application/json;
  server {
    listen 127.0.0.1:$port;
$locations
  }
}
NGINX
  nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" &
  NPID=$!
  wait_for "http://127.0.0.1:$port$probe"
}

# start_nginx DIR PORT URL_PATH FILE: serves FILE at URL_PATH on 127.0.0.1:PORT; sets NPID.
start_nginx() {
  start_nginx_with "$1" "$2" "$3" "    location = $3 { alias $4; }"
}

# wait_for URL: up to 5 s for URL to answer 2xx.
wait_for() {
  for _ in $(seq 50); do curl -fs "$1" > /dev/null 2>&1 && return 0; sleep 0.1; done
  echo "no answer from $1" >&2
  return 1
}

# wrk_figures FILE: "req/s p50_ms p99_ms non_2xx" from wrk --latency output.
wrk_figures() {
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

# summarise ROUNDS_FILE JSON_EXTRA: medians of the "adda …"/"nginx …" lines as one JSON
# line (JSON_EXTRA is merged in: bench name, bytes, goals), then a readable line.
summarise() {
  python3 - "$1" "$2" >> "$RESULTS" <<'PY'
import json, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(who, i): return statistics.median(float(r[i + 1]) for r in rows if r[0] == who)
out = json.loads(sys.argv[2])
out.update({"rounds": sum(1 for r in rows if r[0] == "adda"),
            "adda_rps": round(med("adda", 0)), "adda_p50_ms": med("adda", 1), "adda_p99_ms": med("adda", 2),
            "adda_non_2xx": int(sum(float(r[4]) for r in rows if r[0] == "adda")),
            "nginx_rps": round(med("nginx", 0)), "nginx_p50_ms": med("nginx", 1), "nginx_p99_ms": med("nginx", 2)})
out["ratio"] = round(out["adda_rps"] / out["nginx_rps"], 3)
print(json.dumps(out))
PY
  tail -1 "$RESULTS" | python3 -c 'import json,sys; j=json.load(sys.stdin); print("   {} bytes: adda {:,} req/s p50 {} ms p99 {} ms | nginx {:,} req/s p50 {} ms p99 {} ms | ratio {} (goal >= {}, adda p99 <= {} ms), non-2xx {}".format(j["bytes"], j["adda_rps"], j["adda_p50_ms"], j["adda_p99_ms"], j["nginx_rps"], j["nginx_p50_ms"], j["nginx_p99_ms"], j["ratio"], j["goal"]["ratio"], j["goal"]["adda_p99_ms"], j["adda_non_2xx"]))'
}

# url_of FILE: the URL an `adda serve` process printed ("listening on http://…"), within
# 10 s; otherwise says so with what it printed and fails.
url_of() {
  for _ in $(seq 100); do
    local u
    u=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$1" 2>/dev/null | head -1 | cut -d' ' -f3)
    [ -n "$u" ] && { echo "$u"; return 0; }
    sleep 0.1
  done
  echo "no service URL in $1:" >&2
  cat "$1" >&2
  return 1
}
