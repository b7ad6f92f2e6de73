import XCTest
@testable import NianbaoKit

final class NarrativeCheckTests: XCTestCase {
    let cells = CellIndex([
        Cell(table: .requests, row: "new", col: "total", value: 481, state: .number, raw: "481"),
        Cell(table: .requests, row: "carried_over", col: "total", value: 16, state: .number, raw: "16"),
        Cell(table: .appeals, row: "review", col: "total", value: 36, state: .number, raw: "36"),
        Cell(table: .appeals, row: "suit_direct", col: "total", value: 71, state: .number, raw: "71"),
        Cell(table: .appeals, row: "suit_after_review", col: "total", value: 13, state: .number, raw: "13"),
    ])

    func testConsistentProseIsQuiet() {
        let prose = "全市共受理政府信息公开申请497件（含上年度结转申请16件）。信息公开类行政复议36件，复议后诉讼13件，直接诉讼71件。"
        XCTAssertEqual(NarrativeCheck.findings(prose: prose, cells: cells), [])
        XCTAssertEqual(NarrativeCheck.findings(prose: "共受理政府信息公开申请 481 件，政府信息公开行政诉讼 84 件", cells: cells), [])
    }

    func testMismatchesAreWarnings() {
        let findings = NarrativeCheck.findings(prose: "本年度共收到政府信息公开申请500件，行政复议 35 件。", cells: cells)
        XCTAssertEqual(findings.map(\.rule.rawValue), ["narrative.table_mismatch", "narrative.table_mismatch"])
        XCTAssertEqual(findings.map(\.severity), [.warning, .warning])
        XCTAssertEqual(findings[0].row, "new")
        XCTAssertEqual(findings[0].actual, 500)
        XCTAssertEqual(findings[1].row, "review")
        XCTAssertEqual(findings[1].expected, 36)
    }

    func testUnpublishedCellsAreNotCompared() {
        XCTAssertEqual(NarrativeCheck.findings(prose: "行政复议5件", cells: CellIndex([])), [])
    }
}

final class NarrativeFactsTests: XCTestCase {
    func testSingleCellStatementsAreFacts() {
        let facts = NarrativeFacts.facts(in: "动态更新发布本年度制发行政规范性文件62件，集中公开现行有效行政规范性文件698件。全年新收政府信息公开申请34件。共受理申请40件。")
        XCTAssertEqual(facts.map { "\($0.table.rawValue).\($0.row).\($0.col)=\(Int($0.value))" },
                       ["requests.new.total=34", "active.normative_documents.issued=62", "active.normative_documents.in_force=698"])
        XCTAssertEqual(facts[1].quote, "本年度制发行政规范性文件62件")
        // 共受理 may mean new or new plus carried over: no single-cell fact.
        XCTAssertFalse(facts.contains { $0.value == 40 })
    }

    func testTwoFiguresForOneCellSettleNothing() {
        XCTAssertEqual(NarrativeFacts.facts(in: "本年度制发规范性文件12件。全年印发规范性文件15件。"), [])
    }
}
