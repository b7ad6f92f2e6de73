import Foundation

/// Table 四 left out, its section saying in words that there was no case at all ("本年度未发生因政府信息公开引起的
/// 行政复议和行政诉讼案件"). Small agencies often print that sentence in place of the table; reporting
/// `structure.missing_table` (an error) for it told the operator something false, and the analyst got no figure
/// where the report gives one: none of each kind of case. The cells are then 0, inferred from the sentence, which
/// each cell's note quotes.
///
/// Only a sentence that denies both 行政复议 and 行政诉讼 in one clause is taken, in a section that states no count,
/// names no other year and points to no table elsewhere ("未发生行政复议，行政诉讼1件", "未发生…败诉情况", "上年度未发生…",
/// "…情况见附件" are not).
///
/// ```swift
/// NoCasesStatement.quote(in: "本年度未发生因政府信息公开引起的行政复议和行政诉讼案件。")
/// // "本年度未发生因政府信息公开引起的行政复议和行政诉讼案件"
/// ```
enum NoCasesStatement {
    private static let pattern = try! NSRegularExpression(pattern:
        #"(?:未发生|未出现|未产生|没有发生|没有|未有|未收到|未涉及|无)[^，,。；;：:（）()]{0,24}?(?:复议[^，,。；;：:（）()]{0,6}?诉讼|诉讼[^，,。；;：:（）()]{0,6}?复议)"#)

    private static let yearPattern = try! NSRegularExpression(pattern: #"(?:19|20)\d\d年(?:度)?"#)
    private static let countPattern = try! NSRegularExpression(pattern: #"[0-9０-９]+\s*(?:件|起|宗|个|次|例)"#)

    /// Words that make a denial about something else than the cases themselves (败诉, 被纠错, 被撤销: cases lost), about
    /// another year (上年度), or point to the table printed elsewhere (见附件, 见下图).
    private static let otherMeanings = ["败诉", "纠错", "纠正", "撤销", "违法", "附件", "附图", "附表", "见下", "见附", "图", "上年", "上一年",
                                        "去年", "往年", "以前"]

    /// The sentence that says so, if the text has one, and no sentence of it states a count or points elsewhere.
    static func quote(in text: String, reportYear: Int? = nil) -> String? {
        let sentences = text.split(whereSeparator: { "。；;\n".contains($0) }).map(String.init)
        // A count anywhere in the section ("本年度发生行政复议3件"), or a year other than the report's: the sentence
        // does not say there was no case this year.
        for sentence in sentences {
            let years = yearPattern.matches(in: sentence, range: NSRange(sentence.startIndex..., in: sentence)).compactMap { match in
                Range(match.range, in: sentence).flatMap { Int(sentence[$0].prefix(4)) }
            }
            if let reportYear, years.contains(where: { $0 != reportYear }) { return nil }
            let withoutYears = yearPattern.stringByReplacingMatches(in: sentence, range: NSRange(sentence.startIndex..., in: sentence), withTemplate: "")
            if statesACount(withoutYears) || countPattern.firstMatch(in: withoutYears, range: NSRange(withoutYears.startIndex..., in: withoutYears)) != nil {
                return nil
            }
            if otherMeanings.contains(where: { LabelFolding.fold(sentence).includes($0) }) { return nil }
        }
        for sentence in sentences {
            // A year ("2022年，…") is no count.
            let line = yearPattern.stringByReplacingMatches(in: String(sentence), range: NSRange(sentence.startIndex..., in: sentence),
                                                            withTemplate: "")
            guard line.includes("复议"), line.includes("诉讼"),
                  !line.unicodeScalars.contains(where: { CellValueParser.isDigit($0) }),
                  !statesACount(line) else { continue }
            let range = NSRange(line.startIndex..., in: line)
            if pattern.firstMatch(in: line, range: range) != nil { return line.trimmingCharacters(in: .whitespaces) }
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
