import XCTest
@testable import NianbaoKit

final class CellValueParserTests: XCTestCase {
    func value(_ raw: String, _ kind: ColumnDefinition.Kind = .count, yuan: Bool = false) -> Double? {
        CellValueParser.parse(raw, kind: kind, headerUnitIsYuan: yuan).value
    }

    func testNumbers() {
        XCTAssertEqual(value("1,234"), 1234)
        XCTAssertEqual(value("１２"), 12)
        XCTAssertEqual(value("+2", .signed), 2)
        XCTAssertEqual(value("-15", .signed), -15)
        XCTAssertEqual(value("957245.9921", .money), 957245.9921)
        XCTAssertEqual(value(" 38 件"), 38)
    }

    func testMoneyUnits() {
        XCTAssertEqual(value("251000元", .money), 25.1)
        XCTAssertEqual(value("13575394432.52元", .money), 1357539.443252)
        XCTAssertEqual(value("18651.06万元", .money), 18651.06)
        XCTAssertEqual(value("3940", .money, yuan: true), 0.394)
        // A count never changes unit.
        XCTAssertEqual(value("251000元"), 251000)
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
}
