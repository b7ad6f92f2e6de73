/// Compares a report with its expected cells, as the corpus README defines scoring.
///
/// Per cell: **exact** (the value, or no value for a blank), **abstained** (no value, and a finding on that
/// table says why), **wrong** (anything else). Per document: expected findings reported (as warning or
/// error), and **false alarms** (error findings that are not expected).
public struct DocumentScore: Sendable {
    public var file: String
    public var exact = 0
    public var abstained = 0
    public var wrong = 0
    public var expectedFindings = 0
    public var reportedFindings = 0
    public var falseAlarms = 0
    /// Wrong cells of a report that loaded: a wrong figure stored, or a cell missing with no finding on its
    /// table. A failed document's cells are wrong but not silent (the failure says why).
    public var silentErrors = 0
    /// Metadata and format disagreements, and the failure reason when the document did not load.
    public var problems: [String] = []
    /// One line per wrong cell or missed finding, for debugging.
    public var details: [String] = []
    /// Why cells were abstained: the findings that explain them, each with the cells it explains (``Scorer/explain``).
    public var abstentions: [Abstention] = []

    /// Abstained cells and the findings that say why.
    public struct Abstention: Sendable, Equatable {
        /// `table.row.col` of each cell.
        public var cells: [String]
        /// "rule: message" of each finding.
        public var findings: [String]
        /// The findings name the cells' row; otherwise they are all the findings on the cells' table.
        public var onRow: Bool

        /// The line `nianbao score` prints.
        public var line: String {
            "abstained \(cells.count) (\(places)) — " + (onRow ? "" : "the table's findings: ") + findings.joined(separator: " | ")
        }

        /// The cells by row ("active.licensing.{prev_items,change}"), or a count of rows where there are more than three.
        var places: String {
            var rows: [String] = []
            var columns: [String: [String]] = [:]
            for cell in cells {
                guard let dot = cell.lastIndex(of: ".") else { continue }
                let row = String(cell[..<dot])
                if columns[row] == nil { rows.append(row) }
                columns[row, default: []].append(String(cell[cell.index(after: dot)...]))
            }
            if rows.count > 3 {
                let tables = Set(rows.compactMap { $0.split(separator: ".").first.map(String.init) }).sorted()
                return "\(rows.count) rows of table \(tables.joined(separator: ", "))"
            }
            return rows.map { row in
                let cols = columns[row]!
                return cols.count == 1 ? "\(row).\(cols[0])" : "\(row).{\(cols.joined(separator: ","))}"
            }.joined(separator: ", ")
        }
    }

    public var total: Int { exact + abstained + wrong }
    /// True when nothing is wrong, every expected finding is reported, and nothing is a false alarm.
    public var isClean: Bool { wrong == 0 && falseAlarms == 0 && reportedFindings == expectedFindings && problems.isEmpty }
}

public enum Scorer {
    public static func score(_ outcome: DocumentOutcome, expected: ExpectedReport) -> DocumentScore {
        var score = DocumentScore(file: expected.file)
        score.expectedFindings = expected.findings.count
        guard case let .report(_, report) = outcome else {
            score.wrong = expected.cells.count
            if case let .failed(_, failure, _) = outcome { score.problems.append("failed: \(failure)") }
            if expected.unsupportedFormat { score.problems.append("expected unsupported_format") }
            return score
        }
        if report.unsupportedFormat != expected.unsupportedFormat {
            score.problems.append("unsupported_format is \(report.unsupportedFormat), expected \(expected.unsupportedFormat)")
        }
        if let agency = expected.agency, report.metadata.agency != agency {
            score.problems.append("agency \(report.metadata.agency ?? "nil"), expected \(agency)")
        }
        if let year = expected.year, report.metadata.year != year {
            score.problems.append("year \(report.metadata.year.map(String.init) ?? "nil"), expected \(year)")
        }
        for table in TableCode.allCases where expected.formats[table] != report.formats[table] {
            score.problems.append("table \(table.rawValue) format \(report.formats[table]?.rawValue ?? "nil"), expected \(expected.formats[table]?.rawValue ?? "nil")")
        }
        let index = Dictionary(report.cells.map { ("\($0.table.rawValue)|\($0.row)|\($0.col)", $0) }, uniquingKeysWith: { first, _ in first })
        let tablesWithFindings = Set(report.findings.filter { $0.severity != .info }.compactMap(\.table))
        var abstainedCells: [ExpectedReport.ExpectedCell] = []
        for cell in expected.cells {
            let actual = index["\(cell.table.rawValue)|\(cell.row)|\(cell.col)"]
            let place = "\(cell.table.rawValue).\(cell.row).\(cell.col)"
            switch (cell.value, actual?.value) {
            case let (expectedValue?, actualValue?):
                if abs(expectedValue - actualValue) <= 1e-9 * max(1, abs(expectedValue)) {
                    score.exact += 1
                } else {
                    score.wrong += 1
                    score.silentErrors += 1
                    score.details.append("wrong \(place): \(format(actualValue)) (raw \"\(actual?.raw ?? "")\"), expected \(format(expectedValue))")
                }
            case (nil, nil) where actual != nil:
                score.exact += 1
            case (_, nil) where actual == nil && tablesWithFindings.contains(cell.table):
                // Abstention: nothing stored, and a finding on the table says why. A cell stored as blank
                // where a figure was published is a claim, and wrong.
                score.abstained += 1
                abstainedCells.append(cell)
            case (nil, _?):
                score.wrong += 1
                score.silentErrors += 1
                score.details.append("wrong \(place): \(format(actual!.value!)), expected blank")
            default:
                score.wrong += 1
                score.silentErrors += 1
                score.details.append("wrong \(place): missing, expected \(cell.value.map(format) ?? "blank")")
            }
        }
        score.abstentions = explain(abstainedCells, by: report.findings.filter { $0.severity != .info })
        // A cell stored where the expected file lists none (it could not be read with certainty) is a claim
        // the document does not support: wrong.
        let listed = Set(expected.cells.map { "\($0.table.rawValue)|\($0.row)|\($0.col)" })
        for cell in report.cells where !listed.contains("\(cell.table.rawValue)|\(cell.row)|\(cell.col)") {
            score.wrong += 1
            score.silentErrors += 1
            score.details.append("wrong \(cell.table.rawValue).\(cell.row).\(cell.col): stored (raw \"\(cell.raw)\"), expected not stored")
        }
        let reported = report.findings.filter { $0.severity != .info }
        for finding in expected.findings {
            if reported.contains(where: { matches($0, finding) }) {
                score.reportedFindings += 1
            } else {
                score.details.append("missed finding \(finding.rule) \(finding.table ?? "").\(finding.row ?? "").\(finding.col ?? "")")
            }
        }
        for finding in report.findings where finding.severity == .error {
            if !expected.findings.contains(where: { matches(finding, $0) }) {
                score.falseAlarms += 1
                score.details.append("false alarm \(finding.rule.rawValue): \(finding.message)")
            }
        }
        return score
    }

    /// The findings that say why each abstained cell has no value: those on the cell's row (their `row`, or the row's
    /// code in the message, as in "the figures \"898989\" of row normative_documents"), otherwise all those on its
    /// table. Cells explained by the same findings are listed together, in the expected file's order.
    static func explain(_ cells: [ExpectedReport.ExpectedCell], by findings: [Finding]) -> [DocumentScore.Abstention] {
        var explanations: [DocumentScore.Abstention] = []
        for cell in cells {
            let onTable = findings.filter { $0.table == cell.table }
            let onRow = onTable.filter { finding in
                finding.row.map { $0 == cell.row && (finding.col == nil || finding.col == cell.col) }
                    ?? (finding.message.includes("row \(cell.row) ") || finding.message.hasSuffix("row \(cell.row)")
                        || finding.message.includes("row \"\(cell.row)\""))
            }
            let because = (onRow.isEmpty ? onTable : onRow).map { "\($0.rule.rawValue): \($0.message)" }
            let place = "\(cell.table.rawValue).\(cell.row).\(cell.col)"
            if let index = explanations.firstIndex(where: { $0.findings == because && $0.onRow == !onRow.isEmpty }) {
                explanations[index].cells.append(place)
            } else {
                explanations.append(DocumentScore.Abstention(cells: [place], findings: because, onRow: !onRow.isEmpty))
            }
        }
        return explanations
    }

    static func matches(_ finding: Finding, _ expected: ExpectedReport.ExpectedFinding) -> Bool {
        finding.rule.rawValue == expected.rule && (expected.table == nil || finding.table?.rawValue == expected.table)
            && (expected.row == nil || finding.row == expected.row) && (expected.col == nil || finding.col == expected.col)
    }
}
