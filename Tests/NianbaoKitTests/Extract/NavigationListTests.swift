import Foundation
import XCTest
@testable import NianbaoHTML
@testable import NianbaoKit

/// Lists of links are taken out of a page before it is parsed (``NavigationLists``). Nothing else may change: the
/// outline of every page the project has is the outline of the page as published, less some of its text lines —
/// never a table, never a section heading — and the title and libxml2's problems are the same.
final class NavigationListTests: XCTestCase {
    override func setUp() { HTMLOutlineReader.prepare() }

    /// The outline without navigation lists against the outline with them; returns the lines taken out.
    @discardableResult
    private func assertOnlyNavigationLeftOut(_ bytes: [UInt8], _ name: String, file: StaticString = #filePath,
                                             line: UInt = #line) -> [String] {
        let read = HTMLOutlineReader.read(utf8: bytes)
        let whole = HTMLOutlineReader.read(utf8: bytes, keepingNavigation: true)
        XCTAssertEqual(read.title, whole.title, "\(name): title", file: file, line: line)
        XCTAssertEqual(read.problems, whole.problems, "\(name): problems", file: file, line: line)
        var left: [String] = []
        var next = 0
        for block in whole.blocks {
            if next < read.blocks.count, read.blocks[next] == block {
                next += 1
                continue
            }
            guard case let .text(text) = block else {
                XCTFail("\(name.prefix(300)): a table is missing or changed: \(block)", file: file, line: line)
                return left
            }
            XCTAssertNil(SectionHeadings.sectionNumber(of: text), "\(name.prefix(300)): a section heading was left out: \(text)",
                         file: file, line: line)
            left.append(text)
        }
        XCTAssertEqual(next, read.blocks.count, "\(name.prefix(3000)): blocks that the page as published does not have: "
                       + "\(read.blocks.dropFirst(next).prefix(3))", file: file, line: line)
        return left
    }

    func testMenusAndNewsListsGoTheReportStays() {
        let page = """
            <html><head><title>某县2024年政府信息公开工作年度报告</title></head><body>
            <ul class="nav"><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a><ul><li><a href="/a">政策文件</a></li>
            <li><a href="/b">人事信息</a></li></ul></li><li><a href="/c">互动交流</a></li></ul>
            <p>前言</p>
            <ul><li><a href="/n1">工作动态一</a><span>2025-01-10</span></li><li><a href="/n2"><b>工作动态二</b></a> [2025年2月11日]</li>
            <li><a href="/n3">工作动态三</a>&nbsp;(2025.03.12)</li></ul>
            <p>一、总体情况</p>
            <ul><li>本年度主动公开文件45件。</li><li>详见<a href="/f">附件</a></li><li><a href="/x">链接</a></li></ul>
            <table><tr><td><ul><li><a href="/t1">甲</a></li><li><a href="/t2">乙</a></li><li><a href="/t3">丙</a></li></ul></td></tr></table>
            <ul><li><a href="/two1">只有</a></li><li><a href="/two2">两项</a></li></ul>
            <ul><li><a href="/p1">段落</a><p>不是链接</p></li><li><a href="/p2">二</a></li><li><a href="/p3">三</a></li></ul>
            <script>var menu = "<ul><li><a>x</a></li><li><a>y</a></li><li><a>z</a></li></ul>";</script>
            <!-- <ul><li><a>注释一</a></li><li><a>注释二</a></li><li><a>注释三</a></li></ul> -->
            后记</body></html>
            """
        let left = assertOnlyNavigationLeftOut(Array(page.utf8), "composed page")
        XCTAssertEqual(left, ["首页", "政务公开", "政策文件", "人事信息", "互动交流", "工作动态一2025-01-10", "工作动态二 [2025年2月11日]",
                              "工作动态三 (2025.03.12)"])
        let stripped = String(decoding: NavigationLists.removed(from: Array(page.utf8)), as: UTF8.self)
        XCTAssertEqual(stripped.components(separatedBy: "<ul></ul>").count - 1, 2, "two lists are navigation")
        for kept in ["本年度主动公开文件45件", "详见", "<td><ul>", "只有", "不是链接", "var menu", "注释一"] {
            XCTAssertTrue(stripped.contains(kept), kept)
        }
    }

    /// The text before and after a list stays apart; a list never closed, or cut inside a tag, is kept.
    func testBoundariesAndCutLists() {
        let around = "<body><div>导航<ul><li><a>甲</a></li><li><a>乙</a></li><li><a>丙</a></li></ul>更多</div>"
        XCTAssertEqual(HTMLOutlineReader.read(utf8: Array(around.utf8)).blocks, [.text("导航"), .text("更多")])
        assertOnlyNavigationLeftOut(Array(around.utf8), "around")
        // A fragment without a body, a stray end tag before a list, a list after the body's end: left whole.
        for whole in ["<div><ul><li><a>甲</a></li><li><a>乙</a></li><li><a>丙</a></li></ul></div>",
                      "<body></span><ul><li><a>甲</a></li><li><a>乙</a></li><li><a>丙</a></li></ul>",
                      "<body></body><ul><li><a>甲</a></li><li><a>乙</a></li><li><a>丙</a></li></ul>",
                      "<body><p>x<a href=y>链接<ul><li><a>甲</a></li><li><a>乙</a></li><li><a>丙</a></li></ul>"] {
            XCTAssertEqual(NavigationLists.removed(from: Array(whole.utf8)), Array(whole.utf8), whole)
        }
        for cut in ["<body><ul><li><a>甲</a></li><li><a>乙</a></li><li><a>丙</a></li>", "<body><ul><li><a>甲</a></li><li><a>乙</a></li><li><a href=\"x",
                    "<body><ul><li><a>甲</a></li><li><a>乙</li><li><a>丙</a></li></ul>"] {
            XCTAssertEqual(NavigationLists.removed(from: Array(cut.utf8)), Array(cut.utf8), cut)
        }
        // A page cut inside a character beside a link (a no-break space's, a 年's first bytes) is read to its last byte.
        for tail: [UInt8] in [[0xC2], [0xC2, 0x41], [0xE5], [0xE5, 0xB9], [0x26, 0x6E, 0x62]] {
            let bytes = Array("<body><ul><li><a>甲</a></li><li><a>乙</a></li><li><a>丙</a>".utf8) + tail
            XCTAssertEqual(NavigationLists.removed(from: bytes), bytes)
        }
    }

    /// Every page of samples/, the regression documents and the real corpus, decoded as the pipeline decodes it.
    func testEveryPageBesideTheProject() throws {
        var folders = [SAXOutlineEquivalenceTests.packageRoot.appendingPathComponent("samples"),
                       SAXOutlineEquivalenceTests.packageRoot.appendingPathComponent("Tests/Support/regression")]
        let corpus = SAXOutlineEquivalenceTests.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/real")
        if FileManager.default.fileExists(atPath: corpus.path) { folders.append(corpus) }
        var pages = 0
        for folder in folders {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            for name in names where name.lowercased().hasSuffix(".html") || name.lowercased().hasSuffix(".htm") {
                let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
                let decoded = try Decoder().decode(SourceDocument(source: name, bytes: bytes))
                assertOnlyNavigationLeftOut(decoded.utf8, name)
                pages += 1
            }
        }
        XCTAssertGreaterThanOrEqual(pages, 35)
    }

    /// Synthetic pages with site chrome: their menus and news lists go, and only they.
    func testSyntheticPages() throws {
        var pagesWithLists = 0
        for (seed, count) in [(UInt64(1), 150), (UInt64(20261201), 150)] {
            let corpus = SyntheticCorpus(seed: seed, htmlOnly: true)
            for index in 0..<count {
                let generated = try corpus.document(index)
                let decoded = try Decoder().decode(SourceDocument(source: generated.name, bytes: generated.bytes))
                if !assertOnlyNavigationLeftOut(decoded.utf8, "\(generated.name) seed \(seed)").isEmpty { pagesWithLists += 1 }
            }
        }
        XCTAssertGreaterThan(pagesWithLists, 250)
    }

    /// Random tag soup with lists, links and dates mixed in among every other kind of element.
    func testRandomTagSoup() {
        var random = SplitMix(seed: UInt64(ProcessInfo.processInfo.environment["SOUP_SEED"] ?? "1201") ?? 1201)
        let pieces = ["<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>", "<a href=\"x\">", "</a>", "<span>", "</span>",
                      "2025-01-10", "&nbsp;", "链接", " ", "<li><a href=\"y\">菜单</a></li>"]
        var removedSome = 0
        for index in 0..<4000 {
            // Most pages as sites write them (lists are only taken inside a body), some fragments.
            var page = random.next() % 5 == 0 ? "" : "<html><head><title>标题</title></head><body>"
            for _ in 0..<(5 + Int(random.next() % 60)) {
                switch random.next() % 6 {
                case 0:
                    page += TagSoup.page(&random, parts: 1)
                case 1:
                    // A list of links, its items now and then holding something else, or not closed.
                    page += TagSoup.pick(&random, ["<ul>", "<ol class=\"n\">", "<UL>"])
                    for _ in 0..<(2 + Int(random.next() % 4)) {
                        page += "<li><a href=\"y\">菜单</a>"
                        if random.next() % 4 == 0 { page += random.next() % 2 == 0 ? TagSoup.pick(&random, pieces) : TagSoup.page(&random, parts: 1) }
                        if random.next() % 3 != 0 { page += "</li>" }
                    }
                    if random.next() % 5 != 0 { page += TagSoup.pick(&random, ["</ul>", "</ol>", "</UL>"]) }
                default:
                    page += TagSoup.pick(&random, pieces)
                }
            }
            let bytes = Array(page.utf8)
            if ProcessInfo.processInfo.environment["DUMP_INDEX"] == String(index) { try? page.write(toFile: "/tmp/soup.html", atomically: true, encoding: .utf8) }
            if NavigationLists.removed(from: bytes) != bytes { removedSome += 1 }
            assertOnlyNavigationLeftOut(bytes, "soup #\(index): \(page)")
        }
        XCTAssertGreaterThan(removedSome, 100)
    }
}
