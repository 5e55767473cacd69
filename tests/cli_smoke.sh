#!/usr/bin/env bash
# CLI contract: exit codes and one-line reasons; `winnow ops` output comes from the registry.
set -u
bin="$1"; src="$2"; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
check() {  # check NAME WANT_RC GREP_PATTERN -- cmd...
  local name="$1" want="$2" pat="$3"; shift 4
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ] || ! grep -qE "$pat" <<<"$out"; then
    echo "FAIL $name: rc=$rc (want $want), output:"; echo "$out" | head -20; fail=1
  else echo "ok   $name"; fi
}
check usage 2 "usage:" -- "$bin"
check version 0 "^winnow [0-9]" -- "$bin" --version
check ops-list 0 "text_length_filter +filter" -- "$bin" ops
check ops-one 0 "min_len: int = 10" -- "$bin" ops text_length_filter
check ops-typo 2 "did you mean 'text_length_filter'" -- "$bin" ops text_lenght_filter
check no-config 2 "needs --config" -- "$bin" process
check missing-recipe 2 "cannot read the recipe" -- "$bin" process --config "$tmp/none.yaml"
printf '{"text": "hello world, a sample"}\n{"text": "x"}\n' > "$tmp/in.jsonl"
cat > "$tmp/r.yaml" <<YAML
dataset_path: $tmp/in.jsonl
export_path: $tmp/out/out.jsonl
process:
  - text_length_filter:
YAML
check process 0 "total: 2 in = 1 kept \+ 1 dropped \+ 0 quarantined" -- "$bin" process --config "$tmp/r.yaml" --np 2
check override-bad 2 "np: expected an integer" -- "$bin" process --config "$tmp/r.yaml" --np lots
check unknown-key 2 "unknown recipe key 'nopp'" -- "$bin" process --config "$tmp/r.yaml" --nopp 1
# winnow analyze: stats of every filter, nothing dropped, DJ's analysis files and the report.
check analyze-no-config 2 "analyze needs --config" -- "$bin" analyze
check analyze 0 "wrote .*/analysis/overall.csv" -- "$bin" analyze --config "$tmp/r.yaml" --work_dir "$tmp/an" \
  --export_path "$tmp/an/out.jsonl"
check analyze-keeps-all 0 '"kept": 2, "dropped": 0' -- cat "$tmp/an/ledger.json"
check analyze-no-dataset 2 "No such file" -- ls "$tmp/an/out.jsonl"
check analyze-stats 0 "text_len" -- cat "$tmp/an/out_stats.jsonl"
check analyze-csv 0 "^count,2.0" -- cat "$tmp/an/analysis/overall.csv"
check analyze-report 0 "analyze" -- grep -o '"mode": "analyze"' "$tmp/an/report.html"
check process-report 0 '"mode": "process"' -- grep -o '"mode": "process"' "$tmp/out/report.html"
rm -f "$tmp/out/report.html"
check report-off 0 "total: 2 in" -- "$bin" process --config "$tmp/r.yaml" --report false
check report-off-none 2 "No such file" -- ls "$tmp/out/report.html"
check bad-percentiles 2 "percentiles: expected numbers between 0 and 1" -- \
  "$bin" analyze --config "$tmp/r.yaml" --percentiles "[1.5]"
# The analysis is the same whatever the thread count and batch size (files byte for byte).
for cfg in "1 7" "2 1000"; do
  set -- $cfg
  "$bin" analyze --config "$src/recipes/demo.yaml" --np "$1" --batch-size "$2" --quiet \
    --work_dir "$tmp/det-$1" --export_path "$tmp/det-$1/out.jsonl" --dataset_path "$src/data/demo/demo.jsonl"
done
if (cd "$tmp/det-1/analysis" && sha256sum *) | diff - <(cd "$tmp/det-2/analysis" && sha256sum *) >/dev/null; then
  echo "ok   analyze-deterministic"
else echo "FAIL analyze-deterministic: analysis files differ between np 1 / batch 7 and np 2"; fail=1; fi
# winnow why: what was dropped and why, from the export_dropped file.
"$bin" process --config "$tmp/r.yaml" --export-dropped "$tmp/dropped.jsonl" --quiet
check why-summary 0 "text_length_filter: 1" -- "$bin" why "$tmp/dropped.jsonl"
check why-reason 0 "text_len outside \[10" -- "$bin" why "$tmp/dropped.jsonl"
check why-source 0 "dropped by text_length_filter: text_len=1 outside" -- "$bin" why "$tmp/dropped.jsonl" --source "$tmp/in.jsonl:2"
check why-nomatch 0 "no dropped sample matches" -- "$bin" why "$tmp/dropped.jsonl" --op words_num_filter
check why-missing 1 "none.jsonl" -- "$bin" why "$tmp/none.jsonl"
printf '{"text": 1}\nnot json\n' > "$tmp/bad-dropped.jsonl"
check why-bad 1 "bad-dropped.jsonl:1: not a dropped-samples entry" -- "$bin" why "$tmp/bad-dropped.jsonl"
check why-usage 2 "why needs the dropped-samples file" -- "$bin" why
# MinHash: a tiny memory_limit (band buckets spilled in many sorted runs) gives the same output;
# --dedup-index removes near duplicates of an earlier run's data.
words=(data quality matters more than quantity a smaller cleaner corpus often trains better models
  winnow reads json lines runs a recipe of operators and writes what survives with a ledger of
  what was dropped and why near duplicates share most of their five word shingles)
for i in $(seq 0 399); do  # 400 documents; every 7 in a row differ only in their last word
  x=$(( i / 7 + 1 )); doc=""
  for k in $(seq 0 59); do x=$(( (x * 1103515245 + 12345) % 2147483648 )); doc+="${words[$(( x % ${#words[@]} ))]} "; done
  printf '{"text": "%sdoc%d"}\n' "$doc" "$i"
done > "$tmp/mh.jsonl"
for limit in auto 1KB; do
  cat > "$tmp/mh-$limit.yaml" <<YAML
dataset_path: $tmp/mh.jsonl
export_path: $tmp/mh-$limit/out.jsonl
process:
  - document_minhash_deduplicator: {memory_limit: $limit}
YAML
  "$bin" process --config "$tmp/mh-$limit.yaml" --quiet
done
if cmp -s "$tmp/mh-auto/out.jsonl" "$tmp/mh-1KB/out.jsonl" && [ -s "$tmp/mh-auto/out.jsonl" ]; then
  echo "ok   minhash-spill-same-output ($(wc -l < "$tmp/mh-auto/out.jsonl") of 400 kept)"
else echo "FAIL minhash-spill-same-output"; fail=1; fi
sed 's/memory_limit: auto/memory_limit: lots/' "$tmp/mh-auto.yaml" > "$tmp/mh-bad.yaml"
check minhash-bad-limit 2 "memory_limit: memory size 'lots'" -- "$bin" process --config "$tmp/mh-bad.yaml"
check dedup-index-first 0 "total: 400 in = 58 kept" -- "$bin" process --config "$tmp/mh-auto.yaml" --dedup-index "$tmp/idx"
check dedup-index-second 0 "total: 400 in = 0 kept \+ 400 dropped" -- "$bin" process --config "$tmp/mh-auto.yaml" \
  --dedup-index "$tmp/idx" --export-dropped "$tmp/mh-dropped.jsonl"
check dedup-index-reason 0 "duplicate of data in the dedup index" -- head -1 "$tmp/mh-dropped.jsonl"
sed 's/memory_limit: auto/window_size: 3/' "$tmp/mh-auto.yaml" > "$tmp/mh-w3.yaml"
check dedup-index-other 1 "built with other MinHash settings" -- "$bin" process --config "$tmp/mh-w3.yaml" \
  --dedup-index "$tmp/idx"
# winnow lm train builds the models perplexity_filter loads, and the filter runs on them.
check lm-no-input 1 "needs --input" -- "$bin" lm train --output-dir "$tmp/lm"
check lm-bad-order 2 "order needs a positive integer" -- "$bin" lm train --order x
check lm-train 0 "wrote .*/en.arpa" -- "$bin" lm train --input "$src/tests/golden/assets/lm/train.jsonl" \
  --output-dir "$tmp/lm" --order 2 --vocab-size 200
cat > "$tmp/ppl.yaml" <<YAML
dataset_path: $src/tests/golden/assets/lm/train.jsonl
export_path: $tmp/out/ppl.jsonl
process:
  - perplexity_filter: {model_dir: $tmp/lm, max_ppl: 100000}
YAML
check lm-perplexity 0 "total: 60 in = 60 kept" -- "$bin" process --config "$tmp/ppl.yaml"
sed 's/max_ppl: 100000/lang: xx/' "$tmp/ppl.yaml" > "$tmp/ppl-xx.yaml"
check lm-missing-model 2 "xx.sp.model" -- "$bin" process --config "$tmp/ppl-xx.yaml"
"$bin" ops --markdown > "$tmp/ops.md"
if ! diff -q "$tmp/ops.md" "$src/docs/ops.md" >/dev/null; then
  echo "FAIL docs/ops.md is stale: run 'make docs'"; fail=1
else echo "ok   docs/ops.md up to date"; fi
"$bin" ops --readme-list > "$tmp/list.md"
sed -n '/<!-- ops:begin -->/,/<!-- ops:end -->/{//!p}' "$src/README.md" > "$tmp/readme-list.md"
if ! diff -q "$tmp/list.md" "$tmp/readme-list.md" >/dev/null; then
  echo "FAIL the README's op list is stale: run 'make docs'"; fail=1
else echo "ok   README op list up to date"; fi
exit $fail
