/// Rules across reports of one agency in consecutive years, checked over the database after each run:
///
/// - `requests.carry_chain`: `carried_over(t) = carried_forward(t−1)` per column;
/// - `active.in_force_chain` (2021 format): `in_force(t) = in_force(t−1) + issued(t) − repealed(t)`;
/// - `active.prev_items_chain` (2019 format): `prev_items(t) = prev_items(t−1) + change(t−1)`.
///
/// Findings are warnings attached to the later report. Agencies are matched by their folded name
/// (spacing, punctuation, full-width forms and traditional characters do not separate them). The step is
/// idempotent: its findings are recomputed from scratch each time.
public struct CrossReportValidator: Sendable {
    public static let rules = ["requests.carry_chain", "active.in_force_chain", "active.prev_items_chain"]

    public var severities: [String: Severity]
    public var disabledRules: Set<String>

    public init(options: ValidateOptions = ValidateOptions()) {
        severities = options.severities
        disabledRules = options.disabledRules
    }

    struct StoredReport {
        let id: Int64
        let year: Int
        let activeFormat: TableFormat?
        var cells: [String: Double] = [:]

        func value(_ table: TableCode, _ row: String, _ col: String) -> Double? { cells["\(table.rawValue)|\(row)|\(col)"] }
    }

    /// Recomputes the cross-report findings of the whole database; returns how many there are.
    @discardableResult
    public func run(on connection: SQLiteConnection) throws -> Int {
        var reports: [Int64: StoredReport] = [:]
        var byAgency: [String: [Int64]] = [:]
        for row in try connection.query("""
            SELECT id, agency, year, active_format FROM reports
            WHERE unsupported_format = 0 AND agency IS NOT NULL AND year IS NOT NULL
            """) {
            guard let id = row[0].integer, let agency = row[1].text, let year = row[2].integer else { continue }
            reports[id] = StoredReport(id: id, year: Int(year), activeFormat: row[3].text.flatMap(TableFormat.init(rawValue:)))
            byAgency[LabelFolding.fold(agency), default: []].append(id)
        }
        for row in try connection.query("""
            SELECT report_id, table_code, row_code, col_code, value FROM cells
            WHERE value IS NOT NULL AND (table_code = 'active' OR row_code IN ('carried_over', 'carried_forward'))
            """) {
            guard let id = row[0].integer, let table = row[1].text, let code = row[2].text, let col = row[3].text,
                  let value = row[4].real else { continue }
            reports[id]?.cells["\(table)|\(code)|\(col)"] = value
        }
        var findings: [(Int64, Finding)] = []
        for ids in byAgency.values {
            let series = ids.compactMap { reports[$0] }
            for later in series {
                for earlier in series where earlier.year == later.year - 1 {
                    findings += check(earlier, later).map { (later.id, $0) }
                }
            }
        }
        let kept = findings.compactMap { id, finding -> (Int64, Finding)? in
            guard !disabledRules.contains(finding.rule) else { return nil }
            var adjusted = finding
            if let severity = severities[finding.rule] { adjusted.severity = severity }
            return (id, adjusted)
        }
        try connection.transaction {
            let placeholders = Self.rules.map { _ in "?" }.joined(separator: ", ")
            try connection.prepare("DELETE FROM findings WHERE rule IN (\(placeholders))").run(Self.rules.map { .text($0) })
            let insert = try connection.prepare("""
                INSERT INTO findings(report_id, rule, severity, table_code, row_code, col_code, expected, actual, message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (id, finding) in kept {
                try insert.run([.integer(id), .text(finding.rule), .text(finding.severity.rawValue), .init(finding.table?.rawValue),
                                .init(finding.row), .init(finding.col), .init(finding.expected), .init(finding.actual),
                                .text(finding.message)])
            }
        }
        return kept.count
    }

    func check(_ earlier: StoredReport, _ later: StoredReport) -> [Finding] {
        var findings: [Finding] = []
        for column in TemplateSchema.requestColumns.map(\.code) {
            guard let forward = earlier.value(.requests, "carried_forward", column),
                  let over = later.value(.requests, "carried_over", column), forward != over else { continue }
            findings.append(Finding(rule: "requests.carry_chain", severity: .warning, table: .requests, row: "carried_over", col: column,
                                    expected: forward, actual: over,
                                    message: "\(later.year) carried over \(format(over)) in column \(column), but \(earlier.year) carried forward \(format(forward))"))
        }
        if earlier.activeFormat == .v2021 && later.activeFormat == .v2021 {
            for row in ["regulations", "normative_documents"] {
                guard let before = earlier.value(.active, row, "in_force"), let issued = later.value(.active, row, "issued"),
                      let repealed = later.value(.active, row, "repealed"), let now = later.value(.active, row, "in_force") else { continue }
                let expected = before + issued - repealed
                guard abs(expected - now) > 1e-9 else { continue }
                findings.append(Finding(rule: "active.in_force_chain", severity: .warning, table: .active, row: row, col: "in_force",
                                        expected: expected, actual: now,
                                        message: "\(row) in force in \(later.year) is \(format(now)), but \(earlier.year)'s \(format(before)) + \(format(issued)) issued − \(format(repealed)) repealed = \(format(expected))"))
            }
        }
        if earlier.activeFormat == .v2019 && later.activeFormat == .v2019 {
            for row in ["licensing", "other_services", "penalty", "coercion", "fees"] {
                guard let before = earlier.value(.active, row, "prev_items"), let change = earlier.value(.active, row, "change"),
                      let now = later.value(.active, row, "prev_items") else { continue }
                let expected = before + change
                guard abs(expected - now) > 1e-9 else { continue }
                findings.append(Finding(rule: "active.prev_items_chain", severity: .warning, table: .active, row: row, col: "prev_items",
                                        expected: expected, actual: now,
                                        message: "\(row) items at the start of \(later.year) are \(format(now)), but \(earlier.year)'s \(format(before)) with change \(format(change)) gives \(format(expected))"))
            }
        }
        return findings
    }
}
