import XCTest
import NianbaoHTML
@testable import NianbaoKit

final class HTMLExtractionTests: XCTestCase {
    override func setUp() { HTMLOutlineReader.prepare() }

    func testSpansAreLaidOutOnAGrid() {
        let table = HTMLTable(rows: [
            [HTMLCell(fragments: ["三、本", "年度办", "理结果"], rowSpan: 2), HTMLCell(fragments: ["（一）予以公开"]), HTMLCell(fragments: ["71"])],
            [HTMLCell(fragments: ["（二）部分公开"]), HTMLCell(fragments: ["29"])],
            [HTMLCell(fragments: ["行政许可"]), HTMLCell(fragments: ["4529"], colSpan: 2)],
        ])
        let rows = TableGrid.rows(of: table, tableIndex: 0)
        XCTAssertEqual(rows[0].cells.map(\.text), ["三、本年度办理结果", "（一）予以公开", "71"])
        XCTAssertEqual(rows[1].cells.map(\.text), ["三、本年度办理结果", "（二）部分公开", "29"])
        XCTAssertEqual(rows[1].cells.map(\.isRowSpanCopy), [true, false, false])
        // A value spanning two columns is one value.
        XCTAssertEqual(rows[2].cells.map(\.text), ["行政许可", "4529"])
    }

    func testOutlineKeepsOrderAndFlattensLayoutTables() {
        let html = """
            <html><head><title> 某县2021年政府信息公开工作年度报告 </title><script>var x = "<table>";</script></head>
            <body><table><tr><td><p>二、主动公开政府信息情况</p>
            <table><tr><td>规<span>章</span></td><td>1&nbsp;</td></tr></table></td></tr></table>
            <p>五、存在的<br>主要问题</p></body></html>
            """
        let outline = HTMLOutlineReader.read(utf8: Array(html.utf8))
        XCTAssertEqual(outline.title, "某县2021年政府信息公开工作年度报告")
        XCTAssertEqual(outline.blocks.count, 4)
        XCTAssertEqual(outline.blocks[0], .text("二、主动公开政府信息情况"))
        guard case let .table(table) = outline.blocks[1] else { return XCTFail("expected the inner table") }
        XCTAssertEqual(table.rows[0].map(\.text), ["规章", "1"])
        XCTAssertEqual(outline.blocks[2], .text("五、存在的"))
    }

    func testFootnotesAndHiddenCellsAreNotRead() {
        let html = "<table><tr><td>行政处罚</td><td colspan=\"3\">2318<sup>2</sup></td><td style=\"display: none\">0</td></tr></table>"
        guard case let .table(table)? = HTMLOutlineReader.read(utf8: Array(html.utf8)).blocks.first else { return XCTFail("no table") }
        XCTAssertEqual(table.rows[0].map(\.text), ["行政处罚", "2318"])
    }

    func testNeverFetchesExternalEntities() {
        let html = "<!DOCTYPE html SYSTEM \"http://127.0.0.1:9/x.dtd\"><html><body><p>&ext;正文</p></body></html>"
        let outline = HTMLOutlineReader.read(utf8: Array(html.utf8))
        XCTAssertTrue(outline.blocks.contains { if case let .text(text) = $0 { return text.contains("正文") } else { return false } })
    }
}

final class WordListHeadingTests: XCTestCase {
    /// Word's list numbering in downlevel-revealed conditional comments: `<![if !supportLists]>二、<![endif]>`.
    func testWordListNumberedHeading() {
        HTMLOutlineReader.prepare()
        let html = "<html><body><p class=MsoNormal><![if !supportLists]><span lang=EN-US><span style='mso-list:Ignore'>二、<span>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><b><span>主动公开政府信息情况</span></b><span lang=EN-US><o:p></o:p></span></p><p>after</p></body></html>"
        let outline = HTMLOutlineReader.read(utf8: Array(html.utf8))
        print("OUTLINE", outline.blocks)
        XCTAssertEqual(outline.blocks.first, .text("二、 主动公开政府信息情况"))
    }
}
