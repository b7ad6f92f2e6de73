#!/usr/bin/env python3
"""A small HTTP server for nianbao's fetch tests, on 127.0.0.1 only, with fault injection.

Usage: fault_server.py SAMPLES_DIR [PORT [SITE_DIR]]   (prints the port it listens on, then serves until killed)

Routes (NAME is a file of SAMPLES_DIR):
  /reports/NAME        the file, Content-Type from its extension (charset=utf-8 for text)
  /slowreports/NAME    the same after 0.3 s
  /etag/NAME           with ETag and Last-Modified; 304 when the request's validators match
  /flaky/NAME          500 on the first request for NAME, then the file
  /ratelimited/NAME    429 with Retry-After: 1 on the first request, then the file
  /gzip/NAME           the file gzip-encoded
  /gbk                 a GBK page whose charset is only in the Content-Type header
  /slow                answers after 3 s
  /missing             404
  /loop/a, /loop/b     redirect to each other
  /ftp                 redirect to an ftp:// URL
  /huge                a 5 MB body
  /bomb                a gzip body that inflates to 50 MB
  /bigbomb             a 4 MB gzip body (4,000 members of 1 MB of zeros) that inflates to 4 GB
  /members/NAME        the file gzip-encoded as three members one after another
  /index/N.html        N = 1..3: links to reports (text ...年度报告), 下一页 and page numbers
  /site/NAME           a file of SITE_DIR (default: SAMPLES_DIR), answered as the site's mode says:
                       ok (the file), 503 (Service Unavailable), maintenance (HTTP 200 with a 系统维护中 page),
                       404 (a redesign that moved every page)
  /site-index.html     an index page linking every file of SITE_DIR (text: NAME 政府信息公开工作年度报告); 503 in mode 503
  /empty-index.html    an index page with no report link
  /trickle/NAME        the file's first bytes at once, then one byte a second (a download that takes minutes)
  /retry-after         503 with Retry-After: 99999
  /trs/index.html, /trs/index_1.html, /trs/index_2.html
                       a TRS-style report column: pagination only through createPageHTML(3, N, "index", "html"),
                       link texts cut with "..." (the whole title in title=), breadcrumbs up the tree; it lists
                       inline reports, article pages with the report as an attachment (.docx, .doc, .pdf), a
                       markdown report served as text/plain under a .txt name, and one report twice;
                       /trs/ itself answers 403 (no directory listing)
  /trs/img/xilin.html  the xilin report's text with its tables as PNG pictures (Tests/Support/site/xilin_*.png)
  /trs/att/NAME.html   an article page: title, date, no table, "附件" linking its report under /files/
                       (gone.html links a file that is not there)
  /files/NAME          a file of the samples or of Tests/Support/site
  /_mode?set=MODE      sets the site's mode; /_mode alone prints it
  /_log                JSON list of requests: path, start, end, validators, in_flight_at_start
"""
import gzip, json, os, sys, threading, time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SAMPLES = sys.argv[1]
OWN_SITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "site")
# The TRS column: (title, link) per page; attachment pages: name -> (title, date, file).
TRS_PAGES = [
    [("青禾县人民政府2019年政府信息公开工作年度报告", "/reports/qinghe_county_2019.html"),
     ("泉北市人民政府2022年政府信息公开工作年度报告", "/trs/att/quanbei.html")],
    [("清丰区人民政府2019年政府信息公开工作年度报告", "/trs/att/qingfeng.html"),
     ("西临县人民政府2024年政府信息公开工作年度报告", "/trs/att/xilin.html")],
    [("西阳县人民政府2024年政府信息公开工作年度报告", "/trs/md/xiyang.txt"),
     ("临川市交通运输局2021年政府信息公开工作年度报告", "/trs/att/linchuan.html"),
     ("青禾县人民政府2019年政府信息公开工作年度报告（重发）", "/reports/qinghe%5Fcounty_2019.html")],
]
TRS_ARTICLES = {
    "quanbei": ("泉北市人民政府2022年政府信息公开工作年度报告", "2023-01-28", "quanbei_city_2022.docx"),
    "qingfeng": ("清丰区人民政府2019年政府信息公开工作年度报告", "2020-01-20", "qingfeng_district_2019.doc"),
    "xilin": ("西临县人民政府2024年政府信息公开工作年度报告", "2025-01-20", "xilin_county_2024.pdf"),
    "gone": ("东山县人民政府2023年政府信息公开工作年度报告", "2024-01-25", "dongshan_county_2023.pdf"),  # a 404
}
FILE_TYPES = {".png": "image/png", ".pdf": "application/pdf", ".doc": "application/msword", ".rtf": "application/rtf",
              ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
SITE = sys.argv[3] if len(sys.argv) > 3 else SAMPLES
MODE = ["ok"]
MAINTENANCE = ("<html><head><meta charset=\"utf-8\"><title>系统维护中</title></head><body><h1>系统维护中</h1>"
               "<p>网站正在升级维护，请稍后访问。给您带来不便，敬请谅解。</p></body></html>").encode()
LOCK = threading.Lock()
LOG = []
COUNTS = {}
IN_FLIGHT = [0]
INDEX = {
    1: ["qinghe_county_2019.html", "linchuan_transport_2021.html"],
    2: ["dongping_district_2020.txt", "nanshan_health_2023.txt"],
    3: ["xiyang_county_2024.md"],
}


def content_type(name):
    if name.endswith((".html", ".htm")):
        return "text/html" if "gbk" in name else "text/html; charset=utf-8"
    return "text/plain; charset=utf-8"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=None):
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def first_time(self, key):
        with LOCK:
            COUNTS[key] = COUNTS.get(key, 0) + 1
            return COUNTS[key] == 1

    def sample(self, name, folder=None):
        path = os.path.join(folder or SAMPLES, os.path.basename(name))
        if not os.path.isfile(path):
            self.send(404, b"no such sample")
            return None
        with open(path, "rb") as handle:
            return handle.read()

    def trs(self, name):
        if name == "":
            # Like many government servers: no directory listing, the column's page has to be asked for by name.
            return self.send(403, b"Forbidden")
        if name == "index.html" or name.startswith("index_"):
            number = 0 if name == "index.html" else int(name[len("index_"):].split(".")[0])
            if number >= len(TRS_PAGES):
                return self.send(404, b"no such page")
            items = "".join('<li><a href="%s" title="%s" target="_blank">%s...</a><span>2025-01-2%d</span></li>'
                            % (link, title, title[:14], number) for title, link in TRS_PAGES[number])
            body = ('<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>'
                    '<div class="crumb"><a href="/">首页</a> &gt; <a href="/trs/">政府信息公开年报</a></div>'
                    '<ul class="list">%s</ul><div class="page"><script>createPageHTML(%d, %d, "index", "html");</script></div>'
                    '</body></html>' % (items, len(TRS_PAGES), number)).encode()
            return self.send(200, body, {"Content-Type": "text/html; charset=utf-8"})
        if name.startswith("att/"):
            article = name[4:].split(".")[0]
            if article == "linchuan":
                # A page with its own tables and an attachment as well: the tables win.
                body = self.sample("linchuan_transport_2021.html")
                body = body.replace(b"</body>", '<p>附件：<a href="/files/quanbei_city_2022.docx">报告全文.docx</a></p></body>'.encode())
                return self.send(200, body, {"Content-Type": "text/html; charset=utf-8"})
            if article not in TRS_ARTICLES:
                return self.send(404, b"no such article")
            title, date, file = TRS_ARTICLES[article]
            body = ('<html><head><meta charset="utf-8"><title>%s</title></head><body><div class="crumb"><a href="/trs/">年报</a></div>'
                    '<h1>%s</h1><div class="info">发布日期：%s</div><div class="content"><p>根据《中华人民共和国政府信息公开条例》，'
                    '现将本机关年度报告全文公布如下。</p><p>附件：<a href="/files/%s">%s年度报告%s</a></p></div></body></html>'
                    % (title, title, date, file, title[:6], os.path.splitext(file)[1])).encode()
            return self.send(200, body, {"Content-Type": "text/html; charset=utf-8"})
        if name.startswith("img/"):
            # The report's text with its tables pasted in as pictures (and a logo that is no table).
            images = lambda *names: "".join('<p><img src="/files/xilin_%s.png" alt=""></p>' % n for n in names)
            body = ('<html><head><meta charset="utf-8"><title>西临县人民政府2024年政府信息公开工作年度报告</title></head><body>'
                    '<img src="/files/logo.png"><h1>西临县人民政府2024年政府信息公开工作年度报告</h1><div class="info">发布日期：2025-01-20</div>'
                    '<p>一、总体情况</p><p>本报告依据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自2024年1月1日至2024年12月31日。'
                    '2024年，本机关坚持以公开为常态、不公开为例外，全年新收政府信息公开申请171件，均在法定期限内答复。</p>'
                    '<p>二、主动公开政府信息情况</p>%s<p>三、收到和处理政府信息公开申请情况</p>%s'
                    '<p>四、政府信息公开行政复议、行政诉讼情况</p>%s'
                    '<p>五、存在的主要问题及改进情况</p><p>信息公开的及时性和解读的针对性仍需提高。</p><p>六、其他需要报告的事项</p><p>无。</p>'
                    '</body></html>' % (images("active"), images("requests1", "requests2"), images("appeals1", "appeals2"))).encode()
            return self.send(200, body, {"Content-Type": "text/html; charset=utf-8"})
        if name.startswith("md/"):
            body = self.sample("xiyang_county_2024.md")
            return self.send(200, body, {"Content-Type": "text/plain; charset=utf-8"})
        return self.send(404, b"unknown trs page")

    def do_GET(self):
        entry = {"path": self.path, "start": time.time(),
                 "if_none_match": self.headers.get("If-None-Match"),
                 "if_modified_since": self.headers.get("If-Modified-Since")}
        with LOCK:
            IN_FLIGHT[0] += 1
            entry["in_flight_at_start"] = IN_FLIGHT[0]
            # Logged when it starts: a client that gave up still shows its attempt.
            if not self.path.startswith("/_log"):
                LOG.append(entry)
        try:
            self.route()
        finally:
            with LOCK:
                IN_FLIGHT[0] -= 1
                entry["end"] = time.time()

    def route(self):
        path = self.path.split("?")[0]
        parts = path.strip("/").split("/", 1)
        kind, name = parts[0], (parts[1] if len(parts) > 1 else "")
        if kind == "_mode":
            query = self.path.split("?", 1)[1] if "?" in self.path else ""
            if query.startswith("set="):
                MODE[0] = query[4:]
            return self.send(200, MODE[0].encode(), {"Content-Type": "text/plain"})
        if kind == "site":
            mode = MODE[0]
            if mode == "503":
                return self.send(503, b"Service Unavailable", {"Retry-After": "0"})
            if mode == "404":
                return self.send(404, b"moved")
            if mode == "maintenance":
                return self.send(200, MAINTENANCE, {"Content-Type": "text/html; charset=utf-8"})
            body = self.sample(name, SITE)
            if body is not None:
                self.send(200, body, {"Content-Type": content_type(name)})
            return
        if kind in ("site-index.html", "empty-index.html"):
            if MODE[0] == "503":
                return self.send(503, b"Service Unavailable", {"Retry-After": "0"})
            names = sorted(n for n in os.listdir(SITE) if not n.endswith(".json") and not n.startswith("README"))
            if kind == "empty-index.html":
                names = []
            links = "".join('<li><a href="/site/%s">%s 政府信息公开工作年度报告</a></li>' % (n, n) for n in names)
            body = ('<html><head><meta charset="utf-8"><title>年报</title></head><body><ul>%s</ul>'
                    '<a href="/about.html">关于我们</a></body></html>' % links).encode()
            return self.send(200, body, {"Content-Type": "text/html; charset=utf-8"})
        if kind == "trickle":
            body = self.sample(name)
            if body is None:
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type(name))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body[:100])
                self.wfile.flush()
                for offset in range(100, len(body)):
                    time.sleep(1)
                    self.wfile.write(body[offset:offset + 1])
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if kind == "trs":
            return self.trs(name)
        if kind == "files":
            for folder in (SAMPLES, OWN_SITE):
                path = os.path.join(folder, os.path.basename(name))
                if os.path.isfile(path):
                    with open(path, "rb") as handle:
                        body = handle.read()
                    return self.send(200, body, {"Content-Type": FILE_TYPES.get(os.path.splitext(name)[1], "application/octet-stream")})
            return self.send(404, b"no such file")
        if kind == "retry-after":
            return self.send(503, b"busy", {"Retry-After": "99999"})
        if kind == "_log":
            with LOCK:
                return self.send(200, json.dumps(LOG).encode(), {"Content-Type": "application/json"})
        if kind in ("reports", "slowreports"):
            if kind == "slowreports":
                time.sleep(0.3)
            body = self.sample(name)
            if body is not None:
                self.send(200, body, {"Content-Type": content_type(name)})
            return
        if kind == "etag":
            body = self.sample(name)
            if body is None:
                return
            tag = '"%d-%d"' % (len(body), sum(body) % 100000)
            modified = formatdate(1700000000, usegmt=True)
            headers = {"ETag": tag, "Last-Modified": modified, "Content-Type": content_type(name)}
            if self.headers.get("If-None-Match") == tag or self.headers.get("If-Modified-Since") == modified:
                return self.send(304, b"", {"ETag": tag, "Last-Modified": modified})
            return self.send(200, body, headers)
        if kind == "flaky":
            if self.first_time(path):
                return self.send(500, b"try again")
            body = self.sample(name)
            return body is not None and self.send(200, body, {"Content-Type": content_type(name)})
        if kind == "ratelimited":
            if self.first_time(path):
                return self.send(429, b"slow down", {"Retry-After": "1"})
            body = self.sample(name)
            return body is not None and self.send(200, body, {"Content-Type": content_type(name)})
        if kind == "gzip":
            body = self.sample(name)
            if body is not None:
                self.send(200, gzip.compress(body), {"Content-Type": content_type(name), "Content-Encoding": "gzip"})
            return
        if kind == "gbk":
            body = self.sample("songxi_town_2022_gbk.html")
            if body is not None:
                # Drop the page's own <meta> charset so that only the header says GBK.
                body = body.replace(b"charset=gb2312", b"").replace(b"charset=GB2312", b"")
                self.send(200, body, {"Content-Type": "text/html; charset=gbk"})
            return
        if kind == "slow":
            time.sleep(3)
            return self.send(200, b"too late")
        if kind == "missing":
            return self.send(404, b"not here")
        if kind == "loop":
            target = "/loop/b" if name == "a" else "/loop/a"
            return self.send(302, b"", {"Location": target})
        if kind == "ftp":
            return self.send(302, b"", {"Location": "ftp://127.0.0.1/report.html"})
        if kind == "huge":
            return self.send(200, b"<html>" + b"x" * (5 * 1024 * 1024), {"Content-Type": "text/html"})
        if kind == "bigbomb":
            member = gzip.compress(b"\0" * (1 << 20))
            return self.send(200, member * (4 * 1024 * 1024 // len(member)),
                             {"Content-Type": "text/html", "Content-Encoding": "gzip"})
        if kind == "members":
            body = self.sample(name)
            if body is not None:
                third = len(body) // 3
                encoded = b"".join(gzip.compress(part) for part in (body[:third], body[third:2 * third], body[2 * third:]))
                self.send(200, encoded, {"Content-Type": content_type(name), "Content-Encoding": "gzip"})
            return
        if kind == "bomb":
            return self.send(200, gzip.compress(b"0" * (50 * 1024 * 1024)),
                             {"Content-Type": "text/html", "Content-Encoding": "gzip"})
        if kind == "index":
            page = int(name.split(".")[0] or 1)
            links = "".join('<li><a href="/reports/%s">%s 政府信息公开工作年度报告</a></li>' % (n, n) for n in INDEX.get(page, []))
            links += '<li><a href="/about.html">关于我们</a></li><li><a href="http://example.invalid/x">外站年度报告</a></li>'
            nav = "".join('<a href="/index/%d.html">%d</a> ' % (n, n) for n in INDEX)
            if page < 3:
                nav += '<a href="/index/%d.html">下一页</a>' % (page + 1)
            body = ('<html><head><meta charset="utf-8"><title>年报</title></head><body><ul>%s</ul><div>%s</div></body></html>'
                    % (links, nav)).encode()
            return self.send(200, body, {"Content-Type": "text/html; charset=utf-8"})
        return self.send(404, b"unknown route")


def main():
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(server.server_address[1], flush=True)
    # Stop by itself after a while, so a forgotten server never outlives its test run.
    threading.Timer(600, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
