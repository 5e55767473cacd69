#!/usr/bin/env bash
# Sentence-split agreement: Winnow's sentence_split_mapper (trained params) vs nltk 3.8's
# PunktSentenceTokenizer with the same data/punkt/<lang>.punkt loaded into PunktParameters.
# Texts: the paragraphs of the training corpora (bench/punkt/make_models.sh, KEEP_CORPUS),
# plus held-out English: tests/data/nltk_tokenize_cases.jsonl and paragraphs of
# /usr/share/common-licenses and Debian README files.
#   bench/punkt/agreement.sh CORPUS_DIR [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=$1; WINNOW=${2:-build}/winnow
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
/usr/bin/python3 - "$CORPUS" "$TMP" <<'PY'
import glob, json, os, re, sys
corpus, tmp = sys.argv[1:3]
for lang in ("en", "fr", "pt", "es"):
    paras = [p for p in open(f"{corpus}/{lang}.txt", encoding="utf-8").read().split("\n\n") if p.strip()]
    if lang == "en":
        paras += [json.loads(l)["text"] for l in open("tests/data/nltk_tokenize_cases.jsonl", encoding="utf-8") if l.startswith("{")]
        files = sorted(glob.glob("/usr/share/common-licenses/*")) + sorted(glob.glob("/usr/share/doc/*/README"))
        for f in files:
            if os.path.isfile(f):
                txt = open(f, encoding="utf-8", errors="replace").read()
                paras += [p for p in re.split(r"\n\s*\n", txt) if len(p.strip()) > 40]
    with open(f"{tmp}/{lang}.jsonl", "w", encoding="utf-8") as out:
        for p in paras:
            out.write(json.dumps({"text": p}, ensure_ascii=False) + "\n")
PY
for lang in en fr pt es; do
  cat > "$TMP/$lang.yaml" <<Y
dataset_path: $TMP/$lang.jsonl
export_path: $TMP/$lang.out.jsonl
np: 1
report: false
process:
  - sentence_split_mapper:
      lang: $lang
Y
  "$WINNOW" process --config "$TMP/$lang.yaml" --quiet >/dev/null
  echo -n "$lang: "
  /usr/bin/python3 bench/punkt/compare_nltk.py split "data/punkt/$lang.punkt" "$TMP/$lang.jsonl" "$TMP/$lang.out.jsonl"
done
