#!/bin/sh
# Regenerates the KenLM binary fixtures in this directory (see README.md).
# BUILD_BINARY: KenLM's build_binary (github.com/kpu/kenlm @ 4cb443e); KENLM_PY: a directory
# holding KenLM's Python module (same commit), for the expected scores.
set -eu
cd "$(dirname "$0")"
B=${BUILD_BINARY:?set BUILD_BINARY to KenLM\'s build_binary}
python3 make_arpa.py > small.arpa
# The same model without <unk>: KenLM gives <unk> log10 p = -100.
grep -v "$(printf '\t<unk>')" small.arpa | sed 's/^ngram 1=33$/ngram 1=32/' > small_nounk.arpa
$B probing small.arpa probing.bin
$B -v probing small.arpa probing_novocab.bin
$B trie small.arpa trie.bin
$B -q 8 -b 8 trie small.arpa trie_q8.bin
$B -a 22 trie small.arpa trie_a22.bin
$B -q 8 -b 7 -a 22 trie small.arpa trie_q8b7_a22.bin
python3 make_lower_orders.py
$B -r "o1.arpa o2.arpa o3.arpa" probing small.arpa probing_rest.bin
rm -f o1.arpa o2.arpa o3.arpa
$B probing small_nounk.arpa nounk_probing.bin
$B trie small_nounk.arpa nounk_trie.bin
# perplexity_filter's golden test model in DJ's file name (tests/golden/assets/lm_bin).
$B probing ../../golden/assets/lm/en.arpa ../../golden/assets/lm_bin/en.arpa.bin
PYTHONPATH=${KENLM_PY:?set KENLM_PY} /usr/bin/python3 make_expected.py > expected.jsonl
