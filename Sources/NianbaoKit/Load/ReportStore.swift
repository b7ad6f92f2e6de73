import Foundation

/// The database of a run: opened and migrated here, runs recorded here, outcomes written by ``DocumentWriter``.
///
/// One ReportStore is used by one thread (the pipeline's writer).
///
/// ```swift
/// let store = try ReportStore(path: "out/nianbao.sqlite")
/// let run = try store.beginRun(config: "…")
/// let events = try store.write(outcomes, runID: run)
/// ```
public final class ReportStore {
    public let connection: SQLiteConnection
    let writer: DocumentWriter
    /// Device and inode of the database file when it was opened.
    let fileIdentity: SourceLister.FileIdentity?
    /// This connection's `-wal` and `-shm` files, known by device and inode (``DatabaseFileGuard``).
    var journalIdentities: [String: SourceLister.FileIdentity] = [:]
    /// Set once the connection has let go of the path after the file there stopped being its database.
    var detachedFromPath = false

    public init(path: String, policy: ReplacementPolicy = ReplacementPolicy(), validatedWith: String = ValidateOptions().fingerprint,
                resolutions: AgencyResolutions? = nil) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw NianbaoError.database(path: path, message: "cannot create its folder: \(error.localizedDescription)")
            }
        }
        try Self.setAsideOrphanedWAL(path)
        connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA journal_mode=WAL")
        try connection.execute("PRAGMA synchronous=NORMAL")
        try connection.execute("PRAGMA foreign_keys=ON")
        try DatabaseSchema.migrate(connection)
        try AnalystViews.create(connection)
        writer = DocumentWriter(connection: connection, policy: policy, validatedWith: validatedWith, resolutions: resolutions)
        fileIdentity = SourceLister.identity(path)
        rememberJournal()
    }

    deinit { letGoIfReplaced() }

    /// Throws when the file at the database's path is no longer the one this run opened (moved, deleted or
    /// replaced mid-run): what the run writes would be lost with the old file, so it stops loudly instead.
    public func verifyFile() throws {
        guard let fileIdentity else { return }
        guard let now = SourceLister.identity(connection.path), now == fileIdentity else {
            let setAside = letGoOfPath()
            let journal = setAside.isEmpty ? "" : "; this run's journal left at the path: moved aside to \(setAside.joined(separator: ", "))"
            throw NianbaoError.database(path: connection.path, message: "the database file was moved, deleted or replaced during the run; stopping so that nothing is written where no one will find it (what this run committed is in the file it opened, wherever it now is\(journal))")
        }
        rememberJournal()
    }

    /// A `-wal` (and `-shm`) left beside a database that no longer exists belongs to the file that was removed;
    /// SQLite would apply it to a new database at the same path and damage it. It is moved aside, not deleted.
    static func setAsideOrphanedWAL(_ path: String) throws {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: path), manager.fileExists(atPath: path + "-wal") else { return }
        let stamp = Int(Date().timeIntervalSince1970)
        for suffix in ["-wal", "-shm"] where manager.fileExists(atPath: path + suffix) {
            do {
                try manager.moveItem(atPath: path + suffix, toPath: "\(path)\(suffix).orphaned-\(stamp)")
            } catch {
                throw NianbaoError.database(path: path, message: "a \(suffix) file without its database is in the way and cannot be moved aside: \(error.localizedDescription)")
            }
        }
    }

    /// Source → what is stored for it, to skip unchanged documents and retry failed ones.
    public func knownDocuments() throws -> [String: StoredDocument] {
        var known: [String: StoredDocument] = [:]
        try connection.prepare("""
            SELECT d.source, d.sha256, d.status, r.sha256, r.validated_with
            FROM documents d LEFT JOIN reports r ON r.document_id = d.id
            """).forEachRow { row in
            guard let source = row[0].text, let sha = row[1].text, let status = row[2].text.flatMap(StoredDocument.Status.init) else { return }
            known[source] = StoredDocument(sha256: sha, status: status, reportSHA256: row[3].text, validatedWith: row[4].text)
        }
        return known
    }

    /// Runs left marked `running` by a process that was killed become `interrupted`.
    public func markAbandonedRuns() throws {
        try connection.cached("UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running'")
            .run([.text(Self.timestamp())])
    }

    public func beginRun(config: String, uuid: String = UUID().uuidString.lowercased()) throws -> Int64 {
        try connection.cached("INSERT INTO runs(started_at, status, config, uuid) VALUES (?, 'running', ?, ?)")
            .run([.text(Self.timestamp()), .text(config), .text(uuid)])
        return connection.lastInsertRowID
    }

    public func finishRun(_ id: Int64, status: String, summary: RunSummary, exitCode: Int32? = nil, summaryJSON: String? = nil) throws {
        try connection.cached("""
            UPDATE runs SET finished_at = ?, status = ?, documents = ?, loaded = ?, unchanged = ?, failed = ?, exit_code = ?, summary = ?
            WHERE id = ?
            """).run([.text(Self.timestamp()), .text(status), .integer(Int64(summary.documents)), .integer(Int64(summary.loaded)),
                      .integer(Int64(summary.count(.unchanged))), .integer(Int64(summary.failed)), .init(exitCode.map(Int.init)),
                      .init(summaryJSON), .integer(id)])
    }

    /// Records how a finished run's command exited, and its summary JSON (after the run released the lock).
    ///
    /// The run is named by its id and its UUID: a database put back at the path during the run (a backup restored)
    /// has its own run with that id, which is not this one.
    public static func recordExit(database: String, runID: Int64, runUUID: String, exitCode: Int32, summary: String) throws {
        // Never created here: after a run that found its database moved away, the file at the path is gone and its
        // `-wal` file holds the moved database's last commits.
        let connection = try SQLiteConnection(path: database, create: false)
        try connection.prepare("UPDATE runs SET exit_code = ?, summary = ? WHERE id = ? AND uuid = ?")
            .run([.integer(Int64(exitCode)), .text(summary), .integer(runID), .text(runUUID)])
    }

    /// Index pages that failed in an earlier run and were read now: their failure rows are obsolete (an index
    /// page is not a document and has no report to keep).
    public func forgetFailedPages(_ pages: [String]) throws {
        guard !pages.isEmpty else { return }
        try connection.transaction {
            let delete = try connection.cached("DELETE FROM documents WHERE source = ? AND status = 'failed'")
            for page in pages { try delete.run([.text(page)]) }
        }
    }

    /// Writes a batch of outcomes in one transaction; returns what was done with each (cancelled ones are skipped).
    ///
    /// Foreign keys are not checked while the batch is written: each row the writer inserts belongs to the document
    /// or report it has just written, and each report it deletes takes its children along by the schema's triggers
    /// (which fire whatever the setting). Checked, every cell of every report looked its report up again: 2 % of a
    /// run. They are on again for everything else the connection does, or the write throws.
    @discardableResult
    public func write(_ outcomes: [DocumentOutcome], runID: Int64) throws -> [LoadEvent] {
        try connection.execute("PRAGMA foreign_keys=OFF")
        let events: [LoadEvent]
        do {
            events = try connection.transaction { try outcomes.compactMap { try writer.write($0, runID: runID) } }
        } catch {
            try? connection.execute("PRAGMA foreign_keys=ON")
            throw error
        }
        try connection.execute("PRAGMA foreign_keys=ON")
        // (The pragma does nothing inside a transaction: one left open would leave the checks off without a word.)
        guard try connection.query("PRAGMA foreign_keys").first?.first?.integer == 1 else {
            throw NianbaoError.database(path: connection.path, message: "foreign-key checks could not be turned on again after a batch")
        }
        return events
    }

    /// ISO 8601 with milliseconds, UTC (`2026-11-30T16:49:23.123Z`): two versions seen within one second are
    /// still told apart (merge).
    ///
    /// Written out by hand: the writer stamps every document, and `ISO8601DateFormatter` (ICU underneath) cost
    /// about 0.6 M instructions a call — a tenth of the writer thread's work per document. The text is the
    /// formatter's with `.withInternetDateTime` and `.withFractionalSeconds` (milliseconds rounded half up),
    /// which a test checks.
    static func timestamp(_ date: Date = Date()) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down))
        var (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        if fraction < 0 { (seconds, fraction) = (seconds - 1, fraction + 1000) }   // before 1970: floor, not toward zero
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var text: [UInt8] = []
        text.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var value = value
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                value %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4); text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2); text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2); text.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2); text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2); text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2); text.append(UInt8(ascii: "."))
        digits(Int(fraction), 3); text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }
}
