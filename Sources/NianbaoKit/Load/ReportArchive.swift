/// Report history: before a stored report is replaced, its figures go to `report_versions` and
/// `report_version_cells` when they differ from the new report's, with when the version was first and last
/// current. Nothing published is overwritten without a trace.
///
/// ```sql
/// -- every version of one source, oldest first
/// SELECT * FROM report_history WHERE source = 'https://…/t20250310_97791.htm' ORDER BY seen_from;
/// ```
struct ReportArchive {
    enum Reason: String {
        /// The body changed: the agency revised or re-published its report.
        case revised
        /// The same body read again by a newer pipeline or other validation settings.
        case reread
    }

    let connection: SQLiteConnection

    /// Archives the stored report when its cells or its agency/year differ from `new`; returns the version id,
    /// or nil when the figures are the same (nothing to keep).
    func keepIfChanged(stored reportID: Int64, by new: Report, sha256: String, reason: Reason, runID: Int64, now: String) throws -> Int64? {
        guard try differs(reportID, from: new) else { return nil }
        try connection.cached("""
            INSERT INTO report_versions(document_id, source, sha256, agency, agency_key, year, title, published_on, active_format,
                                        requests_format, appeals_format, unsupported_format, first_seen_at, replaced_at,
                                        replaced_by_sha256, reason, run_id)
            SELECT document_id, source, sha256, agency, agency_key, year, title, published_on, active_format, requests_format,
                   appeals_format, unsupported_format, first_seen_at, ?, ?, ?, ? FROM reports WHERE id = ?
            """).run([.text(now), .text(sha256), .text(reason.rawValue), .integer(runID), .integer(reportID)])
        let versionID = connection.lastInsertRowID
        try connection.cached("""
            INSERT INTO report_version_cells(version_id, table_code, row_code, col_code, value, state, raw, flags, note)
            SELECT ?, table_code, row_code, col_code, value, state, raw, flags, note FROM cells WHERE report_id = ? AND flags <> 'completed'
            """).run([.integer(versionID), .integer(reportID)])
        return versionID
    }

    /// True when the stored report's agency, year or any cell (value, state, raw text) differs from `new`.
    private func differs(_ reportID: Int64, from new: Report) throws -> Bool {
        let header = try connection.cached("SELECT agency, year FROM reports WHERE id = ?").rows([.integer(reportID)]).first
        if header?[0].text != new.metadata.agency || header?[1].integer != new.metadata.year.map(Int64.init) { return true }
        var stored: [String: (Double?, String, String)] = [:]
        try connection.cached("SELECT table_code, row_code, col_code, value, state, raw FROM cells WHERE report_id = ? AND flags <> 'completed'")
            .forEachRow([.integer(reportID)]) { row in
                stored["\(row[0].text ?? "")|\(row[1].text ?? "")|\(row[2].text ?? "")"] = (row[3].real, row[4].text ?? "", row[5].text ?? "")
            }
        guard stored.count == new.cells.count else { return true }
        for cell in new.cells {
            guard let old = stored["\(cell.table.rawValue)|\(cell.row)|\(cell.col)"], old.0 == cell.value, old.1 == cell.state.rawValue,
                  old.2 == cell.raw else { return true }
        }
        return false
    }
}
