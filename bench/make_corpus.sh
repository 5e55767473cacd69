#!/usr/bin/env bash
# Build Winnow's benchmark corpus from real natural-language text shipped in Debian 12 packages.
#
#   bench/make_corpus.sh            -> bench/corpus/corpus.jsonl      (~78 MB, deterministic)
#   bench/make_corpus.sh --big      -> also bench/corpus/corpus-1g.jsonl (~1 GB, for peak-RSS tests)
#   bench/make_corpus.sh --force    -> rebuild even if the stamp says the corpus is up to date
#
# One JSON object per line: {"text": "...", "meta": {"source": "...", "lang": "..."}}
# (UTF-8, not ASCII-escaped; keys always in this order, so "text" is always first).
#
# Sources (all from Debian packages, installed here with apt-get when missing):
#   debian-handbook        The Debian Administrator's Handbook, HTML in 26 languages -> one doc per page
#   debian-reference-XX    Debian Reference, HTML in en/de/fr/es/it/ja             -> one doc per page
#   manpages*, manpages-XX man pages (en + fr/es/ru/it), rendered with `man -P cat -l`
#                          at 80 columns, overstrikes/SGR stripped                  -> one doc per page
#   fortunes*, fortunes-XX fortune cookies (en/de/es/it/ru)                         -> one doc per fortune
#   /usr/share/doc/P/copyright for every installed Priority:required package and every package
#                          above (a fixed set, so the corpus does not change when unrelated
#                          packages get installed)                                  -> one doc per file
# HTML is turned into plain text with python3's html.parser: block elements (p, div, li, h1..h6,
# tr, pre, ...) end a line, inline whitespace is collapsed, <pre> keeps its layout, <head>/<script>/
# <style> are dropped, empty lines are removed; paragraphs are thus separated by "\n".
#
# Determinism: file lists are sorted and documents are ordered by md5(meta.source) (a fixed
# interleaving of sources and languages, no randomness), so any prefix of the file (e.g.
# `head -c 5M`) is a representative mix. Same package versions -> byte-identical corpus.
# Idempotence: a stamp (hash of this script + the package versions) lets a re-run skip the
# rebuild; --force rebuilds anyway. Building uses one core (man rendering is sequential).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUTDIR="$HERE/corpus"
CORPUS="$OUTDIR/corpus.jsonl"
STATS="$OUTDIR/corpus.stats.tsv"
STAMP="$OUTDIR/corpus.stamp"
BIG="$OUTDIR/corpus-1g.jsonl"
BIG_BYTES=1000000000
PY=/usr/bin/python3

want_big=0
force=0
for arg in "$@"; do
  case "$arg" in
    --big) want_big=1 ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--big] [--force]" >&2; exit 2 ;;
  esac
done

# Debian 12 packages with real text (all checked to exist in bookworm).
HANDBOOK_PKGS=(debian-handbook)
REFERENCE_PKGS=(debian-reference-en debian-reference-de debian-reference-fr debian-reference-es
                debian-reference-it debian-reference-ja)
# (manpages-de/-ja/-pl exist too; left out to keep the corpus within ~80 MB: CJK comes from the
#  handbook's ja/zh/ko pages, German from the handbook, the reference and fortunes-de)
MAN_PKGS=(manpages manpages-dev manpages-fr manpages-es manpages-ru manpages-it)
FORTUNE_PKGS=(fortunes-min fortunes fortunes-de fortunes-es fortunes-it fortunes-ru)
TOOL_PKGS=(python3 man-db groff-base)
ALL_PKGS=("${HANDBOOK_PKGS[@]}" "${REFERENCE_PKGS[@]}" "${MAN_PKGS[@]}" "${FORTUNE_PKGS[@]}" "${TOOL_PKGS[@]}")

# ---------------------------------------------------------------- install what is missing
missing=()
for p in "${ALL_PKGS[@]}"; do
  # dpkg -s also reports removed-but-not-purged packages; require "install ok installed".
  if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "make_corpus: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2; then
    $SUDO apt-get update -q -o DPkg::Lock::Timeout=600 >&2
    $SUDO apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2
  fi
fi

mkdir -p "$OUTDIR"

# ---------------------------------------------------------------- stamp (skip if up to date)
# Copyright set: Priority:required packages that are installed + our own packages.
mapfile -t REQUIRED_PKGS < <(dpkg-query -W -f '${Status}\t${Priority}\t${Package}\n' \
  | awk -F'\t' '$1=="install ok installed" && $2=="required" {print $3}' | LC_ALL=C sort -u)
COPYRIGHT_PKGS=$(printf '%s\n' "${REQUIRED_PKGS[@]}" "${ALL_PKGS[@]}" | LC_ALL=C sort -u | tr '\n' ' ')
stamp_key=$( { sha256sum "$0" | cut -d' ' -f1
              for p in $COPYRIGHT_PKGS; do dpkg-query -W -f '${Package}=${Version}\n' "$p"; done
            } | sha256sum | cut -d' ' -f1)

print_summary() {
  echo "== $CORPUS"
  printf '   %s bytes (%.1f MB), %s documents\n' "$(stat -c %s "$CORPUS")" \
    "$(awk -v b="$(stat -c %s "$CORPUS")" 'BEGIN{print b/1e6}')" "$(wc -l < "$CORPUS")"
  if [ -f "$STATS" ]; then
    echo "   per source (kind, lang, docs, MB of text):"
    column -t -s $'\t' "$STATS" | sed 's/^/     /'
  fi
  if [ -f "$BIG" ]; then
    echo "== $BIG"
    printf '   %s bytes (%.1f MB), %s documents\n' "$(stat -c %s "$BIG")" \
      "$(awk -v b="$(stat -c %s "$BIG")" 'BEGIN{print b/1e6}')" "$(wc -l < "$BIG")"
  fi
}

if [ "$force" -eq 0 ] && [ -s "$CORPUS" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$stamp_key" ]; then
  echo "make_corpus: $CORPUS is up to date (stamp $stamp_key); use --force to rebuild" >&2
else
  rm -f "$STAMP" "$BIG"   # the big file derives from the corpus
  t0=$(date +%s)
  COPYRIGHT_PKGS="$COPYRIGHT_PKGS" MAN_PKGS="${MAN_PKGS[*]}" LC_ALL=C.UTF-8 "$PY" - "$CORPUS.tmp" "$STATS.tmp" <<'PYEOF'
import hashlib, html.parser, json, os, re, subprocess, sys, unicodedata
from collections import defaultdict

out_path, stats_path = sys.argv[1], sys.argv[2]
docs = []  # (sort_key, source, lang, kind, text)

def add(kind, source, lang, text):
    text = text.strip("\n")
    if not text.strip():
        return
    key = hashlib.md5(source.encode("utf-8")).hexdigest()
    docs.append((key, source, lang, kind, text))

def primary_lang(tag):
    return re.split(r"[-_.@]", tag)[0].lower()

def read_text(path):
    data = open(path, "rb").read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")

OVERSTRIKE = re.compile(r".\x08")
SGR = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

def clean_terminal(s):
    # "_\bX" (underline) and "X\bX" (bold) -> "X"; repeat for multi-overstrikes.
    while "\x08" in s:
        t = OVERSTRIKE.sub("", s)
        if t == s:
            s = s.replace("\x08", "")
            break
        s = t
    s = SGR.sub("", s)
    s = s.replace("\r\n", "\n")
    return "\n".join(l.rstrip() for l in s.split("\n"))

# ------------------------------------------------------------------ HTML -> text
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr", "pre",
         "table", "ul", "ol", "dl", "blockquote", "br", "hr", "section", "article", "header",
         "footer", "nav", "caption", "figure", "figcaption", "address", "title", "tbody",
         "thead", "body", "html"}
SKIP = {"head", "script", "style", "noscript"}
PRE_NL, PRE_SP, PRE_TAB = "\x00", "\x01", "\x02"

class Html2Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip, self.pre = [], 0, 0
    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        elif tag in BLOCK:
            self.parts.append("\n")
            if tag == "pre":
                self.pre += 1
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "img":
            pass
    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK and not self.skip:
            self.parts.append("\n")
    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK:
            self.parts.append("\n")
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
        elif tag in ("td", "th"):
            self.parts.append(" ")
    def handle_data(self, data):
        if self.skip:
            return
        if self.pre:
            self.parts.append(data.replace("\r\n", "\n").replace("\n", PRE_NL)
                              .replace(" ", PRE_SP).replace("\t", PRE_TAB))
        else:
            self.parts.append(re.sub(r"\s+", " ", data))
    def text(self):
        lines = []
        for line in "".join(self.parts).split("\n"):
            line = re.sub(r" {2,}", " ", line).strip()
            if line.strip(PRE_NL + PRE_SP + PRE_TAB):
                lines.append(line)
        s = "\n".join(lines)
        s = s.replace(PRE_SP, " ").replace(PRE_TAB, "\t")
        # a <pre> block: keep its inner lines (trim trailing blanks and empty edge lines)
        s = s.replace(PRE_NL, "\n")
        return "\n".join(l.rstrip() for l in s.split("\n")).strip("\n")

def html_to_text(path):
    p = Html2Text()
    p.feed(read_text(path))
    p.close()
    return p.text()

def walk_sorted(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for f in sorted(filenames):
            yield os.path.join(dirpath, f)

# ------------------------------------------------------------------ debian-handbook
HB = "/usr/share/doc/debian-handbook/html"
for lang_dir in sorted(os.listdir(HB)):
    d = os.path.join(HB, lang_dir)
    if not os.path.isdir(d):
        continue
    for f in sorted(os.listdir(d)):
        path = os.path.join(d, f)
        if f.endswith(".html") and os.path.isfile(path) and not os.path.islink(path):
            add("debian-handbook", f"debian-handbook/{lang_dir}/{f}", primary_lang(lang_dir),
                html_to_text(path))

# ------------------------------------------------------------------ debian-reference
DR = "/usr/share/debian-reference"
for f in sorted(os.listdir(DR)):
    m = re.fullmatch(r"(.+)\.([a-zA-Z_-]+)\.html", f)
    path = os.path.join(DR, f)
    if m and os.path.isfile(path) and not os.path.islink(path):
        add("debian-reference", f"debian-reference/{f}", primary_lang(m.group(2)), html_to_text(path))

# ------------------------------------------------------------------ man pages
def dpkg_files(pkg):
    out = subprocess.run(["dpkg-query", "-L", pkg], capture_output=True, text=True, check=True).stdout
    return sorted(l for l in out.splitlines() if l)

MAN_PKGS = os.environ["MAN_PKGS"].split()
man_env = {k: v for k, v in os.environ.items()
           if k not in ("MANPAGER", "PAGER", "MANOPT", "MAN_KEEP_FORMATTING", "MANROFFOPT")}
man_env.update(MANWIDTH="80", LC_ALL="C.UTF-8", LANG="C.UTF-8", MAN_DISABLE_SECCOMP="1")
pages = []
for pkg in MAN_PKGS:
    for path in dpkg_files(pkg):
        m = re.fullmatch(r"/usr/share/man/(?:([^/]+)/)?man[0-9][^/]*/([^/]+?)(\.gz)?", path)
        if not m or os.path.islink(path) or not os.path.isfile(path):
            continue
        pages.append((path, primary_lang(m.group(1)) if m.group(1) else "en"))
for i, (path, lang) in enumerate(sorted(set(pages))):
    # skip ".so other/page" redirect stubs (duplicates of another page)
    raw = subprocess.run(["zcat", "-f", path], capture_output=True, check=True).stdout
    body = [l for l in raw.splitlines() if l.strip() and not l.startswith(b".\\\"") and not l.startswith(b"'\\\"")]
    if len(body) <= 2 and any(l.startswith(b".so ") for l in body):
        continue
    r = subprocess.run(["man", "-E", "UTF-8", "-P", "cat", "-l", path], capture_output=True, env=man_env)
    text = clean_terminal(r.stdout.decode("utf-8", errors="replace"))
    if r.returncode != 0 and not text.strip():
        print(f"make_corpus: man failed on {path}: {r.stderr[:200]!r}", file=sys.stderr)
        continue
    rel = path[len("/usr/share/man/"):]
    if rel.endswith(".gz"):
        rel = rel[:-3]
    add("man", f"man/{rel}", lang, text)
    if (i + 1) % 1000 == 0:
        print(f"make_corpus: rendered {i + 1}/{len(pages)} man pages", file=sys.stderr)

# ------------------------------------------------------------------ fortunes
FORTUNE_LANG = {"fortunes-min": "en", "fortunes": "en", "fortunes-de": "de", "fortunes-es": "es",
                "fortunes-it": "it", "fortunes-ru": "ru"}
for pkg, lang in FORTUNE_LANG.items():
    for path in dpkg_files(pkg):
        if (not path.startswith("/usr/share/games/fortunes/") or path.endswith((".dat", ".u8"))
                or os.path.islink(path) or not os.path.isfile(path)):
            continue
        rel = path[len("/usr/share/games/fortunes/"):]
        chunks = re.split(r"^%[ \t]*$", read_text(path).replace("\r\n", "\n"), flags=re.M)
        for j, chunk in enumerate(chunks):
            add("fortune", f"fortunes/{rel}#{j}", lang, clean_terminal(chunk))

# ------------------------------------------------------------------ copyright files
for pkg in sorted(set(os.environ["COPYRIGHT_PKGS"].split())):
    path = f"/usr/share/doc/{pkg}/copyright"
    if os.path.isfile(path):
        add("copyright", f"copyright/{pkg}", "en", read_text(path).replace("\r\n", "\n").rstrip())

# ------------------------------------------------------------------ write
docs.sort()
stats = defaultdict(lambda: [0, 0])
with open(out_path, "w", encoding="utf-8", newline="\n") as fo:
    for _key, source, lang, kind, text in docs:
        fo.write(json.dumps({"text": text, "meta": {"source": source, "lang": lang}},
                            ensure_ascii=False) + "\n")
        s = stats[(kind, lang)]
        s[0] += 1
        s[1] += len(text.encode("utf-8"))
with open(stats_path, "w", encoding="utf-8") as fs:
    fs.write("kind\tlang\tdocs\ttext_MB\n")
    kinds = defaultdict(lambda: [0, 0])
    for (kind, lang), (n, b) in sorted(stats.items()):
        fs.write(f"{kind}\t{lang}\t{n}\t{b / 1e6:.2f}\n")
        kinds[kind][0] += n; kinds[kind][1] += b
    for kind, (n, b) in sorted(kinds.items()):
        fs.write(f"{kind}\tALL\t{n}\t{b / 1e6:.2f}\n")
    fs.write(f"TOTAL\tALL\t{sum(v[0] for v in kinds.values())}\t{sum(v[1] for v in kinds.values()) / 1e6:.2f}\n")
PYEOF
  mv -f "$CORPUS.tmp" "$CORPUS"
  mv -f "$STATS.tmp" "$STATS"
  echo "$stamp_key" > "$STAMP"
  echo "make_corpus: built $CORPUS in $(( $(date +%s) - t0 ))s" >&2
fi

# ---------------------------------------------------------------- --big: ~1 GB by repetition
if [ "$want_big" -eq 1 ]; then
  if [ -s "$BIG" ] && [ "$BIG" -nt "$CORPUS" ]; then
    echo "make_corpus: $BIG is up to date" >&2
  else
    # Repetition 0 is the corpus as is; repetition r>0 prefixes every text with "[r] " so the
    # documents are not exact duplicates of each other. Stops at the first line boundary at or
    # past BIG_BYTES.
    "$PY" - "$CORPUS" "$BIG.tmp" "$BIG_BYTES" <<'PYEOF'
import sys
src, dst, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
head = b'{"text": "'
written, rep = 0, 0
with open(dst, "wb") as fo:
    while written < limit:
        with open(src, "rb") as fi:
            for line in fi:
                if rep:
                    assert line.startswith(head), "corpus lines must start with the text key"
                    line = b"%s[%d] %s" % (head, rep, line[len(head):])
                fo.write(line)
                written += len(line)
                if written >= limit:
                    break
        rep += 1
print(f"make_corpus: wrote {written} bytes in {rep} repetitions", file=sys.stderr)
PYEOF
    mv -f "$BIG.tmp" "$BIG"
  fi
fi

print_summary
