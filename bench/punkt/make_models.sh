#!/usr/bin/env bash
# Regenerates data/punkt/{en,fr,pt,es}.punkt: Punkt parameters trained by `winnow punkt train`
# on Debian's documentation (packages debian-handbook and debian-reference-{en,fr,es}; Debian has
# no debian-reference-pt installed here, so Portuguese uses the handbook's pt-BR edition only).
# Deterministic: the same package versions give byte-identical files.
#   bench/punkt/make_models.sh [BUILD_DIR]      (default build/)
set -euo pipefail
cd "$(dirname "$0")/../.."
WINNOW=${1:-build}/winnow
HB=/usr/share/doc/debian-handbook/html
REF=/usr/share/debian-reference
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
declare -A HBDIR=([en]=en-US [fr]=fr-FR [pt]=pt-BR [es]=es-ES)
for lang in en fr pt es; do
  files=$(ls "$HB/${HBDIR[$lang]}"/*.html | LC_ALL=C sort)
  refs=$(ls "$REF"/*."$lang".html 2>/dev/null | LC_ALL=C sort || true)
  /usr/bin/python3 bench/punkt/extract_text.py "$TMP/$lang.txt" $files $refs
  "$WINNOW" punkt train --lang "$lang" --input "$TMP/$lang.txt" --output "data/punkt/$lang.punkt"
  [ -n "${KEEP_CORPUS:-}" ] && cp "$TMP/$lang.txt" "$KEEP_CORPUS/$lang.txt"
done
