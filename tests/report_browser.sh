#!/usr/bin/env bash
# Loads a Winnow HTML report in headless Chromium from file:// (no network) and checks that it rendered:
# <body data-rendered=N> is set, N >= 1, N equals the number of .wn-chart containers, every container
# holds a <canvas>, and there is no data-errors attribute. Optionally takes a screenshot.
# usage: tests/report_browser.sh REPORT.html [SCREENSHOT.png]    exit 0 ok, 1 failure, 2 usage, 77 skip
# REPORT_MIN_CHARTS=0 accepts a report with no charts at all (a run with nothing to plot).
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: $0 REPORT.html [SCREENSHOT.png]" >&2; exit 2; fi
report="$1"; shot="${2:-}"; min_charts="${REPORT_MIN_CHARTS:-1}"
if [ ! -f "$report" ]; then echo "FAIL report_browser: no such file: $report"; exit 1; fi
browser=""
for b in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
done
if [ -z "$browser" ]; then echo "SKIP report_browser: no chromium/chromium-browser/google-chrome found"; exit 77; fi
abs="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
url="file://$abs"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
flags=(--headless --no-sandbox --disable-gpu --allow-file-access-from-files --virtual-time-budget=5000
       --no-first-run --no-default-browser-check --hide-scrollbars)

# 1. load the page and dump the DOM after the scripts ran (stderr is noise: dbus, a shell warning…)
t0=$(date +%s%N)
timeout 60 "$browser" "${flags[@]}" --user-data-dir="$tmp/profile" --dump-dom "$url" > "$tmp/dom.html" 2> "$tmp/stderr.txt"
rc=$?
t1=$(date +%s%N)
load_ms=$(( (t1 - t0) / 1000000 ))
if [ $rc -ne 0 ] || [ ! -s "$tmp/dom.html" ]; then
  echo "FAIL report_browser: chromium exited $rc (timeout 60 s) with $(wc -c < "$tmp/dom.html") bytes of DOM"
  tail -5 "$tmp/stderr.txt"; exit 1
fi

# 2. check the dumped DOM
check_py='
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.body = None; self.charts = []; self.stack = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body" and self.body is None: self.body = a
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col", "embed", "param", "track"): return
        if tag == "canvas":
            for c in self.stack:
                if c is not None: c[0] += 1
        is_chart = "wn-chart" in (a.get("class") or "").split()
        if is_chart: self.charts.append([0])
        self.stack.append(self.charts[-1] if is_chart else None)
    def handle_endtag(self, tag):
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col", "embed", "param", "track"): return
        if self.stack: self.stack.pop()
p = P(); p.feed(open(sys.argv[1], encoding="utf-8", errors="replace").read())
b = p.body or {}
print(b.get("data-rendered", ""), len(p.charts), sum(1 for c in p.charts if c[0] == 0), b.get("data-init-ms", "?"), sep="\t")
print(b.get("data-errors", "") if "data-errors" in b else "-")
'
if command -v python3 >/dev/null 2>&1; then
  out=$(python3 -c "$check_py" "$tmp/dom.html") || { echo "FAIL report_browser: could not parse the dumped DOM"; exit 1; }
  IFS=$'\t' read -r rendered charts empty init_ms <<< "$(sed -n 1p <<< "$out")"
  errors=$(sed -n '2,$p' <<< "$out")
else  # rough fallback without python3: read the <body> tag and count markers
  body=$(grep -o '<body [^>]*data-rendered="[0-9]*"[^>]*>' "$tmp/dom.html" | head -1)
  rendered=$(grep -o 'data-rendered="[0-9]*"' <<< "$body" | grep -o '[0-9]*'); init_ms="?"
  charts=$(grep -o 'class="wn-chart[ "]' "$tmp/dom.html" | wc -l)
  canv=$(grep -o '<canvas' "$tmp/dom.html" | wc -l); empty=$(( canv >= charts ? 0 : charts - canv ))
  errors=$(grep -o 'data-errors="[^"]*"' <<< "$body" || echo -)
fi
fail=""
if [ "$errors" != "-" ]; then fail="page reported errors: $errors"
elif ! [[ "$rendered" =~ ^[0-9]+$ ]]; then fail="<body> has no data-rendered attribute (the report script did not finish)"
elif [ "$rendered" -lt "$min_charts" ]; then fail="no chart was rendered (data-rendered=$rendered)"
elif [ "$rendered" -ne "$charts" ]; then fail="data-rendered=$rendered but the page has $charts .wn-chart containers"
elif [ "$empty" -ne 0 ]; then fail="$empty of $charts .wn-chart containers hold no <canvas>"
fi
if [ -n "$fail" ]; then echo "FAIL report_browser: $fail ($report)"; exit 1; fi
echo "ok   report_browser: $charts charts rendered, no errors; page load ${load_ms} ms (chromium wall time), script init ${init_ms} ms"

# 3. optional screenshot
if [ -n "$shot" ]; then
  mkdir -p "$(dirname "$shot")"; rm -f "$shot"
  shot_abs="$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")"
  timeout 60 "$browser" "${flags[@]}" --user-data-dir="$tmp/profile2" --window-size=1280,3000 \
    --screenshot="$shot_abs" "$url" > /dev/null 2> "$tmp/stderr2.txt"
  size=$(wc -c < "$shot_abs" 2>/dev/null || echo 0)
  if [ "$size" -lt 20000 ]; then echo "FAIL report_browser: screenshot $shot is missing or trivial ($size bytes)"; exit 1; fi
  echo "ok   report_browser: screenshot $shot ($size bytes)"
fi
exit 0
