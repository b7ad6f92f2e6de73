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

    /// Replaces the stored findings of `rules` by those `produce` hands to its sink, in one transaction.
    ///
    /// The findings go into `temp.derived_findings` as they are found, not into a list: a rule over the whole
    /// database finds more the larger it is (at 20,000 reports, 37,000 cross-report findings held in memory, and a
    /// copy of them, were 15 MB of the run's peak), and the temporary table spills to disk past SQLite's cache.
    /// Returns how many findings were stored.
    @discardableResult
    static func replace(_ rules: [Rule], options: ValidateOptions, on connection: SQLiteConnection,
                        adjust: @escaping (Finding) -> Finding? = { $0 }, produce: (Sink) throws -> Void) throws -> Int {
        try connection.transaction {
            try begin(connection)
            let sink = Sink(insert: try connection.prepare("INSERT INTO temp.derived_findings(\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                            adjust: adjust)
            try produce(sink)
            try commit(connection, rules: rules, options: options)
            return sink.count
        }
    }

    /// Where a rule puts each finding it makes: a row of `temp.derived_findings`, in the order found (the stored
    /// findings are inserted in that order, so their ids do not depend on how they were collected).
    final class Sink {
        private let insert: SQLiteStatement
        /// Applied to each finding before it is stored (settings); nil leaves it out.
        private let adjust: (Finding) -> Finding?
        private(set) var count = 0

        init(insert: SQLiteStatement, adjust: @escaping (Finding) -> Finding?) {
            self.insert = insert
            self.adjust = adjust
        }

        func add(_ reportID: Int64, _ finding: Finding) throws {
            guard let finding = adjust(finding) else { return }
            try insert.run([.integer(reportID), .text(finding.rule.rawValue), .text(finding.severity.rawValue), .init(finding.table?.rawValue),
                            .init(finding.row), .init(finding.col), .init(finding.expected), .init(finding.actual), .text(finding.message)])
            count += 1
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
