#!/usr/bin/python3
"""Oracle checks of Winnow's Punkt port against nltk 3.8 (python3-nltk).

  compare_nltk.py train CORPUS.txt... WINNOW.punkt
      trains nltk's PunktTrainer on the corpus files (train(text, finalize=False) per file, then
      finalize_training(), as `winnow punkt train` does) and compares the four parameter sets
      with Winnow's file. Exit status 1 on any difference.
  compare_nltk.py split PARAMS.punkt IN.jsonl WINNOW_OUT.jsonl
      loads the parameters into nltk's PunktParameters and checks that
      '\\n'.join(PunktSentenceTokenizer(params).tokenize(text)) equals Winnow's
      sentence_split_mapper output, row by row.
"""
import json
import sys
from collections import defaultdict

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer


def load_params(path):
    p = PunktParameters()
    p.ortho_context = defaultdict(int)
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        if f[0] == "abbrev":
            p.abbrev_types.add(f[1])
        elif f[0] == "starter":
            p.sent_starters.add(f[1])
        elif f[0] == "colloc":
            p.collocations.add((f[1], f[2]))
        elif f[0] == "ortho":
            p.ortho_context[f[1]] = int(f[2])
    return p


def as_sets(p):
    return {
        "abbrev_types": set(p.abbrev_types),
        "collocations": set(p.collocations),
        "sent_starters": set(p.sent_starters),
        "ortho_context": {k: v for k, v in p.ortho_context.items() if v},
    }


def cmd_train(corpora, winnow_path):
    trainer = PunktTrainer()
    for c in corpora:
        trainer.train(open(c, encoding="utf-8").read(), finalize=False)
    trainer.finalize_training()
    ref, got = as_sets(trainer.get_params()), as_sets(load_params(winnow_path))
    ok = True
    for key in ref:
        r, g = ref[key], got[key]
        if key == "ortho_context":
            diff = {k for k in set(r) | set(g) if r.get(k) != g.get(k)}
        else:
            diff = r ^ g
        print(f"{key}: nltk {len(r)}, winnow {len(g)}, differing {len(diff)}")
        for d in sorted(diff, key=str)[:10]:
            print("   ", d, "nltk:", r.get(d) if isinstance(r, dict) else d in r,
                  "winnow:", g.get(d) if isinstance(g, dict) else d in g)
        ok &= not diff
    print("IDENTICAL" if ok else "DIFFERENT")
    return 0 if ok else 1


def cmd_split(params_path, in_path, out_path):
    tok = PunktSentenceTokenizer(load_params(params_path))
    untrained = PunktSentenceTokenizer()
    n = same = changed = 0
    shown = 0
    ins, outs = open(in_path, encoding="utf-8").readlines(), open(out_path, encoding="utf-8").readlines()
    if len(ins) != len(outs):
        print(f"row counts differ: {len(ins)} in, {len(outs)} out")
        return 1
    for a, b in zip(ins, outs):
        text, got = json.loads(a)["text"], json.loads(b)["text"]
        want = "\n".join(tok.tokenize(text))
        n += 1
        changed += want != "\n".join(untrained.tokenize(text))
        if want == got:
            same += 1
        elif shown < 5:
            shown += 1
            print("DIFF:", repr(text[:300]), "\n nltk:", repr(want[:300]), "\n winnow:", repr(got[:300]))
    print(f"{same}/{n} identical ({changed} split differently than with untrained Punkt)")
    return 0 if same == n else 1


if __name__ == "__main__":
    if sys.argv[1] == "train":
        sys.exit(cmd_train(sys.argv[2:-1], sys.argv[-1]))
    sys.exit(cmd_split(*sys.argv[2:5]))
