#!/usr/bin/env bash
# report.html in a real browser: runs the demo recipe with `process` and `analyze`, then loads
# each report in headless Chromium (tests/report_browser.sh: charts rendered, no console errors,
# a screenshot). Exits 77 (skipped) when no Chromium is installed.
set -euo pipefail
bin="$1"; src="$2"; out="${3:-$(pwd)/report_smoke}"
rm -rf "$out"; mkdir -p "$out"
cd "$src"
"$bin" process --config recipes/demo.yaml --work_dir "$out/process" --export_path "$out/process/out.jsonl" --quiet
"$bin" analyze --config recipes/demo.yaml --work_dir "$out/analyze" --export_path "$out/analyze/out.jsonl" --quiet
for mode in process analyze; do
  tests/report_browser.sh "$out/$mode/report.html" "$out/$mode/report.png"
done
