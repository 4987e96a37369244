#!/usr/bin/env bash
# make web-check: the citizen's pages in a real browser. Both mocks run as processes on
# free ports of 127.0.0.1 (adda serve kombit|borger over a small generated population);
# tests/browser/web_check.cjs drives Debian's chromium with playwright-core (npm, pinned by
# web/package-lock.json) through the pages as a citizen would — with JavaScript on and
# off, by mouse and by keyboard — and runs axe-core (WCAG 2.1 A and AA rules) on each.
# Fails on any axe violation, any error the browser logs (a Content-Security-Policy
# refusal included), any asset that does not load, and any step that does not land where
# it should. Screenshots and axe's full results go to WORKDIR.
#   tests/browser/web_check.sh ADDA_BINARY [WORKDIR]
set -euo pipefail
ADDA=${1:?usage: web_check.sh ADDA_BINARY [WORKDIR]}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(realpath -m "${2:-build/web-check}")
source "$ROOT/bench/lib.sh"  # url_of
rm -rf "$OUT" && mkdir -p "$OUT"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$ADDA" generate --pilots "$ROOT/pilots/municipalities" --scale 0.001 --out "$OUT/kombit.db" >/dev/null
"$ADDA" serve kombit --db "$OUT/kombit.db" --port 0 --log "$OUT/kombit.log" > "$OUT/kombit.out" 2>&1 &
PIDS+=($!)
KOMBIT=$(url_of "$OUT/kombit.out")
"$ADDA" serve borger --db "$OUT/borger.db" --port 0 --kombit "$KOMBIT" --kombit-credentials "$OUT/kombit.db.credentials.json" \
  --log "$OUT/borger.log" > "$OUT/borger.out" 2>&1 &
PIDS+=($!)
BORGER=$(url_of "$OUT/borger.out")
# A citizen with a case and a benefit, for the walk through the pages.
read -r CPR MUNICIPALITY < <(python3 - "$OUT/kombit.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("""SELECT c.cpr || ' ' || c.municipality FROM citizens c WHERE c.birth_date < '1990-01-01'
  AND EXISTS (SELECT 1 FROM cases k WHERE k.cpr = c.cpr)
  AND EXISTS (SELECT 1 FROM grants g WHERE g.cpr = c.cpr) ORDER BY c.cpr LIMIT 1""").fetchone()
print(row[0] if row else "")
PY
)
[ -n "$CPR" ] || { echo "web-check: no citizen with a case and a benefit in the generated population"; exit 1; }
timeout 300 node "$ROOT/tests/browser/web_check.cjs" "$BORGER" "$CPR" "$MUNICIPALITY" "$OUT" "$ROOT/web/node_modules"
