import Foundation

/// The row copying of ``DatabaseMerger``: reads a document's version from the merged database (`main`) or the
/// attached shard (`shard`), and copies reports, failures, versions and runs between them. Columns an older
/// shard lacks are read as NULL (or their default).
struct MergeCopy {
    let connection: SQLiteConnection
    let columns: ShardColumns

    /// The shard's columns: an older shard lacks some.
    struct ShardColumns {
        private var present: [String: Set<String>] = [:]

        init(_ connection: SQLiteConnection) throws {
            for table in ["runs", "documents", "reports", "failures", "report_versions", "cells", "settings"] {
                present[table] = Set(try connection.query("SELECT name FROM pragma_table_info(?, 'shard')", [.text(table)]).compactMap { $0[0].text })
            }
        }

        func has(_ table: String) -> Bool { !(present[table] ?? []).isEmpty }

        func contains(_ table: String, _ column: String) -> Bool { present[table]?.contains(column) == true }

        /// `column`, or its default when the shard's table does not have it.
        func list(_ table: String, _ names: [String]) -> String {
            names.map { name in
                if contains(table, name) { return name }
                let fallback = ["stale", "unsupported_format"].contains(name) ? "0" : (name == "attempts" ? "1" : "NULL")
                return "\(fallback) AS \(name)"
            }.joined(separator: ", ")
        }
    }

    /// A document as one database holds it.
    struct Version {
        struct StoredReport {
            var id: Int64
            var sha256: String
            var shape: ReplacementPolicy.ReportShape
            var agency: String?
            var year: Int64?

            /// Another report than `other` (another agency or year at the same address), not a version of it.
            func isAnotherReport(than other: StoredReport) -> Bool {
                guard !shape.unsupported, !other.shape.unsupported else { return false }
                return year != other.year || agency.map(LabelFolding.fold) != other.agency.map(LabelFolding.fold)
            }
        }

        var id: Int64
        var source: String
        var sha256: String
        var status: String
        var pipelineVersion: Int64
        var runID: Int64?
        /// When it was last seen (or its run started).
        var seen: String
        var report: StoredReport?
        var failure: String?
        var isShard: Bool

        var isStale: Bool { status == "stale" }

        /// Which of two versions is newer: seen later; at the same moment, the larger hashes (so that the
        /// decision never depends on the order of the shards).
        var order: String { "\(seen)|\(report?.sha256 ?? "")|\(sha256)" }

        func sameState(as other: Version) -> Bool {
            sha256 == other.sha256 && status == other.status && pipelineVersion == other.pipelineVersion && report?.sha256 == other.report?.sha256
        }
    }

    static let documentColumns = ["source", "sha256", "size", "encoding", "kind", "status", "pipeline_version", "first_seen_at", "last_seen_at"]
    static let reportColumns = ["agency", "agency_key", "year", "title", "published_on", "source", "sha256", "encoding", "active_format",
                                "requests_format", "appeals_format", "unsupported_format", "stale", "stale_since", "stale_reason",
                                "validated_with", "first_seen_at", "attachment", "tables_from", "read_cells"]

    private func selectVersions(_ schema: String, filter: String) -> String {
        let shard = schema == "shard"
        let seen = shard && !columns.contains("documents", "last_seen_at") ? "NULL" : "d.last_seen_at"
        let stale = shard && !columns.contains("reports", "stale") ? "0" : "r.stale"
        return """
            SELECT d.id, d.source, d.sha256, d.status, d.pipeline_version, d.run_id,
                   coalesce(\(seen), (SELECT started_at FROM \(schema).runs WHERE id = d.run_id), ''),
                   r.id, r.sha256, (r.active_format IS NOT NULL) + (r.requests_format IS NOT NULL) + (r.appeals_format IS NOT NULL),
                   (SELECT count(*) FROM \(schema).cells c WHERE c.report_id = r.id AND c.flags <> 'completed' AND c.state = 'number'),
                   r.unsupported_format, (SELECT stage || ': ' || reason FROM \(schema).failures f WHERE f.document_id = d.id), \(stale),
                   r.agency, r.year
            FROM \(schema).documents d LEFT JOIN \(schema).reports r ON r.document_id = d.id \(filter)
            """
    }

    private func version(_ row: [SQLiteConnection.Value], isShard: Bool) -> Version? {
        guard let id = row[0].integer, let source = row[1].text else { return nil }
        var report: Version.StoredReport?
        if let reportID = row[7].integer {
            report = .init(id: reportID, sha256: row[8].text ?? "",
                           shape: .init(tables: Int(row[9].integer ?? 0), figures: Int(row[10].integer ?? 0), unsupported: row[11].integer == 1),
                           agency: row[14].text, year: row[15].integer)
        }
        return Version(id: id, source: source, sha256: row[2].text ?? "", status: row[3].text ?? "", pipelineVersion: row[4].integer ?? 0,
                       runID: row[5].integer, seen: row[6].text ?? "", report: report, failure: row[12].text, isShard: isShard)
    }

    func versions(in schema: String) throws -> [Version] {
        try connection.query(selectVersions(schema, filter: "ORDER BY d.source")).compactMap { version($0, isShard: schema == "shard") }
    }

    func version(of source: String) throws -> Version? {
        try connection.query(selectVersions("main", filter: "WHERE d.source = ?"), [.text(source)]).first.flatMap { version($0, isShard: false) }
    }

    // MARK: Runs and documents

    /// Each shard run once, remembered by an origin made of its own identity.
    func runs(into summary: inout DatabaseMerger.Summary) throws -> [Int64: Int64] {
        var runMap: [Int64: Int64] = [:]
        let origin = columns.contains("runs", "origin") ? "origin" : "NULL"
        let uuid = columns.contains("runs", "uuid") ? "uuid" : "NULL"
        for row in try connection.query("SELECT id, started_at, config, \(origin), \(uuid) FROM shard.runs ORDER BY id") {
            guard let id = row[0].integer else { continue }
            let key = row[3].text ?? "run \(row[4].text ?? String(id)) started \(row[1].text ?? "?") [\(row[2].text ?? "")]"
            if let existing = try connection.query("SELECT id FROM runs WHERE origin = ?", [.text(key)]).first?.first?.integer {
                runMap[id] = existing
                continue
            }
            try connection.prepare("""
                INSERT INTO runs(started_at, finished_at, status, config, documents, loaded, unchanged, failed, origin, uuid, exit_code, summary)
                SELECT started_at, finished_at, status, config, documents, loaded, unchanged, failed, ?,
                       \(columns.list("runs", ["uuid", "exit_code", "summary"])) FROM shard.runs WHERE id = ?
                """).run([.text(key), .integer(id)])
            runMap[id] = connection.lastInsertRowID
            summary.runsAdded += 1
        }
        return runMap
    }

    func insertDocument(from shardDocument: Int64, runID: SQLiteConnection.Value) throws -> Int64 {
        try connection.prepare("""
            INSERT INTO documents(\(Self.documentColumns.joined(separator: ", ")), run_id)
            SELECT \(columns.list("documents", Self.documentColumns)), ? FROM shard.documents WHERE id = ?
            """).run([runID, .integer(shardDocument)])
        return connection.lastInsertRowID
    }

    func updateDocument(_ document: Int64, from shardDocument: Int64, runID: SQLiteConnection.Value) throws {
        try connection.prepare("""
            UPDATE documents SET (\(Self.documentColumns.joined(separator: ", ")), run_id) =
                (SELECT \(columns.list("documents", Self.documentColumns)), ? FROM shard.documents WHERE id = ?)
            WHERE id = ?
            """).run([runID, .integer(shardDocument), .integer(document)])
    }

    // MARK: Reports, failures, versions

    func deleteReport(of document: Int64) throws {
        try connection.prepare("DELETE FROM reports WHERE document_id = ?").run([.integer(document)])
    }

    /// Copies the shard document's report with its cells, findings (not the derived ones) and sections.
    @discardableResult
    func copyReport(of shardDocument: Int64, into document: Int64, runID: SQLiteConnection.Value) throws -> Int64? {
        guard let report = try connection.query("SELECT id FROM shard.reports WHERE document_id = ?", [.integer(shardDocument)]).first?.first?.integer
        else { return nil }
        try connection.prepare("""
            INSERT INTO reports(document_id, \(Self.reportColumns.joined(separator: ", ")), run_id, canonical)
            SELECT ?, \(columns.list("reports", Self.reportColumns)), ?, 0 FROM shard.reports WHERE id = ?
            """).run([.integer(document), runID, .integer(report)])
        let merged = connection.lastInsertRowID
        try connection.prepare("""
            INSERT INTO cells(report_id, table_code, row_code, col_code, value, state, raw, flags, note, source_position)
            SELECT ?, table_code, row_code, col_code, value, state, raw, flags, note, \(columns.list("cells", ["source_position"]))
            FROM shard.cells WHERE report_id = ? AND flags <> 'completed'
            """).run([.integer(merged), .integer(report)])
        let derived = Rule.derived.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        try connection.prepare("""
            INSERT INTO findings(report_id, rule, severity, table_code, row_code, col_code, expected, actual, message)
            SELECT ?, rule, severity, table_code, row_code, col_code, expected, actual, message FROM shard.findings
            WHERE report_id = ? AND rule NOT IN (\(derived)) ORDER BY id
            """).run([.integer(merged), .integer(report)])
        try connection.prepare("""
            INSERT INTO report_sections(report_id, number, text) SELECT ?, number, text FROM shard.report_sections WHERE report_id = ?
            """).run([.integer(merged), .integer(report)])
        return merged
    }

    func copyFailure(of shardDocument: Int64, into document: Int64, runID: SQLiteConnection.Value) throws {
        try connection.prepare("""
            INSERT INTO failures(document_id, source, sha256, stage, reason, run_id, first_failed_at, attempts)
            SELECT ?, source, sha256, stage, reason, ?, \(columns.list("failures", ["first_failed_at", "attempts"])) FROM shard.failures
            WHERE document_id = ?
            """).run([.integer(document), runID, .integer(shardDocument)])
    }

    func replaceFailure(of document: Int64, with shardDocument: Int64, runID: SQLiteConnection.Value) throws {
        try connection.prepare("DELETE FROM failures WHERE document_id = ?").run([.integer(document)])
        try copyFailure(of: shardDocument, into: document, runID: runID)
    }

    /// The shard document's earlier versions, where the merged document does not hold them yet.
    func copyVersions(of shardDocument: Int64, into document: Int64, runID: SQLiteConnection.Value) throws {
        guard columns.has("report_versions") else { return }
        for version in try connection.query("SELECT id FROM shard.report_versions WHERE document_id = ? ORDER BY id", [.integer(shardDocument)]) {
            try copyVersion(from: "shard.report_versions", "shard.report_version_cells", id: version[0], into: document, runID: runID)
        }
    }

    private func copyVersion(from table: String, _ cellTable: String, id: SQLiteConnection.Value, into document: Int64, runID: SQLiteConnection.Value) throws {
        let exists = try connection.query("""
            SELECT 1 FROM report_versions v, \(table) s WHERE s.id = ? AND v.document_id = ? AND v.sha256 = s.sha256 AND v.replaced_by_sha256 = s.replaced_by_sha256
            """, [id, .integer(document)])
        guard exists.isEmpty else { return }
        try connection.prepare("""
            INSERT INTO report_versions(document_id, source, sha256, agency, agency_key, year, title, published_on, active_format,
                                        requests_format, appeals_format, unsupported_format, first_seen_at, replaced_at,
                                        replaced_by_sha256, reason, run_id)
            SELECT ?, source, sha256, agency, agency_key, year, title, published_on, active_format, requests_format, appeals_format,
                   unsupported_format, first_seen_at, replaced_at, replaced_by_sha256, reason, ? FROM \(table) WHERE id = ?
            """).run([.integer(document), runID, id])
        try connection.prepare("""
            INSERT INTO report_version_cells(version_id, table_code, row_code, col_code, value, state, raw, flags, note)
            SELECT ?, table_code, row_code, col_code, value, state, raw, flags, note FROM \(cellTable) WHERE version_id = ?
            """).run([.integer(connection.lastInsertRowID), id])
    }

    /// Keeps a report that lost to another version (`winner`, in `winnerSchema`) as history, when its figures
    /// differ and the merged document does not hold that version yet.
    func archive(_ report: Int64, in schema: String, document: Int64, winner: Int64?, in winnerSchema: String,
                 runID: SQLiteConnection.Value) throws {
        let existing = try connection.query("SELECT 1 FROM report_versions v, \(schema).reports r WHERE r.id = ? AND v.document_id = ? AND v.sha256 = r.sha256",
                                            [.integer(report), .integer(document)])
        guard existing.isEmpty else { return }
        let cells = { (table: String) in "SELECT table_code, row_code, col_code, value, state, raw FROM \(table) WHERE report_id = ? AND flags <> 'completed'" }
        if let winner {
            let differing = try connection.query("""
                SELECT (SELECT count(*) FROM (\(cells("\(schema).cells")) EXCEPT \(cells("\(winnerSchema).cells"))))
                     + (SELECT count(*) FROM (\(cells("\(winnerSchema).cells")) EXCEPT \(cells("\(schema).cells"))))
                """, [.integer(report), .integer(winner), .integer(winner), .integer(report)]).first?.first?.integer ?? 0
            guard differing > 0 else { return }
        }
        let winnerSHA = try winner.flatMap { try connection.query("SELECT sha256 FROM \(winnerSchema).reports WHERE id = ?", [.integer($0)]).first?.first } ?? .text("")
        let shardColumns = { (name: String) in schema == "shard" ? self.columns.list("reports", [name]) : name }
        try connection.prepare("""
            INSERT INTO report_versions(document_id, source, sha256, agency, agency_key, year, title, published_on, active_format,
                                        requests_format, appeals_format, unsupported_format, first_seen_at, replaced_at,
                                        replaced_by_sha256, reason, run_id)
            SELECT ?, source, sha256, agency, \(shardColumns("agency_key")), year, title, published_on, active_format, requests_format,
                   appeals_format, unsupported_format, \(shardColumns("first_seen_at")), ?, ?, 'merged', ?
            FROM \(schema).reports WHERE id = ?
            """).run([.integer(document), .text(ReportStore.timestamp()), winnerSHA, runID, .integer(report)])
        try connection.prepare("""
            INSERT INTO report_version_cells(version_id, table_code, row_code, col_code, value, state, raw, flags, note)
            SELECT ?, table_code, row_code, col_code, value, state, raw, flags, note FROM \(schema).cells WHERE report_id = ? AND flags <> 'completed'
            """).run([.integer(connection.lastInsertRowID), .integer(report)])
    }

    /// The document's report stays, marked stale, with the failure that made it so (recorded when none is).
    func markStale(_ document: Int64, reason: String) throws {
        let now = ReportStore.timestamp()
        try connection.prepare("UPDATE reports SET stale = 1, stale_since = coalesce(stale_since, ?), stale_reason = ? WHERE document_id = ?")
            .run([.text(now), .text(reason), .integer(document)])
        try connection.prepare("UPDATE documents SET status = 'stale' WHERE id = ?").run([.integer(document)])
        let parts = reason.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let stage = parts.count == 2 && StageName(rawValue: parts[0]) != nil ? parts[0] : "load"
        try connection.prepare("""
            INSERT OR IGNORE INTO failures(document_id, source, sha256, stage, reason, first_failed_at, attempts)
            SELECT id, source, sha256, ?, ?, ?, 1 FROM documents WHERE id = ?
            """).run([.text(stage), .text(parts.count == 2 && stage == parts[0] ? parts[1] : reason), .text(now), .integer(document)])
    }
}
