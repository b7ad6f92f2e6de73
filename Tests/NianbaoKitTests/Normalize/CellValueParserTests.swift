import XCTest
@testable import NianbaoKit

final class CellValueParserTests: XCTestCase {
    func value(_ raw: String, _ kind: ColumnDefinition.Kind = .count, yuan: Bool = false) -> Double? {
        CellValueParser.parse(raw, kind: kind, headerUnit: yuan ? .yuan : nil).value
    }

    func testNumbers() {
        XCTAssertEqual(value("1,234"), 1234)
        XCTAssertEqual(value("１２"), 12)
        XCTAssertEqual(value("+2", .signed), 2)
        XCTAssertEqual(value("-15", .signed), -15)
        XCTAssertEqual(value("957245.9921", .money), 957245.9921)
        XCTAssertEqual(value(" 38 件"), 38)
    }

    /// Digits apart in one cell are two figures ("406 11" was stored as 40611, "2863<br>12" as 286312), unless
    /// the space groups thousands.
    func testDigitsApartAreNotOneFigure() {
        XCTAssertEqual(value("1 046"), 1046)
        XCTAssertEqual(value("12 345 678"), 12_345_678)
        XCTAssertEqual(value("1 046.5", .money), 1046.5)
        XCTAssertEqual(value("+ 2", .signed), 2)
        XCTAssertEqual(value("45.82 万元", .money), 45.82)
        XCTAssertEqual(value("12 (其中3件)"), 12)
        for raw in ["406 11", "41 7", "2863\n12", "2863 12", "9 2 0 0 0 0 11", "1046 123", "1 04", "1,046 5", "0 0"] {
            XCTAssertNil(value(raw), raw)
            XCTAssertEqual(CellValueParser.parse(raw).state, .text, raw)
        }
    }

    func testMoneyUnits() {
        // The yuan left out, as in speech; only in a money cell.
        XCTAssertEqual(value("86.42万", .money), 86.42)
        XCTAssertEqual(value("1.2亿", .money), 12000)
        XCTAssertNil(value("3万"))
        // A change written with an arrow, 了 or 负.
        XCTAssertEqual(value("↓2", .signed), -2)
        XCTAssertEqual(value("↑6", .signed), 6)
        XCTAssertEqual(value("减少了2", .signed), -2)
        XCTAssertEqual(value("负2", .signed), -2)
        XCTAssertEqual(value("251000元", .money), 25.1)
        XCTAssertEqual(value("13575394432.52元", .money), 1357539.443252)
        XCTAssertEqual(value("18651.06万元", .money), 18651.06)
        XCTAssertEqual(value("3940", .money, yuan: true), 0.394)
        // A money unit in a count cell makes it no count (a figure from another column): not read.
        XCTAssertNil(value("251000元"))
        XCTAssertEqual(CellValueParser.parse("251000元").state, .text)
    }

    /// A header in 亿元 used to be read as 元: 1.2563 亿元 stored as 0.00012563 万元, with no finding.
    func testEveryMoneyUnitIsConvertedExactly() {
        func money(_ raw: String, header: MoneyUnit?) -> Double? { CellValueParser.parse(raw, kind: .money, headerUnit: header).value }
        XCTAssertEqual(money("1.2563", header: .hundredMillion), 12563)
        XCTAssertEqual(money("12.5", header: .million), 1250)
        XCTAssertEqual(money("3.3", header: .tenMillion), 3300)
        XCTAssertEqual(money("25100", header: .thousandYuan), 2510)
        XCTAssertEqual(money("251000", header: .yuan), 25.1)
        XCTAssertEqual(money("0.000123456789", header: .hundredMillion), 1.23456789)
        // The cell's own unit wins over the header's.
        XCTAssertEqual(money("45.82万元", header: .yuan), 45.82)
        XCTAssertEqual(money("2亿元", header: .wan), 20000)
        XCTAssertEqual(money("984361元", header: nil), 98.4361)
        // A unit it does not know: not read, and said so.
        let dollars = CellValueParser.parse("5000美元", kind: .money)
        XCTAssertEqual(dollars.state, .text)
        XCTAssertEqual(dollars.unknownUnit, "美元")
        XCTAssertEqual(CellValueParser.parse("5000", kind: .money, headerUnit: .unknown("港元")).unknownUnit, "港元")
        // Counts with their unit word.
        XCTAssertEqual(value("2笔"), 2)
        XCTAssertEqual(value("3件"), 3)
        XCTAssertNil(value("2笔", .money))
    }

    func testHeadersStateTheirUnit() {
        func unit(_ header: String) -> MoneyUnit? { MoneyUnit.stated(in: LabelFolding.fold(header)) }
        XCTAssertEqual(unit("采购总金额（单位：亿元）"), .hundredMillion)
        XCTAssertEqual(unit("采购总金额(百万元)"), .million)
        XCTAssertEqual(unit("本年收费金额（单位：千元）"), .thousandYuan)
        XCTAssertEqual(unit("采购总金额（单位：万元，保留4位小数）"), .wan)
        XCTAssertEqual(unit("采购总金额（元）"), .yuan)
        XCTAssertEqual(unit("采购总金额 单位：元"), .yuan)
        XCTAssertEqual(unit("采购总金额（千万元）"), .tenMillion)
        XCTAssertEqual(unit("采购总金额（单位：美元）"), .unknown("美元"))
        XCTAssertEqual(unit("采购总金额（单位：港币）"), .unknown("港币"))   // no 元 in it, still a currency
        XCTAssertEqual(unit("本年收费金额（万元）合计（元）"), .yuan)          // the last unit written
        XCTAssertNil(unit("采购项目数量"))
    }

    func testNotesInsideTheCell() {
        let parsed = CellValueParser.parse("22（其中修订16件）")
        XCTAssertEqual(parsed.state, .number)
        XCTAssertEqual(parsed.value, 22)
        XCTAssertEqual(parsed.note, "其中修订16件")
    }

    func testFootnoteMarksAfterFigures() {
        XCTAssertEqual(value("12※"), 12)
        XCTAssertEqual(value("12*"), 12)
        XCTAssertEqual(value("79①"), 79)
        XCTAssertEqual(value("增加5", .signed), 5)
        XCTAssertEqual(value("减少3", .signed), -3)
    }

    func testStates() {
        XCTAssertEqual(CellValueParser.parse("").state, .blank)
        for mark in ["/", "／", "—", "-", "无", "——"] { XCTAssertEqual(CellValueParser.parse(mark).state, .na, mark) }
        XCTAssertEqual(CellValueParser.parse("见附件").state, .text)
        XCTAssertEqual(CellValueParser.parse("1.属于国家秘密").state, .text)
        XCTAssertEqual(CellValueParser.parse("3.").state, .text)
        XCTAssertEqual(CellValueParser.parse("12abc").state, .text)
    }

    func testDecimalShiftIsExact() {
        let number = DecimalText(negative: false, integer: "5", fraction: "")
        XCTAssertEqual(number.shifted(by: -4).description, "0.0005")
        XCTAssertEqual(DecimalText(negative: true, integer: "123456", fraction: "7").shifted(by: -4).description, "-12.34567")
    }

    /// `isFigure` decides some cells before the number reader (no digit of any form, or a long label): its answer is
    /// still the reader's, a number or a "/"-like mark, on figures, marks, words and labels mixed.
    func testIsFigureAgreesWithTheReader() {
        let pieces = ["1", "0", "12", "1,046", "１２", "²", "①", " ", "　", "/", "／", "—", "无", "不适用", "N/A", "增加", "减",
                      "件", "万元", "元", "（", "）", "注", "其中", "总计", "政府信息", "暂无", "没有", "此项无", "未统计", "合计", "空", "﹣", "−", "*", "-", ".", "e\u{301}", "一"]
        var state: UInt64 = 5
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        var figures = 0
        for _ in 0..<20_000 {
            let text = (0..<next(5)).map { _ in pieces[next(pieces.count)] }.joined()
            let state = CellValueParser.parse(text, kind: .signed).state
            let expected = state == .number || state == .na
            if expected { figures += 1 }
            XCTAssertEqual(CellValueParser.isFigure(text), expected, text)
        }
        XCTAssertGreaterThan(figures, 1_000)
    }
}
