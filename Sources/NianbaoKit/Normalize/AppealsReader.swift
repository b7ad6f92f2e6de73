/// Table 四: one row of fifteen figures under a three-row header (read by the header where it names the columns,
/// by position otherwise), a labelled row per kind of case, or the table printed the other way round.
extension TableReader {
    /// Table 四 is usually one data row of 15 values under a three-row header; some reports print one
    /// labelled row per kind of case instead.
    func readAppeals(_ layouts: [RowLayout]) -> Result {
        let format = TableFormat.byYear(year) ?? fallbackFormat ?? .v2021
        let definition = TemplateSchema.table(.appeals, format)
        if let transposed = readTransposedAppeals(layouts, definition: definition) { return transposed }
        let matcher = LabelMatcher(table: .appeals)
        // A row of fifteen figures behind a word that names no row (件数, 数量): the table's one row of figures.
        let layouts = layouts.map { layout -> RowLayout in
            guard !layout.labels.isEmpty, layout.slots.filter({ !$0.isEmpty }).count >= 15, matcher.score(layout.labels) == nil,
                  Self.captionYear(TableRow(texts: [layout.labels.joined()]), reportYear: year) == nil else { return layout }
            var unlabelled = layout
            unlabelled.labels = []
            return unlabelled
        }
        if let byHeader = readAppealsByHeader(layouts, definition: definition) { return byHeader }
        var result = Result(format: format)
        // A header row naming the kinds of case or the results out of the template's order, which the header reading
        // above could not follow: no figure is placed by position.
        // (A line of text, one cell, is read word by word.)
        let outOfOrder = layouts.contains { layout in
            !layout.hasValues && PrintedColumns.appealHeaderRowContradicts(layout.labels.count == 1
                ? layout.labels[0].split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init) : layout.labels)
        }
        var unlabelled: [String] = []
        var unlabelledPositions: [SourcePosition?] = []
        var unlabelledTable: Int??
        var laterTables = Set<Int>()
        // The first later table's figures, compared with the first table's (``RepeatedTable``).
        var laterFigures: [String] = []
        var laterTable: Int?
        var otherYears: [Int] = []
        for printed in layouts where printed.hasValues || (printed.isBlankRow && printed.labels.isEmpty && printed.slots.count >= 15) {
            var layout = printed
            // A row per year (a 年度 column: "2022年", "2021年"): this year's figures are the table's, another
            // year's are left out (the last row was read over the first).
            if let year, !layout.labels.isEmpty,
               let rowYear = Self.captionYear(TableRow(texts: [layout.labels.joined()]), reportYear: year) {
                guard rowYear == year else {
                    otherYears.append(rowYear)
                    result.headerContradicts = true
                    continue
                }
                layout.labels = []
            }
            if layout.labels.isEmpty {
                // Figures of a later table (a comparison table) are not mixed with the first one's.
                if let first = unlabelledTable, first != layout.tableIndex, unlabelled.filter({ !$0.isEmpty }).count >= 15 || !layout.hasValues {
                    if let index = layout.tableIndex {
                        laterTables.insert(index)
                        if laterFigures.isEmpty || laterTable == index { laterTable = index; laterFigures += layout.slots }
                    }
                    continue
                }
                if unlabelledTable == nil { unlabelledTable = .some(layout.tableIndex) }
                // A block printed as one 0 across its five columns ("<td colspan=5>0</td>"): 0 in each.
                if layout.figureCount < 15, let spread = layout.spreadingZeros(), spread.figureCount == 15 { layout = spread }
                unlabelled += layout.slots
                unlabelledPositions += layout.positions
                continue
            }
            // A remark row ("备注 | 无") is no row of the table.
            if ["备注", "注", "说明", "附注"].contains(LabelFolding.fold(layout.labels.joined())) { continue }
            guard let code = matcher.score(layout.labels)?.code, let row = definition.row(code) else {
                result.findings.append(Finding(rule: .structureUnknownRow, severity: .error, table: .appeals,
                                               message: "row \"\(layout.labels.joined(separator: " "))\" matches no row of table appeals"))
                continue
            }
            if result.foundRows.insert(code).inserted {
                result.cells += place(layout, in: row, headerUnit: nil, findings: &result.findings,
                                      unplacedByHeader: &result.headerContradicts)
            }
        }
        for other in otherYears {
            result.findings.append(Finding(rule: .structureDuplicateTable, severity: .warning, table: .appeals,
                                           message: "table appeals prints a row for \(other) beside this year's (\(year ?? 0)); it is left out"))
        }
        for index in laterTables.sorted() {
            result.findings.append(Finding(rule: .structureDuplicateTable, severity: .warning, table: .appeals,
                                           message: "a later table repeats table appeals (table \(index + 1) of the page, e.g. a comparison with another year); the first table is kept"))
        }
        if !unlabelled.isEmpty, unlabelled.allSatisfy(\.isEmpty) {
            // Table 四 printed with every cell empty (no cases).
            for row in definition.rows where !result.foundRows.contains(row.code) {
                result.foundRows.insert(row.code)
                result.cells += row.columns.map { Cell(table: .appeals, row: row.code, col: $0.code, value: nil, state: .blank, raw: "") }
            }
            unlabelled = []
        }
        let unlabelledFigures = unlabelled.filter { !$0.isEmpty }
        if unlabelledFigures.count >= 30, unlabelledFigures.count % 15 == 0 {
            // Text with table 四 printed twice (a comparison year): the first is this report's.
            let filled = unlabelled.indices.filter { !unlabelled[$0].isEmpty }
            let first = filled.prefix(15)
            laterFigures = filled.dropFirst(15).prefix(15).map { unlabelled[$0] }
            unlabelled = first.map { unlabelled[$0] }
            unlabelledPositions = first.map { unlabelledPositions[$0] }
            result.findings.append(Finding(rule: .structureDuplicateTable, severity: .warning, table: .appeals,
                                           message: "table appeals is printed \(unlabelledFigures.count / 15) times (e.g. a comparison with another year); the first is kept"))
        }
        // A header that prints the blocks or results in another order, where it could not place every figure: by
        // position they would sit under the wrong names.
        let template = definition.rows.flatMap { row in row.columns.map { "\(row.code).\($0.code)" } }
        let headerOrder = layouts.first { $0.hasValues && $0.labels.isEmpty }?.printedColumns ?? [:]
        if !unlabelled.isEmpty, outOfOrder || PrintedColumns.contradicts(headerOrder, template: template) {
            result.findings.append(Finding(rule: .structureColumnCount, severity: .warning, table: .appeals,
                                           message: "table appeals: the header names its columns in another order than the template's, and its figures \(unlabelled.filter { !$0.isEmpty }) cannot all be placed under them; not stored"))
            for row in definition.rows { result.foundRows.insert(row.code) }
            result.headerContradicts = true
            unlabelled = []
        }
        if !unlabelled.isEmpty {
            let expected = definition.rows.count * TemplateSchema.appealColumns.count
            let rows = definition.rows.filter { !result.foundRows.contains($0.code) }
            let needed = rows.count * TemplateSchema.appealColumns.count
            if let fitted = RowLayout.fitIndices(unlabelled, to: needed), !rows.isEmpty {
                for (index, row) in rows.enumerated() {
                    let slice = Array(fitted[(index * 5)..<(index * 5 + 5)])
                    result.foundRows.insert(row.code)
                    result.cells += zip(row.columns, slice).map { column, slot in
                        let parsed = CellValueParser.parse(unlabelled[slot])
                        var cell = Cell(table: .appeals, row: row.code, col: column.code, value: parsed.value,
                                        state: parsed.state, raw: unlabelled[slot], note: parsed.note)
                        cell.origin = unlabelledPositions.indices.contains(slot) ? unlabelledPositions[slot] : nil
                        return cell
                    }
                }
            } else {
                let filled = unlabelled.filter { !$0.isEmpty }
                result.findings.append(Finding(rule: .structureColumnCount, severity: .warning, table: .appeals,
                                               expected: Double(expected), actual: Double(filled.count),
                                               message: "table appeals has \(filled.count) unlabelled values \(filled) where \(needed) were expected; not stored"))
                for row in rows { result.foundRows.insert(row.code) }
            }
        }
        if !laterFigures.isEmpty, !result.cells.isEmpty {
            // A later print of table 四 (a comparison year) whose figures differ: those cells are this year's or the
            // other's, nothing says which.
            var repeated = RepeatedTable()
            let fitted = RowLayout.fitIndices(laterFigures, to: 15)
            for (index, row) in definition.rows.enumerated() {
                repeated.note(row.code, row.columns.enumerated().map { offset, column in
                    let raw = fitted.map { laterFigures[$0[index * 5 + offset]] } ?? "?"
                    let parsed = CellValueParser.parse(raw)
                    return Cell(table: .appeals, row: row.code, col: column.code, value: parsed.value, state: fitted == nil ? .text : parsed.state, raw: raw)
                })
            }
            repeated.withholdDifferences(from: &result, table: .appeals, year: year)
        }
        result.cells.sort { Self.order(definition, $0) < Self.order(definition, $1) }
        return result
    }

    /// Table 四 printed the other way round: a row per result (结果维持 … 总计), a column per kind of case
    /// (行政复议, 未经复议直接起诉, 复议后起诉).
    func readTransposedAppeals(_ layouts: [RowLayout], definition: TableDefinition) -> Result? {
        let columns = TemplateSchema.appealColumns
        var byColumn: [String: [(raw: String, position: SourcePosition?)]] = [:]
        for layout in layouts where layout.hasValues && !layout.labels.isEmpty {
            let label = LabelFolding.fold(layout.labels.joined())
            guard let column = columns.first(where: { label == LabelFolding.fold($0.label) || (label.count <= 4 && label.hasSuffix(LabelFolding.fold($0.label))) }),
                  var fitted = RowLayout.fitIndices(layout.slots, to: definition.rows.count, dropInnerBlanks: false) else { continue }
            // The header may print the kinds of case in another order (行政诉讼 before 行政复议).
            let rowCodes = definition.rows.map(\.code)
            let kinds = layout.slotColumns.count == layout.slots.count
                ? fitted.map { layout.slotColumns[$0].flatMap { layout.printedColumns[$0] }.flatMap { rowCodes.contains($0) ? $0 : nil } } : []
            if kinds.count == rowCodes.count, Set(kinds.compactMap { $0 }) == Set(rowCodes), kinds.compactMap({ $0 }).count == rowCodes.count {
                let byKind = Dictionary(uniqueKeysWithValues: zip(kinds.map { $0! }, fitted))
                fitted = rowCodes.map { byKind[$0]! }
            }
            let positions = layout.positions
            byColumn[column.code] = fitted.map { (layout.slots[$0], positions[$0]) }
        }
        guard byColumn.count == columns.count else { return nil }
        var result = Result(format: definition.format)
        for (rowIndex, row) in definition.rows.enumerated() {
            result.foundRows.insert(row.code)
            for column in row.columns {
                let (raw, position) = byColumn[column.code]![rowIndex]
                let parsed = CellValueParser.parse(raw)
                var cell = Cell(table: .appeals, row: row.code, col: column.code, value: parsed.value, state: parsed.state,
                                raw: raw, note: parsed.note)
                cell.origin = position
                result.cells.append(cell)
            }
        }
        return result
    }
}
