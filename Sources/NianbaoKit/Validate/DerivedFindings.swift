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
        // The stored findings are walked once (by rule) and each is looked up among the new ones by an index on (report,
        // rule); the new ones that found their stored twin are noted, and only the others are inserted. Looked up the
        // other way round — each new finding among a report's stored ones, read row by row from the table — this step
        // read millions of rows on a run that changed nothing (14,527 identity conflicts over 152 reports: 24 s).
        // report_id and rule are never NULL; the other columns may be, hence IS.
        let same = "d.report_id = f.report_id AND d.rule = f.rule AND "
            + ["severity", "table_code", "row_code", "col_code", "expected", "actual", "message"].map { "d.\($0) IS f.\($0)" }.joined(separator: " AND ")
        try connection.execute("CREATE INDEX IF NOT EXISTS temp.derived_findings_report ON derived_findings(report_id, rule)")
        try connection.execute("DROP TABLE IF EXISTS temp.derived_matched")
        try connection.execute("""
            CREATE TEMP TABLE derived_matched AS
            SELECT DISTINCT d.rowid AS new_id, f.id AS stored_id FROM findings f CROSS JOIN temp.derived_findings d
            WHERE f.rule IN (\(list)) AND \(same)
            """)
        try connection.execute("""
            DELETE FROM findings WHERE rule IN (\(list)) AND id NOT IN (SELECT stored_id FROM temp.derived_matched)
            """)
        try connection.execute("""
            INSERT INTO findings(\(columns)) SELECT \(columns) FROM temp.derived_findings d
            WHERE d.rule IN (\(list)) AND d.rowid NOT IN (SELECT new_id FROM temp.derived_matched)
            ORDER BY d.rowid
            """)
        try connection.execute("DROP TABLE temp.derived_matched")
    }
}
