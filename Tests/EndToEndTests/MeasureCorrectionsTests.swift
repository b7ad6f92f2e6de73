import XCTest
@testable import NianbaoKit

/// `measures` joins cells and corrections itself (through the UNION ALL of `cells_effective` SQLite worked the whole
/// view out for every query): its figures are those of `cells_effective`, corrections of every kind applied.
final class MeasureCorrectionsTests: XCTestCase {
    func testMeasuresApplyCorrectionsAsCellsEffectiveDoes() throws {
        let directory = Paths.temporary()
        let inbox = directory.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Paths.samples.path) where [".html", ".txt", ".md"].contains(where: name.hasSuffix) {
            try FileManager.default.copyItem(at: Paths.samples.appendingPathComponent(name), to: inbox.appendingPathComponent(name))
        }
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.path(inbox.path)]
        config.database = "db.sqlite"
        _ = try Pipeline(configuration: config).run()
        let database = directory.appendingPathComponent("db.sqlite").path
        let connection = try AnalystViews.open(database)
        let reports = try connection.query("""
            SELECT agency, year, id FROM reports_canonical WHERE requests_format IS NOT NULL AND unsupported_format = 0 ORDER BY id LIMIT 2
            """)
        XCTAssertEqual(reports.count, 2)
        let (first, second) = (reports[0], reports[1])
        // A cell nobody read (its row gone from `cells`), then corrected: `cells_effective` adds it.
        try connection.execute("DELETE FROM cells WHERE report_id = \(second[2].integer!) AND table_code = 'requests' AND row_code = 'new' AND col_code = 'total'")
        let corrections = try Corrections(database: database)
        func record(_ report: [SQLiteConnection.Value], _ cell: String, _ action: Corrections.Action) throws {
            try corrections.record(agency: report[0].text!, year: Int(report[1].integer!), cell: cell, action: action, reason: "test", author: "t")
        }
        try record(first, "requests.new.total", .correct(4321))
        try record(first, "requests.granted.total", .confirm)
        try record(first, "appeals.review.total", .correct(7))
        try record(first, "appeals.review.total", .withdraw)
        try record(second, "requests.new.total", .correct(55))
        try record(second, "active.licensing.decisions", .correct(3))

        let reference = """
            WITH map(measure, format, table_code, row_code, col_code, parts) AS (VALUES
            \(MeasureViews.mapRows))
            SELECT r.id AS report_id, r.agency_key, r.agency, r.year, r.level, m.measure,
                   CASE WHEN count(c.value) = max(m.parts) THEN sum(c.value) END AS value, count(c.value) AS cells
            FROM reports_canonical r
            JOIN map m ON m.format = CASE m.table_code WHEN 'active' THEN r.active_format WHEN 'requests' THEN r.requests_format
                                                       ELSE r.appeals_format END
            LEFT JOIN cells_effective c ON c.report_id = r.id AND c.table_code = m.table_code AND c.row_code = m.row_code
                                           AND c.col_code = m.col_code AND c.state = 'number'
            WHERE r.unsupported_format = 0
            GROUP BY r.id, m.measure ORDER BY 1, 6
            """
        let expected = try connection.query(reference)
        let measured = try connection.query("SELECT * FROM measures ORDER BY 1, 6")
        XCTAssertGreaterThan(expected.count, 100)
        XCTAssertEqual(measured, expected)
        // The corrections are in: the corrected total of the first report, the unread cell of the second.
        let newTotals = try connection.query("""
            SELECT report_id, value FROM measures WHERE measure = 'requests.new.total' AND report_id IN (\(first[2].integer!), \(second[2].integer!))
            ORDER BY report_id
            """)
        XCTAssertEqual(newTotals.map { $0[1] }, [.real(4321), .real(55)])
    }

    /// The measure map's strings are quoted for SQL by scalar: a quote that a combining mark follows is one Character,
    /// and is doubled all the same.
    func testMeasureMapStringsAreQuotedByScalar() {
        XCTAssertEqual(MeasureViews.sqlString("new"), "'new'")
        XCTAssertEqual(MeasureViews.sqlString("a'b"), "'a''b'")
        XCTAssertEqual(MeasureViews.sqlString("a'\u{301}b"), "'a''\u{301}b'")
        XCTAssertEqual(MeasureViews.sqlString("''"), "''''''")
    }
}
