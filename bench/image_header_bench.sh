#!/usr/bin/env bash
# Issue 5's target for the header-only image ops (image_shape_filter, image_aspect_ratio_filter,
# image_size_filter): >= 5,000 images/s on one thread from JPEG/PNG headers, no pixel decode
# (DJ measured here: 90-110 images/s, since it decodes every image). 20,000 samples, each naming
# one of Data-Juicer's test images (or the generated test images when ../shared is absent);
# files are in the page cache, so this measures the engine, not the disk.
#   bench/image_header_bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
BIN=build/winnow
[ -x "$BIN" ] || { echo "build first (make build)"; exit 2; }
MEDIA=../shared/data/dj-media
[ -d "$MEDIA" ] || MEDIA=tests/golden/assets/images
MEDIA=$(cd "$MEDIA" && pwd)
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
mapfile -t IMGS < <(ls "$MEDIA" | grep -Ei '\.(jpe?g|png|webp|gif|bmp)$' | grep -v -e empty -e truncated)
for i in $(seq 0 $((N - 1))); do
  printf '{"text": "sample %d", "images": ["%s/%s"]}\n' "$i" "$MEDIA" "${IMGS[$((i % ${#IMGS[@]}))]}"
done > "$OUT/in.jsonl"
echo "| op | images | seconds (np 1) | images/s |"
echo "|---|---:|---:|---:|"
for op in image_shape_filter image_aspect_ratio_filter image_size_filter; do
  printf 'dataset_path: %s\nexport_path: %s/out.jsonl\nnp: 1\nreport: false\nprocess:\n  - %s:\n' \
    "$OUT/in.jsonl" "$OUT" "$op" > "$OUT/r.yaml"
  best=""
  for _ in 1 2 3; do
    t0=$(date +%s.%N); "$BIN" process --config "$OUT/r.yaml" --quiet; t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc); if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  echo "| $op | $N | $best | $(echo "$N / $best" | bc) |"
done
