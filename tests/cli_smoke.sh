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
