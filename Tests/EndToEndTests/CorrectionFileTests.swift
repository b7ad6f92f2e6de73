import XCTest
@testable import NianbaoKit

/// Issue 17: corrections are re-validated, and a corrections file applies many at once, all or nothing, and again
/// without effect.
final class CorrectionFileTests: XCTestCase {
    /// 禾田县 2024 prints 行政复议 总计 0 where its parts add up to 11 (appeals.row_sum).
    func testACorrectionIsReValidatedAndAFileAppliesOnceAllOrNothing() throws {
        let (directory, config, database) = try Paths.loaded(Paths.samples.appendingPathComponent("hetian_county_2024_errors.txt"), as: "hetian.txt")

        func effective(_ rule: String) throws -> [Int64] {
            try AnalystViews.open(database).query("SELECT revalidated FROM findings_effective WHERE rule = ?", [.text(rule)]).compactMap { $0[0].integer }
        }
        func activeCorrections() throws -> Int64 {
            try SQLiteConnection(path: database, readOnly: true).query("SELECT count(*) FROM corrections WHERE withdrawn_at IS NULL").first?.first?.integer ?? -1
        }
        XCTAssertEqual(try effective("appeals.row_sum"), [0])

        let file = directory.appendingPathComponent("corrections.tsv")
        try """
            # agency\tyear\tcell\taction\treason\tauthor
            禾田县人民政府\t2024\tappeals.review.total\t11\tprinted 0; its parts add up to 11\tli

            禾田县人民政府\t2024\trequests.new.total\tconfirm\tchecked against the page
            """.write(to: file, atomically: true, encoding: .utf8)
        let applied = try Paths.run(["correct", "--db", database, "--file", file.path])
        XCTAssertEqual(applied.status, 0, applied.err)
        XCTAssertTrue(applied.out.contains("line 2: corrected: 禾田县人民政府 2024 appeals.review.total 0 → 11"), applied.out)
        XCTAssertTrue(applied.out.contains("line 4: confirmed"), applied.out)
        XCTAssertTrue(applied.out.contains("every identity holds"), applied.out)
        // The extracted finding stays in `findings`; with the correction it no longer applies.
        XCTAssertEqual(try effective("appeals.row_sum"), [])
        XCTAssertEqual(try SQLiteConnection(path: database, readOnly: true).query("SELECT count(*) FROM findings WHERE rule = 'appeals.row_sum'").first?.first?.integer, 1)
        XCTAssertFalse(try Paths.run(["review", "--db", database]).out.contains("appeals.row_sum"))
        XCTAssertEqual(try activeCorrections(), 2)

        // The same file again changes nothing.
        let again = try Paths.run(["correct", "--db", database, "--file", file.path])
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(again.out.components(separatedBy: "unchanged").count - 1, 2, again.out)
        XCTAssertEqual(try SQLiteConnection(path: database, readOnly: true).query("SELECT count(*) FROM corrections").first?.first?.integer, 2)

        // Saved on Windows (CRLF, a byte order mark): the same lines; a withdrawal of nothing is no refusal in a file.
        try ("\u{FEFF}# agency\tyear\tcell\taction\treason\r\n禾田县人民政府\t2024\tappeals.review.total\t11\tprinted 0; its parts add up to 11\tli\r\n"
             + "禾田县人民政府\t2024\trequests.new.total\tconfirm\tchecked against the page\r\n禾田县人民政府\t2024\trequests.total.total\twithdraw\tnone\r\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let windows = try Paths.run(["correct", "--db", database, "--file", file.path])
        XCTAssertEqual(windows.status, 0, windows.err)
        XCTAssertEqual(windows.out.components(separatedBy: "unchanged").count - 1, 3, windows.out)
        XCTAssertEqual(try SQLiteConnection(path: database, readOnly: true).query("SELECT count(*) FROM corrections").first?.first?.integer, 2)
        try "禾田县人民政府\t2024\trequests.new.total\t1\tx\n禾田县人民政府\t2024\trequests.new.total\t2\ty\n".write(to: file, atomically: true, encoding: .utf8)
        let twice = try Paths.run(["correct", "--db", database, "--file", file.path])
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.err.contains("already given on line 1"), twice.err)

        // One refused line refuses the file: nothing of it is applied.
        try "禾田县人民政府\t2024\tappeals.review.upheld\t11\tx\n禾田县人民政府\t2024\tappeals.review.nothing\t1\tx\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let refused = try Paths.run(["correct", "--db", database, "--file", file.path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("line 2"), refused.err)
        XCTAssertEqual(try activeCorrections(), 2)
        try "禾田县人民政府\t2024\tappeals.review.total\televen\tx\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Paths.run(["correct", "--db", database, "--file", file.path]).status, 1)

        // A correction that breaks the identity says so, and review lists it as re-validated.
        let breaking = try Paths.run(["correct", "--db", database, "--agency", "禾田县人民政府", "--year", "2024", "--cell", "appeals.review.upheld",
                                      "--value", "11", "--reason", "misread"])
        XCTAssertEqual(breaking.status, 0, breaking.err)
        XCTAssertTrue(breaking.out.contains("1 finding(s)") && breaking.out.contains("appeals.row_sum"), breaking.out)
        XCTAssertEqual(try effective("appeals.row_sum"), [1])
        XCTAssertTrue(try Paths.run(["review", "--db", database]).out.contains("with its corrections: "))

        // A rerun replaces the report row; the check follows the correction to the new one.
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet", "--force"]).status, 0)
        XCTAssertEqual(try effective("appeals.row_sum"), [1])
        // Withdrawn, the extracted finding is back.
        XCTAssertEqual(try Paths.run(["correct", "--db", database, "--agency", "禾田县人民政府", "--year", "2024", "--cell", "appeals.review.upheld",
                                      "--withdraw", "--reason", "back"]).status, 0)
        XCTAssertEqual(try effective("appeals.row_sum"), [])
        XCTAssertEqual(try Paths.run(["correct", "--db", database, "--agency", "禾田县人民政府", "--year", "2024", "--cell", "appeals.review.total",
                                      "--withdraw", "--reason", "back"]).status, 0)
        XCTAssertEqual(try effective("appeals.row_sum"), [0])
    }

    /// A published error found while splitting figures printed run together leaves its cells empty: re-validating
    /// the cells cannot see it, so a correction elsewhere in the report does not make it go away.
    func testACorrectionKeepsTheErrorsFoundWhileReading() throws {
        let database = try Paths.loaded(Paths.regression.appendingPathComponent("meiling_district_2022_rowlines.txt"), as: "meiling.txt").database
        func errors() throws -> [String] {
            try AnalystViews.open(database).query("SELECT rule || ' ' || row_code FROM findings_effective WHERE severity = 'error' ORDER BY 1")
                .compactMap { $0[0].text }
        }
        let before = try errors()
        XCTAssertTrue(before.contains("requests.row_sum granted"), "\(before)")
        // The same figure again: nothing changes, and the published errors are all still there.
        let same = try Paths.run(["correct", "--db", database, "--agency", "梅岭区人民政府", "--year", "2022", "--cell", "requests.new.natural_person",
                                  "--value", "56", "--reason", "checked"])
        XCTAssertEqual(same.status, 0, same.err)
        XCTAssertFalse(same.out.contains("every identity holds"), same.out)
        XCTAssertEqual(try errors(), before)
    }

    func testAMalformedFileNamesItsLines() {
        XCTAssertThrowsError(try CorrectionsFile(text: "a\t2024\trequests.new.total\n\n# c\nb\tnext\trequests.new.total\t1\tx\n")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("line 1") && text.contains("line 4"), text)
        }
        let parsed = try? CorrectionsFile(text: "甲\t2024\trequests.new.total\t 3 \twhy\n乙\t2023\tappeals.review.total\tWITHDRAW\twhy\tli\n")
        XCTAssertEqual(parsed?.lines.map(\.action), [.correct(3), .withdraw])
        XCTAssertEqual(parsed?.lines.map(\.author), [nil, "li"])
    }
}
