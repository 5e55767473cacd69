#!/usr/bin/env python3
"""Writes small.arpa: a deterministic, random but well-formed order-4 back-off model.

Random sentences over a 30-word vocabulary give the n-gram set (every prefix and suffix of a
listed n-gram is listed, as ARPA requires); probabilities and back-off weights are random, with
some back-offs exactly 0 (so KenLM's +0.0/-0.0 "extension" marks matter) and some positive.
The model is not normalised: the tests need KenLM's arithmetic, not a good model.
    python3 make_arpa.py > small.arpa
"""
import random

rng = random.Random(20261126)
N = 4
words = ["w%02d" % i for i in range(30)]
grams = [set() for _ in range(N)]
for _ in range(120):
    s = ["<s>"] + [rng.choice(words[: rng.randint(5, 30)]) for _ in range(rng.randint(0, 9))] + ["</s>"]
    for i in range(len(s)):
        for n in range(1, N + 1):
            if i + n <= len(s):
                grams[n - 1].add(tuple(s[i : i + n]))
grams[0].add(("<unk>",))
for w in words:
    grams[0].add((w,))
contexts = set(g[:-1] for n in range(1, N) for g in grams[n])

out = ["\\data\\"] + ["ngram %d=%d" % (n + 1, len(grams[n])) for n in range(N)] + [""]
for n in range(N):
    out.append("\\%d-grams:" % (n + 1))
    for g in sorted(grams[n]):
        p = -99.0 if g == ("<s>",) else -round(rng.uniform(0.05, 3.0), 6)
        line = "%g\t%s" % (p, " ".join(g))
        if n < N - 1 and g in contexts:
            r = rng.random()
            b = 0.0 if r < 0.15 else round(rng.uniform(-1.2, 0.4), 6)
            line += "\t%g" % b
        out.append(line)
    out.append("")
out.append("\\end\\")
print("\n".join(out))
