/// Tables of another year printed beside this year's, each under (or over) a caption naming its year.
///
/// A report may print last year's table beside this year's, for comparison ("（一）2021年度情况" then "（二）2022年度情况",
/// "（上表为2021年度数据）", "表1 2021年…", "去年情况", "注：本表统计期间为2021年1月1日至2021年12月31日"). Without a look at the
/// captions the first table was kept, and a 2022 report stored 2021's figures under a mere warning. The rows under a
/// caption naming another year are left out and said:
///
/// - a caption names the rows after it, or — "上表…", "以上…", "本表…" in a table's last row — the rows above it back
///   to the previous caption; a line naming both ("上表为2021年度数据，下表为2022年度数据") does both;
/// - a caption that does not say which way ("（2021年度）") goes the way the report's other captions go: backwards
///   when a caption follows the last table, forwards otherwise;
/// - where a caption names this year, only its rows and the uncaptioned ones are read; where captions name only
///   another year, its rows are left out when the uncaptioned rows print the same table again (else the caption is
///   taken for prose about the one table).
///
/// What no caption settles, two tables printing different figures, ``TableReader`` leaves unstored cell by cell.
extension TableReader {
    /// The "year" of a table captioned as another agency's or area's (``OtherScopeCaption``).
    static let otherScope = -1

    /// A caption's years: of the rows before it (`back`), of the rows after it (`forward`), or of an unknown side.
    struct Caption: Equatable {
        var back: Int?
        var forward: Int?
        var undirected: Int?
    }

    /// The rows to read, the other years whose captioned rows were left out, and whether an uncaptioned print was
    /// left out (only this year's print captioned).
    func rowsOfReportYear(_ rows: [TableRow]) -> (rows: [TableRow], leftOut: [Int], uncaptionedLeftOut: Bool) {
        guard let year else { return (rows, [], false) }
        let captions = rows.map { row -> Caption? in
            guard var caption = Self.caption(row, reportYear: year) else { return nil }
            // Another agency's or area's table: not the report's, whatever year it names.
            if let text = row.cells.first(where: { !$0.text.isEmpty })?.text, OtherScopeCaption.isOtherScope(text, agency: agency) {
                caption = Caption(back: caption.back.map { _ in Self.otherScope }, forward: caption.forward.map { _ in Self.otherScope },
                                  undirected: caption.undirected.map { _ in Self.otherScope })
            }
            return caption
        }
        guard captions.contains(where: { $0 != nil }) else { return (rows, [], false) }
        let hasFigures = rows.map { $0.cells.contains { CellValueParser.isFigure($0.text) } }
        // Undirected captions follow the report's habit: after the tables if one follows the last row of figures.
        let lastFigures = hasFigures.lastIndex(of: true) ?? -1
        let captionsAfter = captions.indices.contains { $0 > lastFigures && captions[$0] != nil }
        var assigned: [Int?] = Array(repeating: nil, count: rows.count)
        // Captions before tables, waiting for theirs: two in a row ("2021年度", "2022年度" over two tables side by side)
        // name the next two tables in turn.
        var queued: [Int] = []
        var queueUsed = false
        var scope = TableScope()
        var sinceCaption = 0
        for (index, caption) in captions.enumerated() {
            guard var caption else {
                // A caption before a table names that table: in a page of tables, its scope ends where the next table
                // starts after one with figures.
                if !queued.isEmpty, !scope.admits(rows[index], hasFigures: hasFigures[index]) {
                    queued.removeFirst()
                    scope = TableScope()
                    _ = scope.admits(rows[index], hasFigures: hasFigures[index])
                }
                assigned[index] = queued.first
                if hasFigures[index] { queueUsed = true }
                continue
            }
            if let undirected = caption.undirected {
                if captionsAfter { caption.back = undirected } else { caption.forward = undirected }
            }
            if let back = caption.back {
                // The table above, back to the previous caption or the start of that table.
                var above = TableScope()
                for row in stride(from: index - 1, through: sinceCaption, by: -1) {
                    guard above.admits(rows[row], hasFigures: hasFigures[row]) else { break }
                    assigned[row] = back
                }
            }
            assigned[index] = caption.forward ?? caption.back
            if let forward = caption.forward {
                if queueUsed { queued = [] }
                queued.append(forward)
            } else {
                queued = []
            }
            queueUsed = false
            scope = TableScope()
            sinceCaption = index + 1
        }
        let years = Set(zip(assigned, hasFigures).compactMap { $1 ? $0 : nil })
        guard !years.isEmpty else { return (rows, [], false) }
        if years == [year] {
            // Only this year's table is captioned: uncaptioned rows that print the same table again are another year's.
            let captioned = rows.indices.filter { assigned[$0] != nil && hasFigures[$0] }
            let captionedLabels = Set(captioned.map { Self.rowLabel(rows[$0]) })
            let repeats = rows.indices.filter { assigned[$0] == nil && hasFigures[$0] && captionedLabels.contains(Self.rowLabel(rows[$0])) }
            guard !repeats.isEmpty, repeats.count * 2 >= captioned.count else { return (rows, [], false) }
            // A reprint that gives the same figures (an appendix "附件：2022年度…统计表") is this year's too: both are read,
            // and compared cell by cell.
            let figures = { (row: TableRow) in row.cells.filter { CellValueParser.isFigure($0.text) || $0.text.isEmpty }
                .map { CellValueParser.parse($0.text).value ?? 0 } }
            let captionedFigures = Dictionary(captioned.map { (Self.rowLabel(rows[$0]), figures(rows[$0])) }, uniquingKeysWith: { first, _ in first })
            if repeats.allSatisfy({ captionedFigures[Self.rowLabel(rows[$0])] == figures(rows[$0]) }) { return (rows, [], false) }
            let dropped = Set(repeats)
            return (rows.indices.filter { !dropped.contains($0) }.map { rows[$0] }, [], true)
        }
        if years.contains(year) {
            let kept = zip(rows, assigned).filter { $0.1 == nil || $0.1 == year }.map(\.0)
            return (kept, years.subtracting([year]).sorted(), false)
        }
        // Another agency's or area's table is left out even where it is the only print (a town's report that says it
        // had no case, with its county's table appended): it is never the report's.
        if years.contains(Self.otherScope) {
            let kept = zip(rows, assigned).filter { $0.1 != Self.otherScope }.map(\.0)
            let rest = years.subtracting([Self.otherScope])
            let (rows, leftOut, uncaptioned) = rest.isEmpty ? (kept, [], false) : rowsOfReportYear(kept)
            return (rows, [Self.otherScope] + leftOut, uncaptioned)
        }
        // Only other years are captioned: their rows are another year's table only if the uncaptioned rows print the
        // same table (a repeat of its labels, at least as many rows of figures).
        let uncaptioned = rows.indices.filter { assigned[$0] == nil && hasFigures[$0] }
        let captioned = rows.indices.filter { assigned[$0] != nil && hasFigures[$0] }
        let uncaptionedLabels = Set(uncaptioned.map { Self.rowLabel(rows[$0]) })
        let repeated = captioned.filter { uncaptionedLabels.contains(Self.rowLabel(rows[$0])) }.count
        guard uncaptioned.count >= captioned.count, repeated * 2 >= captioned.count else { return (rows, [], false) }
        let kept = rows.indices.filter { assigned[$0] == nil }.map { rows[$0] }
        return (kept, years.sorted(), false)
    }

    /// A row's words without its figures, folded: the same row of a table printed twice has the same.
    private static func rowLabel(_ row: TableRow) -> String {
        LabelFolding.fold(row.cells.filter { !CellValueParser.isFigure($0.text) }.map(\.text).joined())
    }

    /// The rows one caption can name: those of one table of the page — a header-only table and the table of
    /// figures after it count as one — or, in text, any run of rows.
    struct TableScope {
        private var table: Int??
        private var hadFigures = false

        /// Whether `row` still belongs to the scope (and takes it in).
        mutating func admits(_ row: TableRow, hasFigures: Bool) -> Bool {
            if let index = row.tableIndex {
                if let seen = table, let seenIndex = seen, seenIndex != index, hadFigures { return false }
                if table == nil || table! != index { table = .some(index); hadFigures = false }
            }
            if hasFigures { hadFigures = true }
            return true
        }
    }

    /// The year a caption line names ("（一）2021年度情况", "二〇二一年", "表1 2021年…", "2021年1月1日至12月31日"; with the
    /// report's year known, "本年度情况", "上年度情况", "去年", "今年" too): a line of one cell, no figure but its year.
    /// (Kept for table 四's rows per year, whose labels are such captions.)
    static func captionYear(_ row: TableRow, reportYear: Int? = nil) -> Int? {
        guard let caption = caption(row, reportYear: reportYear) else { return nil }
        return caption.undirected ?? caption.forward ?? caption.back
    }

    /// Words that make a caption name the table above it.
    private static let backWords = ["上表", "以上", "上述", "本表"]
    /// Words that make a caption name the table below it.
    private static let forwardWords = ["下表", "如下", "以下", "列示"]

    /// The caption a row is, if it is one: one filled cell, each clause of which names one year.
    static func caption(_ row: TableRow, reportYear: Int? = nil) -> Caption? {
        var only: String?
        for cell in row.cells where !cell.text.isEmpty {
            guard only == nil else { return nil }
            only = cell.text
        }
        // (Asked of every row with one cell: a paragraph is let go before its characters are looked at.)
        guard let only, only.utf8.count <= 4 * 48 else { return nil }
        // Every year a clause names is written with 年 (2021年, 本年度, 上年): a line without it names none — unless
        // folding could make one (a compatibility ideograph that NFKC maps to 年; traditional forms never do).
        guard only.includes("年") || !LabelFolding.foldsWithoutNormalization(only) else { return nil }
        var text = MetadataReader.arabicYears(only)
        guard text.count <= 48 else { return nil }
        // A note of the data's cut-off date ("数据截至2022年12月31日") names no table's year, nor is it always the table's
        // next to it: no caption.
        if ["截至", "截止", "年底"].contains(where: { text.includes($0) }) { return nil }
        // A remark in brackets beside a caption ("本年度情况（2021年度情况附后）") is not the caption.
        let outside = RunTogetherRegion.withoutBracketed(text)
        if !LabelFolding.fold(outside).isEmpty { text = outside }
        var caption = Caption()
        let clauses = text.split(whereSeparator: { "，,；;。".contains($0) }).map(String.init)
        guard clauses.count <= 3 else { return nil }
        for clause in clauses {
            let folded = LabelFolding.fold(clause)
            guard let year = clauseYear(folded, reportYear: reportYear) else {
                // A clause that names no year makes no caption of the line, unless it is a short lead-in ("为便于对比").
                if folded.count > 8 || folded.contains(where: { $0.isASCII && $0.isNumber }) { return nil }
                continue
            }
            let body = folded.hasPrefix("注") ? String(folded.dropFirst()) : folded
            if backWords.contains(where: { body.hasPrefix($0) || body.includes($0 + "为") || body.hasSuffix("见" + $0) || body.hasSuffix($0) }) {
                caption.back = year
            } else if forwardWords.contains(where: { body.includes($0) }) {
                caption.forward = year
            } else if clauses.count == 1, Self.isTableNumber(folded) || Self.isBracketed(text) {
                // "（2021年度）", "表1 2021年…": printed above or under the table, as the report's other captions are.
                caption.undirected = year
            } else {
                caption.forward = year
            }
        }
        return caption == Caption() ? nil : caption
    }

    /// A line wrapped whole in brackets ("（2021年度）").
    private static func isBracketed(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return false }
        return "（(".contains(first) && "）)".contains(last)
    }

    /// A clause that starts with a table number ("表1", "表一").
    private static func isTableNumber(_ folded: String) -> Bool {
        guard folded.hasPrefix("表"), let next = folded.dropFirst().first else { return false }
        return next.isNumber || "一二三四五六七八九十".contains(next)
    }

    /// The one year a folded clause names: four-digit years (all the same), month and day figures allowed beside
    /// them, no other figure; or, with the report's year, a word for this year or last (本年度, 今年, 上年度, 去年…)
    /// followed by nothing but caption words.
    private static func clauseYear(_ folded: String, reportYear: Int?) -> Int? {
        var text = Substring(folded)
        // A table number ("表1", "表一") is no figure of the caption.
        if isTableNumber(folded) { text = text.dropFirst(2) }
        let scalars = Array(text.unicodeScalars)
        var found: Int?
        var index = 0
        var anyDigit = false
        while index < scalars.count {
            guard CellValueParser.isDigit(scalars[index]) else { index += 1; continue }
            anyDigit = true
            var end = index
            while end < scalars.count, CellValueParser.isDigit(scalars[end]) { end += 1 }
            let digits = String(String.UnicodeScalarView(scalars[index..<end]))
            let next = end < scalars.count ? scalars[end] : " "
            if next == "年" {
                guard digits.count == 4, let value = Int(digits), (2000...2099).contains(value), found == nil || found == value else { return nil }
                found = value
            } else if !(next == "月" || next == "日" || next == "号") || digits.count > 2 {
                return nil
            }
            index = end
        }
        if anyDigit {
            // A year beside a word for this year or last ("本年度情况如下与2021年对比") says two things.
            if reportYear != nil, ["本年", "今年", "上年", "去年", "上一年"].contains(where: { String(text).includes($0) }) { return nil }
            return found
        }
        guard let reportYear else { return nil }
        // Relative words: the whole clause is the word with caption words around it, never a row's label
        // (二、上年结转政府信息公开申请数量 starts with 上年).
        var rest = text.drop { "一二三四五六七八九十、".contains($0) }
        for prefix in ["注", "上表为", "下表为", "以上为", "以下为", "本表为", "上表", "以上", "为", "现将", "是"] where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
        }
        let words: [(String, Int)] = [("上一年度", -1), ("上年度", -1), ("上一年", -1), ("上年", -1), ("去年", -1), ("往年", -1),
                                      ("本年度", 0), ("本年", 0), ("今年", 0), ("当年", 0)]
        guard let (word, offset) = words.first(where: { rest.hasPrefix($0.0) }) else { return nil }
        let tail = rest.dropFirst(word.count)
        let captionTails: Set<Substring> = ["", "度", "情况", "数据", "度情况", "度数据", "统计", "统计数据", "情况如下", "数据如下", "如下",
                                            "对比", "数据对比", "情况对比", "一并列出", "情况一并列出"]
        return captionTails.contains(tail) ? reportYear + offset : nil
    }
}
