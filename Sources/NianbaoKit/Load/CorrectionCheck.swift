import Foundation

/// Re-validates the reports an analyst corrected: the per-report rules run again over the cells as corrected
/// (`cells_effective`), so that a correction that mends an identity says so, and one that breaks another is seen.
///
/// The findings are stored in `correction_findings` (and each report checked in `correction_checks`), recomputed
/// after every `nianbao correct`, run and merge — a rerun replaces report rows, a correction outlives them. The view
/// `findings_effective` shows a corrected report's re-validated findings in place of its extracted ones for
/// ``rules``; other findings (how the document was read) stay as they were. Extracted findings are never changed:
/// `findings` keeps what the document itself says.
///
/// ```sql
/// SELECT rule, message FROM findings_effective WHERE report_id = 12 AND revalidated = 1;
/// ```
enum CorrectionCheck {
    /// The rules computed from the figures alone.
    static let rules: [Rule] = [.requestsBalance, .requestsOutcomesSum, .requestsRowSum, .appealsRowSum,
                                .countsNonNegativeInteger, .activeTotalPublicGePublished, .narrativeTableMismatch]

    /// Recomputes the checks of every canonical report with an active correction; returns each checked report's
    /// findings among ``rules``, by report id.
    @discardableResult
    static func run(on connection: SQLiteConnection, options: ValidateOptions = ValidateOptions()) throws -> [Int64: [Finding]] {
        try connection.transaction {
            try connection.execute("DELETE FROM correction_findings")
            try connection.execute("DELETE FROM correction_checks")
            let reports = try connection.query("""
                SELECT DISTINCT r.id, r.active_format, r.requests_format, r.appeals_format FROM reports_canonical r
                JOIN corrections k ON k.agency_key = r.agency_key AND k.year = r.year AND k.withdrawn_at IS NULL AND k.kind = 'correct'
                WHERE r.unsupported_format = 0 ORDER BY r.id
                """)
            let cells = try connection.prepare("""
                SELECT table_code, row_code, col_code, value, state, raw FROM cells_effective WHERE report_id = ?
                """)
            let sections = try connection.prepare("SELECT number, text FROM report_sections WHERE report_id = ?")
            let insert = try connection.prepare("""
                INSERT INTO correction_findings (report_id, rule, severity, table_code, row_code, col_code, expected, actual, message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let checked = try connection.prepare("INSERT INTO correction_checks (report_id, checked_at) VALUES (?, ?)")
            let now = ReportStore.timestamp()
            let kept = Set(rules)
            var result: [Int64: [Finding]] = [:]
            for report in reports {
                guard let id = report[0].integer else { continue }
                var formats: [TableCode: TableFormat] = [:]
                for (table, column) in zip(TableCode.allCases, [report[1], report[2], report[3]]) {
                    formats[table] = column.text.flatMap(TableFormat.init(rawValue:))
                }
                var metadata = ReportMetadata()
                for row in try sections.rows([.integer(id)]) {
                    if let number = row[0].integer, let text = row[1].text { metadata.sections[Int(number)] = text }
                }
                let read = try cells.rows([.integer(id)]).compactMap { row -> Cell? in
                    guard let table = row[0].text.flatMap(TableCode.init(rawValue:)), let rowCode = row[1].text, let column = row[2].text,
                          let state = row[4].text.flatMap(CellState.init(rawValue:)) else { return nil }
                    return Cell(table: table, row: rowCode, col: column, value: row[3].real, state: state, raw: row[5].text ?? "")
                }
                let validated = Validator(options: options).validate(Report(metadata: metadata, formats: formats, cells: read))
                let findings = validated.findings.filter { kept.contains($0.rule) }
                for finding in findings {
                    try insert.run([.integer(id), .text(finding.rule.rawValue), .text(finding.severity.rawValue), .init(finding.table?.rawValue),
                                    .init(finding.row), .init(finding.col), .init(finding.expected), .init(finding.actual), .text(finding.message)])
                }
                try checked.run([.integer(id), .text(now)])
                result[id] = findings
            }
            return result
        }
    }

    static var findingsView: String {
        let list = rules.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return """
            CREATE VIEW findings_effective AS
            SELECT f.id, f.report_id, f.rule, f.severity, f.table_code, f.row_code, f.col_code, f.expected, f.actual, f.message, 0 AS revalidated
            FROM findings f JOIN reports r ON r.id = f.report_id AND r.canonical = 1
            WHERE f.rule NOT IN (\(list)) OR NOT EXISTS (SELECT 1 FROM correction_checks c WHERE c.report_id = f.report_id)
            UNION ALL
            SELECT NULL, report_id, rule, severity, table_code, row_code, col_code, expected, actual, message, 1 FROM correction_findings
            """
    }
}
