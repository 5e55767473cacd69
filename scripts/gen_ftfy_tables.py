#!/usr/bin/python3
"""Generate src/winnow/ops/text/ftfy/ftfy_tables.inc: the data behind Winnow's port of ftfy.

Data-Juicer's fix_unicode_mapper calls ftfy.fix_text (ftfy 6.3.1).  ftfy's behaviour lives
largely in data: an HTML5 entity dict, single-byte codec tables (including ftfy's "sloppy"
codecs), translate tables, and a handful of regular expressions whose character classes are
built from lists of characters.  Rather than transcribing any of that by hand, this script
imports the real ftfy 6.3.1 source and Python's codecs/html/unicodedata modules and dumps:

  * the regexes (badness.BADNESS_RE, chardata.UTF8_DETECTOR_RE, ALTERED_UTF8_RE,
    LOSSY_UTF8_RE, fixes.A_GRAVE_WORD_RE) re-emitted as PCRE2 patterns from Python's own parse
    tree, with Python's Unicode \\s / \\w / \\d expanded to explicit code point ranges so
    PCRE2's (different, newer) Unicode data never matters;
  * the set of characters one of which every BADNESS_RE match must contain (a prefilter), the
    few that can be a match's only non-ASCII character, and the longest possible BADNESS_RE
    match (so is_bad can search only near those characters);
  * HTML_ENTITIES (html.entities.html5 plus ftfy's upper-cased extras; cross-checked against an
    independent derivation from html.entities.html5) and html's numeric charref tables;
  * the ten CHARMAP_ENCODINGS as char -> byte tables, and windows-1252's 0x80-0x9F;
  * LIGATURES, WIDTH_MAP, CONTROL_CHARS, and the Unicode decimal digits (\\d in ANSI_RE);
  * a per-code-point flag table (Unicode 14, as Python 3.11's unicodedata): "this character
    alone is already NFC/NFD/NFKC/NFKD and cannot combine with a neighbour", "unassigned in
    Unicode 14", "a BADNESS_RE clue", "a clue that can match alone", "some ftfy fixer
    changes it".

It also writes tests/data/ftfy_cases.jsonl: test cases for tests/unit/ftfy_test.cc (hand-picked
and seeded-random texts, long ones included) whose expectations come from running ftfy itself.

The outputs are committed, so building Winnow never needs Python or ftfy.

Usage: /usr/bin/python3 scripts/gen_ftfy_tables.py FTFY_SOURCE_ROOT
FTFY_SOURCE_ROOT is a checkout of github.com/rspeer/python-ftfy at tag v6.3.1
(e.g. `git --git-dir=<bare> archive v6.3.1 | tar -x -C /tmp/ftfy`).
"""
import html
import html.entities
import json
import random
import re
import sys
import unicodedata
from pathlib import Path
from re import _constants as C
from re import _parser as P

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "src/winnow/ops/text/ftfy/ftfy_tables.inc"
CASES_OUT = REPO / "tests/data/ftfy_cases.jsonl"
if len(sys.argv) != 2:
    sys.exit(__doc__)
sys.path.insert(0, sys.argv[1])

import ftfy  # noqa: E402
from ftfy import badness, chardata, fixes  # noqa: E402

assert ftfy.__version__ == "6.3.1", ftfy.__version__
assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version

MAXCP = 0x110000
ALL = [c for c in range(MAXCP) if not 0xD800 <= c <= 0xDFFF]


# ---------------------------------------------------------------------------------------------
# C++ literal helpers


def c_string(b: bytes, width: int = 96) -> str:
    """A C++ string literal (split into adjacent pieces) for arbitrary bytes."""
    pieces, cur = [], ""
    for byte in b:
        ch = chr(byte)
        if ch in '"\\':
            cur += "\\" + ch
        elif 0x20 <= byte < 0x7F:
            cur += ch
        else:
            cur += "\\%03o" % byte  # octal escapes stop after 3 digits, unlike \x
        if len(cur) >= width:
            pieces.append('"%s"' % cur)
            cur = ""
    if cur or not pieces:
        pieces.append('"%s"' % cur)
    return "\n    ".join(pieces)


def ranges_of(cps):
    out = []
    for c in sorted(cps):
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


# ---------------------------------------------------------------------------------------------
# Python regex parse tree -> PCRE2 pattern


def python_category_set(cat, is_bytes):
    """The code points Python's re matches for a category escape (\\s, \\w, \\d, negations)."""
    esc = {
        C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S",
        C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
        C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D",
    }[cat]
    if is_bytes:
        rx = re.compile(esc.encode())
        return [b for b in range(256) if rx.fullmatch(bytes([b]))]
    rx = re.compile(esc)
    return [c for c in ALL if rx.fullmatch(chr(c))]


class Emitter:
    """Re-emits a parsed Python regex as an equivalent PCRE2 pattern.

    Every character is written as \\x{HEX}; '.' becomes [^\\n] (Python's default); '^' and '$'
    get Python's non-MULTILINE meaning (\\A and "end, or before a final newline"); groups become
    non-capturing (only whole matches are used).  A greedy repeat that is the last item of the
    whole pattern is made possessive: with nothing after it, backtracking into it can never
    change the match, and possessive repeats need no backtracking stack on long inputs.
    """

    def __init__(self, is_bytes):
        self.is_bytes = is_bytes
        self.cat_cache = {}

    def ch(self, c):
        return "\\x{%X}" % c

    def class_items(self, items):
        out, neg = [], False
        for op, av in items:
            if op is C.NEGATE:
                neg = True
            elif op is C.LITERAL:
                out.append(self.ch(av))
            elif op is C.RANGE:
                out.append(self.ch(av[0]) + "-" + self.ch(av[1]))
            elif op is C.CATEGORY:
                if av not in self.cat_cache:
                    self.cat_cache[av] = ranges_of(python_category_set(av, self.is_bytes))
                for lo, hi in self.cat_cache[av]:
                    out.append(self.ch(lo) if lo == hi else self.ch(lo) + "-" + self.ch(hi))
            else:
                raise ValueError("unsupported class item %s" % op)
        return "[" + ("^" if neg else "") + "".join(out) + "]"

    def seq(self, items, top=False):
        out = []
        for i, (op, av) in enumerate(items):
            last = top and i == len(items) - 1
            out.append(self.item(op, av, possessive=last))
        return "".join(out)

    def atom(self, items):
        s = self.seq(items)
        if len(items) == 1 and items[0][0] in (C.LITERAL, C.IN, C.ANY, C.NOT_LITERAL):
            return s
        return "(?:" + s + ")"

    def item(self, op, av, possessive=False):
        if op is C.LITERAL:
            return self.ch(av)
        if op is C.NOT_LITERAL:
            return "[^" + self.ch(av) + "]"
        if op is C.ANY:
            return "[^\\x{A}]"
        if op is C.IN:
            return self.class_items(av)
        if op is C.BRANCH:
            return "(?:" + "|".join(self.seq(alt) for alt in av[1]) + ")"
        if op is C.SUBPATTERN:
            group, add_flags, del_flags, p = av
            assert not add_flags and not del_flags
            return "(?:" + self.seq(p) + ")"
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, p = av
            if (lo, hi) == (0, C.MAXREPEAT):
                q = "*"
            elif (lo, hi) == (1, C.MAXREPEAT):
                q = "+"
            elif (lo, hi) == (0, 1):
                q = "?"
            elif hi == C.MAXREPEAT:
                q = "{%d,}" % lo
            elif lo == hi:
                q = "{%d}" % lo
            else:
                q = "{%d,%d}" % (lo, hi)
            if op is C.MIN_REPEAT:
                q += "?"
            elif possessive:
                q += "+"
            return self.atom(p) + q
        if op is C.AT:
            if av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                return "\\A"
            if av is C.AT_END:
                return "(?=\\x{A}?\\z)"
            if av is C.AT_END_STRING:
                return "\\z"
            raise ValueError("unsupported anchor %s" % av)
        if op in (C.ASSERT, C.ASSERT_NOT):
            direction, p = av
            kind = ("(?=" if op is C.ASSERT else "(?!") if direction == 1 else \
                   ("(?<=" if op is C.ASSERT else "(?<!")
            return kind + self.seq(p) + ")"
        raise ValueError("unsupported regex op %s" % op)


def to_pcre(rx):
    assert not (rx.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.ASCII)), rx
    tree = P.parse(rx.pattern, rx.flags)
    return Emitter(isinstance(rx.pattern, bytes)).seq(tree.data, top=True), tree


def item_members(op, av):
    """Members of a one-character item that is a plain set of non-ASCII characters, else None."""
    if op is C.LITERAL:
        return {av} if av >= 0x80 else None
    if op is C.IN:
        s = set()
        for iop, iav in av:
            if iop is C.LITERAL:
                s.add(iav)
            elif iop is C.RANGE:
                s.update(range(iav[0], iav[1] + 1))
            else:
                return None
        return s if min(s) >= 0x80 else None
    if op is C.MAX_REPEAT and av[0] >= 1 and len(av[2]) == 1:
        return item_members(*av[2][0])
    return None


def badness_clues(tree):
    """A set of characters that every BADNESS_RE match contains at least one of.

    For each top-level alternative, pick the smallest plain non-ASCII set it requires.
    """
    assert len(tree.data) == 1 and tree.data[0][0] is C.BRANCH
    clues = set()
    for alt in tree.data[0][1][1]:
        sets = [m for m in (item_members(op, av) for op, av in alt) if m]
        assert sets, "an alternative of BADNESS_RE needs no non-ASCII character: %s" % alt
        clues |= min(sets, key=len)
    return clues


def lone_clues(tree):
    """Characters that can be the only non-ASCII character of a BADNESS_RE match.

    A match of any other alternative contains at least two non-ASCII characters, which lets
    is_bad skip the regex around a clue character with no other non-ASCII character nearby.
    """
    lone = set()
    for alt in tree.data[0][1][1]:
        required = []
        for op, av in alt:
            m = item_members(op, av)
            if m is not None:
                required += [m] * (av[0] if op is C.MAX_REPEAT else 1)
        assert required
        if len(required) == 1:
            lone |= required[0]
    return lone


def max_ascii_lead(tree):
    """The most code points a BADNESS_RE match can have before its first required non-ASCII one.

    Every match starts at most this many code points before a non-ASCII character, so IsBad
    tries the (anchored) pattern only at such starts.
    """
    def width(op, av):
        if op in (C.LITERAL, C.NOT_LITERAL, C.IN, C.ANY, C.CATEGORY):
            return 1
        if op is C.AT:
            return 0
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            assert av[1] != C.MAXREPEAT, av
            return av[1] * sum(width(o, a) for o, a in av[2])
        raise AssertionError("unexpected item before a required non-ASCII one: %s" % op)

    lead = 0
    for alt in tree.data[0][1][1]:
        n = 0
        for op, av in alt:
            if item_members(op, av) is not None:
                break
            n += width(op, av)
        else:
            raise AssertionError("an alternative needs no non-ASCII character: %s" % alt)
        lead = max(lead, n)
    return lead


def assert_no_lookahead_or_end(items):
    for op, av in items:
        assert op not in (C.ASSERT, C.ASSERT_NOT), op
        assert not (op is C.AT and av in (C.AT_END, C.AT_END_STRING, C.AT_BOUNDARY,
                                          C.AT_NON_BOUNDARY)), av
        if op is C.BRANCH:
            for alt in av[1]:
                assert_no_lookahead_or_end(alt)
        elif op is C.SUBPATTERN:
            assert_no_lookahead_or_end(av[3])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            assert_no_lookahead_or_end(av[2])


# ---------------------------------------------------------------------------------------------
# Data


def independent_html_entities():
    """ftfy's entity dict, derived again from html.entities.html5 (a cross-check)."""
    ents = {}
    for name, value in html.entities.html5.items():
        if not name.endswith(";"):
            continue
        ents["&" + name] = value
        if name == name.lower():
            upper = "&" + name.upper()
            if html.unescape(upper) == upper:
                ents[upper] = value.upper()
    return ents


def charmap_tables():
    """Per CHARMAP_ENCODING: the characters it can encode (as possible_encoding allows) -> byte."""
    encs = chardata.CHARMAP_ENCODINGS
    table = {}  # cp -> [byte or None per encoding]
    sub_ok = []
    for i, enc in enumerate(encs):
        chars = bytes(list(range(0x80, 0x100)) + [0x1A]).decode(enc)
        # possible_encoding's regex, checked character by character
        rx = chardata.ENCODING_REGEXES[enc]
        allowed = set(range(0x00, 0x1A)) | set(range(0x1B, 0x80)) | {ord(c) for c in chars}
        for cp in ALL:
            assert bool(rx.match(chr(cp))) == (cp in allowed), (enc, cp)
        sub_ok.append(0x1A in allowed)
        for cp in allowed:
            if cp < 0x80:
                assert chr(cp).encode(enc) == bytes([cp]) or cp == 0x1A, (enc, cp)
                continue
            b = chr(cp).encode(enc)
            assert len(b) == 1
            table.setdefault(cp, [None] * len(encs))[i] = b[0]
    return encs, table, sub_ok


def cp1252_high():
    strict, sloppy = [], []
    for b in range(0x80, 0xA0):
        try:
            strict.append(ord(bytes([b]).decode("windows-1252")))
        except UnicodeDecodeError:
            strict.append(0)
        sloppy.append(ord(bytes([b]).decode("sloppy-windows-1252")))
    return strict, sloppy


def composition_trails():
    """Characters that can be the second half of a canonical composition (NFC_QC=Maybe)."""
    trails = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul V and T jamo
    for cp in ALL:
        d = unicodedata.decomposition(chr(cp))
        if not d or d.startswith("<"):
            continue
        parts = [int(x, 16) for x in d.split()]
        if len(parts) == 2 and unicodedata.normalize("NFC", chr(parts[0]) + chr(parts[1])) == chr(cp):
            trails.add(parts[1])
    return trails


FLAG_NFC, FLAG_NFD, FLAG_NFKC, FLAG_NFKD = 1, 2, 4, 8
FLAG_UNASSIGNED, FLAG_BADNESS_CLUE, FLAG_FIXER, FLAG_LONE_CLUE = 16, 32, 64, 128


def fixer_changes(c):
    return any(f(c) != c for f in (fixes.fix_c1_controls, fixes.fix_latin_ligatures,
                                   fixes.fix_character_width, fixes.uncurl_quotes,
                                   fixes.fix_line_breaks, fixes.remove_control_chars))


def flag_table(clues, lone):
    trails = composition_trails()
    flags = bytearray(MAXCP)
    for cp in ALL:
        c = chr(cp)
        f = 0
        if unicodedata.combining(c) == 0:
            nfd, nfkd = unicodedata.normalize("NFD", c), unicodedata.normalize("NFKD", c)
            if nfd == c:
                f |= FLAG_NFD
            if nfkd == c:
                f |= FLAG_NFKD
            if cp not in trails:
                if unicodedata.normalize("NFC", c) == c:
                    f |= FLAG_NFC
                if unicodedata.normalize("NFKC", c) == c:
                    f |= FLAG_NFKC
        if unicodedata.category(c) == "Cn":
            f |= FLAG_UNASSIGNED
        if cp in clues:
            f |= FLAG_BADNESS_CLUE
        if cp in lone:
            assert cp in clues
            f |= FLAG_LONE_CLUE
        if fixer_changes(c):
            f |= FLAG_FIXER
        flags[cp] = f
    return flags


# ---------------------------------------------------------------------------------------------


def main():
    out = []
    w = out.append
    w("// Generated by scripts/gen_ftfy_tables.py from ftfy %s and Python %s (Unicode %s)."
      % (ftfy.__version__, sys.version.split()[0], unicodedata.unidata_version))
    w("// Do not edit: re-run the script.  Included once, by ftfy_tables.cc.")
    w("")

    # --- regexes
    bad_pat, bad_tree = to_pcre(badness.BADNESS_RE)
    assert_no_lookahead_or_end(bad_tree.data)
    lo, hi = bad_tree.getwidth()
    assert lo >= 1 and hi < 64, (lo, hi)
    clues = badness_clues(bad_tree)
    lone = lone_clues(bad_tree)
    for name, rx, doc in [
        ("kBadnessPattern", badness.BADNESS_RE, "badness.BADNESS_RE (UTF)"),
        ("kUtf8DetectorPattern", chardata.UTF8_DETECTOR_RE, "chardata.UTF8_DETECTOR_RE (UTF)"),
        ("kAlteredUtf8Pattern", chardata.ALTERED_UTF8_RE, "chardata.ALTERED_UTF8_RE (bytes)"),
        ("kAGraveWordPattern", fixes.A_GRAVE_WORD_RE, "fixes.A_GRAVE_WORD_RE (bytes)"),
        ("kLossyUtf8Pattern", chardata.LOSSY_UTF8_RE, "chardata.LOSSY_UTF8_RE (bytes)"),
    ]:
        pat = bad_pat if rx is badness.BADNESS_RE else to_pcre(rx)[0]
        w("// %s" % doc)
        w("const char %s[] =\n    %s;" % (name, c_string(pat.encode())))
    w("// The longest BADNESS_RE match, in code points.")
    w("constexpr int kBadnessMaxWidth = %d;" % hi)
    w("// The most code points a BADNESS_RE match can have before its first required non-ASCII one.")
    w("constexpr int kBadnessMaxAsciiLead = %d;" % max_ascii_lead(bad_tree))
    w("")

    # --- HTML entities
    ents = chardata.HTML_ENTITIES
    assert ents == independent_html_entities()
    w("// chardata.HTML_ENTITIES: \"&name;\" -> replacement, sorted by name (bytewise).")
    w("const Entity kHtmlEntities[] = {")
    for name in sorted(ents, key=lambda s: s.encode()):
        w("    {%s, %s}," % (c_string(name.encode()), c_string(ents[name].encode())))
    w("};")
    w("// html._invalid_charrefs: numeric references HTML5 maps to something else.")
    w("const Charref kInvalidCharrefs[] = {")
    for num, val in sorted(html._invalid_charrefs.items()):
        w("    {0x%X, %s}," % (num, c_string(val.encode())))
    w("};")
    w("// html._invalid_codepoints: numeric references that decode to nothing.")
    w("const uint32_t kInvalidCodepoints[] = {")
    cps = sorted(html._invalid_codepoints)
    for i in range(0, len(cps), 10):
        w("    " + " ".join("0x%X," % c for c in cps[i:i + 10]))
    w("};")
    w("")

    # --- charmap encodings
    encs, table, sub_ok = charmap_tables()
    w("// chardata.CHARMAP_ENCODINGS, in the order fix_encoding tries them.")
    w("constexpr int kNumCharmaps = %d;" % len(encs))
    w("const char* const kCharmapNames[] = {%s};" % ", ".join('"%s"' % e for e in encs))
    w("constexpr bool kCharmapSloppy[] = {%s};"
      % ", ".join("true" if e.startswith("sloppy") else "false" for e in encs))
    w("// Encodings whose possible_encoding() admits U+001A (encoded as byte 0x1A).")
    w("constexpr uint16_t kCharmapSubstituteOk = 0x%X;"
      % sum(1 << i for i, ok in enumerate(sub_ok) if ok))
    w("// Every non-ASCII character some CHARMAP_ENCODING can encode: mask of those encodings and")
    w("// the byte in each (0 where not encodable).")
    w("const CharmapEntry kCharmapEntries[] = {")
    for cp in sorted(table):
        bs = table[cp]
        mask = sum(1 << i for i, b in enumerate(bs) if b is not None)
        w("    {0x%04X, 0x%03X, {%s}}," % (cp, mask, ", ".join("0x%02X" % (b or 0) for b in bs)))
    w("};")
    strict, sloppy = cp1252_high()
    w("// Bytes 0x80-0x9F in windows-1252 (0: undefined, a decode error) and sloppy-windows-1252.")
    w("const uint16_t kCp1252High[32] = {%s};" % ", ".join("0x%X" % c for c in strict))
    w("const uint16_t kSloppyCp1252High[32] = {%s};" % ", ".join("0x%X" % c for c in sloppy))
    w("")

    # --- translate tables
    w("// chardata.LIGATURES and chardata.WIDTH_MAP: code point -> replacement.")
    for name, mapping in [("kLigatures", chardata.LIGATURES), ("kWidthMap", chardata.WIDTH_MAP)]:
        w("const Translation %s[] = {" % name)
        for cp in sorted(mapping):
            w("    {0x%04X, %s}," % (cp, c_string(mapping[cp].encode())))
        w("};")
    w("// chardata.CONTROL_CHARS (deleted by remove_control_chars), as ranges.")
    w("const Range kControlChars[] = {")
    for a, b in ranges_of(chardata.CONTROL_CHARS):
        w("    {0x%04X, 0x%04X}," % (a, b))
    w("};")
    w("// Python's \\d for str patterns (Unicode Nd), for ANSI_RE.")
    w("const Range kDecimalDigits[] = {")
    for a, b in ranges_of(python_category_set(C.CATEGORY_DIGIT, False)):
        w("    {0x%04X, 0x%04X}," % (a, b))
    w("};")
    w("")

    # --- per code point flags, two-stage table
    flags = flag_table(clues, lone)
    for cp in range(0x80):  # ASCII is handled byte-wise; keep the table consistent anyway
        assert flags[cp] & (FLAG_NFC | FLAG_NFD | FLAG_NFKC | FLAG_NFKD) == 15
    blocks, index = {}, []
    for start in range(0, MAXCP, 256):
        blk = bytes(flags[start:start + 256])
        if blk not in blocks:
            blocks[blk] = len(blocks)
        index.append(blocks[blk])
    cjk = set(flags[0x4000:0xA000])
    assert len(cjk) == 1, cjk
    w("// Every code point in U+4000-U+9FFF (UTF-8 lead bytes E4-E9: CJK) has these flags.")
    w("constexpr uint8_t kCjkFlags = %d;" % cjk.pop())
    w("// Per code point flags (kNfcSafe ...), two-stage: kFlagBlocks[kFlagIndex[cp >> 8]][cp & 255].")
    w("const uint16_t kFlagIndex[%d] = {" % len(index))
    for i in range(0, len(index), 16):
        w("    " + " ".join("%d," % x for x in index[i:i + 16]))
    w("};")
    w("const uint8_t kFlagBlocks[%d][256] = {" % len(blocks))
    for blk in blocks:
        w("    {")
        for i in range(0, 256, 32):
            w("        " + " ".join("%d," % x for x in blk[i:i + 32]))
        w("    },")
    w("};")
    OUT.write_text("\n".join(out) + "\n")
    print("wrote %s (%d entities, %d charmap chars, %d flag blocks, %d badness clues, lone: %s)"
          % (OUT, len(ents), len(table), len(blocks), len(clues), "".join(map(chr, sorted(lone)))))



# ---------------------------------------------------------------------------------------------
# Test cases for tests/unit/ftfy_test.cc


CLEAN = [
    "Hello, world! Plain ASCII text, with digits 12345 and (parentheses).",
    "café résumé naïve façade à la carte", "Größe Straße Übermaß ÄÖÜ äöü ß",
    "Καλημέρα κόσμε, ελληνικά", "Привет, мир! Ёжик и ёлка", "Zażółć gęślą jaźń", "Příliš žluťoučký kůň",
    "İstanbul, ığdır, şeker", "中文测试：你好，世界！", "日本語のテキスト、カタカナ、ひらがな", "한국어 텍스트입니다",
    "مرحبا بالعالم", "שלום עולם", "हिन्दी पाठ", "ภาษาไทย", "Tiếng Việt có dấu", "emoji 😀🎉👍🏽 ✔ ★ 🏴󠁧󠁢󠁷󠁬󠁳󠁿",
    "“curly” ‘quotes’ — dashes – … ellipsis", "math ± × ÷ ≤ ≥ ≠ ∞ √ ∑ ∫ µ ½", "€100 £50 ¥20 ¢ § ¶ © ® ™",
    "ＦＵＬＬ　ＷＩＤＴＨ １２３！？", "ligatures ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ ĳ Ĳ Ǆ ǅ ǆ Ǉ ǈ ǉ Ǌ ǋ ǌ Ǳ ǲ ǳ ŉ", "halfwidth ｶﾀｶﾅ ﾞﾟ ﾡ ￠ ￡ ￥ ￦",
    "combining e\u0301 a\u0308 o\u0302 \u1e09 q\u0307\u0323", "Hangul jamo \u1100\u1161\u11a8 \uac00\u11a8",
    "compat ㎏ ½ ² ℃ Ⅻ ﬆ ｱ ① ⁵ ᵃ", "nbsp\u00a0here and\u00a0there", "soft\u00adhyphen", "Å ångström Ø ø Æ æ Œ œ",
    "¿Qué tal? ¡Olé! niño", "àquele, às vezes, ação", "fàcil, això", "ș ț ă î â", "ąčęėįšųūž", "őű ŐŰ",
    "box ┌─┐│└┘ ═║╔╗", "(╯°□°)╯︵ ┻━┻ ¯\\_(ツ)_/¯", "Ø§Ù„Ø¹Ø±Ø¨ÙŠØ©", "Ã la mode", "voilà", "Σ Δ Ω α β γ",
]

MOJIBAKE_ENCODINGS = [
    "latin-1", "windows-1252", "sloppy-windows-1252", "sloppy-windows-1251", "sloppy-windows-1250",
    "sloppy-windows-1253", "sloppy-windows-1254", "sloppy-windows-1257", "iso-8859-2", "macroman", "cp437",
    "windows-1251", "cp850", "koi8-r", "iso-8859-15",
]

HAND = [
    # single and double mojibake in each encoding ftfy knows, and some it does not
    "sÃ³", "Ã©tÃ© Ã  Paris, cafÃ©", "â€œquotedâ€\x9d and â€˜singleâ€™", "ÃƒÂ©tÃƒÂ© double",
    "The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t have eyebrows.", "Ð¿Ñ€Ð¸Ð²ÐµÑ‚ Ð¼Ð¸Ñ€", "ðŸ˜€ smile",
    "ä¸\xadæ–‡æµ‹è¯•", "It costs 5â‚¬", "â”œâ•—", "Ãƒ ÃƒÂ¢â‚¬â€ mixed ??", "Ã\x89tÃ© Ã\xa0 la plage",
    "РґРѕР±СЂС‹Р№ РґРµРЅСЊ", "Î•Î»Î»Î·Î½Î¹ÎºÎ¬", "Ä\x8desky ÄŤesky", "Ä°stanbul ÅŸeker", "â€™ Ä\x81 â€",
    "Ã¤Ã¶Ã¼ ÃŸ", "Ã\u0160", "ÐŸÑ€Ð¸Ð²ÐµÑ‚", "ã‚«ã‚¿ã‚«ãƒŠ", "Ã­Ã±", "Ã¡rvÃ­ztÅ±rÅ‘ tÃ¼kÃ¶rfÃºrÃ³gÃ©p",
    # restore_byte_a0: a space where byte A0 was
    "voilÃ le travail", "Ã la mode", "Ã s vezes", "Ã quele dia", "Ã  la", "fÃ cil", "cafÃ© Ã  la",
    "â€œ like this â€\ufffd", "â€? question", "Ã? lossy", "\ufffd\ufffd mojibake Ã©",
    # utf-8-variants: CESU-8 surrogate pairs and Java's C0 80, incl. Python's `$` before a final \n
    "\xed\xa0\xbd\xed\xb8\x80 emoji", "Ã©\xc0\x80 end", "Ã©À\n", "x Ã©À\nnext line Ã©",
    "\xc3\xa9\xed\xa0\xbd\xed\xb8\n", "\xed\xa0\xbd\xed\xb8\u20ac", "í\xa0\x80 lone surrogate Ã©",
    # inconsistent UTF-8 mixed with other text, and C1 controls
    "Ã©tÃ© 中 Ã©tÃ©", "Ð¿Ñ€Ð¸Ð²ÐµÑ‚ 中文 â€œhiâ€\x9d", "\x93quoted\x94 text", "price \x80100", "ellipsis\x85 here",
    "a\x81b", "\x81\x8d\x8f\x90\x9d undefined", "\x80\x81 mixed", "cafÃ©\x81", "Ãƒ\x81",
    # HTML entities
    "&amp; &lt; &gt; &quot; &apos;", "caf&eacute; P&EACUTE;REZ &#233; &#xE9; &#x263A; &#128512;", "a&nbsp;b",
    "&amp without semicolon &copy", "this&not that", "&nosuchentity; &#xZZ; &#0;", "&lt;tag&gt; &amp;amp;",
    "&NTILDE; &nTILDE; &Ntilde; &SZLIG; &Jscr;ohn &HilbertSpace;", "&#59; &#x3b; &#1; &#13; &#128; &#150; &#xD800;",
    "&#99999999999999999999; &#x110000; &#xFFFE; &#x1FFFF; &#65a; &#x; &#;", "&&amp;; &#&#65;",
    "&aaaaaaaaaaaaaaaaaaaaaaaa; &aaaaaaaaaaaaaaaaaaaaaaaaa;", "&NotEqualTilde; &fjlig; &ThickSpace;",
    "first &amp; line\n<p>second &amp; line\nthird &amp; line", "<b>&amp;</b> &eacute;",
    "first &amp; line\r\nx < y &amp; z\r\nthird &eacute;\n", "＆ａｍｐ； fullwidth entity",
    # other fixers
    "\x1b[36;44mblue\x1b[0m \x1b[1m \x1b[m \x1b[١٢m \x1b[12 \x1b", "a\x00b\x07c\x0bd\x0ce\x1ff\x7fg",
    "\ufeffBOM \u206a \ufff9\ufffa\ufffb\ufffc \ufffd", "CRLF\r\nCR\rLS\u2028PS\u2029NEL\x85end",
    "\r\r\n\n\r", "mixed\r\n\u2028", "tab\tform\x0cfeed",
    # normalization-sensitive
    "\u1e0a\u0323 \u0044\u0307\u0323 \u212b \u2126 \uf900 \u0f73 \u0344",
    "\u1100\u1161\u11a8 \uac00\u11a8 \uac01", "e\u0301\u0327 \u00e9\u0327", "x\U0001E030 \U0001E4EC",
    "a\U0001E4EC\u0301", "\u00e9\U0001E4EC\u0301\u0327", "\U00011F41\U00011F34 e\u0301",
    "\u0378 unassigned \u0301", "\uffff \U0010FFFF \ue000",
]


def mojibake(rng, text):
    data = text.encode("utf-8")
    if rng.random() < 0.15:  # CESU-8 / Java style UTF-8
        out = bytearray()
        for ch in text:
            if ord(ch) >= 0x10000:
                u = ch.encode("utf-16-be")
                for k in (0, 2):
                    out += chr(int.from_bytes(u[k:k + 2], "big")).encode("utf-8", "surrogatepass")
            elif rng.random() < 0.05 and ch == " ":
                out += b"\xc0\x80"
            else:
                out += ch.encode("utf-8")
        data = bytes(out)
    t = data.decode(rng.choice(MOJIBAKE_ENCODINGS), errors="replace")
    if rng.random() < 0.3:
        t = t.replace("\xa0", " ")
    if rng.random() < 0.2:
        t = "".join(c if rng.random() > 0.1 else rng.choice("?\ufffd") for c in t)
    if rng.random() < 0.2:
        t = t.encode("utf-8").decode(rng.choice(MOJIBAKE_ENCODINGS), errors="replace")
    if rng.random() < 0.1 and t:
        t = t[:rng.randrange(len(t))]
    return t


def random_entity(rng, names):
    x = rng.random()
    if x < 0.4:
        return "&" + rng.choice(names)
    if x < 0.55:
        return "&" + rng.choice(names).upper()
    if x < 0.75:
        return "&#" + str(rng.choice([0, 1, 13, 59, 65, 129, 150, 233, 0xD800, 0xFFFE, 0x110000, 10 ** 30,
                                      rng.randrange(0x30000)])) + ";"
    return "&#" + rng.choice("xX") + format(rng.randrange(0x120000), rng.choice("xX")) + rng.choice([";", "", "z;"])


def random_text(rng, pool, names):
    parts = []
    for _ in range(rng.randrange(1, 6)):
        x = rng.random()
        if x < 0.3:
            parts.append(mojibake(rng, rng.choice(CLEAN)))
        elif x < 0.5:
            parts.append(rng.choice(CLEAN))
        elif x < 0.75:
            parts.append("".join(rng.choice(pool) for _ in range(rng.randrange(1, 12))))
        elif x < 0.85:
            parts.append(random_entity(rng, names))
        elif x < 0.9:
            parts.append("\x1b[" + "".join(rng.choice("0123;") for _ in range(rng.randrange(4))) + rng.choice("mK!"))
        else:
            parts.append(rng.choice(["\n", "\r\n", "\r", " ", "<", "<b>", "\u2028", "\x85"]))
    return rng.choice(["", " ", "\n"]).join(parts)


def write_cases():
    rng = random.Random(615)
    cases = []
    norms = ["NFC", "NFD", "NFKC", "NFKD"]

    def add(name, text, fn="fix_text", norm="NFC"):
        if fn == "fix_text":
            expect = ftfy.fix_text(text, normalization=norm)
        elif fn == "is_bad":
            expect = badness.is_bad(text)
        elif fn == "fix_encoding":
            expect = ftfy.fix_encoding(text)
        else:
            expect = fixes.unescape_html(text)
        c = {"name": name, "fn": fn}
        if fn == "fix_text":
            c["normalization"] = norm
        c["text"] = text
        c["expect"] = expect
        cases.append(c)

    def add_parts(name, parts, norm, expect_parts):
        text = "".join(s * n for s, n in parts)
        assert ftfy.fix_text(text, normalization=norm) == "".join(s * n for s, n in expect_parts), name
        cases.append({"name": name, "fn": "fix_text", "normalization": norm, "text_parts": parts,
                      "expect_parts": expect_parts})

    hand = HAND + CLEAN
    for i, t in enumerate(hand):
        for norm in norms:
            add("hand_%d_%s" % (i, norm), t, norm=norm)
        add("hand_%d_is_bad" % i, t, fn="is_bad")
        add("hand_%d_fix_encoding" % i, t, fn="fix_encoding")
        if "&" in t:
            add("hand_%d_unescape_html" % i, t, fn="unescape_html")
    for i, t in enumerate(CLEAN):
        for enc in MOJIBAKE_ENCODINGS[:11]:
            try:
                add("mojibake_%d_%s" % (i, enc), t.encode("utf-8").decode(enc), norm=rng.choice(norms))
            except UnicodeDecodeError:
                pass

    pool = [c for c in map(chr, range(0x80, 0x100))] + list("ÂÃÎÐØÙàâ€œŠš¢£Ÿž®©°·»–—´²³√±∂†≠™≤≥¥µø≈‚Äìîïòôúùû")
    pool += list("вЂГўВβ€ΆΒΓΞΟā│┌┐┘├┤┬┼═╬▀▄█abcxyzABC019 .,?!;:'\"&<>#\n\r\t\x1b[\x00\x7f")
    pool += ["\u2028", "\ufeff", "\ufffd", "\x1a", "ﬁ", "Ａ", "　", "ｶ", "\u0301", "\u1161", "가", "\uf900"]
    names = sorted(html.entities.html5)
    for i in range(400):
        add("random_%d" % i, random_text(rng, pool, names), norm=rng.choice(norms))
    for i in range(150):
        t = "".join(rng.choice("abcdef ABC.,!?\n") for _ in range(rng.randrange(1, 40)))
        for _ in range(rng.randrange(1, 4)):
            k = rng.randrange(len(t) + 1)
            t = t[:k] + rng.choice(pool[:128] + ["é", "中", "’", "“", "”", "—", "Ã", "Â", "œ", "Œ"]) + t[k:]
        add("is_bad_%d" % i, t, fn="is_bad")
    for i in range(100):
        add("fix_encoding_%d" % i, mojibake(rng, " ".join(rng.sample(CLEAN, 3))), fn="fix_encoding")
    for i in range(60):
        add("unescape_html_%d" % i, " ".join(random_entity(rng, names) for _ in range(5)), fn="unescape_html")

    # Long texts: a multi-line document mixing clean text, mojibake, entities, '<' and CRLF.
    for k, norm in enumerate(norms):
        lines = []
        for _ in range(400):
            x = rng.random()
            line = rng.choice(CLEAN) if x < 0.6 else mojibake(rng, rng.choice(CLEAN)) if x < 0.85 else \
                random_text(rng, pool, names).replace("<", "")
            lines.append(line + rng.choice(["\n", "\n", "\r\n", " "]))
        lines.insert(300, "a <b>tag</b> turns unescaping off: &amp;\n")
        add("long_document_%s" % norm, "".join(lines), norm=norm)
    # Longer than max_decode_length (1,000,000 code points) without a line break.
    add_parts("long_line_mojibake", [["Ã©", 700000]], "NFC", [["é", 700000]])
    cut = ftfy.fix_text("x" * 999999 + "Ã©abc")
    assert cut.startswith("x" * 999999)
    add_parts("long_line_cut_inside_mojibake", [["x", 999999], ["Ã©abc", 1]], "NFC",
              [["x", 999999], [cut[999999:], 1]])
    add_parts("long_lines_lt_switch", [["&amp; line\n", 5000], ["<p>\n", 1], ["&amp; line\n", 5000]], "NFC",
              [["& line\n", 5000], ["<p>\n", 1], ["&amp; line\n", 5000]])
    add_parts("long_cjk_fullwidth", [["中文，测试！\n", 20000]], "NFKC", [["中文,测试!\n", 20000]])
    add_parts("long_clean", [["The quick brown fox jumps over the lazy dog. 中文 café\n", 10000]], "NFC",
              [["The quick brown fox jumps over the lazy dog. 中文 café\n", 10000]])
    add_parts("long_crlf", [["Windows line\r\n", 20000]], "NFD", [["Windows line\n", 20000]])
    add_parts("long_mixed_line", [["Ã©tÃ© ", 30000], ["中", 1], ["â€œ", 20000]], "NFC",
              [["été ", 30000], ["中", 1], ["\"", 20000]])

    with open(CASES_OUT, "w", encoding="utf-8") as f:
        f.write("# Generated by scripts/gen_ftfy_tables.py: expectations from ftfy %s on Python %s.\n"
                % (ftfy.__version__, sys.version.split()[0]))
        f.write("# fn: fix_text (with normalization) | is_bad | fix_encoding | unescape_html. A text given as\n")
        f.write("# text_parts / expect_parts is the concatenation of piece * count.\n")
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    print("wrote %s (%d cases)" % (CASES_OUT, len(cases)))


main()
write_cases()
