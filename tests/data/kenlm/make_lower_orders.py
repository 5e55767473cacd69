#!/usr/bin/env python3
"""Cuts small.arpa down to orders 1..3 (o1.arpa, o2.arpa, o3.arpa): the lower-order models that
`build_binary -r` takes to store rest costs ("probing with rest costs"). The highest order of
each cut loses its back-off weights, as an ARPA file's top order has none."""
lines = open("small.arpa").read().split("\n")
for top in (1, 2, 3):
    out, section = [], 0
    for line in lines:
        if line.startswith("ngram ") and int(line[6:line.index("=")]) > top:
            continue
        if line.startswith("\\") and line.endswith("-grams:"):
            section = int(line[1:line.index("-")])
        if line == "\\end\\":
            section = 0
        if section > top:
            continue
        if section == top and line and not line.startswith("\\"):
            line = "\t".join(line.split("\t")[:2])
        out.append(line)
    open("o%d.arpa" % top, "w").write("\n".join(out))
