#!/usr/bin/env bash
# Opens a run's report.html in a real headless browser (Debian's chromium) and checks
# that it renders: the DOM the browser built holds every section and its charts, the
# browser logged no error about the page, and a screenshot is written beside the report.
# usage: tests/browser/report_check.sh ADDA_BINARY [WORKDIR]
set -euo pipefail
adda=${1:?usage: report_check.sh ADDA_BINARY [WORKDIR]}
work=${2:-build/report-check}
rm -rf "$work" && mkdir -p "$work"
"$adda" pilot --scenario pilots/scenarios/smoke.json --out "$work/reports" --data "$work/data" \
  --run-id browser --quiet >/dev/null
html="$(cd "$work/reports/browser" && pwd)/report.html"
browser=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0)
timeout 120 "${browser[@]}" --dump-dom "file://$html" >"$work/dom.html" 2>"$work/browser.log"
timeout 120 "${browser[@]}" --window-size=1280,4000 --screenshot="$work/reports/browser/report.png" \
  "file://$html" >/dev/null 2>>"$work/browser.log"
fail=0
for id in verdict steps timeline municipalities feedback data-quality usage errors manifest; do
  grep -q "id=\"$id\"" "$work/dom.html" || { echo "report-check: section #$id missing from the rendered page"; fail=1; }
done
charts=$(grep -o '<svg[^>]*class="chart"' "$work/dom.html" | wc -l)
[ "$charts" -ge 4 ] || { echo "report-check: expected at least 4 charts, the browser rendered $charts"; fail=1; }
# Errors about the page itself (console messages, failed loads); chromium's own
# start-up noise (dbus, gpu) is not about the report.
if grep -E "CONSOLE|Failed to load|Uncaught|net::ERR" "$work/browser.log"; then
  echo "report-check: the browser reported errors for the page"; fail=1
fi
[ -s "$work/reports/browser/report.png" ] || { echo "report-check: no screenshot"; fail=1; }
[ $fail = 0 ] && echo "report-check: report.html renders in $(chromium --version): $charts charts, all sections; screenshot $work/reports/browser/report.png"
exit $fail
