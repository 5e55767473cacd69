#!/usr/bin/env bash
# Issue 6's targets for `winnow analyze` and report.html, on the real-text corpus
# (bench/make_corpus.sh):
#   - analyze costs no more than process (report off) + 10% on the same filter recipe (np 2,
#     medians of --reps runs, both on the same input);
#   - peak RSS of analyze on the 1 GB corpus stays bounded (values spill to work_dir);
#   - report.html for the 1 GB run (about a million samples) stays under 5 MB and opens in
#     under 2 s in headless Chromium (tests/report_browser.sh).
#   bench/analysis_bench.sh [--reps N] [--small]   (--small: the 78 MB corpus only)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=3; BIG=1
while [ $# -gt 0 ]; do case "$1" in --reps) REPS="$2"; shift 2;; --small) BIG=0; shift;; *) echo "unknown $1"; exit 2;; esac; done
BIN=build/winnow
[ -x "$BIN" ] || { echo "build first (make build)"; exit 2; }
bench/make_corpus.sh >/dev/null
[ "$BIG" = 1 ] && bench/make_corpus.sh --big >/dev/null
TMPBASE=/tmp; [ -d /dev/shm ] && [ -w /dev/shm ] && TMPBASE=/dev/shm
OUT=$(mktemp -d "$TMPBASE/winnow-abench.XXXXXX"); trap 'rm -rf "$OUT"' EXIT

recipe() {  # recipe INPUT NAME -> a filter recipe (the demo's filters plus language ID)
  recipe_body "$1" "$2" > "$OUT/$2.yaml"
  # The same filters with bounds that keep everything: every filter then evaluates every sample,
  # as in analyze, so the ratio isolates what the analysis itself costs.
  recipe_body "$1" "$2-keepall" | sed -E -e 's/(min_[a-z]+): [0-9.]+/\1: 0/g' -e 's/(max_[a-z]+): [0-9.]+/\1: 1000000000/g' \
    > "$OUT/$2-keepall.yaml"
}

recipe_body() {
  cat <<YAML
dataset_path: $1
export_path: $OUT/$2/out.jsonl
np: 2
process:
  - language_id_score_filter: {min_score: 0.5}
  - text_length_filter: {min_len: 40}
  - words_num_filter: {min_num: 8}
  - alphanumeric_filter: {min_ratio: 0.6}
  - special_characters_filter: {max_ratio: 0.25}
  - character_repetition_filter: {rep_len: 10, max_ratio: 0.2}
  - word_repetition_filter: {rep_len: 5, max_ratio: 0.3}
  - stopwords_filter: {min_ratio: 0.1}
  - maximum_line_length_filter: {min_len: 20}
YAML
}

timed() {  # timed CMD... -> "seconds peak_rss_MB"
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" >/dev/null 2>&1
  awk '{printf "%s %.0f\n", $1, $2/1024}' "$OUT/time"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

compare() {  # compare INPUT LABEL
  recipe "$1" "$2"
  local p=() pr=() k=() a=()
  for _ in $(seq "$REPS"); do
    p+=("$(timed "$BIN" process --config "$OUT/$2.yaml" --report false | cut -d' ' -f1)")
    pr+=("$(timed "$BIN" process --config "$OUT/$2.yaml" | cut -d' ' -f1)")
    k+=("$(timed "$BIN" process --config "$OUT/$2-keepall.yaml" --report false | cut -d' ' -f1)")
    a+=("$(timed "$BIN" analyze --config "$OUT/$2.yaml" | cut -d' ' -f1)")
  done
  local mp mpr mk ma
  mp=$(printf '%s\n' "${p[@]}" | median); mpr=$(printf '%s\n' "${pr[@]}" | median)
  mk=$(printf '%s\n' "${k[@]}" | median); ma=$(printf '%s\n' "${a[@]}" | median)
  echo "| $2 | $mp | $mpr | $mk | $ma | $(python3 -c "print(f'{$ma/$mp:.3f}')") | $(python3 -c "print(f'{$ma/$mk:.3f}')") |"
}

echo "## analyze vs process (np 2, median of $REPS, seconds)"
echo
echo "| input | process (report off) | process (report on) | process, bounds keep all | analyze | analyze / process | analyze / keep-all process |"
echo "|---|---:|---:|---:|---:|---:|---:|"
compare bench/corpus/corpus.jsonl corpus-78MB
[ "$BIG" = 1 ] && compare bench/corpus/corpus-1g.jsonl corpus-1GB
if [ "$BIG" = 1 ]; then
  IN=bench/corpus/corpus-1g.jsonl
  recipe "$IN" big
  read -r s rss < <(timed "$BIN" analyze --config "$OUT/big.yaml")
  docs=$(wc -l < "$IN")
  size=$(stat -c %s "$OUT/big/report.html")
  echo
  echo "## analyze on the 1 GB corpus ($docs samples)"
  echo
  echo "- wall ${s} s, peak RSS ${rss} MB"
  echo "- report.html: $(python3 -c "print(f'{$size/1e6:.2f}')") MB"
  echo "- chromium: $(tests/report_browser.sh "$OUT/big/report.html" | head -1)"
fi
