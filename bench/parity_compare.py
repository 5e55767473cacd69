#!/usr/bin/python3
"""Compare one Winnow run against Data-Juicer's decisions (helper of bench/parity_check.sh).

    parity_compare.py --case NAME --op OP --params JSON --sample SAMPLE.jsonl --dj DJ.jsonl \
        --wdir DIR [--examples 5] [--result RESULT.json]

SAMPLE.jsonl: the input both tools read; every record carries "__pid": <0-based line index>.
DJ.jsonl: bench_dj.py --out (filters {"idx","keep","stats"}, mappers {"idx","changed","out_len",
"out_md5"[,"text"]}, dedup {"idx","keep","hash"}; "error": true = DJ dropped it on an exception).
DIR: Winnow's out.jsonl (kept), dropped.jsonl, quarantine.jsonl.

Per input line the comparison is:
  filter : keep decision, and every DJ stat key (ints/strings exact, floats rel tol 1e-9;
           Winnow stats are taken from the kept sample or from the dropped record's sample)
  mapper : md5 of Winnow's output text (kept sample) vs DJ's out_md5, changed or not
  dedup  : keep decision
A DJ error line agrees only with a Winnow quarantine of the same line (and vice versa).
Prints a report with up to --examples examples per mismatch kind; writes a JSON summary to
--result. Exit status 0 (mismatches are reported in the summary, not the exit status).
"""
import argparse
import hashlib
import json
import math
import os
import sys
from collections import OrderedDict, defaultdict

REL_TOL = 1e-9


def load_jsonl(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except ValueError as e:
                out.append({"__parse_error__": f"{os.path.basename(path)}:{n}: {e}"})
    return out


def md5_text(s):
    return hashlib.md5(s.encode("utf-8", "surrogatepass")).hexdigest()


def source_line(src):
    """'file:line' (1-based) -> 0-based index, or None."""
    if not isinstance(src, str) or ":" not in src:
        return None
    tail = src.rsplit(":", 1)[1]
    return int(tail) - 1 if tail.isdigit() else None


def trunc(s, n=300):
    if not isinstance(s, str):
        return repr(s)
    if len(s) <= n:
        return repr(s)
    h = n * 2 // 3
    return repr(s[:h]) + f" ...[{len(s) - n} chars]... " + repr(s[-(n - h):])


def around(s, pos, before=60, after=80):
    a = max(0, pos - before)
    b = min(len(s), pos + after)
    return ("…" if a else "") + repr(s[a:b]) + ("…" if b < len(s) else "")


def first_diff(a, b):
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


def num_equal(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        fa, fb = float(a), float(b)
        if math.isnan(fa) or math.isnan(fb):
            return math.isnan(fa) and math.isnan(fb)
        if math.isinf(fa) or math.isinf(fb):
            return fa == fb
        return math.isclose(fa, fb, rel_tol=REL_TOL, abs_tol=0.0)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(num_equal(x, y) for x, y in zip(a, b))
    return a == b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", required=True)
    ap.add_argument("--op", required=True)
    ap.add_argument("--params", default="{}")
    ap.add_argument("--sample", required=True)
    ap.add_argument("--dj", required=True)
    ap.add_argument("--wdir", required=True)
    ap.add_argument("--examples", type=int, default=5)
    ap.add_argument("--result")
    a = ap.parse_args()

    texts = []
    with open(a.sample, "rb") as f:
        for line in f:
            try:
                texts.append(json.loads(line).get("text"))
            except ValueError:
                texts.append(None)
    n = len(texts)

    dj = load_jsonl(a.dj)
    if len(dj) != n:
        sys.exit(f"{a.case}: DJ decisions have {len(dj)} lines, sample has {n}")
    first = dj[0] if dj else {}
    kind = "filter" if "stats" in first else "mapper" if "out_md5" in first else "dedup"

    # ---------------------------------------------------------------- Winnow, per input line
    win = [None] * n        # ("kept", sample) | ("dropped", rec) | ("quarantined", rec)
    anomalies = []          # records we cannot place, or lines that appear twice

    def place(idx, state, rec, where):
        if idx is None or not (0 <= idx < n):
            anomalies.append(f"{where}: cannot map to an input line: {trunc(json.dumps(rec)[:400])}")
            return
        if win[idx] is not None:
            anomalies.append(f"{where}: line {idx} appears again (already {win[idx][0]})")
            return
        win[idx] = (state, rec)

    for r in load_jsonl(os.path.join(a.wdir, "out.jsonl")):
        place(r.get("__pid"), "kept", r, "out.jsonl")
    for r in load_jsonl(os.path.join(a.wdir, "dropped.jsonl")):
        s = r.get("sample") if isinstance(r.get("sample"), dict) else {}
        idx = s.get("__pid", source_line(r.get("source")))
        place(idx, "dropped", r, "dropped.jsonl")
    for r in load_jsonl(os.path.join(a.wdir, "quarantine.jsonl")):
        s = r.get("sample") if isinstance(r.get("sample"), dict) else {}
        idx = s.get("__pid", source_line(r.get("source")))
        place(idx, "quarantined", r, "quarantine.jsonl")

    # ---------------------------------------------------------------- compare
    kinds = OrderedDict()   # mismatch kind -> list of line idx
    line_bad = [False] * n
    dj_err = w_quar = both_err = 0
    type_notes = defaultdict(int)   # stat key -> count of int-vs-float representation differences
    details = {}            # (kind, idx) -> extra text for examples
    hkeys = []              # dedup: DJ hash per line, serialised (built on first mismatch)

    def bad(k, i, extra=""):
        kinds.setdefault(k, []).append(i)
        line_bad[i] = True
        if extra:
            details[(k, i)] = extra

    def wstats(state, rec):
        if state == "kept":
            return rec.get("__dj__stats__")
        if state == "dropped":
            s = rec.get("sample") or {}
            return s.get("__dj__stats__")
        return None

    def wdesc(i):
        w = win[i]
        if w is None:
            return "missing"
        state, rec = w
        if state == "kept":
            return "kept"
        if state == "dropped":
            return f"dropped ({rec.get('reason')!r})"
        return f"quarantined ({rec.get('error')!r})"

    for i in range(n):
        d = dj[i]
        w = win[i]
        if "__parse_error__" in d:
            bad("dj output unparsable", i, d["__parse_error__"]); continue
        e = bool(d.get("error"))
        dj_err += e
        state = w[0] if w else None
        w_quar += state == "quarantined"
        if w is None:
            bad("winnow: line missing from all outputs", i); continue
        if e or state == "quarantined":
            if e and state == "quarantined":
                both_err += 1
            elif e:
                bad("DJ error, Winnow did not quarantine", i, f"winnow: {wdesc(i)}")
            else:
                bad("Winnow quarantined, DJ did not error", i, f"winnow error: {w[1].get('error')!r}")
            continue
        if kind == "filter":
            dj_keep = bool(d["keep"])
            w_keep = state == "kept"
            ws = wstats(state, w[1])
            djs = d.get("stats") or {}
            if dj_keep != w_keep:
                bad(f"keep: DJ {'keep' if dj_keep else 'drop'}, Winnow {'keep' if w_keep else 'drop'}", i,
                    f"DJ stats {json.dumps(djs)}; Winnow stats {json.dumps(ws)}; winnow: {wdesc(i)}")
            if not isinstance(ws, dict):
                bad("stats: Winnow has no __dj__stats__", i, f"winnow: {wdesc(i)}")
                continue
            for k, v in djs.items():
                if k not in ws:
                    bad(f"stats: key {k!r} missing in Winnow", i, f"DJ {k}={v!r}")
                elif not num_equal(v, ws[k]):
                    bad(f"stats: {k} differs", i, f"DJ {k}={v!r}  Winnow {k}={ws[k]!r}")
                elif type(v) is not type(ws[k]) and not (isinstance(v, float) and isinstance(ws[k], float)):
                    type_notes[k] += 1
        elif kind == "mapper":
            if state != "kept":
                bad("mapper: Winnow dropped the sample", i, f"winnow: {wdesc(i)}"); continue
            wt = w[1].get("text")
            if not isinstance(wt, str):
                bad("mapper: Winnow output has no text", i); continue
            wm = md5_text(wt)
            if wm != d["out_md5"]:
                dt = d.get("text")
                src = texts[i] or ""
                if dt is None:
                    bad("text differs", i, f"DJ out_len={d['out_len']} md5={d['out_md5']}; Winnow len={len(wt)} md5={wm}")
                else:
                    p = first_diff(dt, wt)
                    sp = first_diff(src, dt) if d.get("changed") else p
                    sub = ("DJ changed, Winnow unchanged" if wt == src else
                           "DJ unchanged, Winnow changed" if dt == src else "both changed, differently")
                    bad(f"text differs ({sub})", i,
                        f"DJ len={len(dt)} Winnow len={len(wt)}; first difference at char {p}:\n"
                        f"      input  near it: {around(src, min(p, sp) if sub != 'DJ unchanged, Winnow changed' else p)}\n"
                        f"      DJ     near it: {around(dt, p)}\n"
                        f"      Winnow near it: {around(wt, p)}")
        else:  # dedup
            dj_keep = bool(d["keep"])
            w_keep = state == "kept"
            if dj_keep != w_keep:
                extra = f"winnow: {wdesc(i)}"
                if not hkeys:
                    for j in range(n):
                        hkeys.append(json.dumps(dj[j].get("hash") or {}, sort_keys=True))
                hv = hkeys[i]
                twin = [j for j in range(n) if j != i and hkeys[j] == hv][:3]
                extra += f"; DJ hash {hv}; DJ same-hash lines {twin}"
                bad(f"keep: DJ {'keep' if dj_keep else 'drop'}, Winnow {'keep' if w_keep else 'drop'}", i, extra)

    mism = sum(line_bad)
    summary = {
        "case": a.case, "op": a.op, "params": json.loads(a.params), "kind": kind, "lines": n,
        "agree": n - mism, "mismatches": mism, "dj_errors": dj_err, "winnow_quarantined": w_quar,
        "both_error": both_err, "anomalies": len(anomalies),
        "kinds": {k: len(v) for k, v in kinds.items()},
        "dj_kept_or_changed": (sum(1 for d in dj if d.get("keep")) if kind != "mapper"
                               else sum(1 for d in dj if d.get("changed"))),
        "winnow_kept": sum(1 for w in win if w and w[0] == "kept"),
        "winnow_changed": (sum(1 for i, w in enumerate(win) if w and w[0] == "kept" and w[1].get("text") != texts[i])
                           if kind == "mapper" else None),
        "int_float_repr_notes": dict(type_notes),
    }

    # ---------------------------------------------------------------- report
    P = print
    P(f"=== {a.case}: {a.op} {a.params} [{kind}] ===")
    P(f"lines {n}  agree {n - mism}  disagree {mism}  | DJ errors {dj_err}, Winnow quarantined {w_quar}, "
      f"both {both_err} | DJ {'changed' if kind == 'mapper' else 'kept'} {summary['dj_kept_or_changed']}, "
      f"Winnow kept {summary['winnow_kept']}"
      + (f", changed {summary['winnow_changed']}" if kind == "mapper" else ""))
    if type_notes:
        P(f"note (not a mismatch): int-vs-float JSON representation differs for stats {dict(type_notes)}")
    for msg in anomalies[: a.examples]:
        P(f"ANOMALY: {msg}")
    if len(anomalies) > a.examples:
        P(f"ANOMALY: ... {len(anomalies) - a.examples} more")
    for k, idxs in kinds.items():
        P(f"-- mismatch kind: {k}: {len(idxs)} line(s)")
        for i in idxs[: a.examples]:
            P(f"   line {i} (file line {i + 1}) input len {len(texts[i]) if isinstance(texts[i], str) else '?'}: "
              f"{trunc(texts[i])}")
            if (k, i) in details:
                P("      " + details[(k, i)])
        if len(idxs) > a.examples:
            P(f"   ... {len(idxs) - a.examples} more: lines {idxs[a.examples:a.examples + 20]}"
              f"{' ...' if len(idxs) > a.examples + 20 else ''}")
    P()
    if a.result:
        with open(a.result, "w") as f:
            json.dump(summary, f)


if __name__ == "__main__":
    main()
