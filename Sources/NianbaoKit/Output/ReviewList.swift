/// What needs a human, most urgent first (`nianbao review`): corrections whose source has changed since they
/// were made, conflicting copies of one report, errors the published tables carry (a corrected report's as
/// re-validated with its corrections, ``CorrectionCheck``), then cells left empty because they could not be read
/// with certainty.
///
/// ```swift
/// for item in try ReviewList(database: "out/nianbao.sqlite").items(limit: 50) { print(item.line) }
/// ```
public struct ReviewList {
    public struct Item: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case staleCorrection = "stale correction"
            /// A correction whose report is gone or is now filed under another agency key (a registry change).
            case orphanedCorrection = "orphaned correction"
            case conflict
            case error
            case abstained
        }
        public let kind: Kind
        public let agency: String
        public let year: Int?
        public let place: String
        public let detail: String

        public var line: String { "\(kind.rawValue)\t\(agency)\t\(year.map(String.init) ?? "")\t\(place)\t\(detail)" }
    }

    /// Findings that leave cells empty: a figure was there but not read with certainty.
    static let abstentionRules: [Rule] = [.extractAmbiguousSplit, .structureColumnCount, .structureUnlabelledValues, .ocrUnproven,
                                          .extractUnknownUnit, .ocrImageUnread]

    let connection: SQLiteConnection

    public init(database: String) throws {
        connection = try AnalystViews.open(database)
    }

    public func items(limit: Int = 200) throws -> [Item] {
        var items: [Item] = []
        for row in try connection.query("""
            SELECT r.agency, r.year, e.table_code || '.' || e.row_code || '.' || e.col_code, e.value, k.extracted_value, k.kind
            FROM cells_effective e JOIN reports_canonical r ON r.id = e.report_id JOIN corrections k ON k.id = e.correction_id
            WHERE e.correction_stale = 1 ORDER BY r.agency, r.year
            """) {
            let before = row[4].real.map(format) ?? "none"
            items.append(Item(kind: .staleCorrection, agency: row[0].text ?? "", year: row[1].integer.map(Int.init), place: row[2].text ?? "",
                              detail: "\(row[5].text ?? "") \(row[3].real.map(format) ?? "") made when extraction gave \(before); the source has changed since"))
        }
        for row in try connection.query("""
            SELECT k.agency_key, k.year, k.table_code || '.' || k.row_code || '.' || k.col_code, k.kind, k.value FROM corrections k
            WHERE k.withdrawn_at IS NULL AND NOT EXISTS (SELECT 1 FROM reports_canonical r WHERE r.agency_key = k.agency_key AND r.year = k.year)
            ORDER BY k.agency_key, k.year
            """) {
            items.append(Item(kind: .orphanedCorrection, agency: row[0].text ?? "", year: row[1].integer.map(Int.init), place: row[2].text ?? "",
                              detail: "\(row[3].text ?? "") \(row[4].real.map(format) ?? "") applies to no stored report: the report is gone or its agency now has another key; record it again"))
        }
        let findings = { (rules: String, severity: String?) -> [[SQLiteConnection.Value]] in
            try connection.query("""
                SELECT r.agency, r.year, coalesce(f.table_code || coalesce('.' || f.row_code, '') || coalesce('.' || f.col_code, ''), ''),
                       CASE WHEN f.revalidated = 1 THEN 'with its corrections: ' ELSE '' END || f.message,
                       f.report_id, f.table_code, f.row_code, f.col_code,
                       CASE f.table_code WHEN 'active' THEN r.active_format WHEN 'requests' THEN r.requests_format ELSE r.appeals_format END
                FROM findings_effective f JOIN reports_canonical r ON r.id = f.report_id
                WHERE f.rule IN (\(rules))\(severity.map { " AND f.severity = '\($0)'" } ?? "") ORDER BY r.agency, r.year, f.revalidated, f.id
                """)
        }
        // Cells an analyst has set: an abstention whose cells are all corrected needs no one any more.
        var corrected = Set<String>()
        for row in try connection.query("SELECT report_id, table_code, row_code, col_code FROM cells_effective WHERE corrected = 1") {
            corrected.insert(row.map { $0.integer.map(String.init) ?? $0.text ?? "" }.joined(separator: "|"))
        }
        func settled(_ row: [SQLiteConnection.Value]) -> Bool {
            guard let report = row[4].integer, let table = row[5].text.flatMap(TableCode.init(rawValue:)), let rowCode = row[6].text else { return false }
            let columns = row[7].text.map { [$0] }
                ?? row[8].text.flatMap(TableFormat.init(rawValue:)).flatMap { TemplateSchema.table(table, $0).row(rowCode)?.columns.map(\.code) } ?? []
            return !columns.isEmpty && columns.allSatisfy { corrected.contains("\(report)|\(table.rawValue)|\(rowCode)|\($0)") }
        }
        let quoted = { (rules: [Rule]) in rules.map { "'\($0.rawValue)'" }.joined(separator: ", ") }
        for (kind, rows) in [(Item.Kind.conflict, try findings(quoted([.identityConflict]), nil)),
                             (.error, try findings(quoted(Rule.allCases.filter { $0 != .identityConflict }), "error")),
                             (.abstained, try findings(quoted(Self.abstentionRules), nil))] {
            for row in rows where kind != .abstained || !settled(row) {
                items.append(Item(kind: kind, agency: row[0].text ?? "", year: row[1].integer.map(Int.init), place: row[2].text ?? "",
                                  detail: row[3].text ?? ""))
            }
        }
        return Array(items.prefix(max(0, limit)))
    }
}
