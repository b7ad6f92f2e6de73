import XCTest
@testable import NianbaoKit

final class IdentityCheckTests: XCTestCase {
    func testThreeOutcomes() {
        XCTAssertEqual(IdentityCheck.evaluate(left: [1, 2, nil], right: [3]), .pass)
        XCTAssertEqual(IdentityCheck.evaluate(left: [10, 1, 0, 0], right: [0]), .fail(expected: 11, actual: 0))
        // Parts already above a published total: no blank can help.
        XCTAssertEqual(IdentityCheck.evaluate(left: [5, nil], right: [3]), .fail(expected: 5, actual: 3))
        // Only the total published: blanks could make it hold.
        XCTAssertEqual(IdentityCheck.evaluate(left: [nil, nil], right: [263]), .notCheckable(expected: 0, actual: 263))
        // The total itself blank while parts exist.
        XCTAssertEqual(IdentityCheck.evaluate(left: [2, 3], right: [nil]), .notCheckable(expected: 5, actual: 0))
    }
}

final class ValidatorTests: XCTestCase {
    func cell(_ table: TableCode, _ row: String, _ col: String, _ value: Double?) -> Cell {
        Cell(table: table, row: row, col: col, value: value, state: value == nil ? .blank : .number, raw: value.map(format) ?? "")
    }

    func testRulesAndOverrides() {
        var cells: [Cell] = []
        for (row, values) in [("review", [10.0, 1, 0, 0, 0]), ("suit_direct", [1, 0, 0, 0, 1]), ("suit_after_review", [0, 0, 0, 0, 0])] {
            for (col, value) in zip(["upheld", "corrected", "other", "pending", "total"], values) { cells.append(cell(.appeals, row, col, value)) }
        }
        cells.append(cell(.active, "regulations", "published", 5))
        cells.append(cell(.active, "regulations", "total_public", 3))
        cells.append(cell(.active, "licensing", "decisions", 2.5))
        let report = Report(metadata: ReportMetadata(), formats: [.appeals: .v2019, .active: .v2019], cells: cells)
        let findings = Validator().validate(report).findings
        XCTAssertEqual(Set(findings.map(\.rule.rawValue)), ["appeals.row_sum", "active.total_public_ge_published", "counts.non_negative_integer"])
        let appeal = findings.first { $0.rule == .appealsRowSum }
        XCTAssertEqual(appeal?.row, "review")
        XCTAssertEqual(appeal?.col, "total")
        XCTAssertEqual(appeal?.severity, .error)

        var options = ValidateOptions()
        options.severities[.appealsRowSum] = .warning
        options.disabledRules = [.countsNonNegativeInteger]
        let adjusted = Validator(options: options).validate(report).findings
        XCTAssertEqual(adjusted.first { $0.rule == .appealsRowSum }?.severity, .warning)
        XCTAssertFalse(adjusted.contains { $0.rule == .countsNonNegativeInteger })
    }

    func testRequestIdentitiesNameTheirCells() throws {
        let text = TabSeparatedReport.report(year: 2021, sixth: ["\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0"])
            .replacingOccurrences(of: "\t(七) 总计\t5\t0\t0\t0\t0\t0\t5", with: "\t(七) 总计\t6\t0\t0\t0\t0\t0\t6")
        let report = try XCTUnwrap(report(processText(text)))
        let errors = report.findings.filter { $0.severity == .error }
        XCTAssertTrue(errors.contains { $0.rule == .requestsBalance && $0.row == "total" && $0.col == "natural_person" })
        XCTAssertTrue(errors.contains { $0.rule == .requestsOutcomesSum && $0.row == "total" && $0.col == "total" })
        XCTAssertFalse(errors.contains { $0.rule == .requestsRowSum })
    }
}
