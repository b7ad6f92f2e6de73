/// The columns of a table as its header prints them, by grid column.
///
/// Figures are placed by position in the template's column order, which is what nearly every report prints. Some
/// print another order — 现行有效件数 before 本年制发件数, 科研机构 before 商业企业, 行政诉讼 before 行政复议, 总计
/// first — and position alone then puts every figure of the row in the wrong column. The header rows above a
/// block of value rows (consecutive rows without a figure, of two cells or more) name each grid column; a cell
/// spanning columns names all of them, and the lowest label that names a template column is the column's
/// (法人或其他组织 above 科研机构: research). The readers use this only where it explains every figure of a row
/// and differs from the template's order.
///
/// ```swift
/// let stacks = PrintedColumns.headerStacks(rows, table: .active)   // per row: grid column → header labels, top to bottom
/// PrintedColumns.columnCodes(stacks[3]!, table: .active)   // [2: "in_force", 3: "issued", 4: "repealed"]
/// ```
enum PrintedColumns {
    /// ``code(of:among:)`` of the labels of one table's header, each worked out once: a header block's labels were
    /// looked up again for its stacks, its columns and its permutations (a tenth of a run's instructions).
    /// Behind it, the codes of every header label of the run's reports: the template's headers recur in nearly every
    /// report.
    final class CodeMemo {
        let table: TableCode
        let columns: [(code: String, folded: String)]
        private var codes: [ExactText: String?] = [:]

        init(_ table: TableCode) {
            self.table = table
            columns = candidates[table] ?? []
        }

        func code(_ label: String) -> String? {
            let key = ExactText(label)
            if let known = codes[key] { return known }
            let found = PrintedColumns.runCodes.value(for: LabelKey(table: table, label: key)) { _ in
                PrintedColumns.code(of: label, among: columns)
            }
            codes[key] = .some(found)
            return found
        }
    }

    private struct LabelKey: Hashable {
        var table: TableCode
        var label: ExactText
    }

    /// ``code(of:among:)`` of the header labels met in this run, by table.
    private static let runCodes = SharedMemo<LabelKey, String?>(capacity: 50_000)

    /// The slot index ``TableReader/indicesByHeader(_:columns:)`` gives a column the header does not print.
    static let unprinted = -2

    /// The code a grid column gets when two of its header labels name different columns (结果纠正 over 结果维持: two
    /// header lines that disagree): no column at all, and the header then contradicts the template (``contradicts``).
    static let disagreeing = "?"

    /// Header words of a column that is the sum of others printed beside them (小计 under 法人或其他组织): its
    /// figures are no column of the template, and are left aside.
    static let subtotalWords = ["小计"]

    /// Whether a header label names a subtotal (``subtotalWords``), remembered across the run's reports (each header
    /// column's lowest label is asked twice per table, and folded each time).
    static func isSubtotal(_ label: String) -> Bool {
        subtotalLabels.value(for: ExactText(label)) { key in subtotalWords.contains { LabelFolding.fold(key.text).includes($0) } }
    }

    private static let subtotalLabels = SharedMemo<ExactText, Bool>(capacity: 50_000)

    /// For each row: the header above it (grid column → labels, top to bottom), nil where none is printed.
    ///
    /// A cell spanning columns names each of them. Text exports lose the spans: there a label that names no column
    /// of `table` (行政诉讼, 复议后起诉, 法人或其他组织) stands for the empty cells after it, up to the next label or
    /// the table's last column.
    static func headerStacks(_ rows: [TableRow], table: TableCode) -> [[Int: [String]]?] {
        let (blocks, rowBlocks) = headerBlocks(rows, table: table)
        return rowBlocks.map { $0.map { blocks[$0] } }
    }

    /// Per row: grid column → column code (``columnCodes(_:table:)`` or, for table 四, ``appealKinds(_:)`` and
    /// ``appealCodes(_:)``) and the subtotal columns, worked out once per header block: every row under a header
    /// shares it (worked out per row, it doubled the normalize stage's time).
    static func printedColumns(_ rows: [TableRow], table: TableCode) -> [(codes: [Int: String], subtotals: Set<Int>)?] {
        let memo = CodeMemo(table)
        let (blocks, rowBlocks) = headerBlocks(rows, table: table, memo: memo)
        let read = blocks.map { stacks -> (codes: [Int: String], subtotals: Set<Int>) in
            let codes = table == .appeals
                // A result known without its kind of case stays a bare result ("upheld"): table 四 printed a row per
                // kind of case, its results as the columns.
                ? columnCodes(stacks, table: .appeals, memo: memo).merging(appealKinds(stacks)) { $1 }
                    .merging(appealCodes(stacks, memo: memo).mapValues { $0.row == disagreeing ? disagreeing : "\($0.row).\($0.col)" }) { $1 }
                : columnCodes(stacks, table: table, memo: memo)
            let subtotals = Set(stacks.filter { _, labels in
                labels.last.map(isSubtotal) ?? false
            }.keys)
            return (codes, subtotals)
        }
        return rowBlocks.map { $0.map { read[$0] } }
    }

    /// The header blocks of a table's rows (grid column → labels, top to bottom) and each row's block, built once
    /// per block.
    private static func headerBlocks(_ rows: [TableRow], table: TableCode, memo: CodeMemo? = nil) -> (blocks: [[Int: [String]]], rowBlocks: [Int?]) {
        let memo = memo ?? CodeMemo(table)
        var width: [Int?: Int] = [:]
        for row in rows {
            let last = row.cells.compactMap { cell in cell.column.map { $0 + max(1, cell.span) - 1 } }.max() ?? 0
            width[row.tableIndex] = max(width[row.tableIndex] ?? 0, last)
        }
        var blocks: [[Int: [String]]] = []
        var rowBlocks: [Int?] = []
        var header: [[RowCell]] = []
        var built: Int?
        var headerEnded = true
        var previousTable: Int??
        for row in rows {
            if let previous = previousTable, previous != row.tableIndex {
                // A table of header rows only, then the figures in a table of their own as wide (a Word page's
                // header and body pasted as two tables): the header is the next table's.
                let headerOnly = !headerEnded && !header.isEmpty && width[previous] == width[row.tableIndex]
                if !headerOnly { header = []; headerEnded = true }
                built = nil
            }
            previousTable = .some(row.tableIndex)
            let filled = row.cells.filter { !$0.text.isEmpty && $0.column != nil && !isNote($0.text) }
            if filled.count >= 2, !filled.contains(where: { CellValueParser.isFigure($0.text) }) {
                // A header after value rows starts a new block.
                if headerEnded { header = [] }
                headerEnded = false
                built = nil
                header.append(filled)
                rowBlocks.append(nil)
                continue
            }
            headerEnded = true
            guard !header.isEmpty else { rowBlocks.append(nil); continue }
            if let built { rowBlocks.append(built); continue }
            var stacks: [Int: [String]] = [:]
            let lastColumn = width[row.tableIndex] ?? 0
            for cells in header {
                for (index, cell) in cells.enumerated() {
                    let start = cell.column!
                    var end = start + max(1, cell.span) - 1
                    if cell.span <= 1, memo.code(cell.text) == nil {
                        end = max(end, (index + 1 < cells.count ? cells[index + 1].column! - 1 : lastColumn))
                    }
                    for covered in start...max(start, end) { stacks[covered, default: []].append(cell.text) }
                }
            }
            blocks.append(stacks)
            built = blocks.count - 1
            rowBlocks.append(built)
        }
        return (blocks, rowBlocks)
    }

    /// A header cell that is a note, not a column's name ("注：结果纠正、结果维持均以决定书送达为准"): marked as one, or
    /// longer than any name once its bracketed remarks are set aside. Its words would name columns it does not head.
    private static func isNote(_ text: String) -> Bool {
        // Asked of every cell of every row: most are short and start otherwise, and are let through unfolded.
        // (The bytes first: `hasPrefix` compares grapheme clusters, and this is asked of every header cell.)
        let mayOpenNote = text.utf8.starts(with: "注".utf8) || text.utf8.starts(with: "说明".utf8) || text.utf8.starts(with: "备注".utf8)
        guard text.utf8.count > 60 || (mayOpenNote && (text.hasPrefix("注") || text.hasPrefix("说明") || text.hasPrefix("备注"))) else {
            return false
        }
        let folded = LabelFolding.fold(text)
        if ["注", "说明", "备注"].contains(where: { folded.hasPrefix($0) }) { return true }
        return folded.count > 20 && LabelFolding.fold(RunTogetherRegion.withoutBracketed(text)).count > 20
    }

    /// Whether the header names, left to right, two of `template`'s columns in the other order (总计 before 自然人,
    /// 现行有效件数 before 本年制发件数): figures placed by the template's positions would then be under the wrong names.
    /// For table 四 the kinds of case count too (行政诉讼's 复议后起诉 before 未经复议直接起诉), in their order only.
    static func contradicts(_ printed: [Int: String], template: [String]) -> Bool {
        // Asked for every row placed: no dictionary is built and nothing sorted (it was 7 % of a run's instructions);
        // the grid columns are walked left to right and each code found in the template, fifteen codes at most.
        guard printed.count >= 2 || printed.values.contains(disagreeing), let first = printed.keys.min(), let last = printed.keys.max()
        else { return false }
        var highest = -1
        var highestKind = -1
        // Only table 四's template names kinds ("review.upheld"): their order, worked out once per call.
        let kinds = template.contains(where: { $0.utf8.contains(0x2E) }) ? templateKinds(template) : []
        for column in first...last {
            guard let code = printed[column] else { continue }
            if code == disagreeing { return true }
            // Table 四's kinds of case ("suit_direct", or the kind of "suit_direct.upheld"): their order left to right
            // holds even where a text header's lost spans put them out of line with the results.
            if !kinds.isEmpty, let position = kinds.firstIndex(of: code.utf8.firstIndex(of: 0x2E).map { code[..<$0] } ?? Substring(code)) {
                if position < highestKind { return true }
                highestKind = position
            }
            guard let position = template.firstIndex(of: code) else { continue }
            if position < highest { return true }
            highest = max(highest, position)
        }
        return false
    }

    /// The kinds of case `template` names in "kind.result" codes, in their first-met order (a code's kind is the part
    /// before its dot, or the code itself); empty where the template names none.
    private static func templateKinds(_ template: [String]) -> [Substring] {
        var seen: [Substring] = []
        for entry in template {
            guard let dot = entry.utf8.firstIndex(of: 0x2E) else { continue }
            let entryKind = entry[..<dot]
            if !seen.contains(entryKind) { seen.append(entryKind) }
        }
        return seen
    }

    /// Grid column → column code of `table`, for the columns whose labels name one column unambiguously.
    static func columnCodes(_ stacks: [Int: [String]], table: TableCode, memo: CodeMemo? = nil) -> [Int: String] {
        let memo = memo ?? CodeMemo(table)
        var result: [Int: String] = [:]
        for (column, labels) in stacks {
            // A subtotal column names no column of the template, whatever the group label above it says.
            if let last = labels.last, isSubtotal(last) { continue }
            for label in labels.reversed() {
                if let code = memo.code(label) {
                    result[column] = code
                    break
                }
            }
        }
        for column in permutedColumns(stacks, memo: memo) { result[column] = disagreeing }
        return result
    }

    /// The columns under two header lines that name the same columns in another arrangement (结果纠正 | 结果维持 over
    /// 结果维持 | 结果纠正): the header contradicts itself there, and no line of it can be trusted. Lines that name
    /// different columns over each other (自然人 | 总计 over 商业企业 | 社会公益组织: a text export's lines out of line)
    /// are no contradiction; the lowest label is the column's, as before.
    static func permutedColumns(_ stacks: [Int: [String]], memo: CodeMemo) -> Set<Int> {
        var differing: [(column: Int, upper: String, lower: String)] = []
        for (column, labels) in stacks {
            let codes = labels.compactMap { memo.code($0) }
            guard let upper = codes.first, let lower = codes.last, upper != lower else { continue }
            differing.append((column, upper, lower))
        }
        guard differing.count >= 2, Set(differing.map(\.upper)) == Set(differing.map(\.lower)) else { return [] }
        return Set(differing.map(\.column))
    }

    /// Grid column → (row, column) of table 四: the kind of case from the upper labels (行政复议, 未经复议直接起诉,
    /// 复议后起诉), the result from the lowest.
    static func appealCodes(_ stacks: [Int: [String]], memo: CodeMemo? = nil) -> [Int: (row: String, col: String)] {
        let memo = memo ?? CodeMemo(.appeals)
        var result: [Int: (row: String, col: String)] = [:]
        for (column, labels) in stacks {
            guard let last = labels.last, let col = memo.code(last), let row = caseKind(labels.dropLast()) else { continue }
            result[column] = (row, col)
        }
        for column in permutedColumns(stacks, memo: memo) { result[column] = (disagreeing, disagreeing) }
        return result
    }

    /// Grid column → kind of case of table 四 printed the other way round (a column per kind of case, a row per
    /// result): 行政复议, 未经复议直接起诉, 复议后起诉.
    static func appealKinds(_ stacks: [Int: [String]]) -> [Int: String] {
        stacks.compactMapValues { caseKind($0[...]) }
    }

    /// The kind of case a column's header labels name: 复议后起诉, 未经复议直接起诉, or 行政复议 alone.
    private static func caseKind(_ labels: ArraySlice<String>) -> String? {
        let folded = labels.map(LabelFolding.fold)
        if folded.contains(where: { $0.includes("复议后") }) { return "suit_after_review" }
        if folded.contains(where: { $0.includes("直接起诉") || $0.includes("未经复议") }) { return "suit_direct" }
        if folded.contains(where: { $0.includes("行政复议") || $0 == "复议" }), !folded.contains(where: { $0.includes("诉讼") }) { return "review" }
        return nil
    }

    /// The one column whose template label the header label holds, or is held by (the longest such label wins;
    /// two columns as good are no answer).
    /// A bracketed note is no part of the name ("商业企业（含个体工商户…法律服务机构以外的企业）"); a label that holds
    /// the names of two columns (a note such as "总计=自然人+法人或其他组织") names neither.
    static func code(of label: String, among columns: [(code: String, folded: String)]) -> String? {
        let folded = LabelFolding.fold(RunTogetherRegion.withoutBracketed(label))
        let named = Set(columns.filter { folded.includes($0.folded) }.map(\.code))
        guard named.count <= 1 else { return nil }
        // Group labels over several columns name none of them (法人或其他组织 holds 其他).
        guard folded.count >= 2, !groupLabels.contains(folded) else { return nil }
        var best: (code: String, length: Int)?
        var tied = false
        for column in columns where folded.includes(column.folded) || column.folded.includes(folded) {
            let length = min(column.folded.count, folded.count)
            if best == nil || length > best!.length {
                best = (column.code, length)
                tied = false
            } else if length == best!.length, column.code != best!.code {
                tied = true
            }
        }
        return tied ? nil : best?.code
    }

    private static let groupLabels: Set<String> = Set(["法人或其他组织", "申请人情况", "申请人"].map(LabelFolding.fold))

    /// Shorter and other names headers print for the template's columns.
    private static let aliases: [TableCode: [(code: String, label: String)]] = [
        .appeals: [("upheld", "维持"), ("upheld", "维持原行政行为"), ("corrected", "纠正"), ("pending", "未结"), ("pending", "未审结"),
                   ("total", "合计")],
        .active: [("issued", "制发"), ("issued", "发布件数"), ("repealed", "废止"), ("in_force", "有效件数"), ("change", "增减"),
                  ("prev_items", "上一年项目"), ("decisions", "处理决定")],
        .requests: [("commercial", "企业"), ("research", "科研"), ("public_interest", "公益"), ("legal_services", "法律机构"),
                    ("legal_services", "律师事务所"), ("other_org", "其他组织"), ("total", "合计")],
    ]

    /// Each table's column codes and folded labels, both formats, and their ``aliases``.
    static let candidates: [TableCode: [(code: String, folded: String)]] = {
        var result: [TableCode: [(code: String, folded: String)]] = [:]
        for (table, names) in aliases {
            result[table, default: []] += names.map { (code: $0.code, folded: LabelFolding.fold($0.label)) }
        }
        for definition in TemplateSchema.tables {
            for column in definition.rows.flatMap(\.columns) {
                let entry = (code: column.code, folded: LabelFolding.fold(column.label))
                if !(result[definition.code] ?? []).contains(where: { $0.code == entry.code && $0.folded == entry.folded }) {
                    result[definition.code, default: []].append(entry)
                }
            }
        }
        return result
    }()
}

extension RowLayout {
    /// A row of a laid-out grid (HTML, Word): its cells keep their columns. Text and markdown rows (read from lines)
    /// lose the cells a span covered.
    var isGridRow: Bool { tableIndex != nil && origin?.line == nil }
}

extension TableReader {
    /// Slot index per column where the header above the row names each slot's column (``PrintedColumns``): every
    /// slot with text under a distinct column of the row, every column of the row named once, in an order other
    /// than the template's. Nil otherwise (the figures are then placed by position).
    ///
    /// A table whose header prints no column for a template column (no 其他 among the applicants) gets
    /// ``PrintedColumns/unprinted`` for it, and a printed subtotal column (小计) is left aside; at most two columns
    /// of the template may be missing.
    ///
    /// Text exports lose the cells a rowspan covered, so a row's figures may sit one column right of the header's
    /// names; there the header's order (its column names left to right) is applied to the figures fitted by position.
    static func indicesByHeader(_ layout: RowLayout, columns: [ColumnDefinition]) -> [Int]? {
        guard !layout.printedColumns.isEmpty, layout.slotColumns.count == layout.slots.count else { return nil }
        let codes = columns.map(\.code)
        // The slot of each template column, by the column's position (asked of every row: arrays, not dictionaries
        // keyed by code, whose hashing was most of the cost).
        var slotOf = [Int?](repeating: nil, count: codes.count)
        var placed = 0
        var complete = true
        var leftAside = false
        for (index, gridColumn) in layout.slotColumns.enumerated() {
            guard let gridColumn, let code = layout.printedColumns[gridColumn], let position = codes.firstIndex(of: code) else {
                if layout.slots[index].isEmpty { continue }
                if let gridColumn, layout.subtotalColumns.contains(gridColumn) { leftAside = true; continue }
                complete = false
                break
            }
            guard slotOf[position] == nil else { complete = false; break }
            slotOf[position] = index
            placed += 1
        }
        let printed = layout.printedColumns.values
        let missing = codes.filter { !printed.contains($0) }
        if complete, placed + missing.count == columns.count, missing.count <= 2, placed >= 2 {
            let indices = slotOf.map { $0 ?? PrintedColumns.unprinted }
            if !missing.isEmpty || leftAside { return indices }
            // A header whose names, left to right, are in the template's order is no reason to leave position: a
            // header slid against the rows (a corner cell's rowspan one short) would otherwise permute every figure.
            return indices != indices.sorted() && PrintedColumns.contradicts(layout.printedColumns, template: codes) ? indices : nil
        }
        // The order alone only for text, whose rows lose cells; in a table's grid a header that does not place every
        // figure is out of line with the rows (a corner cell's rowspan one short slides a header row under the labels).
        guard !layout.isGridRow else { return nil }
        var order: [String] = []
        for (_, code) in layout.printedColumns.sorted(by: { $0.key < $1.key }) where order.last != code { order.append(code) }
        guard order.count == codes.count, Set(order) == Set(codes), order != codes,
              let fitted = RowLayout.fitIndices(layout.slots, to: codes.count, dropInnerBlanks: false) else { return nil }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        return codes.map { fitted[position[$0]!] }
    }

    /// Table 四's one row of figures under a header that names its fifteen columns: each figure goes where its
    /// header puts it, when the header prints the blocks or results in another order than the template (行政诉讼
    /// before 行政复议, 总计 first), or the row prints fewer than fifteen cells — a block's five columns as one cell
    /// (`colspan=5` 无, Word's `w:gridBefore`) or a row that ends early, whose columns are then blank. Nil unless
    /// the header places every cell; the positional reading is then used.
    func readAppealsByHeader(_ layouts: [RowLayout], definition: TableDefinition) -> Result? {
        let values = layouts.filter { $0.hasValues && $0.labels.isEmpty }
        // One row of figures in its table (a second one, a comparison year, is left to the positional reading).
        guard let layout = values.first, !layout.printedColumns.isEmpty, layout.slotColumns.count == layout.slots.count,
              layout.slotSpans.count == layout.slots.count,
              values.filter({ $0.tableIndex == layout.tableIndex }).count == 1 else { return nil }
        let template = definition.rows.flatMap { row in row.columns.map { "\(row.code).\($0.code)" } }
        var slotOf: [String: Int] = [:]
        var order: [String] = []
        var spanned = false
        for (index, start) in layout.slotColumns.enumerated() {
            guard let start else {
                if layout.slots[index].isEmpty { continue }
                return nil
            }
            let covered = (start..<(start + max(1, layout.slotSpans[index]))).compactMap { layout.printedColumns[$0] }.filter(template.contains)
            if covered.count > 1 {
                // One cell over several columns: only a blank or "无"-like mark says the same of all of them.
                guard CellValueParser.parse(layout.slots[index]).value == nil,
                      CellValueParser.parse(layout.slots[index]).state != .text else { return nil }
                spanned = true
            } else if covered.isEmpty {
                if layout.slots[index].isEmpty { continue }
                return nil
            }
            for code in covered {
                guard slotOf.updateValue(index, forKey: code) == nil else { return nil }
                order.append(code)
            }
        }
        // Columns the row does not reach (it ends early) are blank, as a browser shows them. (A line of text that
        // prints fewer figures has lost cells, or runs them together: no position is known there.)
        let unreached = template.filter { slotOf[$0] == nil }
        guard order != template || spanned || !unreached.isEmpty else { return nil }
        guard unreached.isEmpty || layout.isGridRow else { return nil }
        guard unreached.allSatisfy({ code in
            layout.printedColumns.contains { $0.value == code } && (layout.slotColumns.compactMap { $0 }.max() ?? 0) < (layout.printedColumns.first { $0.value == code }?.key ?? 0)
        }) else { return nil }
        var result = Result(format: definition.format)
        let positions = layout.positions
        for row in definition.rows {
            result.foundRows.insert(row.code)
            for column in row.columns {
                let slot = slotOf["\(row.code).\(column.code)"]
                let raw = slot.map { layout.slots[$0] } ?? ""
                let parsed = CellValueParser.parse(raw)
                var cell = Cell(table: .appeals, row: row.code, col: column.code, value: parsed.value, state: parsed.state,
                                raw: raw, note: parsed.note)
                cell.origin = slot.map { positions[$0] } ?? layout.origin
                result.cells.append(cell)
            }
        }
        return result
    }
}
