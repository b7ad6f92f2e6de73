import Foundation

/// Figures the report's prose states about cells of its tables ("本年度制发行政规范性文件62件",
/// "新收政府信息公开申请34件"): one catalogue of statements, used twice.
///
/// - While the tables are read, a statement naming one cell is evidence that settles a run of figures printed
///   without separators: of the readings the identities allow, those that agree with it are kept (only when
///   some do — prose that disagrees with the table settles nothing), and the cell says so in its note.
/// - After, ``NarrativeCheck`` compares every statement with the table (`narrative.table_mismatch`).
///
/// Only sentences whose meaning is unambiguous are listed, and only figures followed by 件.
///
/// ```swift
/// NarrativeFacts.facts(in: "动态更新发布本年度制发行政规范性文件62件")
/// // [Fact(table: .active, row: "normative_documents", col: "issued", value: 62, quote: "制发行政规范性文件62件")]
/// ```
enum NarrativeFacts {
    struct Statement {
        let pattern: NSRegularExpression
        /// The table cells the figure may equal (alternatives); each alternative is a sum of cells.
        let alternatives: [[(TableCode, String, String)]]
        let describes: String
        /// Words one of which a line must hold to be searched at all (a cheap filter).
        let keywords: [String]
    }

    /// A figure the prose gives for one cell.
    struct Fact: Equatable {
        let table: TableCode
        let row: String
        let col: String
        let value: Double
        let quote: String
    }

    private static func statement(_ pattern: String, _ alternatives: [[(TableCode, String, String)]], _ describes: String,
                                  keywords: [String]) -> Statement {
        Statement(pattern: try! NSRegularExpression(pattern: pattern), alternatives: alternatives, describes: describes, keywords: keywords)
    }

    static let statements: [Statement] = [
        statement(#"(?:共|全年|累计)(?:受理|收到)[^。；，,;（(]{0,16}?申请\s*(\d+)\s*件"#,
                  [[(.requests, "new", "total")], [(.requests, "new", "total"), (.requests, "carried_over", "total")]],
                  "applications received", keywords: ["申请"]),
        statement(#"新收[^。；，,;（(]{0,16}?申请\s*(\d+)\s*件"#, [[(.requests, "new", "total")]], "new applications", keywords: ["申请"]),
        statement(#"上年度?结转[^。；，,;）)]{0,8}?申请\s*(\d+)\s*件"#, [[(.requests, "carried_over", "total")]], "applications carried over",
                  keywords: ["结转"]),
        statement(#"另有\s*(\d+)\s*件[^。；，,;]{0,8}?(?:顺延|结转)"#, [[(.requests, "carried_forward", "total")]], "applications carried forward",
                  keywords: ["结转", "顺延"]),
        statement(#"行政复议\s*(\d+)\s*件"#, [[(.appeals, "review", "total")]], "administrative reviews", keywords: ["复议"]),
        statement(#"(?:直接起诉|直接诉讼)\s*(\d+)\s*件"#, [[(.appeals, "suit_direct", "total")]], "suits filed directly", keywords: ["诉讼", "起诉"]),
        statement(#"复议后(?:起诉|诉讼)\s*(\d+)\s*件"#, [[(.appeals, "suit_after_review", "total")]], "suits after review", keywords: ["诉讼", "起诉"]),
        statement(#"行政诉讼\s*(\d+)\s*件"#, [[(.appeals, "suit_direct", "total"), (.appeals, "suit_after_review", "total")]],
                  "administrative suits", keywords: ["诉讼"]),
        // Table 二 (2021): documents issued this year and in force.
        statement(#"(?:本年度?|全年)[^。；，,;]{0,8}?(?:制发|印发|出台)的?(?:行政)?规范性文件\s*(\d+)\s*件"#,
                  [[(.active, "normative_documents", "issued")]], "normative documents issued", keywords: ["规范性文件"]),
        statement(#"现行有效的?(?:行政)?规范性文件\s*(\d+)\s*件"#, [[(.active, "normative_documents", "in_force")]],
                  "normative documents in force", keywords: ["规范性文件"]),
    ]

    /// The lines of `prose` a statement could match.
    static func candidateLines(_ prose: String) -> String {
        let keywords = Set(statements.flatMap(\.keywords))
        return prose.lines(containing: "件").filter { line in keywords.contains { line.includes($0) } }.joined(separator: "\n")
    }

    /// A statement found in the prose, with its figure and the words that state it.
    struct Match {
        let statement: Statement
        let value: Double
        let quote: String
    }

    /// Words that put a statement in another scope than this agency's year: last year, the whole county,
    /// every level of government ("上年全年制发…15件", "全县各级行政机关制发…27件").
    static let otherScope = ["上年", "去年", "前年", "上一年", "往年", "历年", "同比", "全县", "全市", "全省", "全区", "全州", "全旗",
                             "各级", "各乡镇", "各部门", "各单位", "下属", "所属"]

    /// Every statement the prose makes about this agency's year. A statement whose own words, or the words
    /// before it in its clause, name another scope is not one.
    static func matches(in allProse: String) -> [Match] {
        let prose = candidateLines(allProse)
        guard !prose.isEmpty else { return [] }
        let range = NSRange(prose.startIndex..., in: prose)
        var found: [Match] = []
        // Each pattern holds one of its keywords as written: one the prose lacks cannot match (and is not run over it).
        for statement in statements where statement.keywords.contains(where: prose.includes) {
            for match in statement.pattern.matches(in: prose, range: range) {
                guard let numberRange = Range(match.range(at: 1), in: prose), let value = Double(prose[numberRange]),
                      let quoteRange = Range(match.range, in: prose) else { continue }
                let clause = prose[..<quoteRange.lowerBound].reversed().prefix { !"。；;，,\n".contains($0) }.prefix(12)
                let context = String(clause.reversed()) + prose[quoteRange]
                guard !otherScope.contains(where: context.includes) else { continue }
                found.append(Match(statement: statement, value: value, quote: String(prose[quoteRange])))
            }
        }
        return found
    }

    /// Every figure the prose states for a single cell.
    static func facts(in allProse: String) -> [Fact] {
        let facts: [Fact] = matches(in: allProse).compactMap { match in
            guard match.statement.alternatives.count == 1, match.statement.alternatives[0].count == 1 else { return nil }
            let (table, row, col) = match.statement.alternatives[0][0]
            return Fact(table: table, row: row, col: col, value: match.value, quote: match.quote)
        }
        // A cell the prose gives two different figures settles nothing.
        return facts.filter { fact in !facts.contains { $0.table == fact.table && $0.row == fact.row && $0.col == fact.col && $0.value != fact.value } }
    }
}
