/// Reads the rows of one table (already attributed to `active`, `requests` or `appeals`) into cells.
///
/// It decides the table's format, matches each row with values to a row code through ``LabelMatcher``,
/// places the values in the row's columns, and reports what it cannot place: rows that match no code
/// (`structure.unknown_row`), rows printed twice (`structure.duplicate_row`) and values that do not fit the
/// columns (`structure.column_count`). Nothing is dropped silently.
struct TableReader {
    let table: TableCode
    let year: Int?
    /// The report's agency as printed: a caption naming another body or area marks a table as not the report's.
    var agency: String? = nil
    /// The format to assume when neither the table nor the year decides (table 四 without a year).
    var fallbackFormat: TableFormat? = nil
    /// Figures the report's prose states for cells, evidence for run-together figures.
    var facts: [NarrativeFacts.Fact] = []

    struct Result {
        var format: TableFormat
        var cells: [Cell] = []
        var findings: [Finding] = []
        /// Row codes found (with or without placeable values).
        var foundRows: Set<String> = []
        /// The header contradicts placing the figures by position, or sets a row aside as another year's: no other
        /// reading (run-together) is tried.
        var headerContradicts = false
        /// A table captioned as another agency's or area's was left out (``OtherScopeCaption``).
        var otherScopeLeftOut = false
    }

    func read(_ printed: [TableRow]) -> Result {
        let (rows, otherYears, uncaptionedLeftOut) = rowsOfReportYear(printed)
        var result = readRows(rows)
        result.otherScopeLeftOut = otherYears.contains(Self.otherScope)
        Self.withdrawInferredBlanks(from: &result, table: table)
        for other in otherYears {
            result.findings.append(Finding(rule: .structureDuplicateTable, severity: .warning, table: table,
                                           message: other == Self.otherScope
                                            ? "a table of table \(table.rawValue) is captioned as another agency's or a wider area's (for reference, a total over others); it is left out"
                                            : "a table of table \(table.rawValue) captioned \(other) is printed beside this year's (\(year ?? 0)); it is left out, the other print is read"))
        }
        if uncaptionedLeftOut {
            result.findings.append(Finding(rule: .structureDuplicateTable, severity: .warning, table: table,
                                           message: "table \(table.rawValue) is printed twice with other figures, one print captioned \(year ?? 0), the other with no caption: the uncaptioned print is taken for another year's and left out"))
        }
        return result
    }

    private func readRows(_ rows: [TableRow]) -> Result {
        var layouts = rows.map(RowLayout.init)
        for (index, printed) in PrintedColumns.printedColumns(rows, table: table).enumerated() {
            guard let printed else { continue }
            layouts[index].printedColumns = printed.codes
            layouts[index].subtotalColumns = printed.subtotals
        }
        let headerDisagrees = table != .appeals && PrintedColumns.headerRowsDisagree(rows, table: table)
        if headerDisagrees || PrintedColumns.proseHeaderContradicts(rows, table: table) {
            // A header of loose text naming the columns out of the template's order: no figure is placed by position.
            for index in layouts.indices where layouts[index].printedColumns.isEmpty || headerDisagrees {
                layouts[index].printedColumns = [0: PrintedColumns.disagreeing]
            }
        }
        var columnOrder: [String]?
        var headerFindings: [Finding] = []
        if table == .requests, !headerDisagrees {
            columnOrder = Self.checkHeaderAgainstTotals(&layouts, order: Self.applicantColumnOrder(layouts) ?? Self.totalFirstByFigures(layouts),
                                                        findings: &headerFindings)
        }
        var result = table == .appeals ? readAppeals(layouts) : readLabelled(separateGlued(layouts), columnOrder: columnOrder)
        result.findings = headerFindings + result.findings
        // Few rows found: the table may be run together on one line, as crawlers export it.
        let rowCount = TemplateSchema.table(table, result.format).rows.count
        // (Rows printed blank do not count: a run-together table's bare labels read as blank rows.)
        let rowsWithFigures = Set(result.cells.filter { $0.state != .blank }.map(\.row)).count
        let weak = table == .appeals ? result.cells.isEmpty : rowsWithFigures * 2 < rowCount
        // A grid of table 二 or 三 whose rows hold their cells apart (most rows with three filled cells or more) did not lose its
        // structure: read run together, its header's labels, each in a cell of one row, were taken for rows printed
        // blank (table 三 printed the other way round stored 175 figures as blank).
        let gridRows = rows.filter { row in row.tableIndex != nil && row.cells.filter { !$0.text.isEmpty }.count >= 3 }.count
        guard weak, !result.headerContradicts, table == .appeals || gridRows * 2 < rows.count else { return result }
        let text = rows.map { $0.cells.map(\.text).joined(separator: " ") }.joined(separator: "\n")
        guard let runTogether = RunTogetherReader(table: table, year: year, fallbackFormat: fallbackFormat, facts: facts).read(text),
              runTogether.foundRows.count > result.foundRows.count || (table == .appeals && !runTogether.foundRows.isEmpty) else {
            return result
        }
        // Figures read from the text run together come from the table's lines as a whole.
        var read = runTogether
        let span = SourcePosition.span(rows.compactMap(\.origin))
        for index in read.cells.indices { read.cells[index].origin = span }
        return read
    }

    /// A row whose figures are printed against its label ("规章000") in a table whose other rows are spaced:
    /// the figures are split off and placed when they fill the row's columns in one way only. (A table with
    /// most rows glued is left whole to ``RunTogetherReader``, which also has the column identities.)
    func separateGlued(_ layouts: [RowLayout]) -> [RowLayout] {
        let matcher = LabelMatcher(table: table)
        let reader = RunTogetherReader(table: table, year: year, fallbackFormat: fallbackFormat)
        var glued: [(index: Int, label: String, row: RowDefinition, digits: String)] = []
        for (index, layout) in layouts.enumerated() where !layout.hasValues && !layout.labels.isEmpty {
            guard let (label, digits) = Self.gluedFigures(layout),
                  let match = matcher.score(layout.labels.dropLast() + [label]), match.score >= 0.99 else { continue }
            let definitions = TemplateSchema.rowsOfBothFormats(table).filter { $0.code == match.code }
            guard let row = definitions.first, definitions.allSatisfy({ $0.columns.count == row.columns.count }) else { continue }
            glued.append((index, label, row, digits))
        }
        let spaced = layouts.filter { $0.hasValues && !$0.labels.isEmpty }.count
        guard !glued.isEmpty, spaced > glued.count else { return layouts }
        var separated = layouts
        for entry in glued {
            let readings = (DigitRunSplitter.splits(entry.digits, into: entry.row.columns.count) ?? [])
                .filter { reader.cellsAllow($0, row: entry.row) && reader.rowIdentitiesHold($0, row: entry.row) }
            guard readings.count == 1 else { continue }
            separated[entry.index] = RowLayout(labels: layouts[entry.index].labels.dropLast() + [entry.label], slots: readings[0],
                                               tableIndex: layouts[entry.index].tableIndex, origin: layouts[entry.index].origin)
        }
        return separated
    }

    /// A row's last label with figures printed against it ("（一）予以公开417325159"): the label and the run of digits.
    static func gluedFigures(_ layout: RowLayout) -> (label: String, digits: String)? {
        guard !layout.hasValues, let text = layout.labels.last else { return nil }
        let digits = String(text.reversed().prefix { $0.isASCII && $0.isNumber }.reversed())
        let label = String(text.dropLast(digits.count))
        guard !digits.isEmpty, let last = label.last, !last.isASCII else { return nil }
        return (label, digits)
    }

    // MARK: Tables with a label per row

    /// `columnOrder`: table 三's applicant columns as a header row or the figures order them, where not the template's.
    private func readLabelled(_ layouts: [RowLayout], columnOrder: [String]?) -> Result {
        var assembled = RowAssembler(table: table).assemble(layouts)
        let labelText = assembled.rows.map { LabelFolding.fold($0.layout.labels.joined()) }.joined()
        let format = detectFormat(headerText: assembled.headerText + labelText, codes: Set(assembled.rows.compactMap(\.code)))
        let definition = TemplateSchema.table(table, format)
        RowAssembler.alignByPosition(&assembled.rows, definition: definition)
        var result = Result(format: format)
        result.findings = assembled.findings
        let headerUnit = MoneyUnit.stated(inHeader: assembled.headerText)
        var firstTable: [String: Int?] = [:]
        var firstValues: [String: [String]] = [:]
        var firstSlots: [String: Int] = [:]
        var duplicateTables: [Int: [String]] = [:]
        let matcher = LabelMatcher(table: table)
        var repeatedRows = RepeatedTable()
        var groupSubtotals: [GroupSubtotal] = []
        for (printed, code, byPosition) in assembled.rows {
            var layout = printed
            if let code, let row = definition.row(code),
               let words = Self.wordsInFigurePlace(printed, code: code, columns: row.columns.count, matcher: matcher) {
                layout = words
            }
            let label = layout.labels.joined(separator: " ")
            let values = layout.slots.filter { !$0.isEmpty }
            guard let code else {
                if let group = GroupSubtotal(layout, table: table) {
                    groupSubtotals.append(group)
                    continue
                }
                if label.isEmpty {
                    result.findings.append(Finding(rule: .structureUnlabelledValues, severity: .warning, table: table,
                                                   message: "values \(values) of table \(table.rawValue) have no label and could not be placed"))
                } else if table == .active, case let named = LabelMatcher.rowsNamedTogether(layout.labels), !named.isEmpty {
                    result.findings.append(Finding(rule: .structureUnknownRow, severity: .error, table: table,
                                                   message: "row \"\(label)\" names rows \(named.joined(separator: " and ")) of table \(table.rawValue) together: its figures \(values) are theirs added up, and neither row is stored"))
                } else {
                    result.findings.append(Finding(rule: .structureUnknownRow, severity: .error, table: table,
                                                   message: "row \"\(label)\" with values \(values) matches no row of table \(table.rawValue)"))
                }
                continue
            }
            guard let row = definition.row(code) else {
                // The 2019 form's row （六）其他处理 in a 2021 table, with figures: the heading of its group, a subtotal.
                if let group = GroupSubtotal(layout, table: table) {
                    groupSubtotals.append(group)
                    continue
                }
                result.findings.append(Finding(rule: .structureUnknownRow, severity: .error, table: table, row: code,
                                               message: "row \(code) does not belong to the \(format.rawValue) format of table \(table.rawValue)"))
                continue
            }
            let firstWasWords = firstTable[code] == .some(nil) && firstValues[code]?.isEmpty == true && layout.tableIndex != nil
            if result.foundRows.contains(code), firstWasWords || (firstSlots[code] ?? 0) < row.columns.count && layout.slots.count >= row.columns.count,
               layout.tableIndex != firstTable[code] ?? nil {
                // The row met first in words (an intro line naming it: "行政许可、行政处罚信息公开情况如下：") or in a table of
                // fewer columns (a summary in section 一 giving the totals), now in a table that prints all its cells:
                // this is the row.
                let summary = firstValues[code] ?? []
                result.cells.removeAll { $0.row == code }
                firstSlots[code] = layout.slots.count
                firstTable[code] = layout.tableIndex
                firstValues[code] = values
                let cells = place(layout, in: row, headerUnit: MoneyUnit.stated(inLabel: label) ?? headerUnit,
                                  order: columnOrder, findings: &result.findings, unplacedByHeader: &result.headerContradicts)
                if let unshown = Self.summaryFiguresNotShown(summary, by: cells, row: row) {
                    result.findings.append(Finding(rule: .narrativeTableMismatch, severity: .warning, table: table, row: code,
                                                   message: "row \(code) is given earlier as \(summary) (a summary of fewer columns), and the table's figures do not show \(unshown); the table's are stored"))
                }
                result.cells += cells
                continue
            }
            /// A second print of the row, kept to compare with the first (``RepeatedTable``) where it prints the row's
            /// cells: a line of words naming the row is no print.
            func notePrint() {
                repeatedRows.note(code, place(layout, in: row, headerUnit: headerUnit, order: columnOrder),
                                  printsRow: layout.slots.count >= row.columns.count && (layout.tableIndex != nil || layout.hasValues))
            }
            if result.foundRows.contains(code) {
                if layout.tableIndex == nil, let lastRow = definition.rows.last?.code, result.foundRows.contains(lastRow) {
                    // Text: the table was complete, and its rows come again (a comparison table).
                    duplicateTables[-1, default: []].append(code)
                    notePrint()
                } else if let other = layout.tableIndex, let first = firstTable[code], first != other {
                    // A second table with the same rows (a comparison with last year, a reprint): kept aside.
                    duplicateTables[other, default: []].append(code)
                    notePrint()
                } else if firstValues[code] == values {
                    // The same row again with the same figures (a line pasted twice): nothing to choose between.
                    result.findings.append(Finding(rule: .structureDuplicateRow, severity: .warning, table: table, row: code,
                                                   message: "row \(code) is printed twice with the same figures \(values); read once"))
                } else {
                    result.findings.append(Finding(rule: .structureDuplicateRow, severity: .error, table: table, row: code,
                                                   message: "row \(code) is printed more than once; the first is kept"))
                }
                continue
            }
            result.foundRows.insert(code)
            firstTable[code] = layout.tableIndex
            firstValues[code] = values
            firstSlots[code] = layout.slots.count
            if layout.tableIndex == nil, let (_, digits) = Self.gluedFigures(layout) {
                // Figures printed against the label that could not be split in one way: not a row printed blank.
                result.findings.append(Finding(rule: .extractAmbiguousSplit, severity: .warning, table: table, row: code,
                                               message: "the figures \"\(digits)\" printed against the label of row \(code) cannot be split into \(row.columns.count) cells in one way; not stored"))
                continue
            }
            var cells = place(layout, in: row, headerUnit: MoneyUnit.stated(inLabel: label) ?? headerUnit,
                              order: columnOrder, findings: &result.findings, unplacedByHeader: &result.headerContradicts)
            // A text line with a row's label and no figure at all: the row is taken to be printed blank, which is
            // an inference (text drops empty cells; a scan read as text may have lost the figures), not a sight of
            // empty cells.
            if layout.tableIndex == nil, !layout.hasValues {
                for index in cells.indices where cells[index].state == .blank { cells[index].inferred = true }
            }
            if byPosition {
                for index in cells.indices { cells[index].inferred = true }
                result.findings.append(Finding(rule: .structureRowByPosition, severity: .info, table: table, row: code,
                                               message: "values \(values) placed in row \(code) by their position between the rows around them (label \"\(label)\" not recognized)"))
            }
            result.cells += cells
        }
        for (index, codes) in duplicateTables.sorted(by: { $0.key < $1.key }) {
            let place = index < 0 ? "further down the text" : "table \(index + 1) of the page"
            result.findings.append(Finding(rule: .structureDuplicateTable, severity: .warning, table: table,
                                           message: "a later table repeats \(codes.count) rows of table \(table.rawValue) (\(place), e.g. a comparison with another year); the first table's figures are stored where the later one prints the same"))
        }
        repeatedRows.withholdDifferences(from: &result, table: table, year: year)
        checkGroupSubtotals(groupSubtotals, definition: definition, columnOrder: columnOrder, in: &result)
        // Each cell's place worked out once (asked per comparison, it walked the rows' codes n log n times).
        result.cells = result.cells.map { (Self.order(definition, $0), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        return result
    }

    /// The figures of a row's summary (a table of fewer columns met first: "本年新收政府信息公开申请数量 | 164") that none of
    /// the full row's cells holds, or nil when each is there. A summary gives some of the row's cells, whichever; one
    /// that none of them holds is a figure the report prints twice differently. Rows of whole counts only (a summary's
    /// money may be in another unit).
    static func summaryFiguresNotShown(_ summary: [String], by cells: [Cell], row: RowDefinition) -> [String]? {
        guard !summary.isEmpty, row.columns.allSatisfy({ $0.kind == .count }) else { return nil }
        let shown = Set(cells.compactMap(\.value))
        let unshown = summary.filter { figure in
            let parsed = CellValueParser.parse(figure)
            guard parsed.state == .number, let value = parsed.value else { return false }
            return !shown.contains(value)
        }
        return unshown.isEmpty ? nil : unshown
    }

    /// The order of table 三's applicant columns when a header prints them in an order other than the
    /// template's (总计 first, say): read from a header row that names all seven.
    static func applicantColumnOrder(_ layouts: [RowLayout]) -> [String]? {
        let byLabel: [String: String] = Dictionary(uniqueKeysWithValues: TemplateSchema.requestColumns.map { (LabelFolding.fold($0.label), $0.code) })
            .merging(["合计": "total", "商业": "commercial", "科研": "research", "社会公益": "public_interest", "法律服务": "legal_services"]) { first, _ in first }
        let template = TemplateSchema.requestColumns.map(\.code)
        for layout in layouts where !layout.hasValues {
            let codes = layout.labels.compactMap { byLabel[LabelFolding.fold($0)] }
            guard Set(codes).count == template.count, codes.count == template.count else { continue }
            return codes == template ? nil : codes
        }
        return nil
    }

    /// When no header names the columns (PDF text scatters them), the figures can: if in the rows the first
    /// figure is the sum of the other six and the last is not, 总计 is printed first.
    static func totalFirstByFigures(_ layouts: [RowLayout]) -> [String]? {
        var first = 0, last = 0
        for layout in layouts where layout.hasValues {
            let values = layout.slots.compactMap { CellValueParser.parse($0).value }
            guard values.count == 7, values.reduce(0, +) > 0 else { continue }
            if abs(values[0] - values[1...].reduce(0, +)) < 1e-9 { first += 1 }
            if abs(values[6] - values[..<6].reduce(0, +)) < 1e-9 { last += 1 }
        }
        guard first >= 2, last == 0 else { return nil }
        let template = TemplateSchema.requestColumns.map(\.code)
        return ["total"] + template.dropLast()
    }

    /// ``place(_:in:headerUnit:order:findings:unplacedByHeader:)`` for a row read only to compare (its findings dropped).
    func place(_ layout: RowLayout, in row: RowDefinition, headerUnit: MoneyUnit?, order: [String]?) -> [Cell] {
        var findings: [Finding] = []
        var unplaced = false
        return place(layout, in: row, headerUnit: headerUnit, order: order, findings: &findings, unplacedByHeader: &unplaced)
    }

    func place(_ printed: RowLayout, in row: RowDefinition, headerUnit: MoneyUnit?, order: [String]? = nil,
                       findings: inout [Finding], unplacedByHeader: inout Bool) -> [Cell] {
        let columns = row.columns
        // A 0 printed once across the row's columns ("<td colspan=7>0</td>"): 0 in each, where that fills the row.
        var layout = printed
        if layout.figureCount < columns.count, let spread = layout.spreadingZeros(), spread.figureCount == columns.count { layout = spread }
        // (A row under figures merged down from above is no blank row: those cells are read below.)
        if layout.isBlankRow, layout.mergedFigures.isEmpty {
            return columns.map {
                var cell = Cell(table: table, row: row.code, col: $0.code, value: nil, state: .blank, raw: "")
                cell.origin = layout.origin
                return cell
            }
        }
        var indices = RowLayout.fitIndices(layout.slots, to: columns.count, dropInnerBlanks: false)
        let headerContradicts = PrintedColumns.contradicts(layout.printedColumns, template: columns.map(\.code))
        if let byHeader = Self.indicesByHeader(layout, columns: columns) {
            // The header names every figure's column, in an order other than the template's.
            indices = byHeader
        } else if let order, let fitted = indices, fitted.count == order.count, !(headerContradicts && layout.isGridRow) {
            // Columns printed in another order: put each figure under its own header. (Not in a grid whose header
            // could not place every figure: it is out of line with the rows, and so is any one header row's order.)
            let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
            indices = columns.map { fitted[position[$0.code]!] }
        } else if headerContradicts {
            // The header prints the columns in another order, and does not say where every figure goes: placed by
            // position, the figures would sit under the wrong names.
            findings.append(Finding(rule: .structureColumnCount, severity: .warning, table: table, row: row.code,
                                    message: "row \(row.code): the header names the columns in another order than the template's, and the row's figures cannot all be placed under them; not stored"))
            unplacedByHeader = true
            return []
        }
        let filled = layout.slots.filter { !$0.isEmpty }
        var slots = indices.map { $0.map { $0 >= 0 ? layout.slots[$0] : "" } }
        if slots == nil, table == .requests, filled.count == 1, let only = layout.slots.firstIndex(where: { !$0.isEmpty }) {
            // Only 总计 published for a detail row: the other columns are blank.
            slots = Array(repeating: "", count: columns.count - 1) + filled
            indices = Array(repeating: -1, count: columns.count - 1) + [only]
        }
        guard let slots, let indices else {
            findings.append(Finding(rule: .structureColumnCount, severity: .warning, table: table, row: row.code,
                                    expected: Double(columns.count), actual: Double(filled.count),
                                    message: "row \(row.code) has \(filled.count) values \(filled) for \(columns.count) columns; not stored, the columns cannot be told apart"))
            return []
        }
        let gridColumns = layout.slotColumns.count == layout.slots.count ? layout.slotColumns : []
        return zip(columns, zip(slots, indices)).compactMap { column, slot in
            let (raw, index) = slot
            // A column the table's header does not print at all: nothing to store (said once for the table).
            if index == PrintedColumns.unprinted {
                let message = "the table's header prints no column \(column.label) (\(column.code)); its cells are not stored"
                if !findings.contains(where: { $0.message == message }) {
                    findings.append(Finding(rule: .structureColumnCount, severity: .warning, table: table, col: column.code, message: message))
                }
                return nil
            }
            // An empty cell under a figure merged down from a row above: a 0 (or "/") merged over rows holds for each
            // of them (counts are never negative, so a shared 0 is 0 in each); another figure's share of this row is
            // not published.
            if gridColumns.indices.contains(index), let gridColumn = gridColumns[index],
               let merged = raw.isEmpty ? layout.mergedFigures[gridColumn] : (layout.mergedFromHere.contains(gridColumn) ? raw : nil) {
                let parsed = CellValueParser.parse(merged, kind: column.kind)
                guard (parsed.state == .number && parsed.value == 0 && column.kind == .count) || parsed.state == .na else {
                    findings.append(Finding(rule: .structureMergedFigure, severity: .warning, table: table, row: row.code, col: column.code,
                                            message: "\(table.rawValue).\(row.code).\(column.code) lies under the figure \"\(merged)\" merged over several rows: this row's share is not published; not stored"))
                    return nil
                }
                var cell = Cell(table: table, row: row.code, col: column.code, value: parsed.value, state: parsed.state, raw: merged,
                                note: "\"\(merged)\" merged over several rows (rowspan): the same in each")
                cell.inferred = true
                cell.origin = layout.origin
                cell.origin?.column = gridColumn
                return cell
            }
            // "1.050" in a count: 1050 with a dot grouping thousands, or 1.05 mistyped — a count has no decimals, and
            // nothing says which (it was stored as 1.05, the publisher blamed for a fraction).
            if column.kind == .count, Self.dotGroupsThousands(raw) {
                findings.append(Finding(rule: .extractAmbiguousSplit, severity: .warning, table: table, row: row.code, col: column.code,
                                        message: "\(table.rawValue).\(row.code).\(column.code) is printed \"\(raw)\": a dot grouping thousands or a decimal point in a count; not stored"))
                return nil
            }
            let parsed = CellValueParser.parse(raw, kind: column.kind, headerUnit: column.kind == .money ? headerUnit : nil)
            if let unit = parsed.unknownUnit {
                findings.append(Finding(rule: .extractUnknownUnit, severity: .warning, table: table, row: row.code, col: column.code,
                                        message: "\(table.rawValue).\(row.code).\(column.code) is given in \(unit), which nianbao does not convert to 万元: not read (\"\(raw)\")"))
                return nil
            }
            var cell = Cell(table: table, row: row.code, col: column.code, value: parsed.value, state: parsed.state,
                            raw: raw, note: parsed.note)
            cell.origin = layout.origin
            if gridColumns.indices.contains(index), let gridColumn = gridColumns[index] { cell.origin?.column = gridColumn }
            return cell
        }
    }

    /// Rows taken as printed blank because text printed their labels with no figure (PDF text drops empty cells),
    /// in a table that also prints figures no label claims: those figures may be theirs (plain `pdftotext` prints a
    /// table's labels first and its figures after), so the rows are not stored blank — a blank is a claim.
    static func withdrawInferredBlanks(from result: inout Result, table: TableCode) {
        let unplacedFigures = result.findings.contains { finding in
            finding.rule == .structureUnlabelledValues && finding.row == nil
                || finding.rule == .structureUnknownRow && finding.message.includes("with values")
                // A row given more figures than it has columns: the others' figures gathered under one label.
                || finding.rule == .structureColumnCount && (finding.actual ?? 0) > (finding.expected ?? .infinity)
        }
        let blankRows = Set(result.cells.filter { $0.state == .blank && $0.inferred }.map(\.row))
        guard unplacedFigures, !blankRows.isEmpty else { return }
        // Only rows every cell of which was inferred blank.
        let rows = blankRows.filter { row in result.cells.allSatisfy { $0.row != row || ($0.state == .blank && $0.inferred) } }
        guard !rows.isEmpty else { return }
        result.cells.removeAll { rows.contains($0.row) }
        result.findings.append(Finding(rule: .structureUnlabelledValues, severity: .warning, table: table,
                                       message: "rows \(rows.sorted().prefix(6).joined(separator: ", "))\(rows.count > 6 ? ", …" : "") print no figure beside their labels while the table prints figures no label claims: they may be theirs, so those rows are not stored as blank"))
    }

    /// "1.050", "12.345.678": one to three digits, then groups of a dot and three digits.
    static func dotGroupsThousands(_ raw: String) -> Bool {
        // Asked of every figure of a count: most hold no dot.
        guard raw.utf8.contains(0x2E) else { return false }
        let groups = Array(raw.utf8.filter { $0 != 0x20 }).split(separator: 0x2E, omittingEmptySubsequences: false)
        let digits = { (group: ArraySlice<UInt8>) in group.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        guard groups.count >= 2, (1...3).contains(groups[0].count), digits(groups[0]) else { return false }
        return groups.dropFirst().allSatisfy { $0.count == 3 && digits($0) }
    }

    private func detectFormat(headerText: String, codes: Set<String>) -> TableFormat {
        switch table {
        case .requests:
            if codes.contains(where: { $0.hasPrefix("other.") }) { return .v2021 }
            if codes.contains("other") { return .v2019 }
        case .active:
            if let format = TemplateSchema.activeFormat(signalsIn: headerText) { return format }
            if codes.contains("other_services") || codes.contains("procurement") { return .v2019 }
        case .appeals:
            break
        }
        return TableFormat.byYear(year) ?? fallbackFormat ?? .v2021
    }

    static func order(_ definition: TableDefinition, _ cell: Cell) -> Int {
        let rowIndex = definition.rows.firstIndex { $0.code == cell.row } ?? 99
        let columnIndex = definition.rows[min(rowIndex, definition.rows.count - 1)].columns.firstIndex { $0.code == cell.col } ?? 99
        return rowIndex * 100 + columnIndex
    }
}

extension RowLayout {
    /// Slots fitted to `count` columns: surplus empty slots dropped from the end, then the start, then (for
    /// table 四's run of figures over several lines) from anywhere; nil when they still do not fit.
    static func fit(_ slots: [String], to count: Int, dropInnerBlanks: Bool = true) -> [String]? {
        fitIndices(slots, to: count, dropInnerBlanks: dropInnerBlanks)?.map { slots[$0] }
    }

    /// Which slots ``fit(_:to:dropInnerBlanks:)`` keeps, by index (so that each figure keeps its grid column).
    static func fitIndices(_ slots: [String], to count: Int, dropInnerBlanks: Bool = true) -> [Int]? {
        var fitted = Array(slots.indices)
        while fitted.count > count, let last = fitted.last, slots[last].isEmpty { fitted.removeLast() }
        while fitted.count > count, let first = fitted.first, slots[first].isEmpty { fitted.removeFirst() }
        // A "/" printed in a column the row does not have (2019 收费 and 采购 rows in a four-column table).
        while fitted.count > count, let last = fitted.last, CellValueParser.parse(slots[last]).state == .na { fitted.removeLast() }
        if dropInnerBlanks && fitted.count > count { fitted = fitted.filter { !slots[$0].isEmpty } }
        return fitted.count == count ? fitted : nil
    }
}
