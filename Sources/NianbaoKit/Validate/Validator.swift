/// The *validate* stage: checks every per-report rule of SCHEMA.md and appends its findings.
///
/// Identities (`requests.balance`, `requests.outcomes_sum`, `requests.row_sum`, `appeals.row_sum`) use
/// ``IdentityCheck``; `counts.non_negative_integer` and `active.total_public_ge_published` look at single
/// cells. Severities can be overridden and rules disabled per run (``ValidateOptions``). The validator never
/// changes a published figure.
public struct Validator: Sendable {
    public var options: ValidateOptions

    public init(options: ValidateOptions = ValidateOptions()) { self.options = options }

    public func validate(_ report: Report) -> Report {
        guard !report.unsupportedFormat else { return report }
        var output = report
        var findings: [Finding] = []
        let cells = CellIndex(report.cells)
        if let format = report.formats[.requests] { findings += checkRequests(cells, format: format) }
        if report.formats[.appeals] != nil { findings += checkAppeals(cells) }
        if report.formats[.active] == .v2019 { findings += checkActive2019(cells) }
        findings += checkCounts(report.cells)
        // Words where a figure belongs ("详见附件"): kept as text, and said.
        findings += report.cells.filter { $0.state == .text }.map { cell in
            Finding(rule: .extractTextInFigure, severity: .warning, table: cell.table, row: cell.row, col: cell.col,
                    message: "\(cell.table.rawValue).\(cell.row).\(cell.col) holds words, not a figure: \"\(cell.raw)\"")
        }
        let prose = report.metadata.sections.sorted { $0.key < $1.key }.map(\.value).joined(separator: "\n")
        findings += NarrativeCheck.findings(prose: prose, cells: cells)
        output.findings = (report.findings + findings).compactMap(applyOptions)
        return output
    }

    private func applyOptions(_ finding: Finding) -> Finding? {
        if options.disabledRules.contains(finding.rule) { return nil }
        if finding.severity == .info && !options.reportNotCheckable && finding.message.hasPrefix("not checkable") { return nil }
        var adjusted = finding
        if let severity = options.severities[finding.rule], finding.severity != .info { adjusted.severity = severity }
        return adjusted
    }

    // MARK: Table 三

    private func checkRequests(_ cells: CellIndex, format: TableFormat) -> [Finding] {
        let definition = TemplateSchema.table(.requests, format)
        let applicantColumns = TemplateSchema.requestColumns.map(\.code).filter { $0 != "total" }
        var findings: [Finding] = []
        let outcomeRows = definition.rows.filter(\.isOutcome).map(\.code)
        for column in TemplateSchema.requestColumns.map(\.code) {
            let left = ["new", "carried_over"].map { cells.value(.requests, $0, column) }
            let right = ["total", "carried_forward"].map { cells.value(.requests, $0, column) }
            findings += finding(.requestsBalance, IdentityCheck.evaluate(left: left, right: right), table: .requests,
                                row: "total", col: column,
                                what: "new + carried_over vs total + carried_forward in column \(column)")
            let outcomes = outcomeRows.map { cells.value(.requests, $0, column) }
            findings += finding(.requestsOutcomesSum,
                                IdentityCheck.evaluate(left: outcomes, right: [cells.value(.requests, "total", column)]),
                                table: .requests, row: "total", col: column,
                                what: "sum of outcome rows vs total in column \(column)")
        }
        for row in definition.rows where cells.hasRow(.requests, row.code) {
            let parts = applicantColumns.map { cells.value(.requests, row.code, $0) }
            findings += finding(.requestsRowSum,
                                IdentityCheck.evaluate(left: parts, right: [cells.value(.requests, row.code, "total")]),
                                table: .requests, row: row.code, col: "total",
                                what: "sum of applicant columns vs total in row \(row.code)")
        }
        return findings
    }

    // MARK: Table 四 and 二

    private func checkAppeals(_ cells: CellIndex) -> [Finding] {
        var findings: [Finding] = []
        for row in ["review", "suit_direct", "suit_after_review"] where cells.hasRow(.appeals, row) {
            let parts = ["upheld", "corrected", "other", "pending"].map { cells.value(.appeals, row, $0) }
            findings += finding(.appealsRowSum, IdentityCheck.evaluate(left: parts, right: [cells.value(.appeals, row, "total")]),
                                table: .appeals, row: row, col: "total",
                                what: "upheld + corrected + other + pending vs total in row \(row)")
        }
        return findings
    }

    private func checkActive2019(_ cells: CellIndex) -> [Finding] {
        var findings: [Finding] = []
        for row in ["regulations", "normative_documents"] {
            guard let published = cells.value(.active, row, "published"), let total = cells.value(.active, row, "total_public"),
                  total < published else { continue }
            findings.append(Finding(rule: .activeTotalPublicGePublished, severity: .warning, table: .active, row: row,
                                    col: "total_public", expected: published, actual: total,
                                    message: "对外公开总数量 \(format(total)) is less than 本年新公开数量 \(format(published)) in row \(row)"))
        }
        return findings
    }

    /// Each column code's kind, over every template table (the last table's kind where a code repeats): built once,
    /// not for every report.
    private static let columnKinds: [String: ColumnDefinition.Kind] = {
        var kinds: [String: ColumnDefinition.Kind] = [:]
        for table in TemplateSchema.tables { for row in table.rows { for column in row.columns { kinds[column.code] = column.kind } } }
        return kinds
    }()

    private func checkCounts(_ cells: [Cell]) -> [Finding] {
        let kinds = Self.columnKinds
        return cells.compactMap { cell in
            guard cell.state == .number, let value = cell.value, kinds[cell.col] == .count,
                  value < 0 || value != value.rounded() else { return nil }
            return Finding(rule: .countsNonNegativeInteger, severity: .error, table: cell.table, row: cell.row, col: cell.col,
                           actual: value, message: "\(cell.table.rawValue).\(cell.row).\(cell.col) is \(format(value)), not a whole number ≥ 0")
        }
    }

    private func finding(_ rule: Rule, _ outcome: IdentityCheck.Outcome, table: TableCode, row: String, col: String,
                         what: @autoclosure () -> String) -> [Finding] {
        switch outcome {
        case .pass:
            return []
        case let .fail(expected, actual):
            return [Finding(rule: rule, severity: .error, table: table, row: row, col: col, expected: expected, actual: actual,
                            message: "\(what()): \(format(expected)) ≠ \(format(actual))")]
        case let .notCheckable(expected, actual):
            return [Finding(rule: rule, severity: .info, table: table, row: row, col: col, expected: expected, actual: actual,
                            message: "not checkable: \(what()): \(format(expected)) ≠ \(format(actual)) with blanks as 0, but blank cells could make it hold")]
        }
    }
}

/// Formats a figure without a trailing ".0".
func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
}

/// Cells by `(table, row, col)`.
///
/// Keyed by the codes themselves, not by a String joining them: the identities look up every cell several times,
/// and interpolating a key per lookup was a third of the validate stage.
struct CellIndex {
    private struct CellKey: Hashable {
        var table: TableCode
        var row: String
        var col: String
    }

    private struct RowKey: Hashable {
        var table: TableCode
        var row: String
    }

    /// The figures only (a whole Cell copied into the index retained its texts, a sixth of the validate stage).
    private var values: [CellKey: Double?] = [:]
    private var rows: Set<RowKey> = []

    init(_ cells: [Cell]) {
        values.reserveCapacity(cells.count)
        rows.reserveCapacity(cells.count / 4)
        for cell in cells {
            values[CellKey(table: cell.table, row: cell.row, col: cell.col)] = .some(cell.value)
            rows.insert(RowKey(table: cell.table, row: cell.row))
        }
    }

    /// The number in a cell; nil when the cell is blank, "/", text or absent (an unknown for identities).
    func value(_ table: TableCode, _ row: String, _ col: String) -> Double? {
        values[CellKey(table: table, row: row, col: col)] ?? nil
    }

    func hasRow(_ table: TableCode, _ row: String) -> Bool { rows.contains(RowKey(table: table, row: row)) }
}
