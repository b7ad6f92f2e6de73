import Foundation

/// The *load* stage's rules for one document: the last good report wins.
///
/// - A first report is inserted; a changed body's report replaces the stored one only when
///   ``ReplacementPolicy`` allows it, and the stored figures go to `report_versions` first when they differ.
/// - A failure never removes a report: the stored one stays, marked stale (`reports.stale`, with when and why),
///   and the failure is recorded in `failures` (with its first time and the number of attempts).
/// - Where the database holds no report but the raw cache kept the last good body, that body's report is stored,
///   marked stale (``LastGoodReport``).
/// - Every decision but `unchanged` is written to `load_events` and returned for the run summary.
///
/// Runs inside the transaction that ``ReportStore/write(_:runID:)`` opens.
struct DocumentWriter {
    let connection: SQLiteConnection
    let policy: ReplacementPolicy
    /// ``ValidateOptions/fingerprint`` of this run, stored with each report.
    let validatedWith: String
    let archive: ReportArchive
    /// The run's agency resolutions: a report is inserted with its agency resolved, so that the identity step after the
    /// documents resolves only what the run did not write (merged reports, a changed registry). A new version of a
    /// stored report takes the resolution its predecessor had until that step decides again (``inheritIdentity``).
    /// Without them, that step resolves every new report.
    let resolutions: AgencyResolutions?

    init(connection: SQLiteConnection, policy: ReplacementPolicy, validatedWith: String, resolutions: AgencyResolutions? = nil) {
        self.connection = connection
        self.policy = policy
        self.validatedWith = validatedWith
        self.resolutions = resolutions
        archive = ReportArchive(connection: connection)
    }

    /// The stored report of a document, with what the replacement rule compares.
    struct StoredReport {
        var id: Int64
        var sha256: String
        var shape: ReplacementPolicy.ReportShape
        var agency: String?
        var year: Int64?
        /// When this body was first stored: a re-read of the same body (`--force`, new settings) keeps it.
        var firstSeenAt: String?

        /// The new body is another report (another year or agency at the same address, as a "latest report"
        /// page serves), not a revision of this one.
        func isAnotherReport(than report: Report) -> Bool {
            year != report.metadata.year.map(Int64.init)
                || agency.map(LabelFolding.fold) != report.metadata.agency.map(LabelFolding.fold)
        }
    }

    func write(_ outcome: DocumentOutcome, runID: Int64) throws -> LoadEvent? {
        let now = ReportStore.timestamp()
        let retried = outcome.info.previous?.isFailing ?? false
        var event: LoadEvent
        switch outcome {
        case .cancelled:
            return nil
        case let .unchanged(info):
            guard info.previous?.isFailing == true else {
                try connection.cached("UPDATE documents SET last_seen_at = ? WHERE source = ?").run([.text(now), .text(info.source)])
                return LoadEvent(kind: .unchanged, source: info.source)
            }
            // The body of the stored report is back: clear the stale mark and the failure.
            let id = try upsertDocument(info, status: .loaded, runID: runID, now: now)
            try connection.cached("UPDATE documents SET status = CASE WHEN (SELECT unsupported_format FROM reports WHERE document_id = ?1) = 1 THEN 'unsupported' ELSE 'loaded' END WHERE id = ?1")
                .run([.integer(id)])
            try clearStale(documentID: id)
            event = LoadEvent(kind: .restored, source: info.source, retried: retried)
        case let .report(info, report):
            event = try store(report, info: info, runID: runID, now: now, retried: retried)
        case let .failed(info, failure, lastGood):
            event = try storeFailure(failure, info: info, lastGood: lastGood, runID: runID, now: now, retried: retried)
        }
        try connection.cached("INSERT INTO load_events(run_id, source, event, detail, at) VALUES (?, ?, ?, ?, ?)")
            .run([.integer(runID), .text(event.source), .text(event.kind.rawValue), .init(event.detail), .text(now)])
        return event
    }

    private func store(_ report: Report, info: DocumentInfo, runID: Int64, now: String, retried: Bool) throws -> LoadEvent {
        let status: StoredDocument.Status = report.unsupportedFormat ? .unsupported : .loaded
        let documentID = try upsertDocument(info, status: status, runID: runID, now: now)
        guard let stored = try storedReport(documentID: documentID) else {
            try insertReport(report, info: info, documentID: documentID, runID: runID, now: now, stale: nil)
            try deleteFailure(documentID: documentID)
            return LoadEvent(kind: .loaded, source: info.source, retried: retried)
        }
        let sameBody = stored.sha256 == info.sha256
        // A new body that no longer names the year or the agency the stored report has (a page's header lost, a
        // converter that dropped the title) is no other report, nor a better reading: taken as another, it stood beside
        // the stored one and both were counted.
        if !sameBody, policy.mode == .notWorse, !stored.shape.unsupported, !report.unsupportedFormat,
           let lost = (stored.year != nil && report.metadata.year == nil) ? "year" : (!(stored.agency ?? "").isEmpty && (report.metadata.agency ?? "").isEmpty ? "agency" : nil) {
            let failure = StageFailure(stage: .load, reason: "not replaced: the new body names no \(lost) where the stored report names one")
            try markStale(documentID: documentID, reason: failure.description, now: now)
            try recordFailure(failure, info: info, documentID: documentID, runID: runID, now: now)
            return LoadEvent(kind: .refused, source: info.source, detail: failure.description, retried: retried)
        }
        if !sameBody, !stored.shape.unsupported, !report.unsupportedFormat, stored.isAnotherReport(than: report) {
            // The address now serves another report: the one it served stays, under a document of its own.
            try keepAsSuperseded(stored, documentID: documentID, by: info, now: now)
            try insertReport(report, info: info, documentID: documentID, runID: runID, now: now, stale: nil)
            try deleteFailure(documentID: documentID)
            return LoadEvent(kind: .loaded, source: info.source,
                             detail: "the address now serves another report; the one it served (\(stored.agency ?? "?") \(stored.year.map(String.init) ?? "?")) is kept", retried: retried)
        }
        if !sameBody, case let .refuse(reason) = policy.decide(stored: stored.shape, new: ReplacementPolicy.ReportShape(report)) {
            let failure = StageFailure(stage: .load, reason: "not replaced: \(reason)")
            try markStale(documentID: documentID, reason: failure.description, now: now)
            try recordFailure(failure, info: info, documentID: documentID, runID: runID, now: now)
            return LoadEvent(kind: .refused, source: info.source, detail: failure.description, retried: retried)
        }
        let archived = try archive.keepIfChanged(stored: stored.id, by: report, sha256: info.sha256,
                                                 reason: sameBody ? .reread : .revised, runID: runID, now: now)
        let identity = try connection.cached("SELECT \(ReportIdentity.placeColumns.joined(separator: ", ")) FROM reports WHERE id = ?")
            .rows([.integer(stored.id)]).first
        try connection.cached("DELETE FROM reports WHERE id = ?").run([.integer(stored.id)])
        let reportID = try insertReport(report, info: info, documentID: documentID, runID: runID, now: now, stale: nil,
                                        firstSeen: sameBody ? stored.firstSeenAt : nil)
        if let identity { try inheritIdentity(identity, by: reportID) }
        try deleteFailure(documentID: documentID)
        let detail = archived.map { "previous figures kept as version \($0)" } ?? "figures unchanged"
        return LoadEvent(kind: sameBody ? .reread : .replaced, source: info.source, detail: detail, retried: retried)
    }

    private func storeFailure(_ failure: StageFailure, info: DocumentInfo, lastGood: LastGoodReport?, runID: Int64, now: String,
                              retried: Bool) throws -> LoadEvent {
        let documentID = try upsertDocument(info, status: .failed, runID: runID, now: now)
        try recordFailure(failure, info: info, documentID: documentID, runID: runID, now: now)
        if try storedReport(documentID: documentID) != nil {
            try markStale(documentID: documentID, reason: failure.description, now: now)
            return LoadEvent(kind: .keptStale, source: info.source, detail: failure.description, retried: retried)
        }
        if let lastGood {
            try insertReport(lastGood.report, info: lastGood.info, documentID: documentID, runID: runID, now: now, stale: failure.description)
            try setStatus(.stale, documentID: documentID)
            return LoadEvent(kind: .recovered, source: info.source,
                             detail: "\(failure.description); loaded the last good body \(lastGood.info.sha256.prefix(12)) from the raw cache",
                             retried: retried)
        }
        return LoadEvent(kind: .failed, source: info.source, detail: failure.description, retried: retried)
    }

    // MARK: Rows

    private func upsertDocument(_ info: DocumentInfo, status: StoredDocument.Status, runID: Int64, now: String) throws -> Int64 {
        let rows = try connection.cached("""
            INSERT INTO documents(source, sha256, size, encoding, kind, status, pipeline_version, run_id, first_seen_at, last_seen_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
            ON CONFLICT(source) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size,
                encoding = coalesce(excluded.encoding, encoding), kind = coalesce(excluded.kind, kind), status = excluded.status,
                pipeline_version = excluded.pipeline_version, run_id = excluded.run_id, last_seen_at = excluded.last_seen_at
            RETURNING id
            """).rows([.text(info.source), .text(info.sha256), .integer(Int64(info.size)), .init(info.encoding),
                       .init(info.kind?.rawValue), .text(status.rawValue), .integer(Int64(PipelineVersion.current)), .integer(runID),
                       .text(now)])
        guard let id = rows.first?.first?.integer else {
            throw NianbaoError.database(path: connection.path, message: "the document row of \(info.source) was not written")
        }
        return id
    }

    private func storedReport(documentID: Int64) throws -> StoredReport? {
        guard let row = try connection.cached("""
            SELECT id, sha256, (active_format IS NOT NULL) + (requests_format IS NOT NULL) + (appeals_format IS NOT NULL),
                   (SELECT count(*) FROM cells WHERE report_id = reports.id AND flags <> 'completed' AND state = 'number'), unsupported_format,
                   agency, year, first_seen_at
            FROM reports WHERE document_id = ?
            """).rows([.integer(documentID)]).first, let id = row[0].integer, let sha = row[1].text else { return nil }
        return StoredReport(id: id, sha256: sha, shape: .init(tables: Int(row[2].integer ?? 0), figures: Int(row[3].integer ?? 0),
                                                              unsupported: row[4].integer == 1),
                            agency: row[5].text, year: row[6].integer, firstSeenAt: row[7].text)
    }

    @discardableResult
    private func insertReport(_ report: Report, info: DocumentInfo, documentID: Int64, runID: Int64, now: String, stale: String?,
                              firstSeen: String? = nil) throws -> Int64 {
        let metadata = report.metadata
        let resolution = resolutions?.columns(agency: metadata.agency) ?? Array(repeating: .null, count: 6)
        try connection.cached("""
            INSERT INTO reports(document_id, agency, year, title, published_on, source, sha256, encoding, active_format,
                                requests_format, appeals_format, unsupported_format, run_id, content_key, validated_with,
                                first_seen_at, stale, stale_since, stale_reason, canonical, attachment, tables_from, read_cells,
                                agency_key, agency_name, division_code, level, parent_code, resolved_with)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run([.integer(documentID), .init(metadata.agency), .init(metadata.year), .init(metadata.title),
                      .init(metadata.publishedOn), .text(info.source), .text(info.sha256), .init(info.encoding),
                      .init(report.formats[.active]?.rawValue), .init(report.formats[.requests]?.rawValue),
                      .init(report.formats[.appeals]?.rawValue), .integer(report.unsupportedFormat ? 1 : 0), .integer(runID),
                      .text(report.contentKey ?? ReportIdentity.contentKey(of: report)), .text(validatedWith), .text(firstSeen ?? now),
                      .integer(stale == nil ? 0 : 1), stale == nil ? .null : .text(now), .init(stale), .init(info.attachment),
                      .text(info.tablesFrom.rawValue), .integer(Int64(report.cells.count))] + resolution)
        let reportID = connection.lastInsertRowID
        let insertCell = try connection.cached("""
            INSERT INTO cells(report_id, table_code, row_code, col_code, value, state, raw, flags, note, source_position)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for cell in report.cells {
            try insertCell.run { row in
                row.bind(reportID)
                row.bind(cell.table.rawValue)
                row.bind(cell.row)
                row.bind(cell.col)
                row.bind(cell.value)
                row.bind(cell.state.rawValue)
                row.bind(cell.raw)
                row.bind(cell.flags)
                row.bind(cell.note)
                row.bind(cell.origin?.description)
            }
        }
        let insertFinding = try connection.cached("""
            INSERT INTO findings(report_id, rule, severity, table_code, row_code, col_code, expected, actual, message)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for finding in report.findings {
            try insertFinding.run([.integer(reportID), .text(finding.rule.rawValue), .text(finding.severity.rawValue),
                                   .init(finding.table?.rawValue), .init(finding.row), .init(finding.col), .init(finding.expected),
                                   .init(finding.actual), .text(finding.message)])
        }
        let insertSection = try connection.cached("INSERT INTO report_sections(report_id, number, text) VALUES (?, ?, ?)")
        for (number, text) in metadata.sections.sorted(by: { $0.key < $1.key }) {
            try insertSection.run([.integer(reportID), .integer(Int64(number)), .text(text)])
        }
        return reportID
    }

    /// The new version of a report (same document, same agency and year) stands where the old one stood until the
    /// identity step after the documents decides again: canonical or not, with its resolved agency. Inserted as not
    /// canonical, a revised or re-read report left the analyst views from its commit to the run's end — for good on
    /// a night cut short (killed, disk full), and for anyone reading the views while the run went on.
    private func inheritIdentity(_ identity: [SQLiteConnection.Value], by reportID: Int64) throws {
        try connection.cached("UPDATE reports SET \(ReportIdentity.placeColumns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?")
            .run(identity + [.integer(reportID)])
    }

    /// The source of a superseded report's document, in SQL: `superseded:<sha>:<address>` from the SHA-256 bound as
    /// `?1` and the original document's `source` (a run and a merge name it alike).
    static let supersededSource = "'superseded:' || ?1 || ':' || source"

    /// Moves a stored report to a document of its own (status `superseded`, source `superseded:<sha>:<address>`):
    /// it is what the address served before another report replaced it there, still a report in its own right.
    /// `prune` leaves such documents alone.
    private func keepAsSuperseded(_ stored: StoredReport, documentID: Int64, by info: DocumentInfo, now: String) throws {
        let rows = try connection.cached("""
            INSERT INTO documents(source, sha256, size, encoding, kind, status, pipeline_version, run_id, first_seen_at, last_seen_at)
            SELECT \(Self.supersededSource), ?1, size, encoding, kind, 'superseded', pipeline_version, run_id, first_seen_at, ?2
            FROM documents WHERE id = ?3
            ON CONFLICT(source) DO UPDATE SET last_seen_at = excluded.last_seen_at
            RETURNING id
            """).rows([.text(stored.sha256), .text(now), .integer(documentID)])
        guard let moved = rows.first?.first?.integer else { return }
        try connection.cached("DELETE FROM reports WHERE document_id = ?").run([.integer(moved)])
        try connection.cached("UPDATE reports SET document_id = ? WHERE id = ?").run([.integer(moved), .integer(stored.id)])
    }

    private func recordFailure(_ failure: StageFailure, info: DocumentInfo, documentID: Int64, runID: Int64, now: String) throws {
        try connection.cached("""
            INSERT INTO failures(document_id, source, sha256, stage, reason, run_id, first_failed_at, attempts)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1)
            ON CONFLICT(document_id) DO UPDATE SET sha256 = excluded.sha256, stage = excluded.stage, reason = excluded.reason,
                run_id = excluded.run_id, attempts = attempts + 1
            """).run([.integer(documentID), .text(info.source), .text(info.sha256), .text(failure.stage.rawValue),
                      .text(failure.reason), .integer(runID), .text(now)])
        if try storedReport(documentID: documentID) != nil { try setStatus(.stale, documentID: documentID) }
    }

    private func markStale(documentID: Int64, reason: String, now: String) throws {
        try connection.cached("UPDATE reports SET stale = 1, stale_since = coalesce(stale_since, ?), stale_reason = ? WHERE document_id = ?")
            .run([.text(now), .text(reason), .integer(documentID)])
        try setStatus(.stale, documentID: documentID)
    }

    private func clearStale(documentID: Int64) throws {
        try connection.cached("UPDATE reports SET stale = 0, stale_since = NULL, stale_reason = NULL WHERE document_id = ?")
            .run([.integer(documentID)])
        try deleteFailure(documentID: documentID)
    }

    private func deleteFailure(documentID: Int64) throws {
        try connection.cached("DELETE FROM failures WHERE document_id = ?").run([.integer(documentID)])
    }

    private func setStatus(_ status: StoredDocument.Status, documentID: Int64) throws {
        try connection.cached("UPDATE documents SET status = ? WHERE id = ?").run([.text(status.rawValue), .integer(documentID)])
    }
}
