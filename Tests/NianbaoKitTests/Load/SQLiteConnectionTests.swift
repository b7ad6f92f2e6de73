import CSQLite
import XCTest
@testable import NianbaoKit

final class SQLiteConnectionTests: XCTestCase {
    /// Text is bound without a copy: what is stored must still be each string exactly, whatever its storage
    /// (small strings live inline, large ones on the heap, slices are copied into a string of their own).
    func testTextBoundWithoutACopyIsStoredExactly() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t(n INTEGER, a TEXT, b TEXT, c TEXT)")
        let insert = try connection.cached("INSERT INTO t(n, a, b, c) VALUES (?, ?, ?, ?)")
        let long = String(repeating: "行政复议", count: 500)
        var expected: [[SQLiteConnection.Value]] = []
        for index in 0..<300 {
            let row: [SQLiteConnection.Value] = [
                .integer(Int64(index)), .text("r\(index)"), .text(index % 3 == 0 ? "" : long + "\(index)"),
                .text(String(long.dropFirst(index)) + "a\u{0}b"),
            ]
            try insert.run(row)
            expected.append(row)
        }
        XCTAssertEqual(try connection.query("SELECT n, a, b, c FROM t ORDER BY n"), expected)
        // A bound value read back through a result row, in the same statement's scope.
        XCTAssertEqual(try connection.prepare("SELECT ? || ?").rows([.text(long), .text("尾")]), [[.text(long + "尾")]])
    }

    /// A statement is reset once used: one that returned a row no longer holds the database (or its bindings).
    func testAStatementIsResetAfterUse() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT)")
        let insert = try connection.prepare("INSERT INTO t(a) VALUES (?) RETURNING id")
        try insert.run([.text("x")])
        XCTAssertEqual(sqlite3_stmt_busy(insert.handle), 0)
        let select = try connection.prepare("SELECT a FROM t")
        struct Stop: Error {}
        XCTAssertThrowsError(try select.forEachRow { _ in throw Stop() })
        XCTAssertEqual(sqlite3_stmt_busy(select.handle), 0)
    }

    /// A run that found its database moved away records its exit at the old path: it must not make an empty
    /// database there, which would take the `-wal` file left behind (the moved database's last commits) and delete it.
    func testRecordingTheExitNeverCreatesTheDatabase() throws {
        let directory = temporaryDirectory()
        let path = directory.appendingPathComponent("moved.sqlite").path
        let wal = path + "-wal"
        try Data("the moved database's last commits".utf8).write(to: URL(fileURLWithPath: wal))
        XCTAssertThrowsError(try ReportStore.recordExit(database: path, runID: 1, runUUID: "u", exitCode: 1, summary: "{}"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: wal)), Data("the moved database's last commits".utf8))
    }
}
