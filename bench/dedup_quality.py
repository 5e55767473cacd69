#!/usr/bin/env python3
"""Near-duplicate detection quality of Winnow's MinHash and SimHash deduplicators.

Builds a corpus with known ground truth from real documents of the bench corpus: for each of
--docs base documents, --variants edited copies (a random share of words replaced, 1% to 60%),
shuffled among unrelated documents. The true Jaccard similarity of each copy to its base is
computed on the same shingles the op uses (5-gram words, lower-cased, split on ' '). Then
`winnow process` runs one deduplicator and each copy counts as detected when it is dropped
as a duplicate of its base's cluster. Prints the detection rate per Jaccard bin next to the
LSH S-curve 1 - (1 - s^r)^b, and precision / recall at the op's threshold.

  bench/dedup_quality.py [--docs 300] [--variants 6] [--winnow build/winnow]
"""
import argparse, json, os, random, subprocess, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--docs", type=int, default=300)
ap.add_argument("--variants", type=int, default=6)
ap.add_argument("--winnow", default="build/winnow")
ap.add_argument("--corpus", default="bench/corpus/corpus.jsonl")
ap.add_argument("--seed", type=int, default=1)
args = ap.parse_args()
rnd = random.Random(args.seed)

docs = []
seen = set()
for line in open(args.corpus, encoding="utf-8"):
    t = json.loads(line)["text"]
    words = [w for w in t.split(" ") if w]
    if len(words) >= 120 and t not in seen:
        seen.add(t)
        docs.append(t)
    if len(docs) >= args.docs * 2:
        break
base, fillers = docs[: args.docs], docs[args.docs :]
vocab = [w for d in fillers for w in d.split(" ") if w]

def shingles(text, n=5):
    w = [x for x in text.lower().split(" ") if x]
    return {" ".join(w[i : i + n]) for i in range(len(w) - n + 1)}

def jaccard(a, b):
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / max(1, len(sa | sb))

records = []  # (text, base index or -1, jaccard to base)
for bi, t in enumerate(base):
    records.append((t, bi, 1.0))
    words = t.split(" ")
    for _ in range(args.variants):
        rate = rnd.choice([0.01, 0.02, 0.04, 0.06, 0.1, 0.15, 0.2, 0.3, 0.45, 0.6])
        w = list(words)
        for i in range(len(w)):
            if w[i] and rnd.random() < rate:
                w[i] = rnd.choice(vocab)
        v = " ".join(w)
        records.append((v, bi, jaccard(t, v)))
for t in fillers:
    records.append((t, -1, 0.0))
order = list(range(len(records)))
rnd.shuffle(order)
# Bases first in input order, so the kept sample of each cluster is the base.
order.sort(key=lambda i: 0 if records[i][2] == 1.0 and records[i][1] >= 0 else 1)

work = tempfile.mkdtemp(prefix="dedupq-")
with open(os.path.join(work, "in.jsonl"), "w", encoding="utf-8") as f:
    for k, i in enumerate(order):
        f.write(json.dumps({"id": k, "text": records[i][0]}, ensure_ascii=False) + "\n")

def run(op, params):
    rec = os.path.join(work, "r.yaml")
    with open(rec, "w") as f:
        f.write(f"dataset_path: {work}/in.jsonl\nexport_path: {work}/{op}/out.jsonl\nwork_dir: {work}/{op}\nnp: 2\n"
                f"process:\n  - {op}: {json.dumps(params)}\n")
    subprocess.run([args.winnow, "process", "--config", rec, "--quiet"], check=True)
    kept = {json.loads(l)["id"] for l in open(f"{work}/{op}/out.jsonl", encoding="utf-8")}
    return kept

bins = [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001]
def report(name, kept, curve, threshold):
    total = {b: 0 for b in range(len(bins) - 1)}
    hit = dict(total)
    tp = fp = fn = 0
    for k, i in enumerate(order):
        text, bi, j = records[i]
        if bi < 0 or j == 1.0:
            if bi < 0 and k not in kept:
                fp += 1  # an unrelated document was removed
            continue
        b = next(x for x in range(len(bins) - 1) if bins[x] <= j < bins[x + 1])
        total[b] += 1
        detected = k not in kept
        hit[b] += detected
        truth = j >= threshold
        tp += detected and truth
        fp += detected and not truth
        fn += (not detected) and truth
    print(f"\n### {name}\n")
    print("| true Jaccard | copies | detected | S-curve (theory) |\n|---|---:|---:|---:|")
    for b in range(len(bins) - 1):
        if total[b]:
            mid = (bins[b] + min(bins[b + 1], 1.0)) / 2
            th = f"{curve(mid):.2f}" if curve else "-"
            print(f"| {bins[b]:.1f}-{min(bins[b+1],1.0):.1f} | {total[b]} | {hit[b] / total[b]:.2f} | {th} |")
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    print(f"\nprecision {p:.3f}, recall {r:.3f} at Jaccard >= {threshold} ({tp} true positives, {fp} false, {fn} missed)")

print(f"# Near-duplicate detection quality\n\n{len(base)} base documents x {args.variants} edited copies + "
      f"{len(fillers)} unrelated documents ({len(records)} in all), seed {args.seed}")
b, r = 25, 10  # DJ's optimal choice for 256 permutations at 0.7 (tests/unit/minhash_test.cc)
report("document_minhash_deduplicator (DJ defaults: 256 permutations, 5-grams, threshold 0.7, 25 bands x 10 rows)",
       run("document_minhash_deduplicator", {}), lambda s: 1 - (1 - s ** r) ** b, 0.7)
report("document_simhash_deduplicator (DJ defaults: 6-grams, 6 blocks, hamming distance 4)",
       run("document_simhash_deduplicator", {}), None, 0.7)
