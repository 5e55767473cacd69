#!/usr/bin/env bash
# language_id_score_filter alone, one thread, on the bench corpus: text MB/s (median of N runs) of
# each given winnow binary, e.g. one built before the native fastText predictor and one after,
# and their outputs compared byte for byte. Adds `perf stat -e instructions:u` where the machine
# has hardware counters.
#   bench/lid_bench.sh [--reps N] BINARY...
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=3
[ "${1:-}" = --reps ] && { REPS="$2"; shift 2; }
[ $# -ge 1 ] || { echo "usage: $0 [--reps N] BINARY..."; exit 2; }
CORPUS=${CORPUS:-bench/corpus/corpus.jsonl}
[ -s "$CORPUS" ] || bench/make_corpus.sh >/dev/null
export WINNOW_MODELS_DIR=${WINNOW_MODELS_DIR:-$(pwd)/.cache/models}
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
MB=$(python3 -c "
import json,sys;t=0
for l in open(sys.argv[1],'rb'): t+=len(json.loads(l)['text'].encode())
print(t/1e6)" "$CORPUS")
echo "corpus $CORPUS: $MB text MB"
i=0
for bin in "$@"; do
  i=$((i + 1))
  printf 'dataset_path: %s\nexport_path: %s/out%d.jsonl\nnp: 1\nprocess:\n  - language_id_score_filter: {"lang": "en", "min_score": 0.8}\n' \
    "$CORPUS" "$OUT" "$i" > "$OUT/r$i.yaml"
  for _ in $(seq "$REPS"); do
    /usr/bin/time -f '%e %U' "$bin" process --config "$OUT/r$i.yaml" --quiet 2>&1 | tail -1
  done | sort -n | awk -v b="$bin" -v mb="$MB" '{w[NR]=$1; u[NR]=$2} END {m=int((NR+1)/2);
    printf "%s: median wall %.2f s (user %.2f s) = %.1f text MB/s\n", b, w[m], u[m], mb / w[m]}'
  perf stat -x, -e instructions:u "$bin" process --config "$OUT/r$i.yaml" --quiet 2>&1 >/dev/null |
    awk -F, '/instructions/ {print "  instructions:u " $1}' || true
  [ "$i" -gt 1 ] && { cmp -s "$OUT/out1.jsonl" "$OUT/out$i.jsonl" && echo "  output identical to the first binary's" || echo "  OUTPUT DIFFERS"; }
done
