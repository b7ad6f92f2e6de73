/// What a merge keeps of the reports it replaces, as a run would: the report an address served before it started
/// serving another (another agency or year) stays as a report of its own, and the new version of the same report
/// stands in the views where the old one stood until the identity step decides again.
extension MergeCopy {
    /// The identity columns of a merged report (canonical, resolved agency), to hand to the version that replaces it.
    func identity(of report: Int64) throws -> [SQLiteConnection.Value]? {
        try connection.query("SELECT \(ReportIdentity.placeColumns.joined(separator: ", ")) FROM main.reports WHERE id = ?",
                             [.integer(report)]).first
    }

    func inherit(_ identity: [SQLiteConnection.Value], by report: Int64) throws {
        try connection.prepare("UPDATE main.reports SET \(ReportIdentity.placeColumns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?")
            .run(identity + [.integer(report)])
    }

    /// Moves the merged document's report to a document of its own (`superseded:<sha>:<address>`, as a run keeps it).
    /// Where that document exists already and holds the same body's report, the report is there and this copy goes;
    /// where it holds none, the report moves to it.
    func keepAsSuperseded(_ report: Version.StoredReport, of document: Int64) throws {
        let moved = try connection.query("""
            INSERT INTO main.documents(source, sha256, size, encoding, kind, status, pipeline_version, run_id, first_seen_at, last_seen_at)
            SELECT \(DocumentWriter.supersededSource), ?1, size, encoding, kind, 'superseded', pipeline_version, run_id, first_seen_at,
                   last_seen_at
            FROM main.documents WHERE id = ?2
            ON CONFLICT(source) DO UPDATE SET last_seen_at = excluded.last_seen_at
            RETURNING id
            """, [.text(report.sha256), .integer(document)]).first?.first?.integer
        guard let moved else { return }
        let kept = try connection.query("SELECT 1 FROM main.reports WHERE document_id = ?", [.integer(moved)]).isEmpty == false
        if kept {
            try connection.prepare("DELETE FROM main.reports WHERE id = ?").run([.integer(report.id)])
        } else {
            try connection.prepare("UPDATE main.reports SET document_id = ? WHERE id = ?").run([.integer(moved), .integer(report.id)])
        }
    }

    /// Copies an older shard version's report, another report than the merged document's, as a superseded document.
    func copyAsSuperseded(_ shard: Version) throws {
        guard let report = shard.report else { return }
        let document = try connection.query("""
            INSERT INTO main.documents(source, sha256, size, encoding, kind, status, pipeline_version, run_id, first_seen_at, last_seen_at)
            SELECT \(DocumentWriter.supersededSource), ?1, size, encoding, kind, 'superseded', pipeline_version, NULL,
                   coalesce(first_seen_at, last_seen_at, ?3), coalesce(last_seen_at, first_seen_at, ?3)
            FROM (SELECT \(columns.list("documents", ["source", "size", "encoding", "kind", "pipeline_version", "first_seen_at", "last_seen_at"]))
                  FROM shard.documents WHERE id = ?2) WHERE true
            ON CONFLICT(source) DO NOTHING
            RETURNING id
            """, [.text(report.sha256), .integer(shard.id), .text(ReportStore.timestamp())]).first?.first?.integer
        if let document { try copyReport(of: shard.id, into: document, runID: .null) }
    }
}
