#!/usr/bin/env bash
# make lint, second half: the services' contract tried from outside. Both mocks run as
# processes on free ports of 127.0.0.1 (adda serve kombit|borger, a small generated
# population), Stoplight Prism's validating proxy (npm @stoplight/prism-cli) in front
# of each with the document the service serves, and tests/contract/session.py sends a
# session of every operation through the proxies. Fails on any request or answer Prism
# finds not to match the document, on any operation the session did not call, and on
# any answer the services themselves (serve --check-answers) found not to match.
#
#   tests/contract/prism.sh BUILD_DIR PRISM_BIN
# The recorded session: BUILD_DIR/lint/prism-session.jsonl; Prism's own logs beside it.
set -euo pipefail
BUILD=${1:-build}
PRISM=${2:?the prism binary}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ADDA="$BUILD/src/cli/adda"
source "$ROOT/bench/lib.sh"  # url_of
OUT="$(realpath -m "$BUILD/lint/prism")"
rm -rf "$OUT"
mkdir -p "$OUT"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port: a port nothing listens on now (the kernel's pick for a closed socket).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# http_get URL: the body of a GET, by python3 (which the session needs anyway).
http_get() {
  python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' "$1"
}

# wait_for_proxy URL LOG: up to 60 s for URL to answer (Prism takes a few seconds to start).
wait_for_proxy() {
  for _ in $(seq 600); do http_get "$1" > /dev/null 2>&1 && return 0; sleep 0.1; done
  echo "prism: no answer from $1" >&2
  cat "$2" >&2
  return 1
}

"$ADDA" generate --pilots "$ROOT/pilots/municipalities" --scale 0.001 --out "$OUT/kombit.db" >/dev/null
"$ADDA" serve kombit --db "$OUT/kombit.db" --port 0 --check-answers --log "$OUT/kombit.log" > "$OUT/kombit.out" 2>&1 &
PIDS+=($!)
KOMBIT=$(url_of "$OUT/kombit.out")
"$ADDA" serve borger --db "$OUT/borger.db" --port 0 --kombit "$KOMBIT" --kombit-credentials "$OUT/kombit.db.credentials.json" \
  --kombit-changes off --check-answers --log "$OUT/borger.log" > "$OUT/borger.out" 2>&1 &
PIDS+=($!)
BORGER=$(url_of "$OUT/borger.out")
http_get "$KOMBIT/openapi.json" > "$OUT/kombit-openapi.json"
http_get "$BORGER/openapi.json" > "$OUT/borger-openapi.json"

KPORT=$(free_port)
"$PRISM" proxy "$OUT/kombit-openapi.json" "$KOMBIT" --host 127.0.0.1 --port "$KPORT" > "$OUT/prism-kombit.log" 2>&1 &
PIDS+=($!)
BPORT=$(free_port)
"$PRISM" proxy "$OUT/borger-openapi.json" "$BORGER" --host 127.0.0.1 --port "$BPORT" > "$OUT/prism-borger.log" 2>&1 &
PIDS+=($!)
wait_for_proxy "http://127.0.0.1:$KPORT/health" "$OUT/prism-kombit.log"
wait_for_proxy "http://127.0.0.1:$BPORT/health" "$OUT/prism-borger.log"

status=0
python3 "$ROOT/tests/contract/session.py" \
  --kombit "http://127.0.0.1:$KPORT" --borger "http://127.0.0.1:$BPORT" \
  --kombit-doc "$OUT/kombit-openapi.json" --borger-doc "$OUT/borger-openapi.json" \
  --kombit-credentials "$OUT/kombit.db.credentials.json" --borger-credentials "$OUT/borger.db.credentials.json" \
  --record "$OUT/prism-session.jsonl" || status=1
if [ $status -ne 0 ]; then
  # What the services themselves logged as going wrong (warnings, errors, 5xx answers).
  for svc in kombit borger; do
    echo "prism: $svc's log, its warnings, errors, 5xx answers and logins:" >&2
    grep -E '"level": ?"(warn|error)"|"status": ?5[0-9][0-9]|"path": ?"/idp/login"' "$OUT/$svc.log" | tail -20 >&2 || true
  done
fi

# The services held their own answers to the same documents (--check-answers): what
# adda's validator saw must agree with what Prism saw.
for svc in kombit borger; do
  url=$KOMBIT; [ $svc = borger ] && url=$BORGER
  if http_get "$url/metrics" | grep -q '^adda_contract_violations_total'; then
    echo "prism: $svc found answers of its own that do not match its document:" >&2
    grep '"contract.violation"' "$OUT/$svc.log" | head -20 >&2
    status=1
  fi
done
exit $status
