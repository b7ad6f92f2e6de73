import XCTest
@testable import NianbaoKit

final class ReportStoreTests: XCTestCase {
    func sampleReport(agency: String, value: Double) -> Report {
        Report(metadata: ReportMetadata(agency: agency, year: 2021, sections: [1: "总体情况"]),
               formats: [.appeals: .v2021],
               cells: [Cell(table: .appeals, row: "review", col: "total", value: value, state: .number, raw: "\(value)")],
               findings: [Finding(rule: .appealsRowSum, severity: .error, table: .appeals, row: "review", col: "total",
                                  expected: 1, actual: value, message: "'); DROP TABLE cells; --")])
    }

    func count(_ store: ReportStore, _ table: String) throws -> Int64 {
        try store.connection.query("SELECT count(*) FROM \(table)").first?.first?.integer ?? -1
    }

    func testReplaceIsAtomicAndKeyedBySource() throws {
        let path = temporaryDirectory().appendingPathComponent("db/test.sqlite").path
        let store = try ReportStore(path: path)
        let run = try store.beginRun(config: "test")
        let info = DocumentInfo(source: "a.txt", sha256: "aa", size: 1)
        // Hostile text goes through bound parameters only.
        try store.write([.report(info, sampleReport(agency: "x'); DROP TABLE reports; --", value: 3))], runID: run)
        try store.write([.report(DocumentInfo(source: "a.txt", sha256: "bb", size: 1), sampleReport(agency: "县", value: 4))], runID: run)
        XCTAssertEqual(try count(store, "reports"), 1)
        XCTAssertEqual(try count(store, "cells"), 1)
        XCTAssertEqual(try count(store, "findings"), 1)
        XCTAssertEqual(try store.connection.query("SELECT value FROM cells").first?.first?.real, 4)
        XCTAssertEqual(try store.knownDocuments()["a.txt"]?.sha256, "bb")

        // The same source now failing: its report is removed, the failure recorded once.
        let failure = StageFailure(stage: .decode, reason: "binary")
        try store.write([.failed(DocumentInfo(source: "a.txt", sha256: "cc", size: 1), failure)], runID: run)
        try store.write([.failed(DocumentInfo(source: "a.txt", sha256: "cc", size: 1), failure)], runID: run)
        XCTAssertEqual(try count(store, "reports"), 0)
        XCTAssertEqual(try count(store, "cells"), 0)
        XCTAssertEqual(try count(store, "failures"), 1)
        XCTAssertEqual(try store.connection.query("SELECT status FROM documents").first?.first?.text, "failed")
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
}
