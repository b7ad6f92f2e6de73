import Foundation

/// Merges the databases of sharded runs into one (`nianbao merge --into OUT SHARD...`).
///
/// Documents are keyed by their source: a shard's document replaces the merged one unless both have the
/// same content, status and pipeline version, so merging twice changes nothing. Runs and failures are
/// kept (a merged run remembers its origin). The cross-report rules are then recomputed over the result.
///
/// ```swift
/// let summary = try DatabaseMerger().merge(into: "out/all.sqlite", shards: ["out/shard-0.sqlite", "out/shard-1.sqlite"])
/// ```
public struct DatabaseMerger: Sendable {
    public struct Summary: Sendable, Equatable {
        public var shards = 0
        public var runsAdded = 0
        public var documentsAdded = 0
        public var documentsUnchanged = 0
        public var crossReportFindings = 0
    }

    public var validation: ValidateOptions

    public init(validation: ValidateOptions = ValidateOptions()) { self.validation = validation }

    public func merge(into path: String, shards: [String]) throws -> Summary {
        let store = try ReportStore(path: path)
        let connection = store.connection
        var summary = Summary()
        for shard in shards {
            guard FileManager.default.fileExists(atPath: shard) else {
                throw NianbaoError.database(path: shard, message: "no such shard database")
            }
            guard (shard as NSString).standardizingPath != (path as NSString).standardizingPath else {
                throw NianbaoError.database(path: shard, message: "a database cannot be merged into itself")
            }
            try connection.prepare("ATTACH DATABASE ? AS shard").run([.text(shard)])
            defer { try? connection.execute("DETACH DATABASE shard") }
            let version = try connection.query("PRAGMA shard.user_version").first?.first?.integer ?? 0
            guard version >= 1, version <= Int64(DatabaseSchema.migrations.count) else {
                throw NianbaoError.database(path: shard, message: "not a nianbao database (schema version \(version))")
            }
            try connection.transaction { try mergeAttached(connection, shardVersion: version, into: &summary) }
            summary.shards += 1
        }
        try DatabaseSchema.migrate(connection)   // fills agency_key of the merged reports
        summary.crossReportFindings = try CrossReportValidator(options: validation).run(on: connection)
        return summary
    }

    private func mergeAttached(_ connection: SQLiteConnection, shardVersion: Int64, into summary: inout Summary) throws {
        // Runs: each shard run once, remembered by an origin made of its own identity.
        var runMap: [Int64: Int64] = [:]
        let originColumn = shardVersion >= 2 ? "origin" : "NULL"
        for row in try connection.query("SELECT id, started_at, config, \(originColumn) FROM shard.runs ORDER BY id") {
            guard let id = row[0].integer else { continue }
            let origin = row[3].text ?? "run \(id) started \(row[1].text ?? "?") [\(row[2].text ?? "")]"
            if let existing = try connection.query("SELECT id FROM runs WHERE origin = ?", [.text(origin)]).first?.first?.integer {
                runMap[id] = existing
                continue
            }
            try connection.prepare("""
                INSERT INTO runs(started_at, finished_at, status, config, documents, loaded, unchanged, failed, origin)
                SELECT started_at, finished_at, status, config, documents, loaded, unchanged, failed, ? FROM shard.runs WHERE id = ?
                """).run([.text(origin), .integer(id)])
            runMap[id] = connection.lastInsertRowID
            summary.runsAdded += 1
        }
        let shardDocuments = try connection.query("SELECT id, source, sha256, status, pipeline_version, run_id FROM shard.documents ORDER BY source")
        let existingStatement = try connection.prepare("SELECT id, sha256, status, pipeline_version FROM documents WHERE source = ?")
        let deleteDocument = try connection.prepare("DELETE FROM documents WHERE id = ?")
        let insertDocument = try connection.prepare("""
            INSERT INTO documents(source, sha256, size, encoding, kind, status, pipeline_version, run_id)
            SELECT source, sha256, size, encoding, kind, status, pipeline_version, ? FROM shard.documents WHERE id = ?
            """)
        let insertReport = try connection.prepare("""
            INSERT INTO reports(document_id, agency, year, title, published_on, source, sha256, encoding, active_format,
                                requests_format, appeals_format, unsupported_format, run_id)
            SELECT ?, agency, year, title, published_on, source, sha256, encoding, active_format, requests_format,
                   appeals_format, unsupported_format, ? FROM shard.reports WHERE id = ?
            """)
        let insertCells = try connection.prepare("""
            INSERT INTO cells(report_id, table_code, row_code, col_code, value, state, raw, flags, note)
            SELECT ?, table_code, row_code, col_code, value, state, raw, flags, note FROM shard.cells WHERE report_id = ?
            """)
        let crossRules = Rule.crossReport.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let insertFindings = try connection.prepare("""
            INSERT INTO findings(report_id, rule, severity, table_code, row_code, col_code, expected, actual, message)
            SELECT ?, rule, severity, table_code, row_code, col_code, expected, actual, message FROM shard.findings
            WHERE report_id = ? AND rule NOT IN (\(crossRules)) ORDER BY id
            """)
        let insertSections = try connection.prepare("""
            INSERT INTO report_sections(report_id, number, text) SELECT ?, number, text FROM shard.report_sections WHERE report_id = ?
            """)
        let insertFailure = try connection.prepare("""
            INSERT INTO failures(document_id, source, sha256, stage, reason, run_id)
            SELECT ?, source, sha256, stage, reason, ? FROM shard.failures WHERE document_id = ?
            """)
        let shardReport = try connection.prepare("SELECT id FROM shard.reports WHERE document_id = ?")
        for document in shardDocuments {
            guard let id = document[0].integer, let source = document[1].text else { continue }
            let runID: SQLiteConnection.Value = document[5].integer.flatMap { runMap[$0] }.map { .integer($0) } ?? .null
            if let existing = try existingStatement.rows([.text(source)]).first {
                if existing[1] == document[2] && existing[2] == document[3] && existing[3] == document[4] {
                    summary.documentsUnchanged += 1
                    continue
                }
                try deleteDocument.run([existing[0]])
            }
            try insertDocument.run([runID, .integer(id)])
            let newDocument = connection.lastInsertRowID
            if let oldReport = try shardReport.rows([.integer(id)]).first?.first?.integer {
                try insertReport.run([.integer(newDocument), runID, .integer(oldReport)])
                let newReport = connection.lastInsertRowID
                try insertCells.run([.integer(newReport), .integer(oldReport)])
                try insertFindings.run([.integer(newReport), .integer(oldReport)])
                try insertSections.run([.integer(newReport), .integer(oldReport)])
            }
            try insertFailure.run([.integer(newDocument), runID, .integer(id)])
            summary.documentsAdded += 1
        }
    }
}
