import Foundation

/// Table 四 left out, its section saying in words that there was no case at all ("本年度未发生因政府信息公开引起的
/// 行政复议和行政诉讼案件"). Small agencies often print that sentence in place of the table; reporting
/// `structure.missing_table` (an error) for it told the operator something false, and the analyst got no figure
/// where the report gives one: none of each kind of case. The cells are then 0, inferred from the sentence, which
/// each cell's note quotes.
///
/// Only a sentence that denies both 行政复议 and 行政诉讼 is taken, in a section that states no count but 0, names no
/// other year and points to no table elsewhere ("未发生行政复议，行政诉讼1件", "未发生…败诉情况", "上年度未发生…",
/// "…情况见附件" are not).
///
/// ```swift
/// NoCasesStatement.quote(in: "本年度未发生因政府信息公开引起的行政复议和行政诉讼案件。")
/// // "本年度未发生因政府信息公开引起的行政复议和行政诉讼案件"
/// ```
enum NoCasesStatement {
    private static let yearPattern = try! NSRegularExpression(pattern: #"(?:19|20)\d\d年(?:度)?"#)
    private static let countPattern = try! NSRegularExpression(pattern: #"([0-9０-９]+)\s*(?:件|起|宗|个|次|例)"#)

    /// Words that deny a case.
    private static let negations = ["未发生", "未出现", "未产生", "没有", "未有", "未收到", "未接到", "未涉及", "未因", "未被", "不存在", "无"]
    /// Words that say there were none ("均为0件", "数量为零").
    private static let zeros = ["均为0", "均为零", "为0", "为零", "0件", "零件"]
    /// Words that make a denial about cases lost or reversed (败诉, 被纠错, 应诉失败, 被改判), not about the cases.
    private static let lossWords = ["败诉", "纠错", "纠正", "撤销", "违法", "改判", "失败"]
    /// Words that point to the table printed elsewhere (见附件, 见下图).
    private static let elsewhereWords = ["附件", "附图", "附表", "见下", "见附", "图"]
    /// Words of another year (上年度未发生…).
    private static let otherYearWords = ["上年", "上一年", "去年", "往年", "以前"]

    /// The sentence that says so, if the text has one, and the text states no count but 0, names no other year and
    /// points to no table elsewhere.
    ///
    /// A sentence is taken where each of 行政复议 and 行政诉讼 is denied in one of its clauses ("未收到…行政复议申请，未发生
    /// …行政诉讼", "行政复议0件，行政诉讼0件", "…数量均为零"); a clause about cases lost, or about last year, denies nothing.
    static func quote(in text: String, reportYear: Int? = nil) -> String? {
        let sentences = text.split(whereSeparator: { "。；;\n".contains($0) }).map(String.init)
        for sentence in sentences {
            let range = NSRange(sentence.startIndex..., in: sentence)
            let years = yearPattern.matches(in: sentence, range: range).compactMap { match in
                Range(match.range, in: sentence).flatMap { Int(sentence[$0].prefix(4)) }
            }
            if let reportYear, years.contains(where: { $0 != reportYear }) { return nil }
            let withoutYears = yearPattern.stringByReplacingMatches(in: sentence, range: range, withTemplate: "")
            let counts = countPattern.matches(in: withoutYears, range: NSRange(withoutYears.startIndex..., in: withoutYears)).compactMap { match in
                Range(match.range(at: 1), in: withoutYears).flatMap { Int(String(withoutYears[$0]).applyingTransform(.fullwidthToHalfwidth, reverse: false) ?? "") }
            }
            if statesACount(withoutYears) || counts.contains(where: { $0 != 0 }) { return nil }
            if elsewhereWords.contains(where: { LabelFolding.fold(sentence).includes($0) }) { return nil }
        }
        for sentence in sentences where sentence.includes("复议") && sentence.includes("诉讼") {
            var denied = Set<String>()
            var qualified = false
            for clause in sentence.split(whereSeparator: { "，,".contains($0) }).map({ LabelFolding.fold(String($0)) }) {
                if lossWords.contains(where: { clause.includes($0) }) { qualified = true; break }
                let kinds = ["复议", "诉讼"].filter { clause.includes($0) }
                guard !kinds.isEmpty else { continue }
                let negated = negations.contains { word in
                    guard let at = clause.range(of: word) else { return false }
                    return kinds.contains { kind in clause.range(of: kind).map { at.lowerBound < $0.lowerBound } ?? false }
                }
                guard negated || zeros.contains(where: { clause.includes($0) }) else { continue }
                if otherYearWords.contains(where: { clause.includes($0) }) { qualified = true; break }
                denied.formUnion(kinds)
            }
            if !qualified, denied.count == 2 { return sentence.trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }

    /// A count in Chinese numerals ("两起", "一件"): the sentence reports a case.
    private static func statesACount(_ line: String) -> Bool {
        let characters = Array(line)
        for index in characters.indices.dropLast() where "一二两三四五六七八九十百".contains(characters[index]) {
            if "件起宗个次例".contains(characters[index + 1]) { return true }
        }
        return false
    }

    /// Where table 四's rows (its section's lines) print no figure and its section says there was no case: table 四's
    /// cells are added to `report`, 0 and inferred, with an info finding; true when so.
    static func apply(to report: inout Report, rows: [TableRow]) -> Bool {
        guard !rows.contains(where: { row in row.cells.contains { CellValueParser.isFigure($0.text) } }) else { return false }
        let text = ([report.metadata.sections[4] ?? ""] + rows.map(\.joinedText)).joined(separator: "\n")
        guard let quote = quote(in: text, reportYear: report.metadata.year) else { return false }
        let format = report.formats[.requests] ?? report.formats[.active] ?? TableFormat.byYear(report.metadata.year) ?? .v2021
        report.formats[.appeals] = format
        report.cells += cells(format: format, quote: quote)
        report.findings.append(Finding(rule: .structureMissingTable, severity: .info, table: .appeals,
                                       message: "table appeals is not printed; the report says there was no case (“\(quote)”): its cells are 0, inferred"))
        return true
    }

    /// Table 四's fifteen cells, 0 and inferred, each with the sentence as its note.
    static func cells(format: TableFormat, quote: String) -> [Cell] {
        TemplateSchema.table(.appeals, format).rows.flatMap { row in
            row.columns.map { column in
                Cell(table: .appeals, row: row.code, col: column.code, value: 0, state: .number, raw: "", inferred: true,
                     note: "table 四 not printed; the report states no case: “\(quote)”")
            }
        }
    }
}
