import XCTest
@testable import NianbaoKit

/// Signals during network waits: the first cancels fetches and waits at once and exits within 2 s; a second
/// exits immediately. Every exit leaves its summary JSON.
final class SignalTests: XCTestCase {
    var directory: URL!

    override func setUp() { directory = Paths.temporary() }

    func start(_ urls: [String], fetch: String, wait: Bool = false) throws -> Process {
        try urls.joined(separator: "\n").write(to: directory.appendingPathComponent("urls.txt"), atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("c.json")
        try Data(#"{"sources": [{"urls": "urls.txt"}], "database": "db.sqlite", "fetch": {"cache_dir": "cache", \#(fetch)}, "limits": {"document_seconds": 600}}"#.utf8)
            .write(to: config)
        let process = Process()
        process.executableURL = try Paths.requireBinary()
        process.arguments = ["run", "--config", config.path, "--quiet", "--summary-json", directory.appendingPathComponent("summary.json").path]
            + (wait ? ["--wait"] : [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until the server has seen a request for `path` (the download or the wait is then under way).
    func waitForRequest(_ server: FaultServer, _ path: String, count: Int = 1) throws {
        let deadline = Date().addingTimeInterval(20)
        while try server.log().filter({ $0.path == path }).count < count {
            guard Date() < deadline else { return XCTFail("no request for \(path)") }
            usleep(100_000)
        }
        usleep(300_000)
    }

    /// Sends the signals and returns the seconds until the process was gone.
    func stop(_ process: Process, with signals: [Int32]) -> Double {
        let sent = Date()
        for signal in signals {
            kill(process.processIdentifier, signal)
            usleep(50_000)
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(sent)
        print(String(format: "signals %@: exited %.2f s after the first", signals.map(String.init).joined(separator: ","), seconds))
        return seconds
    }

    func summary() throws -> [String: Any] {
        let path = directory.appendingPathComponent("summary.json")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
    }

    /// SIGTERM during a download that would take minutes (one byte a second) used to wait for the transfer and
    /// all its retries (~127 s).
    func testSIGTERMDuringASlowDownloadExitsWithinTwoSeconds() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let process = try start([server.url("/trickle/qinghe_county_2019.html")], fetch: #""timeout_seconds": 60, "retries": 3"#)
        try waitForRequest(server, "/trickle/qinghe_county_2019.html")
        XCTAssertTrue(process.isRunning)
        XCTAssertLessThan(stop(process, with: [SIGTERM]), 2)
        XCTAssertEqual(process.terminationStatus, 143)
        let summary = try summary()
        XCTAssertEqual(summary["exit_code"] as? Int, 143)
        XCTAssertEqual(summary["signal"] as? Int, Int(SIGTERM))
        XCTAssertEqual(summary["not_reached"] as? Int, 1)
        XCTAssertEqual(summary["failed"] as? Int, 0, "a cancelled download is not a failure")
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM failures").first?.first?.integer, 0)
        XCTAssertEqual(try connection.query("SELECT status FROM runs").first?.first?.text, "interrupted")
    }

    /// A server asking to come back in 99999 s used to hold the run (and SIGTERM) for minutes.
    func testSIGINTDuringARetryWaitAndASecondSignal() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let process = try start([server.url("/retry-after")], fetch: #""retries": 3, "max_backoff_seconds": 300"#)
        try waitForRequest(server, "/retry-after")
        XCTAssertLessThan(stop(process, with: [SIGINT]), 2)
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertEqual(try summary()["exit_code"] as? Int, 130)

        let again = try start([server.url("/trickle/xiyang_county_2024.md")], fetch: #""timeout_seconds": 60"#)
        try waitForRequest(server, "/trickle/xiyang_county_2024.md")
        XCTAssertLessThan(stop(again, with: [SIGINT, SIGTERM]), 2)
        XCTAssertEqual(again.terminationStatus, 130)
        XCTAssertNotNil(try summary()["exit_code"])
    }

    func testSIGHUPStopsLikeSIGTERMAndAQueuedRunStopsToo() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let process = try start([server.url("/trickle/qinghe_county_2019.html")], fetch: #""timeout_seconds": 60"#)
        try waitForRequest(server, "/trickle/qinghe_county_2019.html")
        // A second run queued behind the first (--wait) stops at once on SIGTERM.
        let queued = Process()
        queued.executableURL = try Paths.requireBinary()
        queued.arguments = ["run", "--config", directory.appendingPathComponent("c.json").path, "--quiet", "--wait",
                            "--summary-json", directory.appendingPathComponent("queued.json").path]
        queued.standardOutput = FileHandle.nullDevice
        queued.standardError = FileHandle.nullDevice
        try queued.run()
        usleep(500_000)
        XCTAssertTrue(queued.isRunning)
        XCTAssertLessThan(stop(queued, with: [SIGTERM]), 2)
        XCTAssertEqual(queued.terminationStatus, 143)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("queued.json").path))

        XCTAssertLessThan(stop(process, with: [SIGHUP]), 2)
        XCTAssertEqual(process.terminationStatus, 129)
    }
}
