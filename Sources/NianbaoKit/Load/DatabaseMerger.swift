import Foundation

/// Merges the databases of sharded runs into one (`nianbao merge --into OUT SHARD...`).
///
/// Documents are keyed by their source, and the same rules hold as in a run ("last good report wins"), so the
/// result does not depend on the order the shards are given in:
/// - of two versions of a document, the newer one (seen later: `documents.last_seen_at`, or its run's start for
///   older databases; ties broken by the bodies' hashes) is the document's state;
/// - its report is the newer version's, unless the newer version failed or reads worse than the older one
///   (``ReplacementPolicy``): then the older report stays, marked stale, as a run would have kept it;
/// - a report that loses with other figures than the winner's is kept in `report_versions` (once).
/// Merging the same shards again changes nothing. Runs, failures, versions are carried over (a merged run
/// remembers its origin), the identity and cross-report passes run over the result, and the target is written
/// under its run lock, so a merge never races a run or another merge.
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
        /// Newer versions whose report was not taken (failed, or read worse): the older report stays, stale.
        public var keptStale = 0
        public var crossReportFindings = 0
        /// Analysts' corrections taken from the shards.
        public var correctionsAdded = 0
        /// What was replaced, for the operator.
        public var replacements: [String] = []
        /// Addresses whose report was another report than the newer version's: kept as a report of its own.
        public var keptSuperseded: [String] = []
        /// Documents whose newer version was not taken, with why (their older report stays, stale).
        public var keptStaleSources: [String] = []
        /// Shards that could not be merged, with why; the others are merged.
        public var failedShards: [FailedShard] = []

        public struct FailedShard: Sendable, Equatable {
            public var shard: String
            public var reason: String
        }
    }

    public var validation: ValidateOptions
    public var waitForLock = false
    /// The registry that resolves the merged reports' agencies (the shipped one unless a file is given).
    public var registry = AgencyRegistry.shipped
    public var policy = ReplacementPolicy()

    public init(validation: ValidateOptions = ValidateOptions()) { self.validation = validation }

    public func merge(into path: String, shards: [String]) throws -> Summary {
        let lock = try RunLock(database: path, wait: waitForLock)
        defer { withExtendedLifetime(lock) {} }
        let store = try ReportStore(path: path)
        let connection = store.connection
        var summary = Summary()
        let target = RunLock.lockPath(for: path)
        for shard in shards {
            // A shard that cannot be read or merged is said and left out (its transaction rolled back); the others are
            // merged, and the identity and cross-report steps run over what was merged.
            do {
                try merge(shard, target: target, connection: connection, into: &summary)
            } catch let error as NianbaoError {
                if case .locked = error { throw error }
                summary.failedShards.append(.init(shard: shard, reason: "\(error)"))
            } catch {
                summary.failedShards.append(.init(shard: shard, reason: "\(error)"))
            }
        }
        try DatabaseSchema.migrate(connection)   // fills content keys of merged reports from old shards
        // The shards' `validate` settings where they recorded them: a merge checks as their runs did.
        let options = try StoredSettings.validateOptions(connection) ?? validation
        try ReportIdentity(registry: registry, options: options).run(on: connection)
        summary.crossReportFindings = try CrossReportValidator(options: options).run(on: connection)
        return summary
    }

    private func merge(_ shard: String, target: String, connection: SQLiteConnection, into summary: inout Summary) throws {
        guard FileManager.default.fileExists(atPath: shard) else {
            throw NianbaoError.database(path: shard, message: "no such shard database")
        }
        guard RunLock.lockPath(for: shard) != target else {
            throw NianbaoError.database(path: shard, message: "a database cannot be merged into itself")
        }
        do {
            try connection.prepare("ATTACH DATABASE ? AS shard").run([.text(shard)])
        } catch {
            throw NianbaoError.database(path: shard, message: "cannot be opened as a shard database")
        }
        defer { try? connection.execute("DETACH DATABASE shard") }
        let version: Int64
        let columns: MergeCopy.ShardColumns
        do {
            version = try connection.query("PRAGMA shard.user_version").first?.first?.integer ?? 0
            columns = try MergeCopy.ShardColumns(connection)
        } catch {
            throw NianbaoError.database(path: shard, message: "not a readable nianbao database (\(error))")
        }
        guard version >= 1, version <= Int64(DatabaseSchema.migrations.count) else {
            throw NianbaoError.database(path: shard, message: "not a nianbao database (schema version \(version))")
        }
        let copy = MergeCopy(connection: connection, columns: columns)
        // Counted only when the shard's transaction commits.
        var merged = summary
        try connection.transaction { try mergeAttached(copy, into: &merged) }
        summary = merged
        // The shards' run settings (the first shard's where they differ), for the views and re-validation.
        if columns.has("settings") { try connection.execute("INSERT OR IGNORE INTO main.settings (key, value) SELECT key, value FROM shard.settings") }
        summary.shards += 1
    }

    private func mergeAttached(_ copy: MergeCopy, into summary: inout Summary) throws {
        let runMap = try copy.runs(into: &summary)
        for shard in try copy.versions(in: "shard") {
            let runID: SQLiteConnection.Value = shard.runID.flatMap { runMap[$0] }.map { .integer($0) } ?? .null
            guard let merged = try copy.version(of: shard.source) else {
                let document = try copy.insertDocument(from: shard.id, runID: runID)
                try copy.copyReport(of: shard.id, into: document, runID: runID)
                try copy.copyFailure(of: shard.id, into: document, runID: runID)
                try copy.copyVersions(of: shard.id, into: document, runID: runID)
                summary.documentsAdded += 1
                continue
            }
            if merged.sameState(as: shard) {
                summary.documentsUnchanged += 1
                continue
            }
            let shardNewer = shard.order > merged.order
            let (newer, older) = shardNewer ? (shard, merged) : (merged, shard)
            // The report that stays: the newer version's, unless it has none or reads worse than the older one.
            var keepOlder: String?
            if older.report != nil {
                if newer.report == nil {
                    keepOlder = newer.failure ?? "the newer version failed"
                } else if let new = newer.report, let old = older.report, new.sha256 != old.sha256,
                          case let .refuse(reason) = policy.decide(stored: old.shape, new: new.shape) {
                    keepOlder = "load: not replaced: \(reason)"
                }
            }
            let winner = keepOlder == nil ? newer : older
            if shardNewer {
                try copy.updateDocument(merged.id, from: shard.id, runID: runID)
                try copy.replaceFailure(of: merged.id, with: shard.id, runID: runID)
            }
            if winner.isShard {
                // The shard's report becomes the document's. The merged one is history when it lost to a newer
                // version (not when it is a newer version that failed or read worse: a run would not have kept it);
                // another report (the address now serves another agency's or year's) stays a report of its own.
                var identity: [SQLiteConnection.Value]?
                if let mergedReport = merged.report, let shardReport = shard.report, shardReport.isAnotherReport(than: mergedReport) {
                    try copy.keepAsSuperseded(mergedReport, of: merged.id)
                    summary.keptSuperseded.append(shard.source)
                } else {
                    if let mergedReport = merged.report {
                        identity = try copy.identity(of: mergedReport.id)
                        if keepOlder == nil {
                            try copy.archive(mergedReport.id, in: "main", document: merged.id, winner: shard.report?.id, in: "shard", runID: runID)
                        }
                    }
                    try copy.deleteReport(of: merged.id)
                }
                let copied = try copy.copyReport(of: shard.id, into: merged.id, runID: runID)
                if let identity, let copied { try copy.inherit(identity, by: copied) }
                summary.documentsReplaced += 1
                summary.replacements.append(shard.source)
            } else if shardNewer {
                summary.keptStale += 1
                summary.keptStaleSources.append("\(shard.source): \(keepOlder ?? "")")
            } else {
                // An older shard version the merged one supersedes: its figures are history — or, another report than
                // the merged one, a report of its own, as the run that saw the address change would have kept it.
                if let shardReport = shard.report, let mergedReport = merged.report, shardReport.isAnotherReport(than: mergedReport) {
                    try copy.copyAsSuperseded(shard)
                    summary.keptSuperseded.append(shard.source)
                } else if let shardReport = shard.report, keepOlder == nil {
                    try copy.archive(shardReport.id, in: "shard", document: merged.id, winner: merged.report?.id, in: "main", runID: runID)
                }
                summary.olderSkipped += 1
            }
            try copy.copyVersions(of: shard.id, into: merged.id, runID: runID)
            if let reason = keepOlder { try copy.markStale(merged.id, reason: reason) }
        }
        summary.correctionsAdded += try copyCorrections(copy.connection)
    }

    /// Analysts' corrections made in a shard come along, each once however often the shard is merged (the same
    /// cell, kind, figure, author and time), with their withdrawals; of the corrections active for one cell the
    /// latest stays active.
    private func copyCorrections(_ connection: SQLiteConnection) throws -> Int {
        guard try !connection.query("SELECT 1 FROM shard.sqlite_master WHERE type = 'table' AND name = 'corrections'").isEmpty else { return 0 }
        let columns = "agency_key, year, table_code, row_code, col_code, kind, value, reason, author, created_at, source_sha256, extracted_value, extracted_state, withdrawn_at"
        let same = """
            m.agency_key = s.agency_key AND m.year = s.year AND m.table_code = s.table_code AND m.row_code = s.row_code
            AND m.col_code = s.col_code AND m.created_at = s.created_at AND m.kind = s.kind AND m.value IS s.value AND m.author = s.author
            """
        let before = try connection.query("SELECT count(*) FROM main.corrections").first?.first?.integer ?? 0
        try connection.execute("""
            INSERT INTO main.corrections (\(columns))
            SELECT \(columns) FROM shard.corrections s WHERE NOT EXISTS (SELECT 1 FROM main.corrections m WHERE \(same))
            ORDER BY s.created_at, s.id
            """)
        // A withdrawal made in the shard after an earlier merge.
        try connection.execute("""
            UPDATE main.corrections AS m SET withdrawn_at = s.withdrawn_at
            FROM shard.corrections AS s WHERE m.withdrawn_at IS NULL AND s.withdrawn_at IS NOT NULL AND \(same)
            """)
        // One active correction per cell: the latest (by time, then by order of arrival).
        try connection.execute("""
            UPDATE main.corrections SET withdrawn_at = (SELECT max(n.created_at) FROM main.corrections n
                WHERE n.agency_key = corrections.agency_key AND n.year = corrections.year AND n.table_code = corrections.table_code
                AND n.row_code = corrections.row_code AND n.col_code = corrections.col_code AND n.withdrawn_at IS NULL)
            WHERE withdrawn_at IS NULL AND EXISTS (SELECT 1 FROM main.corrections n
                WHERE n.agency_key = corrections.agency_key AND n.year = corrections.year AND n.table_code = corrections.table_code
                AND n.row_code = corrections.row_code AND n.col_code = corrections.col_code AND n.withdrawn_at IS NULL
                AND (n.created_at > corrections.created_at OR n.created_at = corrections.created_at AND n.id > corrections.id))
            """)
        return Int((try connection.query("SELECT count(*) FROM main.corrections").first?.first?.integer ?? 0) - before)
    }
}
