#!/usr/bin/env bash
# Issue 5's targets for the decoding media ops, on Data-Juicer's test media (../shared/data/dj-media):
#   1. decoding image ops within 1.5x of OpenCV's own decode time: image_deduplicator (phash) and
#      image_face_count_filter on N samples vs a cv2.imread loop over the same files;
#   2. video duration / resolution from container metadata only (samples/s);
#   3. video_motion_score_filter >= 3x DJ's loop (bench/dj_motion_oracle.py) on the same videos.
# np 1 everywhere; CPU seconds (user+sys) are the figure compared, since the machine is shared.
#   bench/media_bench.sh [N_IMAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-300}"
BIN=build/winnow
[ -x "$BIN" ] || { echo "build first (make build)"; exit 2; }
MEDIA=../shared/data/dj-media
[ -d "$MEDIA" ] || { echo "needs ../shared/data/dj-media"; exit 77; }
MEDIA=$(cd "$MEDIA" && pwd)
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
cpu() {  # cpu seconds of a command (user + sys)
  /usr/bin/time -f "%U %S" -o "$OUT/t" "$@" > /dev/null 2>&1
  awk '{printf "%.2f", $1 + $2}' "$OUT/t"
}
recipe() {  # recipe INPUT OP_YAML
  printf 'dataset_path: %s\nexport_path: %s/out.jsonl\nnp: 1\nreport: false\nprocess:\n  - %s\n' "$1" "$OUT" "$2" > "$OUT/r.yaml"
}

mapfile -t IMGS < <(cd "$MEDIA" && ls img[0-9]*.jpg img[0-9]*.png cat.jpg)
for i in $(seq 0 $((N - 1))); do
  printf '{"text": "s%d", "images": ["%s/%s"]}\n' "$i" "$MEDIA" "${IMGS[$((i % ${#IMGS[@]}))]}"
done > "$OUT/img.jsonl"
cat > "$OUT/decode.py" <<PY
import cv2, json, sys
cv2.setNumThreads(1)
for l in open(sys.argv[1]):
    for p in json.loads(l)["images"]:
        assert cv2.imread(p) is not None
PY
base=$(cpu /usr/bin/python3 "$OUT/decode.py" "$OUT/img.jsonl")
echo "## decoding image ops, $N images ($(echo "${IMGS[@]}" | wc -w) distinct files), np 1"
echo "| run | CPU s | vs cv2.imread loop |"
echo "|---|---:|---:|"
echo "| cv2.imread loop (OpenCV's decode alone) | $base | 1.00x |"
for op in "image_deduplicator: {method: phash}" "image_deduplicator: {method: dhash}" "image_shape_filter: {}"; do
  recipe "$OUT/img.jsonl" "$op"
  t=$(cpu "$BIN" process --config "$OUT/r.yaml" --quiet)
  echo "| winnow $op | $t | $(echo "scale=2; $t / $base" | bc)x |"
done

mapfile -t VIDS < <(cd "$MEDIA" && ls video*.mp4)
for i in $(seq 0 999); do
  printf '{"text": "v%d", "videos": ["%s/%s"]}\n' "$i" "$MEDIA" "${VIDS[$((i % ${#VIDS[@]}))]}"
done > "$OUT/vid.jsonl"
echo
echo "## video metadata filters, 1000 samples (no decode), np 1"
echo "| op | CPU s | samples/s (CPU) |"
echo "|---|---:|---:|"
for op in "video_duration_filter: {}" "video_resolution_filter: {}" "video_aspect_ratio_filter: {}"; do
  recipe "$OUT/vid.jsonl" "$op"
  t=$(cpu "$BIN" process --config "$OUT/r.yaml" --quiet)
  echo "| $op | $t | $(echo "scale=0; 1000 / $t" | bc) |"
done

head -n "${#VIDS[@]}" "$OUT/vid.jsonl" > "$OUT/vid9.jsonl"
echo
echo "## video_motion_score_filter, the ${#VIDS[@]} DJ test videos, np 1"
dj=$(cpu /usr/bin/python3 bench/dj_motion_oracle.py "$OUT/vid9.jsonl")
recipe "$OUT/vid9.jsonl" "video_motion_score_filter: {min_score: 0}"
wn=$(cpu "$BIN" process --config "$OUT/r.yaml" --quiet)
echo "| engine | CPU s |"
echo "|---|---:|"
echo "| DJ's loop (cv2) | $dj |"
echo "| winnow | $wn ($(echo "scale=2; $dj / $wn" | bc)x) |"
