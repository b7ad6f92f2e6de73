import XCTest
@testable import NianbaoKit

/// Faults a cron job meets: kills, overlapping runs, signals, bad databases.
final class ReliabilityTests: XCTestCase {
    /// A corpus of synthetic documents (every layout) plus a few bad files.
    func makeInputs(_ directory: URL, count: Int) throws -> URL {
        let inputs = directory.appendingPathComponent("inputs")
        try SyntheticCorpus(seed: 99).write(count: count, to: inputs)
        for name in try FileManager.default.contentsOfDirectory(atPath: inputs.path) where name.hasSuffix(".expected.json") {
            try FileManager.default.removeItem(at: inputs.appendingPathComponent(name))
        }
        try Data().write(to: inputs.appendingPathComponent("zz-empty.txt"))
        try Data([0, 1, 2, 3, 0xFF]).write(to: inputs.appendingPathComponent("zz-binary.html"))
        return inputs
    }

    func config(_ directory: URL, database: String) throws -> URL {
        let url = directory.appendingPathComponent("\(database).json")
        try Data(#"{"sources": [{"path": "inputs"}], "database": "\#(database).sqlite", "workers": 2, "load": {"batch_size": 8}}"#.utf8).write(to: url)
        return url
    }

    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try Paths.requireBinary()
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func scalar(_ connection: SQLiteConnection, _ sql: String) throws -> Int64 {
        try connection.query(sql).first?.first?.integer ?? -1
    }

    /// Reports, cells and findings of two databases compared by content; 0 when equal.
    func differences(_ a: String, _ b: String) throws -> Int64 {
        let connection = try SQLiteConnection(path: a)
        try connection.prepare("ATTACH DATABASE ? AS other").run([.text(b)])
        var total: Int64 = 0
        for schema in [("main", "other"), ("other", "main")] {
            for select in [
                "SELECT agency, year, source, sha256, active_format, requests_format, appeals_format FROM %@.reports",
                "SELECT r.source, c.table_code, c.row_code, c.col_code, c.value, c.state, c.raw FROM %@.cells c JOIN %@.reports r ON r.id = c.report_id",
                "SELECT r.source, f.rule, f.row_code, f.col_code, f.message FROM %@.findings f JOIN %@.reports r ON r.id = f.report_id",
                "SELECT d.source, d.status, f.stage, f.reason FROM %@.documents d LEFT JOIN %@.failures f ON f.document_id = d.id",
            ] {
                let left = select.replacingOccurrences(of: "%@", with: schema.0)
                let right = select.replacingOccurrences(of: "%@", with: schema.1)
                total += try scalar(connection, "SELECT count(*) FROM (\(left) EXCEPT \(right))")
            }
        }
        return total
    }

    /// Killed with SIGKILL at random points 20 times, rerun each time: the database stays sound and ends
    /// equal to one clean run's.
    func testKilledRunsLoseNothing() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        let inputs = try makeInputs(directory, count: 2500)
        let killed = try config(directory, database: "killed")
        let clean = try config(directory, database: "clean")
        let cleanRun = try start(["run", "--config", clean.path, "--quiet"])
        cleanRun.waitUntilExit()
        XCTAssertEqual(cleanRun.terminationStatus, 1)   // the two bad files fail
        var generator = SeededGenerator(seed: 7)
        var kills = 0
        var attempts = 0
        while kills < 20 && attempts < 40 {
            attempts += 1
            let process = try start(["run", "--config", killed.path, "--quiet"])
            usleep(UInt32.random(in: 100_000...600_000, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            let connection = try SQLiteConnection(path: directory.appendingPathComponent("killed.sqlite").path)
            XCTAssertEqual(try connection.query("PRAGMA integrity_check").first?.first?.text, "ok")
            // No half-written report: every loaded report has its cells.
            XCTAssertEqual(try scalar(connection, """
                SELECT count(*) FROM reports r WHERE r.unsupported_format = 0
                AND (SELECT count(*) FROM cells c WHERE c.report_id = r.id) = 0
                """), 0)
            XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM documents WHERE status = 'loaded' AND id NOT IN (SELECT document_id FROM reports)"), 0)
        }
        XCTAssertEqual(kills, 20, "too few runs were still going when killed")
        let final = try start(["run", "--config", killed.path, "--quiet"])
        final.waitUntilExit()
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("killed.sqlite").path)
        XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM documents"), 2502)
        XCTAssertEqual(try scalar(connection, "SELECT count(DISTINCT source) FROM documents"), 2502)
        XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM runs WHERE status = 'running'"), 0)
        XCTAssertEqual(try differences(directory.appendingPathComponent("killed.sqlite").path,
                                       directory.appendingPathComponent("clean.sqlite").path), 0)
        print("reliability: \(kills) SIGKILLs survived over \(inputs.lastPathComponent)")
    }

    func testOverlappingRunIsRefusedOrWaits() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        _ = try makeInputs(directory, count: 600)
        let configuration = try config(directory, database: "shared")
        let first = try start(["run", "--config", configuration.path, "--quiet"])
        usleep(300_000)
        let second = try Paths.run(["run", "--config", configuration.path, "--quiet"])
        XCTAssertTrue(first.isRunning, "the first run ended too early for the test")
        XCTAssertEqual(second.status, 3)
        XCTAssertTrue(second.err.contains("another nianbao run"), second.err)
        let waiting = try Paths.run(["run", "--config", configuration.path, "--quiet", "--wait"])
        // It ran after the first: everything unchanged, and the two bad files tried again (they fail again: exit 1).
        XCTAssertEqual(waiting.status, 1, waiting.err)
        first.waitUntilExit()
        XCTAssertTrue(waiting.out.contains("unchanged: 600"), waiting.out)
        XCTAssertTrue(waiting.out.contains("retried: 2"), waiting.out)
    }

    func testSignalsStopPromptlyAndRecordTheRun() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        _ = try makeInputs(directory, count: 1500)
        let configuration = try config(directory, database: "signalled")
        for (signal, code) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            let process = try start(["run", "--config", configuration.path, "--quiet"])
            usleep(400_000)
            let sent = Date()
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            XCTAssertLessThan(Date().timeIntervalSince(sent), 5)
            XCTAssertEqual(process.terminationStatus, code)
            let connection = try SQLiteConnection(path: directory.appendingPathComponent("signalled.sqlite").path)
            XCTAssertEqual(try connection.query("SELECT status FROM runs ORDER BY id DESC LIMIT 1").first?.first?.text, "interrupted")
            XCTAssertEqual(try connection.query("PRAGMA integrity_check").first?.first?.text, "ok")
        }
        let rest = try Paths.run(["run", "--config", configuration.path, "--quiet"])
        XCTAssertTrue([0, 1].contains(rest.status), rest.err)
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("signalled.sqlite").path)
        XCTAssertEqual(try scalar(connection, "SELECT count(*) FROM documents"), 1502)
    }

    func testBadDatabasesAreClearErrors() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        _ = try makeInputs(directory, count: 5)
        // A corrupt database file.
        try Data(repeating: 0x42, count: 8192).write(to: directory.appendingPathComponent("corrupt.sqlite"))
        let corrupt = try Paths.run(["run", "--config", try config(directory, database: "corrupt").path, "--quiet"])
        XCTAssertEqual(corrupt.status, 1)
        XCTAssertTrue(corrupt.err.contains("corrupt.sqlite"), corrupt.err)
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("corrupt.sqlite")), Data(repeating: 0x42, count: 8192))
        // A database where a directory stands.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("folder.sqlite"), withIntermediateDirectories: true)
        let folder = try Paths.run(["run", "--config", try config(directory, database: "folder").path, "--quiet"])
        XCTAssertEqual(folder.status, 1)
        XCTAssertTrue(folder.err.contains("folder.sqlite"), folder.err)
    }

    /// Runs mount/umount; false when this machine does not let the tests mount (then the test is skipped).
    @discardableResult
    func mount(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    func testFullDiskIsAClearErrorAndLeavesNoHalfReport() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        _ = try makeInputs(directory, count: 300)
        let small = directory.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        guard mount(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", small.path]) else { throw XCTSkip("cannot mount a small tmpfs here") }
        defer { mount(["umount", small.path]) }
        let configuration = directory.appendingPathComponent("full.json")
        try Data(#"{"sources": [{"path": "inputs"}], "database": "small/full.sqlite", "workers": 2, "load": {"batch_size": 4}}"#.utf8)
            .write(to: configuration)
        let result = try Paths.run(["run", "--config", configuration.path, "--quiet"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("full.sqlite") && result.err.contains("full"), result.err)
        let connection = try SQLiteConnection(path: small.appendingPathComponent("full.sqlite").path)
        XCTAssertEqual(try connection.query("PRAGMA integrity_check").first?.first?.text, "ok")
        XCTAssertEqual(try scalar(connection, """
            SELECT count(*) FROM reports r WHERE r.unsupported_format = 0 AND (SELECT count(*) FROM cells c WHERE c.report_id = r.id) = 0
            """), 0)
        XCTAssertLessThan(try scalar(connection, "SELECT count(*) FROM documents"), 302)
    }

    func testReadOnlyDatabaseIsAClearError() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        _ = try makeInputs(directory, count: 5)
        let writable = directory.appendingPathComponent("data")
        let readOnly = directory.appendingPathComponent("readonly")
        try FileManager.default.createDirectory(at: writable, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
        let first = directory.appendingPathComponent("first.json")
        try Data(#"{"sources": [{"path": "inputs"}], "database": "data/db.sqlite"}"#.utf8).write(to: first)
        XCTAssertEqual(try Paths.run(["run", "--config", first.path, "--quiet"]).status, 1)   // the two bad files
        guard mount(["mount", "--bind", "-o", "ro", writable.path, readOnly.path]) else { throw XCTSkip("cannot bind-mount read-only here") }
        defer { mount(["umount", readOnly.path]) }
        let before = try Data(contentsOf: writable.appendingPathComponent("db.sqlite"))
        let second = directory.appendingPathComponent("second.json")
        try Data(#"{"sources": [{"path": "inputs"}], "database": "readonly/db.sqlite"}"#.utf8).write(to: second)
        let result = try Paths.run(["run", "--config", second.path, "--quiet"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("readonly/db.sqlite"), result.err)
        XCTAssertEqual(try Data(contentsOf: writable.appendingPathComponent("db.sqlite")), before)
    }
}
