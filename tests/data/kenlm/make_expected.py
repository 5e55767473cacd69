#!/usr/bin/env python3
"""Writes expected.jsonl: KenLM's own Model.score(s, bos=True, eos=True) for test sentences.

Run with the real KenLM Python module (github.com/kpu/kenlm @ 4cb443e), e.g.
    PYTHONPATH=/path/to/kenlm-module python3 make_expected.py > expected.jsonl
Every unquantized model file here must give the same float for every sentence (the script
asserts it): "score" for small.arpa and its binaries, "nounk" for small_nounk.arpa and its
binaries; the quantized tries (lossy) get their own keys. Floats are written as float32 bits in hex.
"""
import json
import random
import struct
import sys

import kenlm

MODELS = ["small.arpa", "probing.bin", "probing_novocab.bin", "probing_rest.bin", "trie.bin", "trie_q8.bin",
          "trie_a22.bin", "trie_q8b7_a22.bin"]
NOUNK = ["small_nounk.arpa", "nounk_probing.bin", "nounk_trie.bin"]  # scored under "nounk"
QUANTIZED = {"trie_q8.bin", "trie_q8b7_a22.bin"}  # lossy: their own expectations

words = ["w%02d" % i for i in range(30)]
rng = random.Random(7)
sentences = ["", " ", "\t\n", "w01", "w01 w02 w03", "  w05\tw06\r\nw07 ", "<s>", "</s>", "<unk>",
             "<s> w01 </s>", "zebra", "w01 zebra w02", "zebra quagga", "W01", "w01\x0bw02", "w01\x0cw02",
             "w01\u3000w02", "w01\xa0w02", "\u00e9t\u00e9 w03"]
for _ in range(300):
    n = rng.randint(1, 14)
    toks = [rng.choice(words + ["<s>", "</s>", "<unk>", "oov", "w99"]) if rng.random() < 0.1 else
            rng.choice(words[: rng.randint(5, 30)]) for _ in range(n)]
    sentences.append(" ".join(toks))

models = {m: kenlm.Model(m) for m in MODELS + NOUNK}
for s in sentences:
    exact = {m: models[m].score(s, bos=True, eos=True) for m in MODELS if m not in QUANTIZED}
    quant = {m: models[m].score(s, bos=True, eos=True) for m in QUANTIZED}
    assert len(set(exact.values())) == 1, (s, exact)
    row = {"sentence": s, "score": struct.pack(">f", exact["small.arpa"]).hex()}
    for m, v in sorted(quant.items()):
        row[m] = struct.pack(">f", v).hex()
    nounk = {m: models[m].score(s, bos=True, eos=True) for m in NOUNK}
    assert len(set(nounk.values())) == 1, (s, nounk)
    row["nounk"] = struct.pack(">f", nounk["small_nounk.arpa"]).hex()
    sys.stdout.write(json.dumps(row) + "\n")
