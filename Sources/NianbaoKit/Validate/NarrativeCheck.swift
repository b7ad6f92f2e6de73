import Foundation

/// Compares figures stated in the report's prose with its tables (`narrative.table_mismatch`, warning).
///
/// Only sentences whose meaning is unambiguous are used, and only figures followed by 件 (table text run
/// together has no unit). "共受理申请N件" is accepted as either the new applications or new plus carried
/// over, since reports use it both ways.
///
/// ```swift
/// NarrativeCheck.findings(prose: "信息公开类行政复议36件", cells: index)  // [] when appeals.review.total is 36
/// ```
enum NarrativeCheck {
    struct Statement {
        let pattern: NSRegularExpression
        /// The table cells the figure may equal (alternatives); each alternative is a sum of cells.
        let alternatives: [[(TableCode, String, String)]]
        let describes: String
    }

    private static func statement(_ pattern: String, _ alternatives: [[(TableCode, String, String)]], _ describes: String) -> Statement {
        Statement(pattern: try! NSRegularExpression(pattern: pattern), alternatives: alternatives, describes: describes)
    }

    static let statements: [Statement] = [
        statement(#"(?:共|全年|累计)(?:受理|收到)[^。；，,;（(]{0,16}?申请\s*(\d+)\s*件"#,
                  [[(.requests, "new", "total")], [(.requests, "new", "total"), (.requests, "carried_over", "total")]],
                  "applications received"),
        statement(#"新收[^。；，,;（(]{0,16}?申请\s*(\d+)\s*件"#, [[(.requests, "new", "total")]], "new applications"),
        statement(#"上年度?结转[^。；，,;）)]{0,8}?申请\s*(\d+)\s*件"#, [[(.requests, "carried_over", "total")]], "applications carried over"),
        statement(#"另有\s*(\d+)\s*件[^。；，,;]{0,8}?(?:顺延|结转)"#, [[(.requests, "carried_forward", "total")]], "applications carried forward"),
        statement(#"行政复议\s*(\d+)\s*件"#, [[(.appeals, "review", "total")]], "administrative reviews"),
        statement(#"(?:直接起诉|直接诉讼)\s*(\d+)\s*件"#, [[(.appeals, "suit_direct", "total")]], "suits filed directly"),
        statement(#"复议后(?:起诉|诉讼)\s*(\d+)\s*件"#, [[(.appeals, "suit_after_review", "total")]], "suits after review"),
        statement(#"行政诉讼\s*(\d+)\s*件"#, [[(.appeals, "suit_direct", "total"), (.appeals, "suit_after_review", "total")]],
                  "administrative suits"),
    ]

    static func findings(prose allProse: String, cells: CellIndex) -> [Finding] {
        var findings: [Finding] = []
        var reported = Set<String>()
        // Only lines that state a count of cases can match; page navigation and the like are skipped cheaply.
        let prose = allProse.lines(containing: "件").filter { text in
            text.includes("申请") || text.includes("复议") || text.includes("诉讼") || text.includes("结转")
        }.joined(separator: "\n")
        guard !prose.isEmpty else { return [] }
        let range = NSRange(prose.startIndex..., in: prose)
        for statement in statements {
            for match in statement.pattern.matches(in: prose, range: range) {
                guard let numberRange = Range(match.range(at: 1), in: prose), let stated = Double(prose[numberRange]) else { continue }
                let sums = statement.alternatives.map { cellsOfSum in
                    cellsOfSum.map { cells.value($0.0, $0.1, $0.2) }
                }
                // Compare only when every cell of some alternative was published as a number.
                let known = sums.filter { !$0.contains { $0 == nil } }.map { $0.compactMap { $0 }.reduce(0, +) }
                guard !known.isEmpty, !known.contains(where: { abs($0 - stated) < 1e-9 }) else { continue }
                let target = statement.alternatives[0][0]
                let key = "\(target.0.rawValue)|\(target.1)|\(target.2)|\(stated)"
                guard reported.insert(key).inserted, let matchRange = Range(match.range, in: prose) else { continue }
                findings.append(Finding(rule: .narrativeTableMismatch, severity: .warning, table: target.0, row: target.1,
                                        col: target.2, expected: known[0], actual: stated,
                                        message: "the prose states \(format(stated)) \(statement.describes) (\"\(prose[matchRange])\") but the table gives \(format(known[0]))"))
            }
        }
        return findings
    }
}
