import Foundation

/// Compares figures stated in the report's prose with its tables (`narrative.table_mismatch`, warning).
///
/// The statements are ``NarrativeFacts``'s: only sentences whose meaning is unambiguous, and only figures
/// followed by 件 (table text run together has no unit). "共受理申请N件" is accepted as either the new
/// applications or new plus carried over, since reports use it both ways.
///
/// ```swift
/// NarrativeCheck.findings(prose: "信息公开类行政复议36件", cells: index)  // [] when appeals.review.total is 36
/// ```
enum NarrativeCheck {
    static func findings(prose allProse: String, cells: CellIndex) -> [Finding] {
        var findings: [Finding] = []
        var reported = Set<String>()
        for match in NarrativeFacts.matches(in: allProse) {
            let statement = match.statement
            let stated = match.value
            let sums = statement.alternatives.map { cellsOfSum in
                cellsOfSum.map { cells.value($0.0, $0.1, $0.2) }
            }
            // Compare only when every cell of some alternative was published as a number.
            let known = sums.filter { !$0.contains { $0 == nil } }.map { $0.compactMap { $0 }.reduce(0, +) }
            guard !known.isEmpty, !known.contains(where: { abs($0 - stated) < 1e-9 }) else { continue }
            let target = statement.alternatives[0][0]
            let key = "\(target.0.rawValue)|\(target.1)|\(target.2)|\(stated)"
            guard reported.insert(key).inserted else { continue }
            findings.append(Finding(rule: .narrativeTableMismatch, severity: .warning, table: target.0, row: target.1,
                                    col: target.2, expected: known[0], actual: stated,
                                    message: "the prose states \(format(stated)) \(statement.describes) (\"\(match.quote)\") but the table gives \(format(known[0]))"))
        }
        return findings
    }
}
