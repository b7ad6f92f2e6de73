import XCTest
@testable import NianbaoKit

final class CrossReportValidatorTests: XCTestCase {
    func report(_ agency: String, _ year: Int, _ cells: [(TableCode, String, String, Double)], format: TableFormat = .v2021) -> Report {
        Report(metadata: ReportMetadata(agency: agency, year: year), formats: [.active: format, .requests: format],
               cells: cells.map { Cell(table: $0.0, row: $0.1, col: $0.2, value: $0.3, state: .number, raw: format == .v2021 ? "\($0.3)" : "x") })
    }

    func testChainsAcrossYearsAreCheckedAndRecomputed() throws {
        let path = temporaryDirectory().appendingPathComponent("chain.sqlite").path
        let store = try ReportStore(path: path)
        let run = try store.beginRun(config: "test")
        let reports: [(String, Report)] = [
            ("a2021", report("平潭综合实验区", 2021, [(.requests, "carried_forward", "total", 1), (.active, "normative_documents", "in_force", 665)])),
            // Same agency spelled with a space and as its 管委会: still one series.
            ("a2022", report("平潭 综合实验区管委会", 2022, [(.requests, "carried_over", "total", 2), (.active, "normative_documents", "issued", 88),
                                                  (.active, "normative_documents", "repealed", 55), (.active, "normative_documents", "in_force", 698)])),
            ("b2019", report("某县", 2019, [(.active, "licensing", "prev_items", 10), (.active, "licensing", "change", -2)], format: .v2019)),
            ("b2020", report("某县", 2020, [(.active, "licensing", "prev_items", 9)], format: .v2019)),
            ("c2020", report("另一县", 2020, [(.requests, "carried_over", "total", 5)])),
        ]
        try store.write(reports.map { .report(DocumentInfo(source: $0.0, sha256: $0.0, size: 1), $0.1) }, runID: run)
        try ReportIdentity().run(on: store.connection)
        let validator = CrossReportValidator()
        XCTAssertEqual(try validator.run(on: store.connection), 2)
        XCTAssertEqual(try validator.run(on: store.connection), 2)  // idempotent
        let rows = try store.connection.query("""
            SELECT d.source, f.rule, f.row_code, f.col_code, f.expected, f.actual FROM findings f
            JOIN reports r ON r.id = f.report_id JOIN documents d ON d.id = r.document_id WHERE f.rule LIKE '%chain' ORDER BY d.source, f.rule
            """)
        XCTAssertEqual(rows.map { $0[0].text! }, ["a2022", "b2020"])
        XCTAssertEqual(rows.map { $0[1].text! }, ["requests.carry_chain", "active.prev_items_chain"])
        XCTAssertEqual(rows[0][4].real, 1)
        XCTAssertEqual(rows[0][5].real, 2)
        XCTAssertEqual(rows[1][4].real, 8)
        // 665 + 88 − 55 = 698: the in-force chain holds, so no finding for it.
    }
}
