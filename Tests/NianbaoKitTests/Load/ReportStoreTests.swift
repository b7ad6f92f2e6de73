import XCTest
@testable import NianbaoKit

final class ReportStoreTests: XCTestCase {
    func sampleReport(agency: String, value: Double, tables: [TableCode] = [.appeals], extraCells: Int = 0) -> Report {
        var cells = [Cell(table: .appeals, row: "review", col: "total", value: value, state: .number, raw: "\(value)")]
        for index in 0..<extraCells {
            cells.append(Cell(table: .appeals, row: "suit_direct", col: "c\(index)", value: 1, state: .number, raw: "1"))
        }
        return Report(metadata: ReportMetadata(agency: agency, year: 2021, sections: [1: "总体情况"]),
                      formats: Dictionary(uniqueKeysWithValues: tables.map { ($0, TableFormat.v2021) }),
                      cells: cells,
                      findings: [Finding(rule: .appealsRowSum, severity: .error, table: .appeals, row: "review", col: "total",
                                         expected: 1, actual: value, message: "'); DROP TABLE cells; --")])
    }

    func count(_ store: ReportStore, _ table: String) throws -> Int64 {
        try store.connection.query("SELECT count(*) FROM \(table)").first?.first?.integer ?? -1
    }

    func scalar(_ store: ReportStore, _ sql: String) throws -> SQLiteConnection.Value? {
        try store.connection.query(sql).first?.first
    }

    func testReplaceIsAtomicAndKeyedBySource() throws {
        let path = temporaryDirectory().appendingPathComponent("db/test.sqlite").path
        let store = try ReportStore(path: path)
        let run = try store.beginRun(config: "test")
        let info = DocumentInfo(source: "a.txt", sha256: "aa", size: 1)
        // Hostile text goes through bound parameters only.
        try store.write([.report(info, sampleReport(agency: "x'); DROP TABLE reports; --", value: 3))], runID: run)
        let events = try store.write([.report(DocumentInfo(source: "a.txt", sha256: "bb", size: 1),
                                              sampleReport(agency: "x'); DROP TABLE reports; --", value: 4))], runID: run)
        XCTAssertEqual(events.map(\.kind), [.replaced])
        XCTAssertEqual(try count(store, "reports"), 1)
        XCTAssertEqual(try count(store, "cells"), 1)
        XCTAssertEqual(try count(store, "findings"), 1)
        XCTAssertEqual(try scalar(store, "SELECT value FROM cells")?.real, 4)
        XCTAssertEqual(try store.knownDocuments()["a.txt"]?.reportSHA256, "bb")
        // The replaced figures are kept as a version, with the body that replaced them.
        XCTAssertEqual(try scalar(store, "SELECT count(*) FROM report_versions WHERE sha256 = 'aa' AND replaced_by_sha256 = 'bb' AND reason = 'revised'")?.integer, 1)
        XCTAssertEqual(try scalar(store, "SELECT value FROM report_version_cells")?.real, 3)
    }

    /// A revised report stands where the old one stood (canonical, its agency resolved) from its commit on, not from
    /// the identity step at the run's end: a night cut short after the commit (killed, disk full) left it out of the
    /// analyst views, and so did a reader of the views while the run went on.
    func testARevisedReportKeepsItsPlaceInTheViewsBeforeTheIdentityStep() throws {
        let store = try ReportStore(path: temporaryDirectory().appendingPathComponent("v.sqlite").path)
        let run = try store.beginRun(config: "test")
        try store.write([.report(DocumentInfo(source: "a.html", sha256: "aa", size: 1), sampleReport(agency: "县", value: 3))], runID: run)
        // What the identity step leaves after the first night.
        try store.connection.execute("UPDATE reports SET canonical = 1, canonical_reason = 'the only document', agency_key = 'k1', agency_name = '县'")
        for (sha, value) in [("bb", 4.0), ("bb", 4.0)] {   // revised, then re-read
            try store.write([.report(DocumentInfo(source: "a.html", sha256: sha, size: 1), sampleReport(agency: "县", value: value))], runID: run)
            XCTAssertEqual(try store.connection.query("SELECT canonical, agency_key FROM reports"), [[.integer(1), .text("k1")]])
            XCTAssertEqual(try scalar(store, "SELECT value FROM reports_canonical r JOIN cells c ON c.report_id = r.id")?.real, 4)
        }
    }

    /// A re-read of the same body (`--force`, changed settings) is not a new sighting: `first_seen_at` stays, so the
    /// report's history still starts when the body was first stored. A changed body starts anew.
    func testARereadKeepsWhenTheBodyWasFirstSeen() throws {
        let store = try ReportStore(path: temporaryDirectory().appendingPathComponent("a.sqlite").path)
        let run = try store.beginRun(config: "test")
        try store.write([.report(DocumentInfo(source: "a.html", sha256: "aa", size: 1), sampleReport(agency: "县", value: 3))], runID: run)
        try store.connection.execute("UPDATE reports SET first_seen_at = '2020-01-01T00:00:00.000Z'")
        let events = try store.write([.report(DocumentInfo(source: "a.html", sha256: "aa", size: 1), sampleReport(agency: "县", value: 3))], runID: run)
        XCTAssertEqual(events.map(\.kind), [.reread])
        XCTAssertEqual(try scalar(store, "SELECT first_seen_at FROM reports")?.text, "2020-01-01T00:00:00.000Z")
        XCTAssertEqual(try scalar(store, "SELECT seen_from FROM report_history WHERE seen_until IS NULL")?.text, "2020-01-01T00:00:00.000Z")
        try store.write([.report(DocumentInfo(source: "a.html", sha256: "bb", size: 1), sampleReport(agency: "县", value: 4))], runID: run)
        XCTAssertNotEqual(try scalar(store, "SELECT first_seen_at FROM reports")?.text, "2020-01-01T00:00:00.000Z")
    }

    /// An address that starts serving another report (another year or agency) keeps the one it served.
    func testAnotherReportAtTheSameAddressKeepsTheFirst() throws {
        let store = try ReportStore(path: temporaryDirectory().appendingPathComponent("a.sqlite").path)
        let run = try store.beginRun(config: "test")
        try store.write([.report(DocumentInfo(source: "latest.html", sha256: "aa", size: 1), sampleReport(agency: "县", value: 3))], runID: run)
        var next = sampleReport(agency: "县", value: 4)
        next.metadata.year = 2022
        let events = try store.write([.report(DocumentInfo(source: "latest.html", sha256: "bb", size: 1), next)], runID: run)
        XCTAssertEqual(events.map(\.kind), [.loaded])
        XCTAssertEqual(try store.connection.query("SELECT year, value FROM reports JOIN cells ON cells.report_id = reports.id ORDER BY year").map { $0.map(\.real) },
                       [[2021, 3], [2022, 4]])
        XCTAssertEqual(try scalar(store, "SELECT count(*) FROM documents WHERE status = 'superseded' AND source LIKE 'superseded:aa:latest.html'")?.integer, 1)
    }

    /// A new body that lost the year the stored report names is refused (the stored report kept, stale): taken for
    /// another report, it stood beside the stored one and both were counted (adv26).
    func testABodyThatLostItsYearDoesNotStandBesideTheStoredReport() throws {
        let store = try ReportStore(path: temporaryDirectory().appendingPathComponent("y.sqlite").path)
        let run = try store.beginRun(config: "test")
        try store.write([.report(DocumentInfo(source: "a.html", sha256: "aa", size: 1), sampleReport(agency: "县", value: 3))], runID: run)
        var yearless = sampleReport(agency: "县", value: 3)
        yearless.metadata.year = nil
        let events = try store.write([.report(DocumentInfo(source: "a.html", sha256: "bb", size: 1), yearless)], runID: run)
        XCTAssertEqual(events.map(\.kind), [.refused])
        XCTAssertEqual(try store.connection.query("SELECT year, stale FROM reports"), [[.integer(2021), .integer(1)]])
    }

    /// A failure used to delete the stored report (a night of 503s emptied the database).
    func testFailureKeepsTheLastGoodReportMarkedStale() throws {
        let store = try ReportStore(path: temporaryDirectory().appendingPathComponent("s.sqlite").path)
        let run = try store.beginRun(config: "test")
        try store.write([.report(DocumentInfo(source: "a.txt", sha256: "aa", size: 1), sampleReport(agency: "县", value: 3))], runID: run)
        let failure = StageFailure(stage: .fetch, reason: "HTTP 503")
        for _ in 0..<2 {
            let events = try store.write([.failed(DocumentInfo(source: "a.txt", sha256: "", size: 0), failure)], runID: run)
            XCTAssertEqual(events.map(\.kind), [.keptStale])
        }
        XCTAssertEqual(try count(store, "reports"), 1)
        XCTAssertEqual(try scalar(store, "SELECT value FROM cells")?.real, 3)
        XCTAssertEqual(try scalar(store, "SELECT stale FROM reports")?.integer, 1)
        XCTAssertEqual(try scalar(store, "SELECT stale_reason FROM reports")?.text, "fetch: HTTP 503")
        XCTAssertEqual(try scalar(store, "SELECT attempts FROM failures")?.integer, 2)
        XCTAssertEqual(try scalar(store, "SELECT status FROM documents")?.text, "stale")
        let known = try XCTUnwrap(try store.knownDocuments()["a.txt"])
        XCTAssertEqual(known.status, .stale)
        XCTAssertEqual(known.reportSHA256, "aa")

        // The good body is back: unchanged, and the stale mark and the failure are cleared.
        let restored = try store.write([.unchanged(DocumentInfo(source: "a.txt", sha256: "aa", size: 1, previous: known))], runID: run)
        XCTAssertEqual(restored.map(\.kind), [.restored])
        XCTAssertEqual(try scalar(store, "SELECT stale FROM reports")?.integer, 0)
        XCTAssertEqual(try count(store, "failures"), 0)
        XCTAssertEqual(try scalar(store, "SELECT status FROM documents")?.text, "loaded")
    }

    func testWorseBodyIsRefusedAndAFailureWithoutReportStaysFailed() throws {
        let store = try ReportStore(path: temporaryDirectory().appendingPathComponent("r.sqlite").path)
        let run = try store.beginRun(config: "test")
        try store.write([.report(DocumentInfo(source: "a.txt", sha256: "aa", size: 1),
                                 sampleReport(agency: "县", value: 3, tables: [.active, .requests, .appeals], extraCells: 4))], runID: run)
        // Half a page: one table where there were three.
        let events = try store.write([.report(DocumentInfo(source: "a.txt", sha256: "half", size: 1), sampleReport(agency: "县", value: 9))], runID: run)
        XCTAssertEqual(events.first?.kind, .refused)
        XCTAssertTrue(events.first?.detail?.contains("1 table(s)") == true, events.first?.detail ?? "")
        XCTAssertEqual(try scalar(store, "SELECT value FROM cells WHERE row_code = 'review'")?.real, 3)
        XCTAssertEqual(try scalar(store, "SELECT sha256 FROM reports")?.text, "aa")
        XCTAssertEqual(try scalar(store, "SELECT stage FROM failures")?.text, "load")

        let fresh = try store.write([.failed(DocumentInfo(source: "b.txt", sha256: "bb", size: 1), StageFailure(stage: .decode, reason: "binary"))], runID: run)
        XCTAssertEqual(fresh.map(\.kind), [.failed])
        XCTAssertEqual(try scalar(store, "SELECT status FROM documents WHERE source = 'b.txt'")?.text, "failed")
    }

    func testLastGoodReportFromTheCacheIsStoredStaleWhereNoneIsStored() throws {
        let store = try ReportStore(path: temporaryDirectory().appendingPathComponent("l.sqlite").path)
        let run = try store.beginRun(config: "test")
        let good = LastGoodReport(info: DocumentInfo(source: "http://x/a", sha256: "good", size: 1), report: sampleReport(agency: "县", value: 5))
        let events = try store.write([.failed(DocumentInfo(source: "http://x/a", sha256: "maint", size: 1),
                                              StageFailure(stage: .normalize, reason: "no statistical table"), lastGood: good)], runID: run)
        XCTAssertEqual(events.map(\.kind), [.recovered])
        XCTAssertEqual(try scalar(store, "SELECT sha256 || ' ' || stale FROM reports")?.text, "good 1")
        XCTAssertEqual(try scalar(store, "SELECT value FROM cells")?.real, 5)
    }

    /// Rows deleted by hand in the sqlite3 shell (foreign keys off) used to leave orphaned cells.
    func testHandDeletionsTakeTheirChildrenAlong() throws {
        let path = temporaryDirectory().appendingPathComponent("h.sqlite").path
        let store = try ReportStore(path: path)
        let run = try store.beginRun(config: "test")
        try store.write([.report(DocumentInfo(source: "a.txt", sha256: "aa", size: 1), sampleReport(agency: "县", value: 3))], runID: run)
        let shell = try SQLiteConnection(path: path)
        try shell.execute("PRAGMA foreign_keys=OFF")
        try shell.execute("DELETE FROM documents")
        for table in ["reports", "cells", "findings", "report_sections"] {
            XCTAssertEqual(try shell.query("SELECT count(*) FROM \(table)").first?.first?.integer, 0, table)
        }
    }

    /// The writer writes its batches with foreign keys off (checking each cell against its report was 2 % of a run):
    /// a replaced report's children, section similarities included, still go with it, nothing it leaves is orphaned,
    /// and the connection checks foreign keys again after the batch.
    func testBatchesWrittenWithoutForeignKeyChecksLeaveNoOrphans() throws {
        let path = temporaryDirectory().appendingPathComponent("fk.sqlite").path
        let store = try ReportStore(path: path)
        let run = try store.beginRun(config: "test")
        try store.write([.report(DocumentInfo(source: "a.txt", sha256: "aa", size: 1), sampleReport(agency: "县", value: 3))], runID: run)
        let first = try XCTUnwrap(scalar(store, "SELECT id FROM reports")?.integer)
        try store.connection.execute("INSERT INTO section_similarity(report_id, number, previous_report_id, ratio) VALUES (\(first), 1, \(first), 0.5)")
        try store.connection.execute("INSERT INTO correction_checks(report_id, checked_at) VALUES (\(first), 'now')")
        XCTAssertEqual(try scalar(store, "PRAGMA foreign_keys")?.integer, 1)
        let events = try store.write([.report(DocumentInfo(source: "a.txt", sha256: "bb", size: 1), sampleReport(agency: "县", value: 4, extraCells: 5))], runID: run)
        XCTAssertEqual(events.map(\.kind), [.replaced])
        XCTAssertEqual(try scalar(store, "PRAGMA foreign_keys")?.integer, 1, "checked again after the batch")
        XCTAssertEqual(try store.connection.query("PRAGMA foreign_key_check").count, 0)
        for table in ["cells", "findings", "report_sections", "section_similarity", "correction_checks", "correction_findings"] {
            XCTAssertEqual(try scalar(store, "SELECT count(*) FROM \(table) WHERE report_id NOT IN (SELECT id FROM reports)")?.integer, 0, table)
        }
        // (The new report may take the old one's id: what the old one had is gone, whatever the id.)
        XCTAssertEqual(try count(store, "section_similarity"), 0)
        XCTAssertEqual(try count(store, "correction_checks"), 0)
        XCTAssertEqual(try count(store, "cells"), 6)
        // Outside a batch they are checked: a cell of no report is refused.
        XCTAssertThrowsError(try store.connection.execute("INSERT INTO cells(report_id, table_code, row_code, col_code, state, raw) VALUES (999, 'a', 'b', 'c', 'blank', '')"))
    }

    /// Text with a NUL used to be cut at the NUL (bound with length -1).
    func testTextWithNULIsStoredWhole() throws {
        let store = try ReportStore(path: temporaryDirectory().appendingPathComponent("n.sqlite").path)
        let run = try store.beginRun(config: "test")
        var report = sampleReport(agency: "县", value: 3)
        report.metadata.sections = [1: "前半\u{0}后半：一共九十二个字的一节"]
        try store.write([.report(DocumentInfo(source: "a.txt", sha256: "aa", size: 1), report)], runID: run)
        XCTAssertEqual(try scalar(store, "SELECT text FROM report_sections")?.text, "前半\u{0}后半：一共九十二个字的一节")
        XCTAssertEqual(try scalar(store, "SELECT length(CAST(text AS BLOB)) FROM report_sections")?.integer,
                       Int64("前半\u{0}后半：一共九十二个字的一节".utf8.count))
    }

    func testSchemaIsMigratedOnceAndReopens() throws {
        let path = temporaryDirectory().appendingPathComponent("m.sqlite").path
        _ = try ReportStore(path: path)
        let reopened = try ReportStore(path: path)
        XCTAssertEqual(try reopened.connection.query("PRAGMA user_version").first?.first?.integer, Int64(DatabaseSchema.migrations.count))
        XCTAssertEqual(try reopened.connection.query("PRAGMA journal_mode").first?.first?.text, "wal")
    }

    func testUnwritableLocationIsAClearError() {
        XCTAssertThrowsError(try ReportStore(path: "/proc/nianbao/test.sqlite")) { error in
            XCTAssertTrue("\(error)".contains("/proc/nianbao/test.sqlite"))
        }
    }
    /// A batch is one transaction: when one of its documents cannot be written, none of the batch is, and what
    /// was stored before stays as it was.
    func testABatchThatFailsWritesNothingAndKeepsStoredReports() throws {
        let store = try ReportStore(path: temporaryDirectory().appendingPathComponent("test.sqlite").path)
        let run = try store.beginRun(config: "test")
        try store.write([.report(DocumentInfo(source: "a.txt", sha256: "aa", size: 1), sampleReport(agency: "甲", value: 3))], runID: run)
        try store.connection.execute("""
            CREATE TEMP TRIGGER refuse BEFORE INSERT ON documents WHEN NEW.source = 'c.txt' BEGIN SELECT RAISE(ABORT, 'refused'); END
            """)
        XCTAssertThrowsError(try store.write([
            .report(DocumentInfo(source: "a.txt", sha256: "a2", size: 1), sampleReport(agency: "甲", value: 9)),
            .failed(DocumentInfo(source: "b.txt", sha256: "bb", size: 1), StageFailure(stage: .extract, reason: "x"), lastGood: nil),
            .report(DocumentInfo(source: "c.txt", sha256: "cc", size: 1), sampleReport(agency: "乙", value: 5)),
        ], runID: run))
        XCTAssertEqual(try count(store, "documents"), 1)
        XCTAssertEqual(try scalar(store, "SELECT value FROM cells")?.real, 3)
        XCTAssertEqual(try scalar(store, "SELECT sha256 FROM reports")?.text, "aa")
        XCTAssertEqual(try count(store, "load_events"), 1)
    }

    /// The writer's timestamps are written by hand; they must read as ISO8601DateFormatter's did.
    func testTimestampsAreTheISO8601FormattersText() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var times: [TimeInterval] = [0, 0.0004, 0.0005, 0.0015, 0.9995, 0.9999, -0.5, -0.0004, -1.0006, 951_782_400.25,
                                     1_764_520_000.1239, 1_764_520_000.9996, 4_102_444_799.9994]
        var state: UInt64 = 12345   // a fixed sequence from 1966 to 2100, and every half millisecond over 5 seconds
        for _ in 0..<5000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            times.append(Double(state >> 11) / Double(1 << 53) * 4_202_444_800 - 100_000_000)
        }
        for step in 0..<10_000 { times.append(1_764_520_000 + Double(step) * 0.0005) }
        for time in times {
            let date = Date(timeIntervalSince1970: time)
            XCTAssertEqual(ReportStore.timestamp(date), formatter.string(from: date), "\(time)")
        }
    }
}
