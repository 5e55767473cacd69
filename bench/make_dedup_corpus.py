#!/usr/bin/env python3
"""Generates N short documents from real text for the dedup scale benchmark (issue 4): each
document joins three windows of 10-20 words from the bench corpus' word stream at pseudo-random
offsets (so unrelated documents rarely overlap); one in ten is a near duplicate of an earlier
document (one or two words replaced).
    bench/make_dedup_corpus.py N OUT.jsonl [CORPUS]"""
import json
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
corpus = sys.argv[3] if len(sys.argv) > 3 else "bench/corpus/corpus.jsonl"
words = []
with open(corpus, encoding="utf-8") as f:
    for line in f:
        words.extend(json.loads(line)["text"].split())
        if len(words) > 20_000_000:
            break
rng = random.Random(42)
recent = []  # a pool of earlier documents to copy from
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        if recent and rng.random() < 0.1:
            doc = list(rng.choice(recent))
            for _ in range(rng.randint(1, 2)):
                doc[rng.randrange(len(doc))] = rng.choice(words)
        else:
            doc = []
            for _ in range(3):
                k = rng.randint(10, 20)
                start = rng.randrange(len(words) - k)
                doc += words[start:start + k]
            if len(recent) < 100000:
                recent.append(doc)
            else:
                recent[rng.randrange(len(recent))] = doc
        f.write(json.dumps({"id": i, "text": " ".join(doc)}, ensure_ascii=False) + "\n")
