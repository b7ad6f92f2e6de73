/// Rules across reports of one agency in consecutive years, checked over the database after each run:
///
/// - `requests.carry_chain`: `carried_over(t) = carried_forward(t−1)` per column;
/// - `active.in_force_chain` (2021 format): `in_force(t) = in_force(t−1) + issued(t) − repealed(t)`;
/// - `active.prev_items_chain` (2019 format): `prev_items(t) = prev_items(t−1) + change(t−1)`;
/// - `narrative.repeated` (info): a narrative section more than half copied from the previous year
///   (``NarrativeRepetition``, which also stores every section's ratio);
/// - `rollup.mismatch` (info): a government's report against the sum of its children's of the year (``RollupCheck``).
///
/// Findings are warnings attached to the later report. Only canonical reports take part, with their completed
/// cells (``ReportIdentity``), and agencies are matched by their resolved key (one agency printed three ways is
/// one agency). The step is idempotent: its findings are recomputed from scratch each time.
public struct CrossReportValidator: Sendable {
    public var severities: [Rule: Severity]
    public var disabledRules: Set<Rule>
    let options: ValidateOptions

    public init(options: ValidateOptions = ValidateOptions()) {
        severities = options.severities
        disabledRules = options.disabledRules
        self.options = options
    }

    /// Recomputes the cross-report findings of the whole database; returns how many there are.
    ///
    /// The joins run inside SQLite (reports matched on `agency_key` and consecutive years), and each finding goes
    /// to SQL as it is found (``DerivedFindings/replace(_:options:on:adjust:produce:)``), so memory stays flat
    /// however large the database is.
    @discardableResult
    public func run(on connection: SQLiteConnection) throws -> Int {
        let disabledRules = disabledRules, severities = severities
        let count = try DerivedFindings.replace(Rule.crossReport, options: ValidateOptions(), on: connection, adjust: { finding in
            guard !disabledRules.contains(finding.rule) else { return nil }
            var adjusted = finding
            if let severity = severities[finding.rule] { adjusted.severity = severity }
            return adjusted
        }, produce: { try find(on: connection, into: $0) })
        // Report rows were replaced: corrected reports are checked again over their corrected cells.
        try CorrectionCheck.run(on: connection, options: options)
        return count
    }

    /// Every rule over the whole database, in the order their findings are stored.
    private func find(on connection: SQLiteConnection, into findings: DerivedFindings.Sink) throws {
        let pairs = """
            FROM reports l JOIN reports e ON e.agency_key = l.agency_key AND e.year = l.year - 1 AND e.canonical = 1
            WHERE l.canonical = 1 AND l.unsupported_format = 0 AND e.unsupported_format = 0 AND l.agency_key IS NOT NULL
            """
        try connection.prepare("""
            SELECT l.id, l.year, e.year, co.col_code, cf.value, co.value \(pairs.replacingAll("WHERE", with: """
                JOIN cells co ON co.report_id = l.id AND co.table_code = 'requests' AND co.row_code = 'carried_over'
                JOIN cells cf ON cf.report_id = e.id AND cf.table_code = 'requests' AND cf.row_code = 'carried_forward'
                               AND cf.col_code = co.col_code
                WHERE co.value IS NOT NULL AND cf.value IS NOT NULL AND co.value <> cf.value AND
                """))
            ORDER BY l.id, co.col_code
            """).forEachRow { row in
            guard let id = row[0].integer, let year = row[1].integer, let earlier = row[2].integer, let column = row[3].text,
                  let forward = row[4].real, let over = row[5].real else { return }
            try findings.add(id, Finding(rule: .requestsCarryChain, severity: .warning, table: .requests, row: "carried_over", col: column,
                                         expected: forward, actual: over,
                                         message: "\(year) carried over \(format(over)) in column \(column), but \(earlier) carried forward \(format(forward))"))
        }
        try connection.prepare("""
            SELECT l.id, l.year, e.year, b.row_code, b.value, i.value, r.value, n.value \(pairs.replacingAll("WHERE", with: """
                JOIN cells b ON b.report_id = e.id AND b.table_code = 'active' AND b.col_code = 'in_force'
                JOIN cells i ON i.report_id = l.id AND i.table_code = 'active' AND i.row_code = b.row_code AND i.col_code = 'issued'
                JOIN cells r ON r.report_id = l.id AND r.table_code = 'active' AND r.row_code = b.row_code AND r.col_code = 'repealed'
                JOIN cells n ON n.report_id = l.id AND n.table_code = 'active' AND n.row_code = b.row_code AND n.col_code = 'in_force'
                WHERE l.active_format = '2021' AND e.active_format = '2021' AND b.value IS NOT NULL AND i.value IS NOT NULL
                  AND r.value IS NOT NULL AND n.value IS NOT NULL AND abs(b.value + i.value - r.value - n.value) > 1e-9 AND
                """))
            ORDER BY l.id, b.row_code
            """).forEachRow { row in
            guard let id = row[0].integer, let year = row[1].integer, let earlier = row[2].integer, let code = row[3].text,
                  let before = row[4].real, let issued = row[5].real, let repealed = row[6].real, let now = row[7].real else { return }
            let expected = before + issued - repealed
            try findings.add(id, Finding(rule: .activeInForceChain, severity: .warning, table: .active, row: code, col: "in_force",
                                         expected: expected, actual: now,
                                         message: "\(code) in force in \(year) is \(format(now)), but \(earlier)'s \(format(before)) + \(format(issued)) issued − \(format(repealed)) repealed = \(format(expected))"))
        }
        try connection.prepare("""
            SELECT l.id, l.year, e.year, b.row_code, b.value, c.value, n.value \(pairs.replacingAll("WHERE", with: """
                JOIN cells b ON b.report_id = e.id AND b.table_code = 'active' AND b.col_code = 'prev_items'
                JOIN cells c ON c.report_id = e.id AND c.table_code = 'active' AND c.row_code = b.row_code AND c.col_code = 'change'
                JOIN cells n ON n.report_id = l.id AND n.table_code = 'active' AND n.row_code = b.row_code AND n.col_code = 'prev_items'
                WHERE l.active_format = '2019' AND e.active_format = '2019' AND b.value IS NOT NULL AND c.value IS NOT NULL
                  AND n.value IS NOT NULL AND abs(b.value + c.value - n.value) > 1e-9 AND
                """))
            ORDER BY l.id, b.row_code
            """).forEachRow { row in
            guard let id = row[0].integer, let year = row[1].integer, let earlier = row[2].integer, let code = row[3].text,
                  let before = row[4].real, let change = row[5].real, let now = row[6].real else { return }
            let expected = before + change
            try findings.add(id, Finding(rule: .activePrevItemsChain, severity: .warning, table: .active, row: code, col: "prev_items",
                                         expected: expected, actual: now,
                                         message: "\(code) items at the start of \(year) are \(format(now)), but \(earlier)'s \(format(before)) with change \(format(change)) gives \(format(expected))"))
        }
        try NarrativeRepetition.run(on: connection, into: findings)
        try RollupCheck.run(on: connection, into: findings)
    }
}
