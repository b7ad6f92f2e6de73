import XCTest
@testable import NianbaoKit

/// Issue 11: a bad night never removes or changes a stored figure, and the operator is told the truth.
final class NightlyRunTests: XCTestCase {
    /// The one pre-2019 regression document: stored as a report without cells (`unsupported_format`).
    static let pre2019 = "hexi_county_2018_oldformat.html"

    /// A site of 30 reports (the regression documents, always including the pre-2019 one whatever else the folder
    /// holds) served by the fault server.
    func makeSite(_ directory: URL, count: Int = 30) throws -> [String] {
        let site = directory.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        let regression = Paths.packageRoot.appendingPathComponent("Tests/Support/regression")
        let others = try FileManager.default.contentsOfDirectory(atPath: regression.path)
            .filter { !$0.hasSuffix(".json") && !$0.hasPrefix("README") && $0 != Self.pre2019 }.sorted()
        let names = (Array(others.prefix(count - 1)) + [Self.pre2019]).sorted()
        for name in names {
            try FileManager.default.copyItem(at: regression.appendingPathComponent(name), to: site.appendingPathComponent(name))
        }
        return Array(names)
    }

    func writeConfig(_ directory: URL, name: String = "nightly.json", database: String = "db.sqlite", sources: String,
                     extra: String = "") throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data("""
            {"sources": \(sources), "database": "\(database)", "workers": 2,
             "fetch": {"cache_dir": "cache", "retries": 1, "backoff_seconds": 0.01, "per_host_delay_seconds": 0,
                       "per_host_concurrency": 4, "timeout_seconds": 5\(extra)}}
            """.utf8).write(to: url)
        return url
    }

    func summary(_ path: URL) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
    }

    /// Every stored figure, as text, for comparing databases before and after a night.
    func snapshot(_ database: URL) throws -> [String] {
        let connection = try SQLiteConnection(path: database.path, readOnly: true)
        return try connection.query("""
            SELECT r.source || '|' || coalesce(r.agency, '') || '|' || coalesce(r.year, '') || '|' || c.table_code || '.' || c.row_code || '.' ||
                   c.col_code || '=' || coalesce(c.value, 'null') || '/' || c.state || '/' || c.raw
            FROM reports r JOIN cells c ON c.report_id = r.id ORDER BY 1
            """).map { $0[0].text ?? "" }
    }

    func scalar(_ database: URL, _ sql: String) throws -> Int64 {
        try SQLiteConnection(path: database.path, readOnly: true).query(sql).first?.first?.integer ?? -1
    }

    /// The issue's "Done when": 30 reports loaded; a night of 503s, a night of 200 maintenance pages and an offline
    /// night keep them all with identical cells, exit 1 and count them stale; the site coming back clears it.
    func testABadNightNeverRemovesAStoredFigure() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        let names = try makeSite(directory)
        let server = try FaultServer(site: directory.appendingPathComponent("site"))
        defer { server.stop() }
        try names.map { server.url("/site/\($0)") }.joined(separator: "\n").write(to: directory.appendingPathComponent("urls.txt"), atomically: true, encoding: .utf8)
        let config = try writeConfig(directory, sources: #"[{"urls": "urls.txt"}]"#)
        let database = directory.appendingPathComponent("db.sqlite")
        let json = directory.appendingPathComponent("summary.json")
        func night(_ extra: [String] = [], config: URL = config) throws -> (Int32, [String: Any]) {
            let result = try Paths.run(["run", "--config", config.path, "--quiet", "--summary-json", json.path] + extra)
            return (result.status, try summary(json))
        }

        let (first, firstSummary) = try night()
        XCTAssertEqual(first, 0, "\(firstSummary["failures"] ?? "")")
        // One of them is a pre-2019 report: stored too, without cells.
        XCTAssertEqual(firstSummary["loaded"] as? Int, 29)
        XCTAssertEqual(firstSummary["unsupported_format"] as? Int, 1)
        XCTAssertEqual(try scalar(database, "SELECT count(*) FROM reports"), 30)
        let good = try snapshot(database)
        XCTAssertGreaterThan(good.count, 30 * 150)

        for mode in ["503", "maintenance", "404"] {
            try server.setMode(mode)
            let (code, summary) = try night()
            XCTAssertEqual(code, 1, mode)
            XCTAssertEqual(summary["kept_stale"] as? Int, 30, mode)
            XCTAssertEqual(summary["failed"] as? Int, 30, mode)
            XCTAssertEqual(summary["loaded"] as? Int, 0, mode)
            XCTAssertEqual((summary["database_health"] as? [String: Any])?["stale_reports"] as? Int, 30, mode)
            XCTAssertEqual(try snapshot(database), good, "a \(mode) night changed stored figures")
            XCTAssertEqual(try scalar(database, "SELECT count(*) FROM reports WHERE stale = 1"), 30)
        }

        // Offline after the maintenance night: the cache's latest bodies are maintenance pages, but nothing is lost.
        try server.setMode("maintenance")
        _ = try night()
        let offline = try writeConfig(directory, name: "offline.json", sources: #"[{"urls": "urls.txt"}]"#, extra: #", "offline": true"#)
        let (offlineCode, offlineSummary) = try night(config: offline)
        XCTAssertEqual(offlineCode, 1)
        XCTAssertEqual(offlineSummary["kept_stale"] as? Int, 30)
        XCTAssertEqual(try snapshot(database), good)

        // A new database rebuilt offline from that cache gets every report from the last good bodies (stale).
        let rebuilt = try writeConfig(directory, name: "rebuilt.json", database: "rebuilt.sqlite", sources: #"[{"urls": "urls.txt"}]"#,
                                      extra: #", "offline": true"#)
        let (rebuiltCode, rebuiltSummary) = try night(config: rebuilt)
        XCTAssertEqual(rebuiltCode, 1)
        XCTAssertEqual(rebuiltSummary["recovered"] as? Int, 30)
        XCTAssertEqual(try snapshot(directory.appendingPathComponent("rebuilt.sqlite")), good)

        // The site is back: every report is restored (unchanged bytes), nothing stale, exit 0.
        try server.setMode("ok")
        let (back, backSummary) = try night()
        XCTAssertEqual(back, 0, "\(backSummary["failures"] ?? "")")
        XCTAssertEqual(backSummary["restored"] as? Int, 30)
        XCTAssertEqual(backSummary["retried"] as? Int, 30)
        XCTAssertEqual(try scalar(database, "SELECT count(*) FROM reports WHERE stale = 1"), 0)
        XCTAssertEqual(try scalar(database, "SELECT count(*) FROM failures"), 0)
        XCTAssertEqual(try snapshot(database), good)
        XCTAssertEqual(try Paths.run(["status", "--db", database.path]).status, 0)
    }

    /// An index page that failed one night is not an outstanding failure forever once it reads again.
    func testIndexPageFailureClearsWhenThePageIsBack() throws {
        _ = try Paths.requireBinary()
        let directory = Paths.temporary()
        _ = try makeSite(directory, count: 3)
        let server = try FaultServer(site: directory.appendingPathComponent("site"))
        defer { server.stop() }
        let config = try writeConfig(directory, sources: #"[{"index": "\#(server.url("/site-index.html"))"}]"#)
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet"]).status, 0)
        try server.setMode("503")
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet"]).status, 1)
        let database = directory.appendingPathComponent("db.sqlite")
        XCTAssertEqual(try scalar(database, "SELECT count(*) FROM documents WHERE status = 'failed'"), 1)
        XCTAssertEqual(try scalar(database, "SELECT count(*) FROM reports"), 3)
        try server.setMode("ok")
        XCTAssertEqual(try Paths.run(["run", "--config", config.path, "--quiet"]).status, 0)
        XCTAssertEqual(try scalar(database, "SELECT count(*) FROM documents WHERE status = 'failed'"), 0)
        XCTAssertEqual(try Paths.run(["status", "--db", database.path]).status, 0)
    }

    /// A revised report (its figures changed) replaces the stored one; the old figures stay queryable.
    func testRevisedReportKeepsItsPreviousVersion() throws {
        let directory = Paths.temporary()
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let file = inbox.appendingPathComponent("qinghe.html")
        let original = try String(contentsOf: Paths.samples.appendingPathComponent("qinghe_county_2019.html"), encoding: .utf8)
        try original.write(to: file, atomically: true, encoding: .utf8)
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.path(inbox.path)]
        config.database = "db.sqlite"
        let database = directory.appendingPathComponent("db.sqlite")
        XCTAssertEqual(try Pipeline(configuration: config).run().loaded, 1)
        let before = try snapshot(database)

        // The agency corrects one figure of table 四 (行政复议 维持 and its total) and re-publishes.
        let connection = try SQLiteConnection(path: database.path)
        let upheld = try XCTUnwrap(connection.query("SELECT raw FROM cells WHERE table_code = 'appeals' AND row_code = 'review' AND col_code = 'upheld'").first?.first?.text)
        let revised = original.replacingOccurrences(of: "</body>", with: "<!-- 更新时间：2020-02-01 --></body>")
        XCTAssertNotEqual(revised, original)
        try revised.write(to: file, atomically: true, encoding: .utf8)
        let rerun = try Pipeline(configuration: config).run()
        // The body changed but its figures did not: replaced, nothing archived.
        XCTAssertEqual(rerun.count(.replaced), 1)
        XCTAssertEqual(try scalar(database, "SELECT count(*) FROM report_versions"), 0)

        let corrected = try XCTUnwrap(Self.replacingAppealsReview(in: revised))
        try corrected.write(to: file, atomically: true, encoding: .utf8)
        let third = try Pipeline(configuration: config).run()
        XCTAssertEqual(third.count(.replaced), 1, "\(third.failures)")
        XCTAssertEqual(try scalar(database, "SELECT count(*) FROM report_versions WHERE reason = 'revised'"), 1)
        XCTAssertEqual(try scalar(database, "SELECT count(*) FROM report_history"), 2)
        let old = try connection.query("""
            SELECT raw FROM report_version_cells WHERE table_code = 'appeals' AND row_code = 'review' AND col_code = 'upheld'
            """).first?.first?.text
        XCTAssertEqual(old, upheld)
        XCTAssertNotEqual(try snapshot(database), before)
        XCTAssertEqual(try scalar(database, "SELECT count(*) FROM load_events WHERE event = 'replaced'"), 2)
    }

    /// Bumps the first figure of table 四's 行政复议 row and its total by one, keeping the row consistent.
    static func replacingAppealsReview(in html: String) -> String? {
        guard let table = html.range(of: "行政复议", options: .backwards) else { return nil }
        var text = html
        // Every figure cell after the last 行政复议 heading: the first data row's cells are upheld … total.
        var cursor = table.upperBound
        var cells: [Range<String.Index>] = []
        while cells.count < 15, let open = text.range(of: "<td", range: cursor..<text.endIndex),
              let close = text.range(of: ">", range: open.upperBound..<text.endIndex),
              let end = text.range(of: "</td>", range: close.upperBound..<text.endIndex) {
            let content = text[close.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespaces)
            if Int(content) != nil { cells.append(close.upperBound..<end.lowerBound) }
            cursor = end.upperBound
        }
        guard cells.count >= 5, let upheld = Int(text[cells[0]].trimmingCharacters(in: .whitespaces)),
              let total = Int(text[cells[4]].trimmingCharacters(in: .whitespaces)) else { return nil }
        text.replaceSubrange(cells[4], with: String(total + 1))
        text.replaceSubrange(cells[0], with: String(upheld + 1))
        return text
    }

    /// A document that failed (the PDF converter missing) used to be skipped as unchanged forever.
    func testFailedDocumentIsRetriedAndLoadsOnceItsToolIsThere() throws {
        let directory = Paths.temporary()
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try Data("%PDF-1.4 a report whose text layer the converter gives".utf8).write(to: inbox.appendingPathComponent("report.pdf"))
        // A stand-in converter that prints a report's text layer, installed only for the second run.
        let tool = directory.appendingPathComponent("fake-pdftotext")
        let text = Paths.samples.appendingPathComponent("dongping_district_2020.txt").path
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.path(inbox.path)]
        config.database = "db.sqlite"
        config.decode.pdftotext = tool.path
        let first = try Pipeline(configuration: config).run()
        XCTAssertEqual(first.failed, 1)
        XCTAssertTrue(first.failures.first?.reason.contains("not installed") == true, "\(first.failures)")
        XCTAssertEqual(first.exitCode(failOn: []), 1)
        // Without the tool, the next run still fails — and says so, instead of "unchanged".
        let again = try Pipeline(configuration: config).run()
        XCTAssertEqual(again.failed, 1)
        XCTAssertEqual(again.retried, 1)
        XCTAssertEqual(again.exitCode(failOn: []), 1)

        try "#!/bin/sh\ncat '\(text)'\n".write(to: tool, atomically: true, encoding: .utf8)
        chmod(tool.path, 0o755)
        let third = try Pipeline(configuration: config).run()
        XCTAssertEqual(third.loaded, 1, "\(third.failures)")
        XCTAssertEqual(third.retried, 1)
        XCTAssertEqual(third.exitCode(failOn: []), 0)
        XCTAssertEqual(try scalar(directory.appendingPathComponent("db.sqlite"), "SELECT count(*) FROM failures"), 0)

        // With retry_failed off, an unchanged failure is not tried again (and the option is honoured).
        config.retryFailed = false
        try Data("%PDF-1.4 broken".utf8).write(to: inbox.appendingPathComponent("other.pdf"))
        config.decode.pdftotext = directory.appendingPathComponent("missing").path
        XCTAssertEqual(try Pipeline(configuration: config).run().failed, 1)
        XCTAssertEqual(try Pipeline(configuration: config).run().failed, 0)
    }

    /// Changing validate.* used to have no effect on reports already loaded.
    func testValidationChangesReachStoredReports() throws {
        let directory = Paths.temporary()
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.path(Paths.samples.appendingPathComponent("hetian_county_2024_errors.txt").path)]
        config.database = "db.sqlite"
        let database = directory.appendingPathComponent("db.sqlite")
        _ = try Pipeline(configuration: config).run()
        let before = try scalar(database, "SELECT count(*) FROM findings WHERE rule = 'appeals.row_sum'")
        XCTAssertGreaterThan(before, 0)
        XCTAssertEqual(try Pipeline(configuration: config).run().unchanged, 1)
        config.validate.disabledRules = [.appealsRowSum]
        let rerun = try Pipeline(configuration: config).run()
        XCTAssertEqual(rerun.count(.reread), 1)
        XCTAssertEqual(try scalar(database, "SELECT count(*) FROM findings WHERE rule = 'appeals.row_sum'"), 0)
        // fail_on counts the whole database, not only this run's reports: an unchanged run with errors stored exits 1.
        config.validate.disabledRules = []
        _ = try Pipeline(configuration: config).run()
        let unchanged = try Pipeline(configuration: config).run()
        XCTAssertEqual(unchanged.unchanged, 1)
        XCTAssertEqual(unchanged.exitCode(failOn: [.error]), 1)
        XCTAssertEqual(unchanged.exitCode(failOn: []), 0)
    }
}
