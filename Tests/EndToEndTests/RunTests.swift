import XCTest
@testable import NianbaoKit

/// Whole runs into SQLite: idempotency, replacement, bad input, dry runs.
final class RunTests: XCTestCase {
    func configuration(sources: URL, database: URL, stages: [StageName] = StageName.allCases) -> PipelineConfiguration {
        var config = PipelineConfiguration(baseDirectory: sources.deletingLastPathComponent())
        config.sources = [.path(sources.path)]
        config.database = database.path
        config.stages = stages
        config.workers = 2
        return config
    }

    func copySamples(to directory: URL) throws -> URL {
        let target = directory.appendingPathComponent("samples")
        try FileManager.default.copyItem(at: Paths.samples, to: target)
        return target
    }

    /// Every row of the data tables, as text, to compare databases.
    func snapshot(_ path: String) throws -> [String: [String]] {
        let connection = try SQLiteConnection(path: path)
        var result: [String: [String]] = [:]
        for table in ["documents", "reports", "cells", "findings", "failures", "report_sections"] {
            result[table] = try connection.query("SELECT * FROM \(table) ORDER BY 1, 2, 3").map { "\($0)" }
        }
        // A run notes when it saw each document; nothing else may change.
        result["documents"] = try connection.query("""
            SELECT id, source, sha256, size, encoding, kind, status, pipeline_version, run_id, first_seen_at FROM documents ORDER BY 1
            """).map { "\($0)" }
        return result
    }

    func testSecondRunChangesNothing() throws {
        let directory = Paths.temporary()
        let samples = try copySamples(to: directory)
        let database = directory.appendingPathComponent("out/nianbao.sqlite")
        let config = configuration(sources: samples, database: database)
        let first = try Pipeline(configuration: config).run()
        XCTAssertEqual(first.failed, 0, "\(first.failures)")
        XCTAssertEqual(first.loaded + first.unsupported, first.documents)
        XCTAssertEqual(first.unsupported, 1)
        let before = try snapshot(database.path)
        XCTAssertEqual(before["reports"]?.count, first.documents)
        XCTAssertGreaterThan(before["cells"]?.count ?? 0, 1500)

        let second = try Pipeline(configuration: config).run()
        XCTAssertEqual(second.unchanged, second.documents)
        XCTAssertEqual(second.loaded, 0)
        XCTAssertEqual(try snapshot(database.path), before)
    }

    /// A database written by an older pipeline (another `PipelineVersion` in `reports.validated_with`) has every
    /// document read again by the next run instead of skipped as unchanged — the upgrade's readings reach the stored
    /// reports — and the figures that read the same stay as they were.
    func testReportsOfAnOlderPipelineAreReadAgain() throws {
        let directory = Paths.temporary()
        let samples = try copySamples(to: directory)
        let database = directory.appendingPathComponent("out/nianbao.sqlite")
        let config = configuration(sources: samples, database: database)
        let first = try Pipeline(configuration: config).run()
        XCTAssertEqual(first.failed, 0, "\(first.failures)")
        // The figures by document (re-read reports get new ids).
        let cells = {
            try SQLiteConnection(path: database.path).query("""
                SELECT d.source, c.table_code, c.row_code, c.col_code, c.value, c.state, c.raw, c.flags, c.note, c.source_position
                FROM cells c JOIN reports r ON r.id = c.report_id JOIN documents d ON d.id = r.document_id ORDER BY 1, 2, 3, 4
                """).map { "\($0)" }
        }
        let before = try cells()
        let connection = try SQLiteConnection(path: database.path)
        try connection.execute("UPDATE reports SET validated_with = replace(validated_with, 'pipeline \(PipelineVersion.current);', 'pipeline \(PipelineVersion.current - 1);')")
        XCTAssertEqual(try connection.query("SELECT count(*) FROM reports WHERE validated_with LIKE 'pipeline \(PipelineVersion.current - 1);%'").first?.first?.integer,
                       Int64(first.documents))
        let second = try Pipeline(configuration: config).run()
        XCTAssertEqual(second.unchanged, 0)
        XCTAssertEqual(second.failed, 0)
        let after = try cells()
        XCTAssertEqual(after.count, before.count)
        XCTAssertTrue(after == before, "a figure changed when the same files were read again")
        XCTAssertEqual(try Pipeline(configuration: config).run().unchanged, first.documents)
    }

    /// A signal while the sources are listed (an index page being fetched) ends the run interrupted, in the
    /// database too: its row said `failed` while the summary and the exit code said interrupted.
    func testARunStoppedWhileListingIsRecordedInterrupted() throws {
        let directory = Paths.temporary()
        let samples = try copySamples(to: directory)
        let database = directory.appendingPathComponent("db.sqlite")
        let pipeline = Pipeline(configuration: configuration(sources: samples, database: database))
        pipeline.interrupt(signal: 2)
        XCTAssertThrowsError(try pipeline.run()) { XCTAssertTrue($0 is CancelledError, "\($0)") }
        XCTAssertTrue(pipeline.summary.interrupted)
        let connection = try SQLiteConnection(path: database.path)
        XCTAssertEqual(try connection.query("SELECT status FROM runs"), [[.text("interrupted")]])
    }

    /// A signal after the last document: the cross-report rules are skipped, so the run is interrupted, in the summary
    /// and the database (it said `finished` and `interrupted: false` while exiting 143).
    func testARunStoppedAfterTheLastDocumentIsRecordedInterrupted() throws {
        let directory = Paths.temporary()
        let samples = try copySamples(to: directory)
        let database = directory.appendingPathComponent("db.sqlite")
        let pipeline = Pipeline(configuration: configuration(sources: samples, database: database))
        pipeline.progress = { progress in
            if progress.done == progress.total { pipeline.interrupt(signal: 15) }
        }
        let summary = try pipeline.run()
        XCTAssertEqual(summary.notReached, 0)
        XCTAssertTrue(summary.interrupted)
        XCTAssertTrue(summary.text.contains("interrupted after the last document"), summary.text)
        let connection = try SQLiteConnection(path: database.path)
        XCTAssertEqual(try connection.query("SELECT status FROM runs"), [[.text("interrupted")]])
    }

    /// A stored document whose file was deleted: its report stays (only prune removes), and the run says so (it
    /// said nothing: not a failure, not in the summary).
    func testADeletedFileIsNamedInTheSummary() throws {
        let directory = Paths.temporary()
        let samples = try copySamples(to: directory)
        let config = configuration(sources: samples, database: directory.appendingPathComponent("db.sqlite"))
        let first = try Pipeline(configuration: config).run()
        XCTAssertEqual(first.vanished, [])
        let gone = samples.appendingPathComponent("nanshan_health_2023.txt").path
        try FileManager.default.removeItem(atPath: gone)
        let second = try Pipeline(configuration: config).run()
        XCTAssertEqual(second.vanished, [gone])
        XCTAssertTrue(second.text.contains("gone: 1 stored documents' files no longer exist"), second.text)
        XCTAssertEqual(second.json().serialized().contains("\"vanished\":[\"\(gone)\"]"), true, second.json().serialized())
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM reports WHERE source = ?", [.text(gone)]), [[.integer(1)]])
    }

    func testChangedFileReplacesItsReport() throws {
        let directory = Paths.temporary()
        let samples = try copySamples(to: directory)
        let database = directory.appendingPathComponent("db.sqlite")
        let config = configuration(sources: samples, database: database)
        _ = try Pipeline(configuration: config).run()
        let file = samples.appendingPathComponent("hetian_county_2024_errors.txt")
        let text = try String(contentsOf: file, encoding: .utf8)
        let fixed = text.replacingOccurrences(of: "10\t1\t0\t0\t0", with: "10\t1\t0\t0\t11")
        XCTAssertNotEqual(text, fixed, "the sample's error row changed; update this test")
        try fixed.write(to: file, atomically: true, encoding: .utf8)
        let rerun = try Pipeline(configuration: config).run()
        XCTAssertEqual(rerun.loaded, 1)
        let connection = try SQLiteConnection(path: database.path)
        let reports = try connection.query("SELECT count(*) FROM reports WHERE source LIKE '%hetian%'")
        XCTAssertEqual(reports.first?.first?.integer, 1)
        let value = try connection.query("""
            SELECT value FROM cells JOIN reports ON reports.id = cells.report_id
            WHERE source LIKE '%hetian%' AND table_code = 'appeals' AND row_code = 'review' AND col_code = 'total'
            """)
        XCTAssertEqual(value.first?.first?.real, 11)
        let errors = try connection.query("SELECT count(*) FROM findings JOIN reports ON reports.id = findings.report_id WHERE source LIKE '%hetian%' AND severity = 'error'")
        XCTAssertEqual(errors.first?.first?.integer, 0)
        // The run's row counts what the summary counts: a replaced report is loaded (the row said 0).
        XCTAssertEqual(try connection.query("SELECT loaded FROM runs ORDER BY id DESC LIMIT 1"), [[.integer(1)]])
        let forced = Pipeline(configuration: config)
        forced.force = true
        let reread = try forced.run()
        XCTAssertEqual(reread.count(.reread), reread.loaded + reread.unsupported)
        XCTAssertEqual(try connection.query("SELECT loaded FROM runs ORDER BY id DESC LIMIT 1"), [[.integer(Int64(reread.loaded))]])
    }

    func testBadInputIsRecordedAndTheRunGoesOn() throws {
        let directory = Paths.temporary()
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let qinghe = try Data(contentsOf: Paths.samples.appendingPathComponent("qinghe_county_2019.html"))
        try qinghe.write(to: inbox.appendingPathComponent("good.html"))
        try Data().write(to: inbox.appendingPathComponent("empty.txt"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: inbox.appendingPathComponent("binary.html"))
        try qinghe.prefix(qinghe.count * 45 / 100).write(to: inbox.appendingPathComponent("truncated.html"))
        try Data("某县2021年政府信息公开工作年度报告\n一、总体情况\n本年度工作平稳。\n".utf8).write(to: inbox.appendingPathComponent("prose.txt"))
        try FileManager.default.copyItem(at: Paths.samples.appendingPathComponent("jinshui_county_2017_oldformat.txt"),
                                        to: inbox.appendingPathComponent("old.txt"))
        let database = directory.appendingPathComponent("db.sqlite")
        let summary = try Pipeline(configuration: configuration(sources: inbox, database: database)).run()
        XCTAssertEqual(summary.documents, 6)
        XCTAssertEqual(summary.loaded, 1)
        XCTAssertEqual(summary.unsupported, 1)
        XCTAssertEqual(summary.failed, 4)
        XCTAssertEqual(summary.exitCode(failOn: []), 1)

        let connection = try SQLiteConnection(path: database.path)
        let failures = try connection.query("SELECT source, stage, reason FROM failures ORDER BY source").map {
            (URL(fileURLWithPath: $0[0].text!).lastPathComponent, $0[1].text!, $0[2].text!)
        }
        XCTAssertEqual(failures.map(\.0), ["binary.html", "empty.txt", "prose.txt", "truncated.html"])
        XCTAssertEqual(failures.map(\.1), ["decode", "decode", "normalize", "normalize"])
        XCTAssertTrue(failures[0].2.contains("binary"))
        XCTAssertTrue(failures[1].2.contains("empty"))
        XCTAssertTrue(failures[2].2.contains("no statistical table"))
        XCTAssertTrue(failures[3].2.contains("truncated"))
        // No report, cell or finding of a failed document.
        let orphans = try connection.query("""
            SELECT count(*) FROM reports JOIN documents ON documents.id = reports.document_id WHERE documents.status = 'failed'
            """)
        XCTAssertEqual(orphans.first?.first?.integer, 0)
        let unsupported = try connection.query("SELECT unsupported_format, year FROM reports WHERE source LIKE '%old.txt'")
        XCTAssertEqual(unsupported.first?[0].integer, 1)
        XCTAssertEqual(unsupported.first?[1].integer, 2017)
    }

    func testDryRunWritesNothing() throws {
        let directory = Paths.temporary()
        let database = directory.appendingPathComponent("never.sqlite")
        let config = configuration(sources: Paths.samples, database: database, stages: [.read, .decode, .extract, .normalize, .validate])
        let summary = try Pipeline(configuration: config).run()
        XCTAssertFalse(summary.wrote)
        XCTAssertEqual(summary.failed, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: database.path))
    }
}
