#!/usr/bin/env bash
# Every shipped recipe (recipes/*.yaml, recipes/dj/*.yaml: Data-Juicer's RedPajama refine recipes,
# unchanged) loads and runs end to end: on the demo data plus 60 real English documents, with
# models built here by `winnow lm train` (perplexity_filter, tokenization: true) next to the
# installed lid.176.ftz. Each run must exit 0 and account for every input sample.
set -u
bin="$1"; src="$(cd "$2" && pwd)"; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
models="$tmp/models"
if ! "$bin" lm train --input "$src/tests/golden/assets/lm/train.jsonl" --output-dir "$models" --order 3 \
     --vocab-size 300 > "$tmp/lm.log" 2>&1; then
  echo "FAIL lm train:"; cat "$tmp/lm.log"; exit 1
fi
ln -s "$src/.cache/models/lid.176.ftz" "$models/lid.176.ftz"
export WINNOW_MODELS_DIR="$models"
cat "$src/data/demo/demo.jsonl" "$src/tests/golden/assets/lm/train.jsonl" > "$tmp/in.jsonl"
n_in=$(wc -l < "$tmp/in.jsonl")
for recipe in "$src"/recipes/*.yaml "$src"/recipes/dj/*.yaml; do
  name=$(basename "$recipe" .yaml)
  out=$("$bin" process --config "$recipe" --dataset_path "$tmp/in.jsonl" --export_path "$tmp/$name/out.jsonl" \
        --work_dir "$tmp/$name" --export-dropped "$tmp/$name/dropped.jsonl" --np 2 --no-progress 2>&1)
  rc=$?
  total=$(grep -E '^total: ' <<<"$out")
  if [ $rc -ne 0 ] || ! grep -qE "^total: $n_in in = [0-9]+ kept \+ [0-9]+ dropped \+ [0-9]+ quarantined" <<<"$total"; then
    echo "FAIL $name (rc=$rc):"; echo "$out" | tail -15; fail=1; continue
  fi
  # kept + dropped + quarantined = in (no 1 -> N op in these recipes)
  read -r k d q < <(sed -E 's/.* = ([0-9]+) kept \+ ([0-9]+) dropped \+ ([0-9]+) quarantined.*/\1 \2 \3/' <<<"$total")
  if [ $((k + d + q)) -ne "$n_in" ]; then echo "FAIL $name: ledger does not add up: $total"; fail=1; continue; fi
  kept_lines=$(cat "$tmp/$name/out.jsonl" 2>/dev/null | wc -l)
  if [ "$kept_lines" -ne "$k" ]; then echo "FAIL $name: $kept_lines output lines, ledger says $k kept"; fail=1; continue; fi
  echo "ok   $name: $total"
done
exit $fail
