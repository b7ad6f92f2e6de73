import XCTest
@testable import NianbaoHTML

/// Pages composed to hit what a SAX reader can get wrong where a tree walker cannot: markup libxml2 repairs
/// (unclosed and misplaced elements, elements after the root), tables whose kind shows only at their end, text
/// that arrives in many pieces, and the limits that libxml2's tree builder enforces and the SAX reader now checks
/// itself. Each page is compared with the tree walker's outline (`assertSameOutline`); the main ones also with
/// the outline expected.
final class SAXOutlineAdversarialTests: XCTestCase {
    override func setUp() { HTMLOutlineReader.prepare() }

    private func read(_ html: String) -> HTMLOutline { HTMLOutlineReader.read(utf8: Array(html.utf8)) }

    private func texts(_ outline: HTMLOutline) -> [String] {
        outline.blocks.compactMap { if case let .text(text) = $0 { return text } else { return nil } }
    }

    private func tables(_ outline: HTMLOutline) -> [[[String]]] {
        outline.blocks.compactMap { if case let .table(table) = $0 { return table.rows.map { $0.map(\.text) } } else { return nil } }
    }

    func testUnclosedTags() {
        let pages = [
            "<html><body><p>一<p>二<div>三<span>四<b>五",
            "<table><tr><td>甲<td>乙<tr><td>丙",
            "<div><table><tr><td>1</td></tr></div>之后</table>尾",
            "<ul><li>一<li>二</ul><p>段<table><tr><th>表头<td>格",
            "<body><p>a</span></b></p>b</td></tr></table>c",
        ]
        for page in pages { assertSameOutline(Array(page.utf8), page) }
        let outline = read(pages[1])
        XCTAssertEqual(tables(outline), [[["甲", "乙"], ["丙"]]])
    }

    func testTablesInTables() {
        let page = """
        <html><body><table><tr><td>导航<table><tr><td>收文</td><td>12</td></tr></table></td>
        <td><p>正文</p><table><tr><td><table><tr><td>内</td></tr></table></td></tr></table></td></tr>
        <tr>表外文字<td>尾</td></tr></table></body></html>
        """
        assertSameOutline(Array(page.utf8), "tables in tables")
        let outline = read(page)
        XCTAssertEqual(tables(outline), [[["收文", "12"]], [["内"]]])
        XCTAssertEqual(texts(outline), ["导航", "正文", "尾"])   // text outside a layout table's cells is not read
    }

    func testLineBreaksInsideCells() {
        let page = "<table><tr><td>三、本<br>年度办<br/>理结果</td><td rowspan=2 colspan='3'>7<p>8</p></td></tr></table>"
        assertSameOutline(Array(page.utf8), "br in cells")
        guard case let .table(table)? = read(page).blocks.first else { return XCTFail("no table") }
        XCTAssertEqual(table.rows[0][0].fragments, ["三、本", "年度办", "理结果"])
        XCTAssertEqual(table.rows[0][1].fragments, ["7", "8"])
        XCTAssertEqual(table.rows[0][1].rowSpan, 2)
        XCTAssertEqual(table.rows[0][1].colSpan, 3)
    }

    func testHiddenCells() {
        let body = """
        <table><tr><td>可见</td><td style="DISPLAY : NONE">藏</td><td hidden>藏</td><td style='mso-x:1;display:\nnone'>藏</td>
        <td style="color:red">红</td><td style="显示display:none">藏</td><td style>空</td></tr></table>
        <table><tr><td style="display:none">布局里不藏<table><tr><td>1</td></tr></table></td></tr></table>
        """
        assertSameOutline(Array(body.utf8), "hidden cells, no root element")   // the second table joins the first
        let page = "<html><body>" + body + "</body></html>"
        assertSameOutline(Array(page.utf8), "hidden cells")
        let outline = read(page)
        XCTAssertEqual(tables(outline), [[["可见", "红", "空"]], [["1"]]])
        XCTAssertEqual(texts(outline), ["布局里不藏"])   // a layout table's cells are read even when hidden
    }

    func testEntities() {
        let page = "<p>a&nbsp;&nbsp;b&amp;c&lt;d&gt;&#20013;&#x56FD;&copy;&bogus;& e&#0;f&#xD800;g</p>"
            + "<table><tr><td>1&nbsp;234&#12288;5</td></tr></table>"
        assertSameOutline(Array(page.utf8), "entities")
        XCTAssertEqual(tables(read(page)), [[["1 234 5"]]])
    }

    /// libxml2 hands text over in pieces of about 1,000 bytes, and one piece per entity: a line or a cell is
    /// many `characters` calls, with spaces and multi-byte characters at the pieces' edges.
    func testTextInManyPieces() {
        var long = ""
        for index in 0..<3000 { long += index % 7 == 0 ? "&nbsp;" : (index % 5 == 0 ? " \u{3000} " : "长") }
        let ascii = String(repeating: "ab ", count: 700)   // edges fall on spaces
        let page = "<p>\(long)</p><p>\(ascii)</p><table><tr><td>\(long)</td><td>x\(ascii)y</td></tr></table>"
        assertSameOutline(Array(page.utf8), "pieces")
        let outline = read(page)
        XCTAssertEqual(texts(outline).count, 2)
        XCTAssertFalse(texts(outline)[0].contains("  "))
    }

    func testCommentsAndCDATAInsideCells() {
        let page = """
        <table><tr><td>a<!-- 注释 -->b</td><td>c<![CDATA[d]]>e</td><td><script>var x = "<td>";</script>f</td>
        <td><style>td { color: red }</style>g<![if !supportLists]>1.<![endif]>h</td></tr></table>
        <p>x<!-- c -->y<?php echo 1 ?>z</p>
        """
        assertSameOutline(Array(page.utf8), "comments and CDATA")
        XCTAssertEqual(tables(read(page)).first?.first?.first, "ab")
    }

    /// The 258th nested element is refused by the tree builder ("Excessive depth") and the parse stops; the SAX
    /// reader refuses it the same way, with the same problem, at the same element.
    func testDepthLimit() {
        for depth in [255, 256, 257, 258, 300] {
            let page = "<html><body>" + String(repeating: "<div>", count: depth) + "<p>深处</p>" + String(repeating: "</div>", count: depth)
                + "<p>之后</p></body></html>"
            assertSameOutline(Array(page.utf8), "divs \(depth)")
            let tablePage = String(repeating: "<table><tr><td>格", count: depth / 3) + "底" + String(repeating: "</td></tr></table>", count: depth / 3)
            assertSameOutline(Array(tablePage.utf8), "tables \(depth / 3)")
        }
        let deep = read("<html><body>" + String(repeating: "<div>", count: 300) + "深处" + "</body></html>")
        XCTAssertEqual(deep.problems.map(\.code), [1])
        XCTAssertEqual(deep.problems.first?.message, "Excessive depth in document: 256 use XML_PARSE_HUGE option")
    }

    /// One text node past 10 MB: "huge text node", the parse stopped, the text up to the limit kept.
    func testHugeTextNodes() {
        let huge = String(repeating: "长", count: 3_400_000)   // 10.2 MB
        let pages = [
            "<html><body><p>" + huge + "</p><p>之后</p></body></html>",
            "<table><tr><td>" + huge + "</td><td>后</td></tr></table>",
            "<p>" + String(repeating: "a&amp;", count: 2_100_000) + "</p>",   // in ~4 M pieces
            "<script>" + String(repeating: "x", count: 10_100_000) + "</script><p>后</p>",
        ]
        for (index, page) in pages.enumerated() {
            let bytes = Array(page.utf8)
            assertSameOutline(bytes, "huge #\(index)")
        }
        let outline = read(pages[0])
        XCTAssertEqual(outline.problems.first?.message, "xmlSAX2Characters: huge text node")
        XCTAssertEqual(texts(outline).count, 1)
    }

    /// Where libxml2's tree builder puts elements that come after the root ended: inside the root when the
    /// root is the document's first node, after it when a doctype, comment or processing instruction came first.
    func testElementsAfterTheRoot() {
        let pages = [
            "<table><tr><td>1</td></tr></table><p>后</p><tr><td>2</td></tr>",
            "<div>甲</div>乙<span>丙</span>",
            "<br>看不见<p>也看不见</p>",
            "<!DOCTYPE html><div>甲</div><span>丙</span>",
            "<!-- c --><div>甲</div><span>丙</span>",
            "<?xml version=\"1.0\"?><div>甲</div><span>丙</span>",
            "<div>甲</div><!DOCTYPE html><span>丙</span><span>丁</span>",
            "<title>题</title><p>正文</p>",
            "前<p>正文</p>",
        ]
        for page in pages { assertSameOutline(Array(page.utf8), page) }
        XCTAssertEqual(texts(read(pages[1])), ["甲", "乙丙"])   // 乙 opens an implied <p>, kept in the root
        XCTAssertEqual(texts(read(pages[3])), ["甲", "丙"])
        XCTAssertEqual(texts(read(pages[2])), [])
    }

    func testTitlesAndPrefixedNames() {
        let pages = [
            "<html><head><title>一 <b>二</b><script>x</script></title></head><body><title>后题</title></body></html>",
            "<table><tr><td><title>数据格里的题</title>1</td></tr></table>",
            "<table><tr><td>外<table><tr><td>内</td></tr></table><title>布局格里的题</title></td></tr></table>",
            "<p>A<o:p></o:p>B<st1:chsdate>2023</st1:chsdate><a:1b>C</a:1b><:x>D</:x><v:>E</v:></p>",
        ]
        for page in pages { assertSameOutline(Array(page.utf8), page) }
        XCTAssertEqual(read(pages[0]).title, "后题")
        XCTAssertEqual(read(pages[2]).title, "布局格里的题")
        XCTAssertEqual(texts(read(pages[3])).first, "A")   // <o:p> is a paragraph <p> for libxml2's tree
    }

    func testBytesAndEmptyPages() {
        let pages: [[UInt8]] = [[], Array("   ".utf8), Array("<p>a\u{0}b</p>".utf8), [0x3C, 0x70, 0x3E, 0xFF, 0xFE, 0x61, 0xC3],
                                Array("<table>".utf8), Array("<td>".utf8), Array("</table></td>".utf8)]
        for (index, page) in pages.enumerated() { assertSameOutline(page, "bytes #\(index)") }
    }
}
