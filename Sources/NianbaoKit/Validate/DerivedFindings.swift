/// Findings derived from the whole database (cross-year chains, identity conflicts, unresolved agencies) are
/// recomputed after every run; this makes the stored set equal to the new one while keeping the rows (and their
/// ids) that did not change, so a run that changes nothing leaves the findings table as it was.
///
/// ```swift
/// try DerivedFindings.begin(connection)
/// try connection.execute("INSERT INTO temp.derived_findings(report_id, rule, …) SELECT …")
/// try DerivedFindings.commit(connection, rules: Rule.crossReport, options: configuration.validate)
/// ```
enum DerivedFindings {
    static let columns = "report_id, rule, severity, table_code, row_code, col_code, expected, actual, message"

    /// An empty `temp.derived_findings` to collect the new findings in.
    static func begin(_ connection: SQLiteConnection) throws {
        try connection.execute("""
            CREATE TEMP TABLE IF NOT EXISTS derived_findings (report_id INTEGER, rule TEXT, severity TEXT, table_code TEXT, row_code TEXT,
                                                              col_code TEXT, expected REAL, actual REAL, message TEXT)
            """)
        try connection.execute("DELETE FROM temp.derived_findings")
    }

    /// Replaces the stored findings of `rules` by `findings` (report id, finding), in one transaction.
    static func replace(_ rules: [Rule], with findings: [(Int64, Finding)], options: ValidateOptions, on connection: SQLiteConnection) throws {
        try connection.transaction {
            try begin(connection)
            let insert = try connection.prepare("INSERT INTO temp.derived_findings(\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for (id, finding) in findings {
                try insert.run([.integer(id), .text(finding.rule.rawValue), .text(finding.severity.rawValue), .init(finding.table?.rawValue),
                                .init(finding.row), .init(finding.col), .init(finding.expected), .init(finding.actual),
                                .text(finding.message)])
            }
            try commit(connection, rules: rules, options: options)
        }
    }

    /// Replaces the stored findings of `rules` by those collected, after `validate.disabled_rules` and
    /// `validate.severities` are applied to them.
    static func commit(_ connection: SQLiteConnection, rules: [Rule], options: ValidateOptions) throws {
        for rule in rules where options.disabledRules.contains(rule) {
            try connection.prepare("DELETE FROM temp.derived_findings WHERE rule = ?").run([.text(rule.rawValue)])
        }
        for (rule, severity) in options.severities where rules.contains(rule) {
            try connection.prepare("UPDATE temp.derived_findings SET severity = ? WHERE rule = ? AND severity <> 'info'")
                .run([.text(severity.rawValue), .text(rule.rawValue)])
        }
        let list = rules.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let same = ["report_id", "rule", "severity", "table_code", "row_code", "col_code", "expected", "actual", "message"]
            .map { "d.\($0) IS f.\($0)" }.joined(separator: " AND ")
        try connection.execute("""
            DELETE FROM findings WHERE rule IN (\(list)) AND NOT EXISTS (SELECT 1 FROM temp.derived_findings d, findings f
                                                                         WHERE f.id = findings.id AND \(same))
            """)
        try connection.execute("""
            INSERT INTO findings(\(columns)) SELECT \(columns) FROM temp.derived_findings d
            WHERE d.rule IN (\(list)) AND NOT EXISTS (SELECT 1 FROM findings f WHERE \(same))
            ORDER BY d.rowid
            """)
    }
}
