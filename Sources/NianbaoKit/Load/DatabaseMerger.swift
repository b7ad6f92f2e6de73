import Foundation

/// Merges the databases of sharded runs into one (`nianbao merge --into OUT SHARD...`).
///
/// Documents are keyed by their source. A shard's document replaces the merged one only when it is newer
/// (seen later: `documents.last_seen_at`, or its run's start for older databases), whatever the order the
/// shards are given in; an identical one changes nothing, so merging twice changes nothing. A replaced report
/// whose figures differ is kept in `report_versions` first. Runs, failures, versions and load events are
/// carried over (a merged run remembers its origin). The cross-report rules are then recomputed. The target
/// is written under its run lock, so a merge never races a run or another merge.
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
        /// Merged documents a shard's newer version replaced.
        public var documentsReplaced = 0
        /// Shard documents older than the merged ones, not taken.
        public var olderSkipped = 0
        public var crossReportFindings = 0
        /// What was replaced, for the operator.
        public var replacements: [String] = []
    }

    public var validation: ValidateOptions
    public var waitForLock = false
    /// The registry that resolves the merged reports' agencies (the shipped one unless a file is given).
    public var registry = AgencyRegistry.shipped

    public init(validation: ValidateOptions = ValidateOptions()) { self.validation = validation }

    public func merge(into path: String, shards: [String]) throws -> Summary {
        let lock = try RunLock(database: path, wait: waitForLock)
        defer { withExtendedLifetime(lock) {} }
        let store = try ReportStore(path: path)
        let connection = store.connection
        var summary = Summary()
        let target = RunLock.lockPath(for: path)
        for shard in shards {
            guard FileManager.default.fileExists(atPath: shard) else {
                throw NianbaoError.database(path: shard, message: "no such shard database")
            }
            guard RunLock.lockPath(for: shard) != target else {
                throw NianbaoError.database(path: shard, message: "a database cannot be merged into itself")
            }
            try connection.prepare("ATTACH DATABASE ? AS shard").run([.text(shard)])
            defer { try? connection.execute("DETACH DATABASE shard") }
            let version = try connection.query("PRAGMA shard.user_version").first?.first?.integer ?? 0
            guard version >= 1, version <= Int64(DatabaseSchema.migrations.count) else {
                throw NianbaoError.database(path: shard, message: "not a nianbao database (schema version \(version))")
            }
            let columns = try ShardColumns(connection)
            try connection.transaction { try mergeAttached(connection, columns: columns, into: &summary) }
            summary.shards += 1
        }
        try DatabaseSchema.migrate(connection)   // fills content keys of merged reports from old shards
        try ReportIdentity(registry: registry, options: validation).run(on: connection)
        summary.crossReportFindings = try CrossReportValidator(options: validation).run(on: connection)
        return summary
    }

    /// The shard's columns: an older shard lacks some, which are read as NULL (or their default).
    struct ShardColumns {
        private var present: [String: Set<String>] = [:]

        init(_ connection: SQLiteConnection) throws {
            for table in ["runs", "documents", "reports", "failures", "report_versions", "load_events"] {
                present[table] = Set(try connection.query("SELECT name FROM pragma_table_info(?, 'shard')", [.text(table)]).compactMap { $0[0].text })
            }
        }

        func has(_ table: String) -> Bool { !(present[table] ?? []).isEmpty }

        func contains(_ table: String, _ column: String) -> Bool { present[table]?.contains(column) == true }

        /// `column`, or `fallback` when the shard's table does not have it.
        func column(_ table: String, _ name: String, _ fallback: String = "NULL") -> String {
            present[table]?.contains(name) == true ? name : "\(fallback) AS \(name)"
        }

        func list(_ table: String, _ names: [String]) -> String {
            names.map { column(table, $0, $0 == "stale" || $0 == "unsupported_format" ? "0" : ($0 == "attempts" ? "1" : "NULL")) }
                .joined(separator: ", ")
        }
    }

    private static let documentColumns = ["source", "sha256", "size", "encoding", "kind", "status", "pipeline_version", "first_seen_at", "last_seen_at"]
    private static let reportColumns = ["agency", "agency_key", "year", "title", "published_on", "source", "sha256", "encoding", "active_format",
                                        "requests_format", "appeals_format", "unsupported_format", "stale", "stale_since", "stale_reason",
                                        "validated_with", "first_seen_at"]

    private func mergeAttached(_ connection: SQLiteConnection, columns: ShardColumns, into summary: inout Summary) throws {
        let runMap = try mergeRuns(connection, columns: columns, into: &summary)
        // When a document was last seen: its own time, or its run's start (databases before last_seen_at).
        let shardSeen = columns.contains("documents", "last_seen_at") ? "d.last_seen_at" : "NULL"
        let seen = { (schema: String, own: String) in "coalesce(\(own), (SELECT started_at FROM \(schema).runs WHERE id = d.run_id), '')" }
        let shardDocuments = try connection.query("""
            SELECT d.id, d.source, d.sha256, d.status, d.pipeline_version, d.run_id, \(seen("shard", shardSeen)),
                   (SELECT sha256 FROM shard.reports WHERE document_id = d.id)
            FROM shard.documents d ORDER BY d.source
            """)
        let existing = try connection.prepare("""
            SELECT d.id, d.sha256, d.status, d.pipeline_version, \(seen("main", "d.last_seen_at")), (SELECT sha256 FROM reports WHERE document_id = d.id)
            FROM documents d WHERE d.source = ?
            """)
        for document in shardDocuments {
            guard let id = document[0].integer, let source = document[1].text else { continue }
            let runID: SQLiteConnection.Value = document[5].integer.flatMap { runMap[$0] }.map { .integer($0) } ?? .null
            if let current = try existing.rows([.text(source)]).first, let currentID = current[0].integer {
                if current[1] == document[2] && current[2] == document[3] && current[3] == document[4] && current[5] == document[7] {
                    summary.documentsUnchanged += 1
                    continue
                }
                // The newer version wins, whatever the order of the shards.
                if (current[4].text ?? "") > (document[6].text ?? "") {
                    summary.olderSkipped += 1
                    continue
                }
                try archiveIfDifferent(connection, mergedDocument: currentID, shardDocument: id, runID: runID)
                try connection.prepare("DELETE FROM reports WHERE document_id = ?").run([.integer(currentID)])
                try connection.prepare("DELETE FROM failures WHERE document_id = ?").run([.integer(currentID)])
                try connection.prepare("""
                    UPDATE documents SET (\(Self.documentColumns.joined(separator: ", ")), run_id) =
                        (SELECT \(columns.list("documents", Self.documentColumns)), ? FROM shard.documents WHERE id = ?)
                    WHERE id = ?
                    """).run([runID, .integer(id), .integer(currentID)])
                summary.documentsReplaced += 1
                summary.replacements.append(source)
                try copyContent(connection, columns: columns, shardDocument: id, into: currentID, runID: runID)
            } else {
                try connection.prepare("""
                    INSERT INTO documents(\(Self.documentColumns.joined(separator: ", ")), run_id)
                    SELECT \(columns.list("documents", Self.documentColumns)), ? FROM shard.documents WHERE id = ?
                    """).run([runID, .integer(id)])
                summary.documentsAdded += 1
                try copyContent(connection, columns: columns, shardDocument: id, into: connection.lastInsertRowID, runID: runID)
            }
        }
    }

    private func mergeRuns(_ connection: SQLiteConnection, columns: ShardColumns, into summary: inout Summary) throws -> [Int64: Int64] {
        // Runs: each shard run once, remembered by an origin made of its own identity.
        var runMap: [Int64: Int64] = [:]
        for row in try connection.query("SELECT id, started_at, config, \(columns.column("runs", "origin")) FROM shard.runs ORDER BY id") {
            guard let id = row[0].integer else { continue }
            let origin = row[3].text ?? "run \(id) started \(row[1].text ?? "?") [\(row[2].text ?? "")]"
            if let existing = try connection.query("SELECT id FROM runs WHERE origin = ?", [.text(origin)]).first?.first?.integer {
                runMap[id] = existing
                continue
            }
            try connection.prepare("""
                INSERT INTO runs(started_at, finished_at, status, config, documents, loaded, unchanged, failed, origin, uuid, exit_code, summary)
                SELECT started_at, finished_at, status, config, documents, loaded, unchanged, failed, ?,
                       \(columns.list("runs", ["uuid", "exit_code", "summary"])) FROM shard.runs WHERE id = ?
                """).run([.text(origin), .integer(id)])
            runMap[id] = connection.lastInsertRowID
            summary.runsAdded += 1
        }
        return runMap
    }

    /// Keeps the merged report as a version when the shard's report that replaces it has other figures.
    private func archiveIfDifferent(_ connection: SQLiteConnection, mergedDocument: Int64, shardDocument: Int64, runID: SQLiteConnection.Value) throws {
        guard let merged = try connection.query("SELECT id FROM reports WHERE document_id = ?", [.integer(mergedDocument)]).first?.first?.integer
        else { return }
        let shardReport = try connection.query("SELECT id, sha256 FROM shard.reports WHERE document_id = ?", [.integer(shardDocument)]).first
        let cells = { (table: String) in
            "SELECT table_code, row_code, col_code, value, state, raw FROM \(table) WHERE report_id = ? AND flags <> 'completed'"
        }
        let differing = try connection.query("""
            SELECT (SELECT count(*) FROM (\(cells("cells")) EXCEPT \(cells("shard.cells"))))
                 + (SELECT count(*) FROM (\(cells("shard.cells")) EXCEPT \(cells("cells"))))
            """, [.integer(merged), shardReport?[0] ?? .null, shardReport?[0] ?? .null, .integer(merged)]).first?.first?.integer ?? 0
        guard differing > 0 || shardReport == nil else { return }
        try connection.prepare("""
            INSERT INTO report_versions(document_id, source, sha256, agency, agency_key, year, title, published_on, active_format,
                                        requests_format, appeals_format, unsupported_format, first_seen_at, replaced_at,
                                        replaced_by_sha256, reason, run_id)
            SELECT document_id, source, sha256, agency, agency_key, year, title, published_on, active_format, requests_format, appeals_format,
                   unsupported_format, first_seen_at, ?, ?, 'merged', ? FROM reports WHERE id = ?
            """).run([.text(ReportStore.timestamp()), shardReport?[1] ?? .text(""), runID, .integer(merged)])
        let version = connection.lastInsertRowID
        try connection.prepare("""
            INSERT INTO report_version_cells(version_id, table_code, row_code, col_code, value, state, raw, flags, note)
            SELECT ?, table_code, row_code, col_code, value, state, raw, flags, note FROM cells WHERE report_id = ? AND flags <> 'completed'
            """).run([.integer(version), .integer(merged)])
    }

    /// Copies a shard document's report (cells, findings, sections), failure and versions under a merged document.
    private func copyContent(_ connection: SQLiteConnection, columns: ShardColumns, shardDocument id: Int64, into document: Int64,
                             runID: SQLiteConnection.Value) throws {
        if let report = try connection.query("SELECT id FROM shard.reports WHERE document_id = ?", [.integer(id)]).first?.first?.integer {
            try connection.prepare("""
                INSERT INTO reports(document_id, \(Self.reportColumns.joined(separator: ", ")), run_id)
                SELECT ?, \(columns.list("reports", Self.reportColumns)), ? FROM shard.reports WHERE id = ?
                """).run([.integer(document), runID, .integer(report)])
            let merged = connection.lastInsertRowID
            try connection.prepare("""
                INSERT INTO cells(report_id, table_code, row_code, col_code, value, state, raw, flags, note)
                SELECT ?, table_code, row_code, col_code, value, state, raw, flags, note FROM shard.cells WHERE report_id = ?
                """).run([.integer(merged), .integer(report)])
            let crossRules = Rule.derived.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            try connection.prepare("""
                INSERT INTO findings(report_id, rule, severity, table_code, row_code, col_code, expected, actual, message)
                SELECT ?, rule, severity, table_code, row_code, col_code, expected, actual, message FROM shard.findings
                WHERE report_id = ? AND rule NOT IN (\(crossRules)) ORDER BY id
                """).run([.integer(merged), .integer(report)])
            try connection.prepare("""
                INSERT INTO report_sections(report_id, number, text) SELECT ?, number, text FROM shard.report_sections WHERE report_id = ?
                """).run([.integer(merged), .integer(report)])
        }
        try connection.prepare("""
            INSERT INTO failures(document_id, source, sha256, stage, reason, run_id, first_failed_at, attempts)
            SELECT ?, source, sha256, stage, reason, ?, \(columns.list("failures", ["first_failed_at", "attempts"])) FROM shard.failures
            WHERE document_id = ?
            """).run([.integer(document), runID, .integer(id)])
        guard columns.has("report_versions") else { return }
        for version in try connection.query("SELECT id FROM shard.report_versions WHERE document_id = ? ORDER BY id", [.integer(id)]) {
            try connection.prepare("""
                INSERT INTO report_versions(document_id, source, sha256, agency, agency_key, year, title, published_on, active_format,
                                            requests_format, appeals_format, unsupported_format, first_seen_at, replaced_at,
                                            replaced_by_sha256, reason, run_id)
                SELECT ?, source, sha256, agency, agency_key, year, title, published_on, active_format, requests_format, appeals_format,
                       unsupported_format, first_seen_at, replaced_at, replaced_by_sha256, reason, ? FROM shard.report_versions WHERE id = ?
                """).run([.integer(document), runID, version[0]])
            try connection.prepare("""
                INSERT INTO report_version_cells(version_id, table_code, row_code, col_code, value, state, raw, flags, note)
                SELECT ?, table_code, row_code, col_code, value, state, raw, flags, note FROM shard.report_version_cells WHERE version_id = ?
                """).run([.integer(connection.lastInsertRowID), version[0]])
        }
    }
}
