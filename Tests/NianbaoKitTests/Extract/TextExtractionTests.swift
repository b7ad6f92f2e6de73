import XCTest
@testable import NianbaoKit

final class TextExtractionTests: XCTestCase {
    func testTabSeparatedKeepsEmptyCells() {
        XCTAssertEqual(TextLineSplitter.split("三、本年度办理结果\t(一) 予以公开\t\t\t263", markdown: false),
                       .row(["三、本年度办理结果", "(一) 予以公开", "", "", "263"]))
    }

    /// A tab export that lost the tabs inside its last cell: the label's figures were read as one figure or none.
    func testTabLineWithFiguresSpacedInItsLastCell() {
        XCTAssertEqual(TextLineSplitter.split("（三）不予公开\t1.属于国家秘密  1  0  0", markdown: false),
                       .row(["（三）不予公开", "1.属于国家秘密", "1", "0", "0"]))
        XCTAssertEqual(TextLineSplitter.split("（二）部分公开\t9 2 0 0 0 0 11", markdown: false),
                       .row(["（二）部分公开", "9", "2", "0", "0", "0", "0", "11"]))
        // One figure with spaced thousands, and words without figures, stay whole.
        XCTAssertEqual(TextLineSplitter.split("行政许可\t1 046", markdown: false), .row(["行政许可", "1 046"]))
        XCTAssertEqual(TextLineSplitter.split("行政许可\t详见 附件", markdown: false), .row(["行政许可", "详见 附件"]))
    }

    /// Cells two spaces apart with thousands one space apart: the last three digit groups were read as the cells.
    func testDoubleSpacedCellsWithSpacedThousands() {
        XCTAssertEqual(TextLineSplitter.split("行政规范性文件  1 046  3  1 200", markdown: false), .row(["行政规范性文件", "1 046", "3", "1 200"]))
        // Without a spaced figure the line is split at every space, as before; "13 171" in PDF text is two columns.
        XCTAssertEqual(TextLineSplitter.split("行政规范性文件  8  26  66", markdown: false), .row(["行政规范性文件", "8", "26", "66"]))
        XCTAssertEqual(TextLineSplitter.split("一、本年新收政府信息公开申请数量    99    20   12     17    10   13 171", markdown: false),
                       .row(["一、本年新收政府信息公开申请数量", "99", "20", "12", "17", "10", "13", "171"]))
    }

    func testSpaceAlignedSplitsTrailingFigures() {
        XCTAssertEqual(TextLineSplitter.split("行政规范性文件   8   26   66", markdown: false), .row(["行政规范性文件", "8", "26", "66"]))
        XCTAssertEqual(TextLineSplitter.split("3.危及“三安全一稳定”  /  —  0", markdown: false), .row(["3.危及“三安全一稳定”", "/", "—", "0"]))
        XCTAssertEqual(TextLineSplitter.split("2024 年政府信息公开工作年度报告", markdown: false), .prose("2024 年政府信息公开工作年度报告"))
    }

    func testMarkdownRowsAndSeparators() {
        XCTAssertEqual(TextLineSplitter.split("| 规章 | 0 | **1** |", markdown: true), .row(["规章", "0", "1"]))
        XCTAssertEqual(TextLineSplitter.split("|---|:---:|", markdown: true), .skip)
    }

    func testColonSeparatedRowsAndMarkdownBreaks() {
        XCTAssertEqual(TextLineSplitter.split("（一）予以公开：45、3、1、1、3、3、56", markdown: false),
                       .row(["（一）予以公开", "45", "3", "1", "1", "3", "3", "56"]))
        XCTAssertEqual(TextLineSplitter.split("说明：本年度无变化。", markdown: false), .prose("说明：本年度无变化。"))
        XCTAssertEqual(TextLineSplitter.split("| 三、本年度<br>办理结果 | 123 |", markdown: true), .row(["三、本年度办理结果", "123"]))
    }

    func testPageNumbersAreDropped() {
        for line in ["- 4 -", "— 12 —", "第 3 页"] { XCTAssertEqual(TextLineSplitter.split(line, markdown: false), .skip, line) }
    }

    func testSectionHeadings() {
        XCTAssertEqual(SectionHeadings.sectionNumber(of: "二、主动公开政府信息情况"), 2)
        XCTAssertEqual(SectionHeadings.sectionNumber(of: "## 四、政府信息公开行政复议、行政诉讼情况"), 4)
        XCTAssertEqual(SectionHeadings.sectionNumber(of: "四、行政法复议、行政诉讼情况"), 4)
        // Rows of table 三 that start like headings are not headings.
        XCTAssertNil(SectionHeadings.sectionNumber(of: "四、结转下年度继续办理"))
        XCTAssertNil(SectionHeadings.sectionNumber(of: "一、本年新收政府信息公开申请数量"))
        XCTAssertNil(SectionHeadings.sectionNumber(of: "（一）主动公开情况"))
    }
}
