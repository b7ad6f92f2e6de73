import XCTest
@testable import NianbaoKit

/// Issue 16: untrusted inputs are read exactly or refused with the real reason, and nothing is unbounded.
final class HostileInputTests: XCTestCase {
    var directory: URL!

    override func setUp() { directory = Paths.temporary() }

    func runBinary(_ config: String, extra: [String] = []) throws -> (status: Int32, summary: [String: Any], err: String) {
        let url = directory.appendingPathComponent("c.json")
        try Data(config.utf8).write(to: url)
        let json = directory.appendingPathComponent("summary.json")
        let result = try Paths.run(["run", "--config", url.path, "--quiet", "--summary-json", json.path] + extra)
        let summary = (try? JSONSerialization.jsonObject(with: Data(contentsOf: json))) as? [String: Any] ?? [:]
        return (result.status, summary, result.err)
    }

    /// A 4 MB gzip body inflating to 4 GB used to reach 4.6 GB of memory before fetch.max_bytes stopped it.
    func testGzipBombStopsAtTheLimitWithBoundedMemory() throws {
        _ = try Paths.requireBinary()
        let server = try FaultServer()
        defer { server.stop() }
        try server.url("/bigbomb").write(to: directory.appendingPathComponent("urls.txt"), atomically: true, encoding: .utf8)
        let limit = 20_000_000
        let started = Date()
        let result = try runBinary(#"{"sources": [{"urls": "urls.txt"}], "database": "db.sqlite", "fetch": {"cache_dir": "cache", "max_bytes": \#(limit), "retries": 0}}"#)
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(result.status, 1)
        let failures = result.summary["failures"] as? [[String: Any]] ?? []
        XCTAssertTrue((failures.first?["reason"] as? String)?.contains("max_bytes") == true, "\(failures)")
        let peak = try XCTUnwrap(result.summary["peak_rss_kb"] as? Int)
        print(String(format: "gzip bomb (4 MB → 4 GB, max_bytes 20 MB): stopped in %.2f s, peak RSS %d KB", seconds, peak))
        XCTAssertLessThan(peak * 1024, 2 * limit + 100_000_000)
        XCTAssertLessThan(seconds, 30)
    }

    func extract(_ bytes: [UInt8], name: String) -> DocumentOutcome {
        var configuration = PipelineConfiguration(baseDirectory: directory)
        configuration.stages = [.read, .decode, .extract, .normalize, .validate]
        let document = SourceDocument(source: name, bytes: bytes)
        var info = DocumentInfo(source: name, sha256: document.sha256, size: document.size)
        return DocumentProcessor(configuration: configuration).process(document, info: &info)
    }

    /// `1\0 24` and `1\x01 24` in a figure cell used to load as 124 with no finding.
    func testControlBytesInAFigureAreAbstainedWithAFinding() throws {
        let page = try Data(contentsOf: Paths.samples.appendingPathComponent("qinghe_county_2019.html"))
        let row = Array("<td>2</td><td>1</td><td>0</td><td>0</td><td>3</td>".utf8)
        for control: UInt8 in [0x00, 0x01, 0x1F] {
            var bytes = [UInt8](page)
            let start = try XCTUnwrap(bytes.lastRange(of: row))
            bytes.replaceSubrange(start, with: Array("<td>1".utf8) + [control] + Array(" 24</td><td>1</td><td>0</td><td>0</td><td>3</td>".utf8))
            guard case let .report(_, report) = extract(bytes, name: "c.html") else { return XCTFail("not read") }
            XCTAssertNil(report.cell(.appeals, "review", "upheld"), "control byte \(control)")
            XCTAssertEqual(report.cell(.appeals, "review", "corrected")?.value, 1, "the figures after it keep their places")
            XCTAssertTrue(report.findings.contains { $0.rule == .decodeInvalidBytes && $0.row == "review" && $0.col == "upheld" })
            XCTAssertFalse(report.cells.contains { $0.raw.contains("24") && $0.table == .appeals && $0.row == "review" })
        }
    }

    /// A UTF-8 page with one invalid byte used to be decoded as GB18030 and fail.
    func testOneStrayByteInAUTF8PageIsReplacedNotMisread() throws {
        var bytes = [UInt8](try Data(contentsOf: Paths.samples.appendingPathComponent("linchuan_transport_2021.html")))
        let marker = try XCTUnwrap(bytes.firstRange(of: Array("</title>".utf8)))
        bytes.insert(0xFF, at: marker.lowerBound)
        guard case let .report(info, report) = extract(bytes, name: "stray.html") else { return XCTFail("not read") }
        XCTAssertEqual(info.encoding, "UTF-8")
        XCTAssertTrue(report.findings.contains { $0.rule == .decodeInvalidBytes && $0.message.contains("not valid UTF-8") })
        XCTAssertEqual(report.cells.count, 200, "every cell still read")
    }

    /// A database moved away mid-run used to be reported as a success (its data lost), and its leftover WAL then
    /// damaged the next database created at the path.
    func testDatabaseReplacedMidRunFailsLoudly() throws {
        _ = try Paths.requireBinary()
        let inputs = directory.appendingPathComponent("inputs")
        try SyntheticCorpus(seed: 5).write(count: 250, to: inputs)
        for name in try FileManager.default.contentsOfDirectory(atPath: inputs.path) where name.hasSuffix(".json") {
            try FileManager.default.removeItem(at: inputs.appendingPathComponent(name))
        }
        let config = directory.appendingPathComponent("c.json")
        try Data(#"{"sources": [{"path": "inputs"}], "database": "db.sqlite", "workers": 1, "load": {"batch_size": 4}}"#.utf8).write(to: config)
        let json = directory.appendingPathComponent("summary.json")
        let process = Process()
        process.executableURL = try Paths.requireBinary()
        process.arguments = ["run", "--config", config.path, "--quiet", "--summary-json", json.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let database = directory.appendingPathComponent("db.sqlite")
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: database.path + "-wal") && Date() < deadline { usleep(50_000) }
        usleep(300_000)
        XCTAssertTrue(process.isRunning, "the run ended before the test could move its database")
        try FileManager.default.moveItem(at: database, to: directory.appendingPathComponent("moved.sqlite"))
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        XCTAssertTrue((summary["error"] as? String)?.contains("moved, deleted or replaced") == true, "\(summary["error"] ?? "")")
        // The next run at the path starts a sound database; the orphaned WAL is set aside, not applied.
        let next = try Paths.run(["run", "--config", config.path, "--quiet"])
        XCTAssertEqual(next.status, 0, next.err)
        XCTAssertEqual(try SQLiteConnection(path: database.path).query("PRAGMA integrity_check").first?.first?.text, "ok")
        XCTAssertEqual(try SQLiteConnection(path: database.path).query("SELECT count(*) FROM documents").first?.first?.integer, 250)
    }

    /// A page whose tables sit deeper than libxml2's 256 levels used to fail as "no statistical table".
    func testTooDeepPageNamesTheRealCause() throws {
        let page = try String(contentsOf: Paths.samples.appendingPathComponent("qinghe_county_2019.html"), encoding: .utf8)
        let body = try XCTUnwrap(page.range(of: "<body>"))
        let deep = page.replacingCharacters(in: body, with: "<body>" + String(repeating: "<div>", count: 300))
        guard case let .failed(_, failure, _) = extract(Array(deep.utf8), name: "deep.html") else { return XCTFail("expected a failure") }
        XCTAssertTrue(failure.reason.contains("libxml2"), failure.reason)
        XCTAssertFalse(failure.reason.hasPrefix("no statistical table of the"), failure.reason)
    }

    /// A file read while it was being written loaded as a degraded report (15 cells gone, only a warning).
    func testHalfWrittenFileNeverReplacesAGoodReport() throws {
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let file = inbox.appendingPathComponent("report.html")
        let page = try Data(contentsOf: Paths.samples.appendingPathComponent("linchuan_transport_2021.html"))
        try page.write(to: file)
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.path(inbox.path)]
        config.database = "db.sqlite"
        XCTAssertEqual(try Pipeline(configuration: config).run().loaded, 1)
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        let before = try connection.query("SELECT table_code, row_code, col_code, value, state FROM cells ORDER BY 1, 2, 3").map { "\($0)" }
        for fraction in [0.97, 0.9, 0.8, 0.7, 0.6] {
            try page.prefix(Int(Double(page.count) * fraction)).write(to: file)
            let summary = try Pipeline(configuration: config).run()
            XCTAssertEqual(summary.exitCode(failOn: []), 1, "cut at \(fraction)")
            XCTAssertEqual(summary.keptStale, 1, "cut at \(fraction): \(summary.failures)")
            let after = try connection.query("SELECT table_code, row_code, col_code, value, state FROM cells ORDER BY 1, 2, 3").map { "\($0)" }
            XCTAssertEqual(after, before, "cut at \(fraction) changed the stored figures")
        }
    }

    /// A page cut inside its last figure ("12" arriving as "1") used to replace the stored 12 by 1, exit 0; a body
    /// re-published with its figures blanked used to replace a full report.
    func testCutFiguresAndBlankedBodiesNeverReplaceAReport() throws {
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.path(inbox.path)]
        config.database = "db.sqlite"
        let connection = { try SQLiteConnection(path: self.directory.appendingPathComponent("db.sqlite").path) }
        func stored() throws -> [String] {
            try connection().query("SELECT table_code, row_code, col_code, value, state FROM cells ORDER BY 1, 2, 3").map { "\($0)" }
        }
        let html = try String(contentsOf: Paths.samples.appendingPathComponent("qinghe_county_2019.html"), encoding: .utf8)
            .replacingOccurrences(of: "<td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>",
                                  with: "<td>2</td><td>9</td><td>3</td><td>0</td><td>0</td><td>12</td></tr>")
        let markdown = try String(contentsOf: Paths.samples.appendingPathComponent("xiyang_county_2024.md"), encoding: .utf8)
        for (name, full, cutAfter) in [("r.html", html, "<td>1"), ("r.md", markdown, "| 1")] {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent("db.sqlite"))
            for file in try FileManager.default.contentsOfDirectory(atPath: inbox.path) { try FileManager.default.removeItem(at: inbox.appendingPathComponent(file)) }
            let file = inbox.appendingPathComponent(name)
            try full.write(to: file, atomically: true, encoding: .utf8)
            XCTAssertEqual(try Pipeline(configuration: config).run().loaded, 1, name)
            let before = try stored()
            // Cut right after the first digit of the last two-digit figure of the last table.
            let lastFigure = try XCTUnwrap(full.range(of: cutAfter + (name.hasSuffix(".md") ? "" : "2"), options: .backwards))
            let cut = String(full[..<full.index(lastFigure.lowerBound, offsetBy: cutAfter.count)])
            for variant in [cut, cut + "\n"] {
                try variant.write(to: file, atomically: true, encoding: .utf8)
                let summary = try Pipeline(configuration: config).run()
                XCTAssertEqual(summary.keptStale, 1, "\(name): \(summary.failures)")
                XCTAssertEqual(try stored(), before, "\(name) cut inside a figure changed the stored figures")
            }
            // Every figure of tables 三 and 四 blanked: fewer figures, refused.
            var blanked = full
            if name.hasSuffix(".md") {
                let start = try XCTUnwrap(full.range(of: "三、收到和处理政府信息公开申请情况"))
                let tail = String(full[start.lowerBound...]).replacingOccurrences(of: #"\| *[0-9,]+ *(?=\|)"#, with: "|  ", options: .regularExpression)
                blanked = String(full[..<start.lowerBound]) + tail
            } else {
                let start = try XCTUnwrap(full.range(of: "三、收到和处理政府信息公开申请情况"))
                let tail = String(full[start.lowerBound...]).replacingOccurrences(of: #"<td>[0-9]+</td>"#, with: "<td></td>", options: .regularExpression)
                blanked = String(full[..<start.lowerBound]) + tail
            }
            try blanked.write(to: file, atomically: true, encoding: .utf8)
            let summary = try Pipeline(configuration: config).run()
            XCTAssertEqual(summary.count(.refused), 1, "\(name): \(summary.failures)")
            XCTAssertEqual(try stored(), before)
        }
    }

    /// `nianbao run | head -1` used to exit 141 without its summary JSON.
    func testClosedStandardOutputIsNotAFailure() throws {
        _ = try Paths.requireBinary()
        let config = directory.appendingPathComponent("c.json")
        try Data(#"{"sources": [{"path": "\#(Paths.samples.path)"}], "database": "db.sqlite"}"#.utf8).write(to: config)
        let json = directory.appendingPathComponent("summary.json")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", "set -o pipefail; '\(Paths.binary.path)' run --config '\(config.path)' --summary-json '\(json.path)' 2>&1 | head -1 > /dev/null"]
        try shell.run()
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 0)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        XCTAssertEqual(summary["exit_code"] as? Int, 0)
        XCTAssertEqual(summary["loaded"] as? Int, Paths.loadableSamples)
    }

    /// Identical bodies stored at the same moment used to collide on their temporary file (one failure in ~1,500).
    func testConcurrentCacheWritesNeverCollide() throws {
        let cache = RawCache(directory: directory.appendingPathComponent("cache"))
        let body = Array(String(repeating: "同一个报告", count: 2000).utf8)
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 2000) { index in
            do {
                try cache.store(url: "http://x/\(index % 7)", finalURL: "http://x/", status: 200, headers: [:], body: body)
            } catch {
                failures.add()
            }
        }
        XCTAssertEqual(failures.value, 0)
        let leftovers = FileManager.default.enumerator(atPath: cache.directory.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers ?? [], [])
        XCTAssertEqual(cache.body(SHA256.hex(body)), body)
    }

    /// After a SIGKILL of nianbao, a converter used to keep running (and its temporary file stayed in /tmp).
    func testConverterDiesWithAKilledRun() throws {
        _ = try Paths.requireBinary()
        guard Subprocess.setpriv != nil else { throw XCTSkip("util-linux setpriv is not installed") }
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try Data("%PDF-1.4 slow".utf8).write(to: inbox.appendingPathComponent("slow.pdf"))
        let tool = directory.appendingPathComponent("slow-pdftotext")
        let marker = "\(Int.random(in: 100_000...999_999))"
        try "#!/bin/sh\nexec sleep \(marker)\n".write(to: tool, atomically: true, encoding: .utf8)
        chmod(tool.path, 0o755)
        let config = directory.appendingPathComponent("c.json")
        try Data(#"{"sources": [{"path": "inbox"}], "database": "db.sqlite", "decode": {"pdftotext": "\#(tool.path)"}}"#.utf8).write(to: config)
        let temporaries = Set((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? [])
        let process = Process()
        process.executableURL = try Paths.requireBinary()
        process.arguments = ["run", "--config", config.path, "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        func converterRunning() -> Bool {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
            check.arguments = ["-f", "sleep \(marker)"]
            check.standardOutput = FileHandle.nullDevice
            try? check.run()
            check.waitUntilExit()
            return check.terminationStatus == 0
        }
        let deadline = Date().addingTimeInterval(20)
        while !converterRunning() && Date() < deadline { usleep(100_000) }
        XCTAssertTrue(converterRunning(), "the converter never started")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        usleep(500_000)
        XCTAssertFalse(converterRunning(), "the converter outlived the killed run")
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? [])
        XCTAssertTrue(after.subtracting(temporaries).filter { $0.hasPrefix("nianbao-") && $0.hasSuffix(".pdf") }.isEmpty)
    }

    /// A gzip body of several members is decoded whole (not cut after the first member).
    func testMultiMemberGzipIsReadWhole() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let whole = try server.get("/reports/qinghe_county_2019.html")
        let members = try server.get("/members/qinghe_county_2019.html")
        XCTAssertEqual(members, whole)
        XCTAssertGreaterThan(whole.count, 5000)
    }
}

extension Array where Element: Equatable {
    func lastRange(of needle: [Element]) -> Range<Int>? {
        guard needle.count <= count else { return nil }
        for start in stride(from: count - needle.count, through: 0, by: -1) where Array(self[start..<start + needle.count]) == needle {
            return start..<start + needle.count
        }
        return nil
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
