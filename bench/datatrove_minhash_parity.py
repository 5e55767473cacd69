#!/usr/bin/env python3
"""Parity of document_minhash_deduplicator's `preset: datatrove` with datatrove's own MinHash code
(datatrove a649de7: MinhashDedupSignature.get_shingles / get_signature with MinhashConfig()).
Clusters documents that share a whole bucket signature (datatrove's bucket step) with a
union-find whose root is the first document, and prints the ids it keeps, one per line.
English word tokens come from NLTK (nltk.word_tokenize with untrained Punkt), as in Winnow,
because datatrove's spaCy tokenizer does not ship offline (docs/parity.md).

  PYTHONPATH=DATATROVE_SRC:SHIMS /usr/bin/python3 bench/datatrove_minhash_parity.py IN.jsonl > kept_ids
(DATATROVE_SRC: datatrove's src/ from `fetch github:huggingface/datatrove`; SHIMS: stand-in
modules for huggingface_hub, humanize and tokenizers, which the import chain names.)"""
import json
import sys

from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktSentenceTokenizer

from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupSignature
from datatrove.utils.word_tokenizers import WordTokenizer


class NltkTokenizer(WordTokenizer):
    def __init__(self):
        self.punkt, self.words = PunktSentenceTokenizer(), NLTKWordTokenizer()

    def word_tokenize(self, text):
        return [t for s in self.punkt.tokenize(text) for t in self.words.tokenize(s)]

    def sent_tokenize(self, text):
        return self.punkt.tokenize(text)

    def span_tokenize(self, text):
        return list(self.punkt.span_tokenize(text))


sig = MinhashDedupSignature(output_folder="/tmp/datatrove-minhash-parity", config=MinhashConfig(),
                            language=NltkTokenizer())
parent, buckets, ids = [], {}, []


def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


for line in open(sys.argv[1], encoding="utf-8"):
    doc = json.loads(line)
    i = len(parent)
    parent.append(i)
    ids.append(doc.get("id", i))
    shingles = sig.get_shingles(doc["text"])
    if shingles.size == 0:
        continue
    for b, values in enumerate(sig.get_signature(shingles)):
        first = buckets.setdefault((b, tuple(values)), i)
        x, y = find(i), find(first)
        if x != y:
            parent[max(x, y)] = min(x, y)
for i in range(len(parent)):
    if find(i) == i:
        print(ids[i])
