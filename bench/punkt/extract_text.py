#!/usr/bin/python3
"""Plain-text training corpus for `winnow punkt train` from Debian's HTML documentation.

usage: extract_text.py OUT.txt FILE.html...
Writes the prose: the text of every <p>, <li>, <dd> and <div class="para"> (DocBook) block (markup removed, whitespace runs
collapsed to one space), one block per line with a blank line between blocks (Punkt reads a
blank line as a paragraph start). Headings, tables, navigation bars and <pre>/<script>/<style>
are left out: numbered headings ("6.2. Adding") and menus would teach Punkt junk abbreviations.
Files are read in the order given (sort them for a deterministic corpus)."""
import html.parser
import re
import sys

BLOCKS = {"p", "li", "dd"}
SKIP = {"pre", "script", "style", "table", "h1", "h2", "h3", "h4", "h5", "h6", "title", "dt"}


class Extractor(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.cur, self.skip, self.inside = [], [], 0, 0
        self.divs = []  # for each open <div>: whether it is a DocBook paragraph

    def flush(self):
        text = re.sub(r"\s+", " ", "".join(self.cur)).strip()
        if text:
            self.blocks.append(text)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            self.divs.append(("class", "para") in attrs)
            tag = "p" if self.divs[-1] else tag
        if tag in SKIP:
            self.skip += 1
        if tag in BLOCKS:
            self.inside += 1
        if tag in BLOCKS or tag in SKIP or tag == "br":
            self.flush()

    def handle_endtag(self, tag):
        if tag == "div":
            tag = "p" if self.divs and self.divs.pop() else tag
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        if tag in BLOCKS:
            self.inside = max(0, self.inside - 1)
        if tag in BLOCKS or tag in SKIP:
            self.flush()

    def handle_data(self, data):
        if self.inside and not self.skip:
            self.cur.append(data)


def main():
    out_path, files = sys.argv[1], sys.argv[2:]
    with open(out_path, "w", encoding="utf-8") as out:
        for f in files:
            ex = Extractor()
            with open(f, encoding="utf-8", errors="replace") as fh:
                ex.feed(fh.read())
            ex.close()
            ex.flush()
            for b in ex.blocks:
                out.write(b + "\n\n")


if __name__ == "__main__":
    main()
