import XCTest
@testable import NianbaoKit

/// Issue 17: an analyst's correction outlives reruns, shows in every view and export, and comes back for review
/// when its source changes.
final class CorrectionsTests: XCTestCase {
    /// The sample xiyang_county_2024.md loaded by `run` into DATABASE in a new folder.
    func loadedXiyang(database: String = "db.sqlite") throws -> (directory: URL, config: URL, database: String) {
        try Paths.loaded(Paths.samples.appendingPathComponent("xiyang_county_2024.md"), as: "xiyang.md", database: database)
    }

    func testACorrectionSurvivesARerunAndIsFlaggedWhenItsSourceChanges() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        let inbox = directory.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let file = inbox.appendingPathComponent("xiyang.md")
        let original = try String(contentsOf: Paths.samples.appendingPathComponent("xiyang_county_2024.md"), encoding: .utf8)
        try original.write(to: file, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("p.json")
        try Data(#"{"sources": [{"path": "in"}], "database": "db.sqlite"}"#.utf8).write(to: config)
        let database = directory.appendingPathComponent("db.sqlite").path
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet"]).status, 0)

        let corrected = try Paths.run(["correct", "--db", database, "--agency", "西阳县人民政府", "--year", "2024",
                                        "--cell", "requests.granted.total", "--value", "16", "--reason", "misprint", "--author", "li"])
        XCTAssertEqual(corrected.status, 0, corrected.err)
        XCTAssertTrue(corrected.out.contains("15 → 16"), corrected.out)
        // A cell that does not exist, a report that does not exist, nothing to withdraw: refused, exit 1.
        XCTAssertEqual(try Paths.run(["correct", "--db", database, "--agency", "西阳县人民政府", "--year", "2024", "--cell", "requests.granted.nothing",
                                      "--value", "1", "--reason", "x"]).status, 1)
        XCTAssertEqual(try Paths.run(["correct", "--db", database, "--agency", "西阳县人民政府", "--year", "2031", "--cell", "requests.granted.total",
                                      "--value", "1", "--reason", "x"]).status, 1)
        XCTAssertEqual(try Paths.run(["correct", "--db", database, "--agency", "西阳县人民政府", "--year", "2024", "--cell", "requests.new.total",
                                      "--withdraw", "--reason", "x"]).status, 1)
        XCTAssertEqual(try Paths.run(["correct", "--db", database, "--agency", "西阳县人民政府", "--year", "2024", "--cell", "requests.new.total",
                                      "--reason", "x"]).status, 2)

        func effective() throws -> (value: Double?, flags: String?, stale: Int64?, wide: Double?) {
            let connection = try AnalystViews.open(database)
            let cell = try connection.query("""
                SELECT e.value, e.flags, e.correction_stale FROM cells_effective e JOIN reports_canonical r ON r.id = e.report_id
                WHERE r.year = 2024 AND e.table_code = 'requests' AND e.row_code = 'granted' AND e.col_code = 'total'
                """).first
            let wide = try connection.query("SELECT \"granted.total\" FROM requests_wide WHERE year = 2024").first?.first?.real
            return (cell?[0].real, cell?[1].text, cell?[2].integer, wide)
        }
        var now = try effective()
        XCTAssertEqual(now.value, 16)
        XCTAssertEqual(now.flags, "corrected")
        XCTAssertEqual(now.stale, 0)
        XCTAssertEqual(now.wide, 16)
        // The extracted figure is kept underneath.
        let raw = try SQLiteConnection(path: database, readOnly: true).query("SELECT c.value FROM canonical_cells c WHERE c.table_code = 'requests' AND c.row_code = 'granted' AND c.col_code = 'total'")
        XCTAssertEqual(raw.first?.first?.real, 15)

        // A rerun that reads everything again keeps it.
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet", "--force"]).status, 0)
        now = try effective()
        XCTAssertEqual(now.value, 16)
        XCTAssertEqual(now.stale, 0)
        XCTAssertEqual(try Paths.run(["review", "--db", database]).out.contains("stale correction"), false)

        // The source changes (another figure revised): still applied, now stale, and first in the review list.
        try original.replacingOccurrences(of: "| 41 | 2 | 0 | 0 | 1 | 1 | 45 |", with: "| 42 | 2 | 0 | 0 | 1 | 1 | 46 |")
            .write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet"]).status, 0)
        now = try effective()
        XCTAssertEqual(now.value, 16)
        XCTAssertEqual(now.stale, 1)
        let review = try Paths.run(["review", "--db", database])
        XCTAssertEqual(review.status, 0, review.err)
        XCTAssertTrue(review.out.hasPrefix("stale correction\t西阳县人民政府\t2024\trequests.granted.total"), review.out)

        // Withdrawn: the extracted figure is back.
        XCTAssertEqual(try Paths.run(["correct", "--db", database, "--agency", "西阳县人民政府", "--year", "2024", "--cell", "requests.granted.total",
                                      "--withdraw", "--reason", "the agency republished"]).status, 0)
        now = try effective()
        XCTAssertEqual(now.value, 15)
        XCTAssertEqual(now.flags, "")
    }

    /// A correction made in a shard comes along into the merged database, once however often it is merged.
    func testCorrectionsComeAlongWhenShardsAreMerged() throws {
        let (directory, _, shard) = try loadedXiyang(database: "shard.sqlite")
        let merged = directory.appendingPathComponent("merged.sqlite").path
        XCTAssertEqual(try Paths.run(["correct", "--db", shard, "--agency", "西阳县人民政府", "--year", "2024", "--cell", "requests.granted.total",
                                      "--value", "16", "--reason", "misprint"]).status, 0)
        for _ in 0..<2 { XCTAssertEqual(try Paths.run(["merge", "--into", merged, shard]).status, 0) }
        var connection = try AnalystViews.open(merged)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM corrections").first?.first?.integer, 1)
        XCTAssertEqual(try connection.query("SELECT \"granted.total\" FROM requests_wide").first?.first?.real, 16)
        // A withdrawal in the shard after the merge reaches the merged database on the next merge.
        XCTAssertEqual(try Paths.run(["correct", "--db", shard, "--agency", "西阳县人民政府", "--year", "2024", "--cell", "requests.granted.total",
                                      "--withdraw", "--reason", "wrong"]).status, 0)
        XCTAssertEqual(try Paths.run(["merge", "--into", merged, shard]).status, 0)
        connection = try AnalystViews.open(merged)
        XCTAssertEqual(try connection.query("SELECT \"granted.total\" FROM requests_wide").first?.first?.real, 15)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM corrections WHERE withdrawn_at IS NULL").first?.first?.integer, 0)
    }

    /// Figures a cell cannot hold, a missing reason, confirming over a correction: refused, nothing stored.
    func testImpossibleCorrectionsAreRefused() throws {
        let database = try loadedXiyang().database
        func correct(_ extra: [String], reason: String = "x") throws -> Int32 {
            try Paths.run(["correct", "--db", database, "--agency", "西阳县人民政府", "--year", "2024", "--cell", "requests.granted.total",
                           "--reason", reason] + extra).status
        }
        for value in ["nan", "inf", "-5", "0.5"] { XCTAssertEqual(try correct(["--value=\(value)"]), 1, value) }
        XCTAssertEqual(try correct(["--value", "16"], reason: " "), 1)
        XCTAssertEqual(try correct(["--value", "16"]), 0)
        XCTAssertEqual(try correct(["--confirm"]), 1)
        XCTAssertEqual(try AnalystViews.open(database).query("SELECT count(*) FROM corrections").first?.first?.integer, 1)
        XCTAssertEqual(try Paths.run(["review", "--db", database, "--limit=-1"]).status, 2)
    }
}
