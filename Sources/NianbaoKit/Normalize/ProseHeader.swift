/// A header printed as space-aligned text (PDF text, `pdftotext -layout`), whose lines are prose to the splitter:
/// its column names are cut into pieces over two or three lines ("科研 商业 社会公 法律服 其 总计" above
/// "机构 企业 益组织 务机构 他"), and the characters of a line do not keep their columns, so the pieces cannot be
/// joined again. Their order on a line still holds: where it is not the template's (科研机构 before 商业企业,
/// 复议后起诉 before 未经复议直接起诉), figures placed by position would sit under the wrong names.
///
/// ```swift
/// PrintedColumns.proseHeaderContradicts([TableRow(texts: ["项加第四项之和） 然 科研 商业 社会公 法律服 其 总计"])], table: .requests)
/// // true
/// ```
extension PrintedColumns {
    /// Whether a line of words above the table's first row of figures names two columns in the other order than the
    /// template's. Only lines of loose text are looked at (a grid's or a tab export's header has its own cells).
    static func proseHeaderContradicts(_ rows: [TableRow], table: TableCode) -> Bool {
        let template = templateCodes[table] ?? []
        for row in rows {
            let filled = row.cells.filter { !$0.text.isEmpty }
            if filled.contains(where: { CellValueParser.isFigure($0.text) }) { break }
            guard row.tableIndex == nil, filled.count == 1 else { continue }
            let words = filled[0].text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
            guard words.count >= 2 else { continue }
            var named: [Int: String] = [:]
            for (index, word) in words.enumerated() {
                if let code = proseCode(word, table: table) { named[index] = code }
            }
            if named.count >= 2, contradicts(named, template: template) { return true }
        }
        return false
    }

    /// Each table's column codes in template order, over both formats (table 四's as row.column): worked out once.
    private static let templateCodes: [TableCode: [String]] = Dictionary(uniqueKeysWithValues: TableCode.allCases.map { table in
        (table, TemplateSchema.tables.filter { $0.code == table }.flatMap { definition in
            definition.rows.flatMap { row in row.columns.map { table == .appeals ? "\(row.code).\($0.code)" : $0.code } }
        })
    })

    /// The column a piece of a header name stands for: a word of two to eight characters that names one column
    /// (``code(of:among:)``: held by one name or holding it), or for table 四 the kind of case it names.
    static func proseWordCode(_ word: String, table: TableCode, columns: [(code: String, folded: String)]) -> String? {
        let folded = LabelFolding.fold(word)
        guard (2...8).contains(folded.count) else { return nil }
        if table == .appeals {
            if folded.includes("复议后") { return "suit_after_review" }
            if folded.includes("直接起诉") || folded.includes("未经复议") || folded.includes("行政诉讼") { return "suit_direct" }
            if folded.includes("行政复议") { return "review" }
            return nil
        }
        return code(of: word, among: columns)
    }

    /// ``proseWordCode(_:table:columns:)`` over the table's candidate columns, remembered across the run's reports: a
    /// label row with one filled cell is read as header words in every report, and working a word out folds it and
    /// searches every column name (2 % of a run).
    static func proseCode(_ word: String, table: TableCode) -> String? {
        proseCodes.value(for: ProseWord(table: table, word: ExactText(word))) { key in
            proseWordCode(key.word.text, table: key.table, columns: candidates[key.table] ?? [])
        }
    }

    private struct ProseWord: Hashable {
        var table: TableCode
        var word: ExactText
    }

    private static let proseCodes = SharedMemo<ProseWord, String?>(capacity: 50_000)

    /// Whether a header row of table 四 (its cells, or a line's words) names the kinds of case (复议后起诉 before
    /// 未经复议直接起诉) or the results (结果纠正 before 结果维持) in another order than the template's — wherever the row
    /// stands (a header table of its own, a unit line between it and the figures, a label column that puts it out of
    /// line): figures placed by the template's positions would then sit under the wrong names.
    /// Table 四's result names, folded, in template order, and each one's rank (worked out once, not per header line).
    private static let appealResultNames = TemplateSchema.appealColumns.map { LabelFolding.fold($0.label) }
    private static let appealResultRank = Dictionary(uniqueKeysWithValues: appealResultNames.enumerated().map { ($1, $0) })

    static func appealHeaderRowContradicts(_ words: [String]) -> Bool {
        let kindRank = ["review": 0, "suit_direct": 1, "suit_after_review": 2]
        // Results by their whole names only: PDF text cuts them over lines, and the pieces of a line ("维持 纠正 结果 审结
        // 结果 结果 其他 尚未") come from different columns.
        let fullResultRank = appealResultRank
        var lastKind = -1
        var lastResult = -1
        // Whole result names read as a line's order only where it prints three of them or more ("总计 总计" is two
        // blocks' last pieces).
        let namesResults = Set(words.compactMap { fullResultRank[LabelFolding.fold($0)] }).count >= 3
        for word in words {
            let folded = LabelFolding.fold(word)
            guard (2...10).contains(folded.count) else { continue }
            if let kind = proseCode(word, table: .appeals), let rank = kindRank[kind] {
                if rank < lastKind { return true }
                lastKind = rank
                lastResult = -1
            } else if namesResults, let rank = fullResultRank[folded] {
                // Results run in template order within a block, which starts with 结果维持 (a repeat of it starts the
                // next block).
                if rank != 0, rank <= lastResult || lastResult < 0 { return true }
                lastResult = rank
            }
        }
        return resultPieceRuns(words) > 3
    }

    /// How many runs of results in template order a line's pieces of result names make ("结果纠 结果维 其他结 尚未审 总计
    /// 结果维 …" above "正 持 果 结 …" where narrow columns cut the names): a piece counts where it belongs to one result
    /// name only ("纠", "正", "维持", "其他", "审结", "计"; not "结果" or "结"). Each of the three blocks prints its
    /// results left to right in template order, so a line of them makes at most three runs; a fourth means a block
    /// printed two results the other way round, whichever pieces the line holds.
    ///
    /// ```swift
    /// PrintedColumns.resultPieceRuns(["正", "持", "果", "结", "持", "正", "果", "结", "持", "正"])  // 4
    /// ```
    static func resultPieceRuns(_ words: [String]) -> Int {
        let names = appealResultNames
        var runs = 0
        var last = Int.max
        var lastPiece = ""
        for word in words {
            let folded = LabelFolding.fold(word)
            guard (1...4).contains(folded.count) else { continue }
            let holders = names.indices.filter { names[$0].includes(folded) }
            guard holders.count == 1, let rank = holders.first else { continue }
            // The same result again is a new run, unless the two pieces are one name spaced out ("总 计").
            if rank < last || (rank == last && !names[rank].includes(lastPiece + folded)) { runs += 1 }
            last = rank
            lastPiece = folded
        }
        return runs
    }

    /// Whether two header rows of table 二 or 三 name two of its columns in opposite orders (a flat line 自然人 | 科研机构 |
    /// 商业企业 under the three-line header's 商业企业 | 科研机构): the header contradicts itself, whichever row one follows.
    /// Rows are compared by order only, so text whose lines lost their columns is judged too.
    static func headerRowsDisagree(_ rows: [TableRow], table: TableCode) -> Bool {
        let memo = CodeMemo(table)
        // Rows of one header block only (consecutive rows without figures): each block of table 二 has its own header.
        var orders: [[String]] = []
        for row in rows {
            let filled = row.cells.filter { !$0.text.isEmpty }
            guard !filled.contains(where: { CellValueParser.isFigure($0.text) }) else {
                if disagree(orders) { return true }
                orders = []
                continue
            }
            let words = filled.count == 1 ? filled[0].text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init) : filled.map(\.text)
            var order: [String] = []
            for word in words {
                guard let code = filled.count == 1 ? proseCode(word, table: table) : memo.code(word),
                      !order.contains(code) else { continue }
                order.append(code)
            }
            if order.count >= 2 { orders.append(order) }
        }
        return disagree(orders)
    }

    /// Whether two of the orders put two shared columns the other way round.
    private static func disagree(_ orders: [[String]]) -> Bool {
        for (index, first) in orders.enumerated() {
            for second in orders[(index + 1)...] where first.filter(second.contains) != second.filter(first.contains) { return true }
        }
        return false
    }
}
