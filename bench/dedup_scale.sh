#!/usr/bin/env bash
# Issue 4's scale run: N (default 10 million) short documents generated from real text
# (bench/make_dedup_corpus.py), deduplicated with document_minhash_deduplicator (DJ defaults:
# 256 permutations, 5-gram words, threshold 0.7) on all cores with a 2 GB memory budget, then
# with a budget ten times smaller than the band buckets (forcing the spill path). Records wall
# time and peak RSS, and checks both runs keep the same samples.
#   bench/dedup_scale.sh [N] [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000000}"; WORK="${2:-/work/dedup-scale}"
BIN=build/winnow
[ -x "$BIN" ] || { echo "build first (make build)"; exit 2; }
bench/make_corpus.sh --big >/dev/null
mkdir -p "$WORK"
IN="$WORK/docs-$N.jsonl"
[ -s "$IN" ] || python3 bench/make_dedup_corpus.py "$N" "$IN" bench/corpus/corpus-1g.jsonl
echo "input: $N documents, $(du -m "$IN" | cut -f1) MB"
for limit in 2GB 128MB; do
  cat > "$WORK/r-$limit.yaml" <<YAML
dataset_path: $IN
export_path: $WORK/out-$limit/out.jsonl
work_dir: $WORK/out-$limit
np: $(nproc)
report: false
process:
  - document_minhash_deduplicator: {memory_limit: $limit}
YAML
  /usr/bin/time -f "%e %M" -o "$WORK/time-$limit" "$BIN" process --config "$WORK/r-$limit.yaml" --quiet
  read -r s kb < "$WORK/time-$limit"
  kept=$(grep -o '"kept": [0-9]*' "$WORK/out-$limit/ledger.json" | tail -1 | grep -o '[0-9]*')
  echo "memory_limit $limit: wall ${s} s, peak RSS $((kb / 1024)) MB, kept $kept"
done
if cmp -s "$WORK/out-2GB/out.jsonl" "$WORK/out-128MB/out.jsonl"; then echo "same survivors: yes"; else echo "same survivors: NO"; exit 1; fi
