#!/usr/bin/env bash
# make soak: both services as real processes (adda serve kombit, adda serve borger) on
# free ports of 127.0.0.1 and `adda run` driving pilots/scenarios/soak.json at them, a
# constant arrival rate (open model) for SOAK_SECONDS. Every SOAK_SAMPLE_S seconds each
# service's resident memory, open descriptors (sockets among them) and threads go to
# resources.csv. At the end it checks, and exits 1 naming every bound that failed:
#
#   * the run: exit 0, requests > 0, errors 0 of every class (transport, timeout, 4xx,
#     5xx, abandoned), no arrival dropped, no feedback post failed;
#   * per service, from the end of warm-up (the first 20 % of the load) to the end of
#     the load (medians of the samples in the 5 % before each point):
#     - RSS grew by at most SOAK_RSS_MB (default 16) plus 2 MB for each server thread
#       started since: a Poco server thread keeps a stack and its own SQLite connection,
#       whose page cache fills with the (small) database, for its life;
#     - descriptors that are neither connections (sockets and their epoll sets) nor
#       SQLite files grew by at most SOAK_FD_SLACK (default 4); SQLite files stay within
#       one connection (database + WAL) per thread; threads stay within the server pool
#       (--threads + 2) over the count before the load;
#   * after the load, once idle keep-alive connections have timed out (10 s): no
#     inbound connection is left open, and every descriptor but the per-thread SQLite
#     connections and borger.dk's pooled connections to KOMBIT (at most 64 kept idle,
#     net/client.h) is released: at most SOAK_FD_SLACK more than before the load.
#
# Why 16 MB: with a population of 676 citizens (scale 0.001) the warm-up visits most of
# them, so borger.dk's LRU cache of KOMBIT answers (its stale-data fallback) and the
# SQLite page caches are mostly filled by then; what grows after is the rest of them,
# new rows, and the allocator's slack (6-8 MB per service in a 10-minute run here). A
# leak of 1 KB per request (about 25,000 requests in the default 10 minutes) is 24 MB
# and fails; the short CI soak catches only leaks of several KB per request.
#
#   bench/soak.sh BUILD_DIR        (SOAK_SECONDS=600 by default)
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ADDA="$BUILD/src/cli/adda"
OUT="$(realpath -m "$BUILD/soak")"
SECONDS_LOAD=${SOAK_SECONDS:-600}
SAMPLE_S=${SOAK_SAMPLE_S:-2}
RSS_MB=${SOAK_RSS_MB:-16}
FD_SLACK=${SOAK_FD_SLACK:-4}
SCALE=${SOAK_SCALE:-0.001}
THREADS=64  # each service's server pool (adda serve --threads)
source "$ROOT/bench/lib.sh"

[ "$SECONDS_LOAD" -ge 20 ] 2>/dev/null || { echo "soak: SOAK_SECONDS must be a whole number >= 20" >&2; exit 2; }
rm -rf "$OUT"
mkdir -p "$OUT"

KPID=""
BPID=""
SPID=""
cleanup() { for p in $SPID $BPID $KPID; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== soak: ${SECONDS_LOAD} s at a constant arrival rate (pilots/scenarios/soak.json), population scale $SCALE"
"$ADDA" generate --pilots "$ROOT/pilots/municipalities" --scale "$SCALE" --seed 2018 --out "$OUT/kombit.db" > /dev/null
"$ADDA" serve kombit --db "$OUT/kombit.db" --host 127.0.0.1 --port 0 --threads "$THREADS" --log "$OUT/kombit.log" > "$OUT/kombit.out" 2>&1 &
KPID=$!
KURL=$(url_of "$OUT/kombit.out")
wait_for "$KURL/health"
"$ADDA" serve borger --db "$OUT/borger.db" --host 127.0.0.1 --port 0 --threads "$THREADS" --kombit "$KURL" \
  --kombit-credentials "$OUT/kombit.db.credentials.json" --log "$OUT/borger.log" > "$OUT/borger.out" 2>&1 &
BPID=$!
BURL=$(url_of "$OUT/borger.out")
wait_for "$BURL/health"
echo "   KOMBIT $KURL (pid $KPID), borger.dk $BURL (pid $BPID)"

# The shipped scenario with its constant stage stretched or shrunk to SOAK_SECONDS.
python3 - "$ROOT/pilots/scenarios/soak.json" "$OUT/soak.json" "$SECONDS_LOAD" "$SCALE" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
total = float(sys.argv[3])
stages = s["load"]["stages"]
stages[-1]["duration_s"] = total - sum(st["duration_s"] for st in stages[:-1])
s["scale"] = float(sys.argv[4])
json.dump(s, open(sys.argv[2], "w"), indent=2)
PY

# The sampler: one row per service every SAMPLE_S seconds until killed. Descriptors are
# counted all together and by kind: SQLite files, epoll sets, sockets (inbound to the
# service's port, outbound, listening), and the rest.
python3 - "$OUT/resources.csv" "$SAMPLE_S" "kombit=$KPID=${KURL##*:}" "borger=$BPID=${BURL##*:}" <<'PY' &
import os, re, sys, time
out, every, procs = sys.argv[1], float(sys.argv[2]), [a.split("=") for a in sys.argv[3:]]
sqlite = re.compile(r"\.db(-wal|-shm|-journal)?$")

def tcp(pid):
    """inode -> (local port, remote port, state) for the process's TCP sockets."""
    socks = {}
    for table in ("tcp", "tcp6"):
        try:
            lines = open(f"/proc/{pid}/net/{table}").read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            socks[f[9]] = (int(f[1].split(":")[1], 16), int(f[2].split(":")[1], 16), f[3])
    return socks

with open(out, "w", buffering=1) as f:
    f.write("unix_s,service,rss_kb,threads,fds,sqlite_fds,epoll_fds,sockets,inbound,outbound,other_fds\n")
    while True:
        now = time.time()
        for name, pid, port in procs:
            try:
                status = open(f"/proc/{pid}/status").read()
                fds = os.listdir(f"/proc/{pid}/fd")
                socks = tcp(pid)
            except OSError:
                continue
            field = lambda k: int(next(l.split()[1] for l in status.splitlines() if l.startswith(k + ":")))
            n = dict(sqlite=0, epoll=0, sockets=0, inbound=0, outbound=0, other=0)
            for fd in fds:
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue  # closed while we looked
                if target.startswith("socket:["):
                    n["sockets"] += 1
                    lport, rport, state = socks.get(target[8:-1], (0, 0, ""))
                    if state != "0A" and lport == int(port): n["inbound"] += 1
                    elif state != "0A" and lport: n["outbound"] += 1
                elif target == "anon_inode:[eventpoll]": n["epoll"] += 1
                elif sqlite.search(target): n["sqlite"] += 1
                else: n["other"] += 1
            f.write(f"{now:.3f},{name},{field('VmRSS')},{field('Threads')},{len(fds)},{n['sqlite']},{n['epoll']},"
                    f"{n['sockets']},{n['inbound']},{n['outbound']},{n['other']}\n")
        time.sleep(max(0.0, every - (time.time() - now)))
PY
SPID=$!
sleep $((SAMPLE_S * 2 + 1))  # the idle baseline before the load

LOAD_START=$(date +%s.%N)
set +e
"$ADDA" run --scenario "$OUT/soak.json" --borger "$BURL" --kombit "$KURL" \
  --borger-credentials "$OUT/borger.db.credentials.json" --kombit-credentials "$OUT/kombit.db.credentials.json" \
  --out "$OUT/reports" --run-id soak 2>&1 | tee "$OUT/run.out" | sed 's/^/   /'
RUN_RC=${PIPESTATUS[0]}
set -e
RUN_END=$(date +%s.%N)
sleep 15  # idle keep-alive connections close after 10 s
kill "$SPID" 2>/dev/null || true
wait "$SPID" 2>/dev/null || true
SPID=""
for p in $KPID $BPID; do kill -0 "$p" 2>/dev/null || { echo "soak: a service (pid $p) died during the run; see $OUT/*.out" >&2; exit 1; }; done

python3 - "$OUT" "$LOAD_START" "$SECONDS_LOAD" "$RUN_END" "$RUN_RC" "$RSS_MB" "$FD_SLACK" "$THREADS" <<'PY'
import csv, json, statistics, sys
out, load_start, seconds, run_end, run_rc = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
rss_mb, fd_slack = float(sys.argv[6]), int(sys.argv[7])
pool_max = int(sys.argv[8]) + 2  # the server pool: --threads + 2 (net/server.cc)
rows = list(csv.DictReader(open(out + "/resources.csv")))
problems = []

try:
    s = json.load(open(out + "/reports/soak/summary.json"))
except (OSError, ValueError) as e:
    print(f"soak: FAIL: no summary.json from the run ({e})")
    sys.exit(1)
t = s["totals"]
cls = s["errors"]["by_class"]
print(f"   run: exit {run_rc}, {s['manifest']['wall_seconds']:.0f} s, {t['journeys']} journeys ({t['journeys_ok']} ok, "
      f"{t['journeys_failed']} failed, {t['journeys_abandoned']} abandoned, {t['journeys_cut']} cut), "
      f"{t['requests']} requests served, {t['throughput_rps']} req/s, p95 {t['latency']['p95']} ms, errors {t['errors']} "
      f"({', '.join(f'{k} {v}' for k, v in cls.items())}), arrivals dropped {t['arrivals_dropped']}")
if run_rc != 0: problems.append(f"adda run exited {run_rc} (a threshold failed or the run broke; see {out}/run.out)")
if t["requests"] == 0: problems.append("no request was served")
if t["errors"] != 0 or any(v != 0 for v in cls.values()):
    problems.append(f"unexpected errors: {t['errors']} ({cls}); see {out}/reports/soak/report.md")
if t["arrivals_dropped"] != 0: problems.append(f"{t['arrivals_dropped']} arrivals dropped (more than max_in_flight under way)")
if s["feedback"]["post_errors"] != 0: problems.append(f"{s['feedback']['post_errors']} feedback posts failed")

COLUMNS = ("rss_kb", "threads", "fds", "sqlite_fds", "epoll_fds", "sockets", "inbound", "outbound", "other_fds")

def at(service, lo, hi):
    """Medians of the samples of `service` with lo <= unix time < hi, or None."""
    sel = [r for r in rows if r["service"] == service and lo <= float(r["unix_s"]) < hi]
    if not sel:
        return None
    m = {k: statistics.median(int(r[k]) for r in sel) for k in COLUMNS}
    m["rss_mb"] = m["rss_kb"] / 1024
    return m

load_end = load_start + seconds
for svc in ("kombit", "borger"):
    before = at(svc, 0, load_start)
    warm = at(svc, load_start + 0.15 * seconds, load_start + 0.20 * seconds + 1)
    end = at(svc, load_end - 0.05 * seconds - 1, load_end)
    after = at(svc, run_end + 11, float("inf"))
    if None in (before, warm, end, after):
        problems.append(f"{svc}: too few samples (before, after warm-up, end, idle after: {before}, {warm}, {end}, {after})")
        continue
    new_threads = max(0, end["threads"] - warm["threads"])
    grow_mb = end["rss_mb"] - warm["rss_mb"]
    rss_bound = rss_mb + 2 * new_threads
    other_bound = warm["other_fds"] + fd_slack
    thread_bound = before["threads"] + pool_max
    kept = lambda m: m["fds"] - m["sqlite_fds"] - m["outbound"]
    print(f"   {svc:6} RSS MB   start {before['rss_mb']:5.1f}  after warm-up {warm['rss_mb']:5.1f}  end {end['rss_mb']:5.1f}  "
          f"growth {grow_mb:+.1f} (bound {rss_bound:g}: {rss_mb:g} + 2 x {new_threads:g} new threads)")
    print(f"   {svc:6} threads  start {before['threads']:5g}  after warm-up {warm['threads']:5g}  end {end['threads']:5g}  "
          f"(bound {thread_bound:g})")
    print(f"   {svc:6} fds      start {before['fds']:5g}  after warm-up {warm['fds']:5g}  end {end['fds']:5g}  idle after {after['fds']:g}"
          f"  [sqlite {end['sqlite_fds']:g} (bound {2 * end['threads'] + 1:g}), connections in {end['inbound']:g} out {end['outbound']:g},"
          f" other {warm['other_fds']:g} -> {end['other_fds']:g} (bound {other_bound:g})]")
    print(f"   {svc:6} idle     before: {before['inbound']:g} inbound, {kept(before):g} fds besides SQLite and pooled; "
          f"after: {after['inbound']:g} inbound (bound {before['inbound']:g}), {kept(after):g} (bound {kept(before) + fd_slack:g}), "
          f"{after['outbound']:g} pooled to KOMBIT (bound 64)")
    if grow_mb > rss_bound:
        problems.append(f"{svc}: resident memory grew {grow_mb:.1f} MB between the end of warm-up and the end "
                        f"(bound {rss_bound:g} MB)")
    if end["other_fds"] > other_bound:
        problems.append(f"{svc}: descriptors other than connections and SQLite went from {warm['other_fds']:g} after "
                        f"warm-up to {end['other_fds']:g} at the end (bound {other_bound:g})")
    if end["sqlite_fds"] > 2 * end["threads"] + 1:
        problems.append(f"{svc}: {end['sqlite_fds']:g} SQLite descriptors for {end['threads']:g} threads: "
                        f"more than one connection per thread")
    if end["threads"] > thread_bound:
        problems.append(f"{svc}: {end['threads']:g} threads at the end, more than the {before['threads']:g} before the "
                        f"load plus the server pool's {pool_max} (bound {thread_bound:g})")
    if after["inbound"] > before["inbound"]:
        problems.append(f"{svc}: {after['inbound']:g} inbound connections still open once idle after the load")
    if kept(after) > kept(before) + fd_slack:
        problems.append(f"{svc}: {kept(after):g} descriptors (besides SQLite and pooled client connections) once idle "
                        f"after the load, {kept(before):g} before it (bound +{fd_slack}): something leaks")
    if after["outbound"] > 64:
        problems.append(f"{svc}: {after['outbound']:g} idle client connections, more than the pool keeps (64)")

if problems:
    print("soak: FAIL")
    for p in problems:
        print("  - " + p)
    print(f"   samples: {out}/resources.csv")
    sys.exit(1)
print(f"soak: pass ({out}/resources.csv, report {out}/reports/soak/report.html)")
PY
