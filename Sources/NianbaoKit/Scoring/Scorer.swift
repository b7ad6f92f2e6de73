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

    static func matches(_ finding: Finding, _ expected: ExpectedReport.ExpectedFinding) -> Bool {
        finding.rule.rawValue == expected.rule && (expected.table == nil || finding.table?.rawValue == expected.table)
            && (expected.row == nil || finding.row == expected.row) && (expected.col == nil || finding.col == expected.col)
    }
}
