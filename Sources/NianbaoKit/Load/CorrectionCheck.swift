import Foundation

/// Re-validates the reports an analyst corrected: the per-report rules run again over the cells as corrected
/// (`cells_effective`), so that a correction that mends an identity says so, and one that breaks another is seen.
///
/// The findings are stored in `correction_findings` (and each report checked in `correction_checks`), recomputed
/// after every `nianbao correct`, run and merge — a rerun replaces report rows, a correction outlives them. The view
/// `findings_effective` shows a corrected report's re-validated findings in place of its extracted ones for
/// ``rules``; other findings (how the document was read) stay as they were. Findings of those rules that the
/// validator did not make — a published error found while splitting figures printed run together, whose cells stay
/// empty — are kept: re-validating the cells cannot see them. Extracted findings are never changed: `findings`
/// keeps what the document itself says.
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
            let extractedCells = try connection.prepare("""
                SELECT table_code, row_code, col_code, value, state, raw FROM canonical_cells WHERE report_id = ?
                """)
            let stored = try connection.prepare("""
                SELECT rule, severity, table_code, row_code, col_code, expected, actual, message FROM findings WHERE report_id = ?
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
                func read(_ statement: SQLiteStatement) throws -> [Cell] {
                    try statement.rows([.integer(id)]).compactMap { row -> Cell? in
                        guard let table = row[0].text.flatMap(TableCode.init(rawValue:)), let rowCode = row[1].text, let column = row[2].text,
                              let state = row[4].text.flatMap(CellState.init(rawValue:)) else { return nil }
                        return Cell(table: table, row: rowCode, col: column, value: row[3].real, state: state, raw: row[5].text ?? "")
                    }
                }
                func validate(_ cells: [Cell]) -> [Finding] {
                    Validator(options: options).validate(Report(metadata: metadata, formats: formats, cells: cells)).findings
                        .filter { kept.contains($0.rule) }
                }
                // What the validator made of the extracted cells; the stored findings of these rules beyond it came
                // from reading the document and stay.
                var fromValidator: [String: Int] = [:]
                for finding in validate(try read(extractedCells)) { fromValidator[Self.key(finding), default: 0] += 1 }
                var findings: [Finding] = []
                for row in try stored.rows([.integer(id)]) {
                    guard let rule = row[0].text.flatMap(Rule.init(rawValue:)), kept.contains(rule),
                          let severity = row[1].text.flatMap(Severity.init(rawValue:)) else { continue }
                    let finding = Finding(rule: rule, severity: severity, table: row[2].text.flatMap(TableCode.init(rawValue:)), row: row[3].text,
                                          col: row[4].text, expected: row[5].real, actual: row[6].real, message: row[7].text ?? "")
                    if let count = fromValidator[Self.key(finding)], count > 0 { fromValidator[Self.key(finding)] = count - 1 } else { findings.append(finding) }
                }
                findings += validate(try read(cells))
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

    private static func key(_ finding: Finding) -> String {
        [finding.rule.rawValue, finding.table?.rawValue ?? "", finding.row ?? "", finding.col ?? "", finding.message].joined(separator: "|")
    }

    /// After a correction: the corrected reports re-validated, and the roll-up findings (which read corrected
    /// figures) made again — with the `validate` settings the last run recorded (``StoredSettings``).
    @discardableResult
    static func refresh(on connection: SQLiteConnection) throws -> [Int64: [Finding]] {
        let options = try StoredSettings.validateOptions(connection) ?? ValidateOptions()
        try DerivedFindings.replace([.rollupMismatch], options: options, on: connection) { try RollupCheck.run(on: connection, into: $0) }
        return try run(on: connection, options: options)
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
