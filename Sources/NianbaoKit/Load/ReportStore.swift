import Foundation

/// The *load* stage: writes outcomes to SQLite, a batch of documents per transaction.
///
/// Loads are idempotent and atomic per document: a document is keyed by its source; an unchanged one
/// (same SHA-256, same pipeline version) is skipped before any work; a changed one has its old report
/// (cells, findings, sections) deleted and the new one inserted in the same transaction, so a reader never
/// sees a half-written report. One ReportStore is used by one thread (the pipeline's writer).
public final class ReportStore {
    public let connection: SQLiteConnection
    private var statements: [String: SQLiteStatement] = [:]

    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw NianbaoError.database(path: path, message: "cannot create its folder: \(error.localizedDescription)")
            }
        }
        connection = try SQLiteConnection(path: path)
        do {
            try connection.execute("PRAGMA journal_mode=WAL")
            try connection.execute("PRAGMA synchronous=NORMAL")
            try connection.execute("PRAGMA foreign_keys=ON")
            try DatabaseSchema.migrate(connection)
            try AnalystViews.create(connection)
        } catch let error as NianbaoError {
            throw error
        }
    }

    /// Source → (sha256, pipeline version) of every document already stored, to skip unchanged files.
    public func knownDocuments() throws -> [String: (sha256: String, version: Int)] {
        var known: [String: (String, Int)] = [:]
        for row in try connection.query("SELECT source, sha256, pipeline_version FROM documents") {
            if let source = row[0].text, let sha = row[1].text, let version = row[2].integer {
                known[source] = (sha, Int(version))
            }
        }
        return known
    }

    /// Runs left marked `running` by a process that was killed become `interrupted`.
    public func markAbandonedRuns() throws {
        try statement("UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running'")
            .run([.text(Self.timestamp())])
    }

    public func beginRun(config: String) throws -> Int64 {
        try statement("INSERT INTO runs(started_at, status, config) VALUES (?, 'running', ?)")
            .run([.text(Self.timestamp()), .text(config)])
        return connection.lastInsertRowID
    }

    public func finishRun(_ id: Int64, status: String, summary: RunSummary) throws {
        try statement("UPDATE runs SET finished_at = ?, status = ?, documents = ?, loaded = ?, unchanged = ?, failed = ? WHERE id = ?")
            .run([.text(Self.timestamp()), .text(status), .integer(Int64(summary.documents)), .integer(Int64(summary.loaded)),
                  .integer(Int64(summary.unchanged)), .integer(Int64(summary.failed)), .integer(id)])
    }

    /// Writes a batch of outcomes in one transaction.
    public func write(_ outcomes: [DocumentOutcome], runID: Int64) throws {
        try connection.transaction {
            for outcome in outcomes {
                switch outcome {
                case .unchanged: continue
                case let .report(info, report): try store(report, info: info, runID: runID)
                case let .failed(info, failure): try storeFailure(failure, info: info, runID: runID)
                }
            }
        }
    }

    private func upsertDocument(_ info: DocumentInfo, status: String, runID: Int64) throws -> Int64 {
        try statement("""
            INSERT INTO documents(source, sha256, size, encoding, kind, status, pipeline_version, run_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(source) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, encoding = excluded.encoding,
                kind = excluded.kind, status = excluded.status, pipeline_version = excluded.pipeline_version,
                run_id = excluded.run_id
            """).run([.text(info.source), .text(info.sha256), .integer(Int64(info.size)), .init(info.encoding),
                      .init(info.kind?.rawValue), .text(status), .integer(Int64(PipelineVersion.current)), .integer(runID)])
        let id = try statement("SELECT id FROM documents WHERE source = ?").rows([.text(info.source)]).first?.first?.integer
        guard let id else { throw NianbaoError.database(path: connection.path, message: "document row vanished") }
        try statement("DELETE FROM reports WHERE document_id = ?").run([.integer(id)])
        try statement("DELETE FROM failures WHERE document_id = ?").run([.integer(id)])
        return id
    }

    private func store(_ report: Report, info: DocumentInfo, runID: Int64) throws {
        let documentID = try upsertDocument(info, status: report.unsupportedFormat ? "unsupported" : "loaded", runID: runID)
        let metadata = report.metadata
        try statement("""
            INSERT INTO reports(document_id, agency, year, title, published_on, source, sha256, encoding, active_format,
                                requests_format, appeals_format, unsupported_format, run_id, agency_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run([.integer(documentID), .init(metadata.agency), .init(metadata.year), .init(metadata.title),
                      .init(metadata.publishedOn), .text(info.source), .text(info.sha256), .init(info.encoding),
                      .init(report.formats[.active]?.rawValue), .init(report.formats[.requests]?.rawValue),
                      .init(report.formats[.appeals]?.rawValue), .integer(report.unsupportedFormat ? 1 : 0), .integer(runID),
                      .init(metadata.agency.map(LabelFolding.fold))])
        let reportID = connection.lastInsertRowID
        let insertCell = try statement("""
            INSERT INTO cells(report_id, table_code, row_code, col_code, value, state, raw, flags, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for cell in report.cells {
            try insertCell.run([.integer(reportID), .text(cell.table.rawValue), .text(cell.row), .text(cell.col), .init(cell.value),
                                .text(cell.state.rawValue), .text(cell.raw), .text(cell.flags), .init(cell.note)])
        }
        let insertFinding = try statement("""
            INSERT INTO findings(report_id, rule, severity, table_code, row_code, col_code, expected, actual, message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for finding in report.findings {
            try insertFinding.run([.integer(reportID), .text(finding.rule.rawValue), .text(finding.severity.rawValue),
                                   .init(finding.table?.rawValue), .init(finding.row), .init(finding.col), .init(finding.expected),
                                   .init(finding.actual), .text(finding.message)])
        }
        let insertSection = try statement("INSERT INTO report_sections(report_id, number, text) VALUES (?, ?, ?)")
        for (number, text) in metadata.sections.sorted(by: { $0.key < $1.key }) {
            try insertSection.run([.integer(reportID), .integer(Int64(number)), .text(text)])
        }
    }

    private func storeFailure(_ failure: StageFailure, info: DocumentInfo, runID: Int64) throws {
        let documentID = try upsertDocument(info, status: "failed", runID: runID)
        try statement("INSERT INTO failures(document_id, source, sha256, stage, reason, run_id) VALUES (?, ?, ?, ?, ?, ?)")
            .run([.integer(documentID), .text(info.source), .text(info.sha256), .text(failure.stage.rawValue),
                  .text(failure.reason), .integer(runID)])
    }

    private func statement(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        let prepared = try connection.prepare(sql)
        statements[sql] = prepared
        return prepared
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date())
    }
}
