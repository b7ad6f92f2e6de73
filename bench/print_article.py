#!/usr/bin/env python3
"""Keep only a synthetic page's report (its <div class="article">; a page without one, whole) for printing, as an
agency prints its report to paper before scanning it (make bench-ocr).

Usage: print_article.py IN.html OUT.html      (IN in UTF-8 or GBK, OUT in UTF-8)
"""
import html.parser
import re
import sys


class Article(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0      # >0 inside the article div
        self.out = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag == "div"
            self.out.append(self.get_starttag_text())
        elif tag == "div" and ("class", "article") in attrs:
            self.depth = 1

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "div":
            self.depth -= 1
            if not self.depth:
                return
        self.out.append("</%s>" % tag)

    def handle_data(self, data):
        if self.depth:
            self.out.append(data)

    def handle_entityref(self, name):
        if self.depth:
            self.out.append("&%s;" % name)

    def handle_charref(self, name):
        if self.depth:
            self.out.append("&#%s;" % name)


def main(source, target):
    raw = open(source, "rb").read()
    declared = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", raw[:2048])
    encoding = declared.group(1).decode() if declared else "utf-8"
    if encoding.lower() in ("gb2312", "gbk"):
        encoding = "gb18030"
    parser = Article()
    parser.feed(raw.decode(encoding, errors="replace"))
    body = "".join(parser.out)
    if not body.strip():
        # A page without the synthetic site around it (the project's samples): the whole body is the report.
        text = raw.decode(encoding, errors="replace")
        start = re.search(r"<body[^>]*>", text, re.I)
        end = text.lower().rfind("</body>")
        body = text[start.end() if start else 0:end if end >= 0 else len(text)]
    if not body.strip():
        sys.exit("no report in %s" % source)
    # A4 with the margins of an office printer; Chromium shrinks a table wider than the page to fit it, as Word lays
    # a pasted table out within its margins (a fixed width="1000" table would otherwise run off the paper).
    page = ('<html><head><meta charset="utf-8"><style>@page{size:A4;margin:15mm}'
            'body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC";}'
            # Ruled data tables; a page's layout tables (those holding another table) print without rules, as in a browser.
            "table{border-collapse:collapse}table:not(:has(table))>*>tr>td{border:1px solid #000;padding:2px 4px}"
            "</style></head><body>%s</body></html>" % body)
    open(target, "w", encoding="utf-8").write(page)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
