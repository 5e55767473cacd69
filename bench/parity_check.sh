#!/usr/bin/env bash
# Corpus-scale parity check: Winnow vs Data-Juicer's real op code, per input line.
#
#   bench/parity_check.sh [--mb 5] [--corpus FILE] [--work DIR] [--winnow BIN] [--examples 5]
#                         [--fresh] [CASE ...]
#
# Takes the first --mb MB of the corpus (whole JSONL lines, as bench/dj_baseline.sh does), adds
# "__pid": <0-based line index> to every record (inserted textually, the rest of each line is kept
# byte for byte) and runs every case through
#   * DJ: shared/tools/dj-reference/bench_dj.py --out (DJ's unmodified op code; mappers --store-text)
#   * Winnow: `winnow process` on a one-op recipe (np 2, keep_stats_in_res_ds, export_dropped)
# then bench/parity_compare.py compares, per line: filters keep + every stat (floats rel tol
# 1e-9), mappers md5 of the output text, document_deduplicator keep. DJ "error" lines must match
# Winnow quarantines. Prints a summary table and up to --examples examples per mismatch kind.
#
# All data goes under --work (default /tmp/parity): sample.jsonl, <case>/{recipe.yaml, out.jsonl,
# dropped.jsonl, quarantine.jsonl, dj.jsonl, report.txt, result.json}, report.txt (all cases),
# summary.md. DJ decisions are cached per case (keyed by sample sha256, op, params, bench_dj.py and
# DJ_SRC); --fresh recomputes them. Winnow always reruns, from a copy of the binary taken at start.
# CASE: case names (e.g. text_length_filter, text_length_filter@2) or op names; default: all.
# Exit: 0 all agree; 1 any mismatch, anomaly or failed run; 2 usage/setup error.
#
# Environment: DJ_SRC (default /work/djsrc), DJ_TOOL (path to bench_dj.py), NICE (default 10).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
PY=/usr/bin/python3
MB=5
CORPUS="$HERE/corpus/corpus.jsonl"
WORK=/tmp/parity
WINNOW="$REPO/build/winnow"
EXAMPLES=5
FRESH=0
NICE="${NICE:-10}"
SEL=()

while (($#)); do
  case "$1" in
    --mb) MB="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --winnow) WINNOW="$2"; shift 2 ;;
    --examples) EXAMPLES="$2"; shift 2 ;;
    --fresh) FRESH=1; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    -*) echo "parity_check: unknown option $1" >&2; exit 2 ;;
    *) SEL+=("$1"); shift ;;
  esac
done

# case name | op | params (JSON; also used verbatim as a YAML flow mapping in the recipe)
CASES=(
  'text_length_filter|text_length_filter|{}'
  'words_num_filter|words_num_filter|{"lang": "en", "tokenization": false}'
  'alphanumeric_filter|alphanumeric_filter|{}'
  'special_characters_filter|special_characters_filter|{}'
  'average_line_length_filter|average_line_length_filter|{}'
  'maximum_line_length_filter|maximum_line_length_filter|{}'
  'character_repetition_filter|character_repetition_filter|{}'
  'word_repetition_filter|word_repetition_filter|{"lang": "en", "tokenization": false}'
  'whitespace_normalization_mapper|whitespace_normalization_mapper|{}'
  'punctuation_normalization_mapper|punctuation_normalization_mapper|{}'
  'clean_email_mapper|clean_email_mapper|{}'
  'clean_links_mapper|clean_links_mapper|{}'
  'clean_ip_mapper|clean_ip_mapper|{}'
  'remove_long_words_mapper|remove_long_words_mapper|{}'
  'document_deduplicator|document_deduplicator|{}'
  'text_length_filter@2|text_length_filter|{"min_len": 100, "max_len": 5000}'
  'character_repetition_filter@2|character_repetition_filter|{"rep_len": 5, "max_ratio": 0.3}'
  'word_repetition_filter@2|word_repetition_filter|{"rep_len": 3, "max_ratio": 0.2, "lang": "en", "tokenization": false}'
  'remove_long_words_mapper@2|remove_long_words_mapper|{"min_len": 2, "max_len": 12}'
  'document_deduplicator@2|document_deduplicator|{"lowercase": true, "ignore_non_character": true}'
  # issue 3: word lists are DJ's (shared/data/dj-assets) on both sides
  'stopwords_filter|stopwords_filter|{"lang": "en", "stopwords_dir": "@DJ_ASSETS@", "min_ratio": 0.3}'
  'stopwords_filter@aug|stopwords_filter|{"lang": "all", "stopwords_dir": "@DJ_ASSETS@", "use_words_aug": true, "words_aug_group_sizes": [2, 3]}'
  'flagged_words_filter|flagged_words_filter|{"lang": "en", "flagged_words_dir": "@DJ_ASSETS@"}'
  'flagged_words_filter@all|flagged_words_filter|{"lang": "all", "flagged_words_dir": "@DJ_ASSETS@", "max_ratio": 0.01}'
  # models: lid.176.ftz for DJ's lid.176.bin; the test SentencePiece + ARPA model (KenLM via bench/dj_shims)
  'language_id_score_filter|language_id_score_filter|{"lang": "en", "min_score": 0.8}'
  'language_id_score_filter@any|language_id_score_filter|{"lang": "", "min_score": 0.5}'
  'perplexity_filter|perplexity_filter|{"lang": "en", "max_ppl": 1500, "model_dir": "@LM_DIR@"}'
  'words_num_filter@sp|words_num_filter|{"lang": "en", "tokenization": true, "min_num": 50, "model_dir": "@LM_DIR@"}'
  'word_repetition_filter@sp|word_repetition_filter|{"lang": "en", "tokenization": true, "rep_len": 5, "model_dir": "@LM_DIR@"}'
  'remove_specific_chars_mapper|remove_specific_chars_mapper|{}'
  'remove_repeat_sentences_mapper|remove_repeat_sentences_mapper|{}'
  'replace_content_mapper|replace_content_mapper|{"pattern": "[0-9]+", "repl": "<num>"}'
  'remove_header_mapper|remove_header_mapper|{}'
  'remove_comments_mapper|remove_comments_mapper|{}'
  'remove_bibliography_mapper|remove_bibliography_mapper|{}'
  'expand_macro_mapper|expand_macro_mapper|{}'
  'clean_copyright_mapper|clean_copyright_mapper|{}'
  'remove_non_chinese_character_mapper|remove_non_chinese_character_mapper|{}'
  'remove_table_text_mapper|remove_table_text_mapper|{}'
  'remove_words_with_incorrect_substrings_mapper|remove_words_with_incorrect_substrings_mapper|{}'
  # (extract_tables_from_html_mapper is a tagging op: bench_dj.py does not add the __dj__meta__
  #  column DJ's Mapper.run adds, so DJ fails every line here; its golden cases run DJ's code.)
  'document_simhash_deduplicator|document_simhash_deduplicator|{}'
  'document_minhash_deduplicator|document_minhash_deduplicator|{}'
  'document_minhash_deduplicator@fineweb|document_minhash_deduplicator|{"window_size": 5, "num_permutations": 112, "num_bands": 14, "num_rows_per_band": 8}'
  'document_simhash_deduplicator@c4|document_simhash_deduplicator|{"tokenization": "space", "window_size": 6, "lowercase": true, "ignore_pattern": "\\p{P}", "num_blocks": 6, "hamming_distance": 4}'
)

# ------------------------------------------------------------ prerequisites
export DJ_SRC="${DJ_SRC:-/work/djsrc}"
if [ ! -d "$DJ_SRC/data_juicer" ]; then
  echo "parity_check: DJ_SRC=$DJ_SRC is not an extracted Data-Juicer tree (see dj-reference/README.md)" >&2
  exit 2
fi
if [ -z "${DJ_TOOL:-}" ]; then
  for c in "$REPO/shared/tools/dj-reference/bench_dj.py" "$REPO/../shared/tools/dj-reference/bench_dj.py" \
           /work/shared/tools/dj-reference/bench_dj.py; do
    if [ -f "$c" ]; then DJ_TOOL="$c"; break; fi
  done
fi
if [ -z "${DJ_TOOL:-}" ] || [ ! -f "$DJ_TOOL" ]; then
  echo "parity_check: bench_dj.py not found; set DJ_TOOL" >&2; exit 2
fi
[ -s "$CORPUS" ] || { echo "parity_check: corpus $CORPUS not found (bench/make_corpus.sh builds it)" >&2; exit 2; }
COMPARE="$HERE/parity_compare.py"
[ -f "$COMPARE" ] || { echo "parity_check: $COMPARE missing" >&2; exit 2; }

mkdir -p "$WORK"
# The binary may be mid-rebuild: wait (up to 5 min) until it exists and is stable, then run a copy.
BIN="$WORK/winnow.bin"
for ((t = 0; ; t++)); do
  if [ -x "$WINNOW" ]; then
    s1=$(stat -c '%s %Y' "$WINNOW"); sleep 2; s2=$(stat -c '%s %Y' "$WINNOW" 2>/dev/null || true)
    if [ "$s1" = "$s2" ] && cp "$WINNOW" "$BIN.tmp" 2>/dev/null && "$BIN.tmp" --version >/dev/null 2>&1; then
      mv -f "$BIN.tmp" "$BIN"; break
    fi
  fi
  ((t < 30)) || { echo "parity_check: $WINNOW missing or unstable for 5 min" >&2; exit 2; }
  echo "parity_check: waiting for $WINNOW ..." >&2; sleep 10
done
WINNOW_ID="$("$BIN" --version 2>&1 | head -1), sha256 $(sha256sum "$BIN" | cut -c1-16)"

# ------------------------------------------------------------ sample: first MB MB, whole lines, + __pid
LIMIT=$(awk -v mb="$MB" 'BEGIN{printf "%d", mb*1000000}')
LC_ALL=C awk -v lim="$LIMIT" '{n += length($0) + 1; if (n > lim) exit; print}' "$CORPUS" > "$WORK/raw.jsonl.tmp"
"$PY" - "$WORK/raw.jsonl.tmp" "$WORK/sample.jsonl.tmp" <<'PYEOF'
import re, sys
with open(sys.argv[1], "rb") as fi, open(sys.argv[2], "wb") as fo:
    for i, line in enumerate(fi):
        m = re.match(rb"\s*\{\s*", line)
        if not m:
            sys.exit(f"line {i + 1} is not a JSON object")
        rest = line[m.end():]
        sep = b"" if rest.lstrip().startswith(b"}") else b", "
        fo.write(b'{"__pid": %d' % i + sep + rest)
PYEOF
rm -f "$WORK/raw.jsonl.tmp"
SAMPLE="$WORK/sample.jsonl"
if cmp -s "$WORK/sample.jsonl.tmp" "$SAMPLE"; then rm -f "$WORK/sample.jsonl.tmp"; else mv -f "$WORK/sample.jsonl.tmp" "$SAMPLE"; fi
SAMPLE_SHA=$(sha256sum "$SAMPLE" | cut -d' ' -f1)
NLINES=$(wc -l < "$SAMPLE")
TOOL_SHA=$(cat "$DJ_TOOL" "$(dirname "$DJ_TOOL")/djload.py" 2>/dev/null | sha256sum | cut -c1-16)
echo "parity_check: $NLINES lines ($(stat -c %s "$SAMPLE") bytes) from first $MB MB of $CORPUS -> $SAMPLE" >&2
echo "parity_check: winnow $WINNOW_ID; DJ $DJ_SRC via $DJ_TOOL" >&2

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMEXPR_NUM_THREADS=1
# Models and word lists DJ would download: point DJ's external-model lookup at local files, and
# give it stand-ins for the native modules Debian lacks (kenlm, simhash) from bench/dj_shims.
DJ_ASSETS="$(cd "$(dirname "$DJ_TOOL")/../../data/dj-assets" 2>/dev/null && pwd || true)"
LM_DIR="$REPO/tests/golden/assets/lm"
MODELS="$WORK/dj-models"
mkdir -p "$MODELS"
ln -sf "$REPO/.cache/models/lid.176.ftz" "$MODELS/lid.176.bin"
ln -sf "$LM_DIR/en.sp.model" "$MODELS/en.sp.model"
ln -sf "$LM_DIR/en.arpa" "$MODELS/en.arpa.bin"
export DATA_JUICER_EXTERNAL_MODELS_HOME="$MODELS"
export PYTHONPATH="$HERE/dj_shims${PYTHONPATH:+:$PYTHONPATH}"
REPORT="$WORK/report.txt"
: > "$REPORT"
RESULTS=()
FAILED=0
ran=0
for c in "${CASES[@]}"; do
  IFS='|' read -r name op params <<< "$c"
  params="${params//@DJ_ASSETS@/$DJ_ASSETS}"
  params="${params//@LM_DIR@/$LM_DIR}"
  if ((${#SEL[@]})); then
    hit=0; for s in "${SEL[@]}"; do [ "$s" = "$name" ] || [ "$s" = "$op" ] && hit=1; done
    ((hit)) || continue
  fi
  ran=$((ran + 1))
  D="$WORK/$name"
  mkdir -p "$D"
  case "$op" in *_mapper) store=(--store-text) ;; *) store=() ;; esac

  # ---- DJ (cached by content key)
  key="sample=$SAMPLE_SHA op=$op params=$params tool=$TOOL_SHA djsrc=$DJ_SRC store=${store[*]:-}"
  if ((FRESH)) || [ ! -s "$D/dj.jsonl" ] || [ "$(cat "$D/dj.key" 2>/dev/null)" != "$key" ]; then
    rm -f "$D/dj.jsonl" "$D/dj.key"
    t0=$(date +%s)
    if ! nice -n "$NICE" "$PY" "$DJ_TOOL" "$op" --params "$params" --input "$SAMPLE" --warmup 0 \
         --out "$D/dj.jsonl.tmp" "${store[@]}" > "$D/dj.log" 2>&1; then
      echo "parity_check: $name: DJ failed:" >&2; tail -5 "$D/dj.log" >&2
      printf '%s\n' "=== $name: DJ FAILED (see $D/dj.log)" >> "$REPORT"
      RESULTS+=("$name|$op|$params|DJ FAILED"); FAILED=1; continue
    fi
    mv -f "$D/dj.jsonl.tmp" "$D/dj.jsonl"; printf '%s' "$key" > "$D/dj.key"
    echo "parity_check: $name: DJ done in $(( $(date +%s) - t0 ))s" >&2
  else
    echo "parity_check: $name: DJ cached" >&2
  fi

  # ---- Winnow
  rm -f "$D/out.jsonl" "$D/out_stats.jsonl" "$D/dropped.jsonl" "$D/quarantine.jsonl" "$D/ledger.json"
  cat > "$D/recipe.yaml" <<YAML
dataset_path: $SAMPLE
export_path: $D/out.jsonl
np: 2
keep_stats_in_res_ds: true
work_dir: $D
export_dropped: $D/dropped.jsonl
quarantine_path: $D/quarantine.jsonl
process:
  - $op: $params
YAML
  if ! nice -n "$NICE" "$BIN" process --config "$D/recipe.yaml" --quiet > "$D/winnow.log" 2>&1; then
    echo "parity_check: $name: winnow failed:" >&2; tail -5 "$D/winnow.log" >&2
    printf '%s\n' "=== $name: WINNOW FAILED (see $D/winnow.log)" >> "$REPORT"
    RESULTS+=("$name|$op|$params|WINNOW FAILED"); FAILED=1; continue
  fi

  # ---- compare
  rm -f "$D/result.json"
  if ! nice -n "$NICE" "$PY" "$COMPARE" --case "$name" --op "$op" --params "$params" --sample "$SAMPLE" \
       --dj "$D/dj.jsonl" --wdir "$D" --examples "$EXAMPLES" --result "$D/result.json" > "$D/report.txt" 2>&1; then
    echo "parity_check: $name: compare failed:" >&2; tail -5 "$D/report.txt" >&2
    RESULTS+=("$name|$op|$params|COMPARE FAILED"); FAILED=1; continue
  fi
  cat "$D/report.txt" >> "$REPORT"
  RESULTS+=("$name|$op|$params|$D/result.json")
done
((ran)) || { echo "parity_check: no case matches: ${SEL[*]}" >&2; exit 2; }

# ------------------------------------------------------------ summary
SUMMARY="$WORK/summary.md"
printf '%s\n' "${RESULTS[@]}" > "$WORK/results.txt"
SAMPLE="$SAMPLE" NLINES="$NLINES" WINNOW_ID="$WINNOW_ID" "$PY" - "$WORK/results.txt" > "$SUMMARY" <<'PYEOF' && ok=1 || ok=0
import json, os, sys
rows = [l.rstrip("\n").split("|", 3) for l in open(sys.argv[1]) if l.strip()]
env = os.environ
print(f"Winnow vs Data-Juicer parity on {env['NLINES']} lines of {env['SAMPLE']} (winnow {env['WINNOW_ID']})\n")
print("| op | params | kind | lines | agree | mismatches | DJ errors | Winnow quarantined | mismatch kinds |")
print("|---|---|---|---:|---:|---:|---:|---:|---|")
bad = 0
for name, op, params, res in rows:
    p = json.loads(params)
    ptxt = ", ".join(f"{k}={json.dumps(v)}" for k, v in p.items()) or "defaults"
    if not res.endswith(".json"):
        print(f"| {op} | {ptxt} | | | | **{res}** | | | |")
        bad = 1
        continue
    r = json.load(open(res))
    m = r["mismatches"] + r["anomalies"]
    bad |= m > 0
    kinds = "; ".join(f"{k} ({v})" for k, v in r["kinds"].items())
    if r["anomalies"]:
        kinds += f"; {r['anomalies']} output anomalies"
    mtxt = f"**{m}**" if m else "0"
    print(f"| {op} | {ptxt} | {r['kind']} | {r['lines']} | {r['agree']} | {mtxt} | "
          f"{r['dj_errors']} | {r['winnow_quarantined']} | {kinds} |")
sys.exit(1 if bad else 0)
PYEOF
echo
cat "$REPORT"
cat "$SUMMARY"
echo
echo "(details: $REPORT, per case: $WORK/<case>/report.txt; summary: $SUMMARY)"
if ((FAILED)) || ((!ok)); then exit 1; fi
exit 0
