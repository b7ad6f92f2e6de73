import XCTest
@testable import NianbaoKit

/// README's exit-code table, one test per row, each checking that `--summary-json` was written.
final class ExitCodeTests: XCTestCase {
    var directory: URL!
    var summaryPath: URL { directory.appendingPathComponent("summary.json") }

    override func setUp() {
        directory = Paths.temporary()
    }

    func config(_ sources: String, name: String = "c.json", extra: String = "") throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(#"{"sources": \#(sources), "database": "db.sqlite", "workers": 2\#(extra)}"#.utf8).write(to: url)
        return url.path
    }

    /// Runs `nianbao` with --summary-json; returns the status, the summary (which must exist) and the output.
    func run(_ arguments: [String], summary: Bool = true) throws -> (status: Int32, summary: [String: Any], out: String, err: String) {
        try? FileManager.default.removeItem(at: summaryPath)
        let result = try Paths.run(arguments + (summary ? ["--summary-json", summaryPath.path] : []))
        guard summary else { return (result.status, [:], result.out, result.err) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: summaryPath.path), "no summary after exit \(result.status): \(result.err)")
        let object = (try? JSONSerialization.jsonObject(with: Data(contentsOf: summaryPath))) as? [String: Any] ?? [:]
        XCTAssertEqual(object["exit_code"] as? Int, Int(result.status), "the summary's exit code")
        return (result.status, object, result.out, result.err)
    }

    func testZeroEverythingLoadedWithAFullSummary() throws {
        _ = try Paths.requireBinary()
        let path = try config(#"[{"path": "\#(Paths.samples.path)"}]"#)
        let result = try run(["run", "--config", path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.err)
        for key in ["run_id", "run_uuid", "started_at", "finished_at", "version", "config", "database", "loaded", "replaced",
                    "kept_stale", "unchanged", "failed", "retried", "removed", "sources", "database_health"] {
            XCTAssertNotNil(result.summary[key], key)
        }
        XCTAssertEqual(result.summary["config"] as? String, path)
        XCTAssertEqual(result.summary["loaded"] as? Int, Paths.loadableSamples)
        XCTAssertEqual((result.summary["sources"] as? [[String: Any]])?.first?["discovered"] as? Int, Paths.sampleDocuments)
        let health = try XCTUnwrap(result.summary["database_health"] as? [String: Any])
        XCTAssertEqual(health["reports"] as? Int, Paths.sampleDocuments)
        XCTAssertEqual(health["outstanding_failures"] as? Int, 0)
        // The run's row keeps the exit code and the same summary.
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        XCTAssertEqual(try connection.query("SELECT exit_code FROM runs").first?.first?.integer, 0)
        XCTAssertEqual(try connection.query("SELECT uuid FROM runs").first?.first?.text, result.summary["run_uuid"] as? String)
        let version = try Paths.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.out.trimmingCharacters(in: .whitespacesAndNewlines), NianbaoVersion.string)
        XCTAssertEqual(result.summary["version"] as? String, NianbaoVersion.string)
    }

    func testOneDocumentsFailed() throws {
        _ = try Paths.requireBinary()
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.samples.appendingPathComponent("qinghe_county_2019.html"), to: inbox.appendingPathComponent("good.html"))
        try Data().write(to: inbox.appendingPathComponent("empty.txt"))
        let result = try run(["run", "--config", try config(#"[{"path": "inbox"}]"#), "--quiet"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.summary["failed"] as? Int, 1)
        XCTAssertEqual((result.summary["failures"] as? [[String: Any]])?.first?["stage"] as? String, "decode")
    }

    func testTwoUsageAndConfigurationErrors() throws {
        _ = try Paths.requireBinary()
        let badKey = try run(["run", "--config", try config(#"[{"path": "."}]"#, extra: #", "workerz": 1"#)])
        XCTAssertEqual(badKey.status, 2)
        XCTAssertTrue(badKey.err.contains("workerz"), badKey.err)
        // ArgumentParser's own usage errors used to exit 64.
        let badFlag = try run(["run", "--no-such-flag"])
        XCTAssertEqual(badFlag.status, 2)
        XCTAssertTrue((badFlag.summary["error"] as? String)?.contains("no-such-flag") == true)
        XCTAssertEqual(try Paths.run(["export", "--table", "nope", "--db", "x"]).status, 2)
        XCTAssertEqual(try Paths.run(["no-such-command"]).status, 2)
        let misspeltRule = try run(["run", "--config", try config(#"[{"path": "."}]"#, extra: #", "validate": {"disabled_rules": ["appeals.rowsum"]}"#)])
        XCTAssertEqual(misspeltRule.status, 2)
        XCTAssertTrue(misspeltRule.err.contains("validate.disabled_rules"), misspeltRule.err)
        // An unwritable summary path is refused before anything is done (it used to fail after a full load).
        let path = try config(#"[{"path": "\#(Paths.samples.path)"}]"#)
        let unwritable = try Paths.run(["run", "--config", path, "--summary-json", "/nonexistent-folder/summary.json"])
        XCTAssertEqual(unwritable.status, 2)
        XCTAssertTrue(unwritable.err.contains("--summary-json"), unwritable.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("db.sqlite").path))
    }

    func testThreeLockedTouchesNothing() throws {
        _ = try Paths.requireBinary()
        let server = try FaultServer()
        defer { server.stop() }
        let path = try config(#"[{"index": "\#(server.url("/index/1.html"))"}]"#, extra: #", "fetch": {"cache_dir": "cache"}"#)
        let held = try RunLock(database: directory.appendingPathComponent("db.sqlite").path, wait: false)
        let result = try run(["run", "--config", path, "--quiet"])
        withExtendedLifetime(held) {}
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.err.contains("another nianbao run"), result.err)
        // The lock is taken before any source is listed: no index page was fetched.
        XCTAssertEqual(try server.log().filter { $0.path.hasPrefix("/index/") }.count, 0)
    }

    func testFourASourceGaveNothing() throws {
        _ = try Paths.requireBinary()
        let empty = directory.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let folder = try run(["run", "--config", try config(#"[{"path": "empty"}]"#), "--quiet"])
        XCTAssertEqual(folder.status, 4)
        XCTAssertTrue(folder.out.contains("NOTHING FOUND"), folder.out)
        XCTAssertEqual((folder.summary["sources"] as? [[String: Any]])?.first?["empty"] as? Bool, true)
        let glob = try run(["run", "--config", try config(#"[{"path": "\#(Paths.samples.path)"}, {"path": "empty/*.html"}]"#), "--quiet"])
        XCTAssertEqual(glob.status, 4)
        let allowed = try run(["run", "--config", try config(#"[{"path": "empty", "allow_empty": true}]"#), "--quiet"])
        XCTAssertEqual(allowed.status, 0)
        // A folder that is not there (an unmounted share) is an empty source too; the other sources are read.
        let missing = try run(["run", "--config", try config(#"[{"path": "\#(Paths.samples.path)"}, {"path": "not-mounted"}]"#), "--quiet",
                               "--database", "missing.sqlite"])
        XCTAssertEqual(missing.status, 4)
        XCTAssertEqual(missing.summary["loaded"] as? Int, Paths.loadableSamples)
        XCTAssertEqual((missing.summary["sources"] as? [[String: Any]])?.last?["problem"] as? String, "no such file or directory")
        let server = try FaultServer()
        defer { server.stop() }
        let index = try run(["run", "--config", try config(#"[{"index": "\#(server.url("/empty-index.html"))"}]"#,
                                                           extra: #", "fetch": {"cache_dir": "cache"}"#), "--quiet"])
        XCTAssertEqual(index.status, 4)
    }

    func testDryRunSaysNothingWasWritten() throws {
        _ = try Paths.requireBinary()
        let path = try config(#"[{"path": "\#(Paths.samples.path)"}]"#, extra: #", "stages": ["read", "decode", "extract", "normalize", "validate"]"#)
        let result = try run(["run", "--config", path, "--quiet"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.out.contains("nothing was written"), result.out)
        XCTAssertFalse(result.out.contains("loaded:"), result.out)
        XCTAssertEqual(result.summary["dry_run"] as? Bool, true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("db.sqlite").path))
    }

    /// A symlinked source folder used to be skipped silently (exit 0, nothing loaded); a loop must not hang.
    func testSymlinkedFoldersAreFollowedOnce() throws {
        _ = try Paths.requireBinary()
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: inbox.appendingPathComponent("samples"), withDestinationURL: Paths.samples)
        try FileManager.default.createSymbolicLink(at: inbox.appendingPathComponent("loop"), withDestinationURL: inbox)
        let result = try run(["run", "--config", try config(#"[{"path": "inbox"}]"#), "--quiet"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.summary["loaded"] as? Int, Paths.loadableSamples)
    }

    func testStatusAndPrune() throws {
        _ = try Paths.requireBinary()
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for name in ["qinghe_county_2019.html", "xiyang_county_2024.md"] {
            try FileManager.default.copyItem(at: Paths.samples.appendingPathComponent(name), to: inbox.appendingPathComponent(name))
        }
        let path = try config(#"[{"path": "inbox"}]"#)
        XCTAssertEqual(try run(["run", "--config", path, "--quiet"]).status, 0)
        let database = directory.appendingPathComponent("db.sqlite").path
        XCTAssertEqual(try Paths.run(["status", "--db", database]).status, 0)
        // A run that failed before its identity step (the disk full, a kill) leaves its new reports out of the views,
        // and status used to say "healthy" all the same.
        do {
            let cut = try SQLiteConnection(path: database)
            try cut.execute("UPDATE reports SET canonical = 0, canonical_reason = NULL WHERE id = (SELECT min(id) FROM reports)")
            try cut.execute("UPDATE runs SET status = 'failed', exit_code = 1 WHERE id = (SELECT max(id) FROM runs)")
        }
        let undecided = try Paths.run(["status", "--db", database])
        XCTAssertEqual(undecided.status, 1)
        XCTAssertTrue(undecided.out.contains("last run: failed (exit 1)") && undecided.out.contains("1 reports stored by a run that ended before"),
                      undecided.out)
        XCTAssertEqual(try run(["run", "--config", path, "--quiet", "--force"]).status, 0)
        XCTAssertEqual(try Paths.run(["status", "--db", database]).status, 0)
        // A file turns into garbage: its report is kept, stale, and status says so.
        try Data([0, 1, 2, 3]).write(to: inbox.appendingPathComponent("xiyang_county_2024.md"))
        XCTAssertEqual(try run(["run", "--config", path, "--quiet"]).status, 1)
        let status = try Paths.run(["status", "--db", database])
        XCTAssertEqual(status.status, 1)
        XCTAssertTrue(status.out.contains("stale reports: 1"), status.out)
        XCTAssertTrue(status.out.contains("xiyang_county_2024.md"), status.out)
        XCTAssertEqual(try Paths.run(["status", "--db", directory.appendingPathComponent("none.sqlite").path]).status, 1)

        // The other file vanishes: prune lists it, removes it only with --apply.
        try FileManager.default.removeItem(at: inbox.appendingPathComponent("qinghe_county_2019.html"))
        let dry = try Paths.run(["prune", "--config", path])
        XCTAssertEqual(dry.status, 0, dry.err)
        XCTAssertTrue(dry.out.contains("would remove") && dry.out.contains("qinghe_county_2019.html"), dry.out)
        let connection = try SQLiteConnection(path: database)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM reports").first?.first?.integer, 2)
        let applied = try Paths.run(["prune", "--config", path, "--apply"])
        XCTAssertEqual(applied.status, 0, applied.err)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM reports").first?.first?.integer, 1)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM cells c LEFT JOIN reports r ON r.id = c.report_id WHERE r.id IS NULL").first?.first?.integer, 0)
    }
}
