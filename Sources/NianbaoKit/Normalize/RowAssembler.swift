/// Gives each row with values its label, when text exports have scattered the label around it.
///
/// PDF text wraps long labels over lines above and below the figures ("（二）部分公开（区分处理的，只计这一情"
/// / "447 7 0 0 0 0 454" / "形，不计其他情形）"), prints a row's figures before its label, and converters move
/// labels away from their rows. For every row with values the assembler tries its own label, then its own
/// label with the label-only lines just above, with the next label-only line, and with both, and keeps the
/// best-scoring reading (the row's own label when tied). Rows still unmatched between two matched rows are
/// given, in order, the template rows missing between those two — only when the counts agree.
struct RowAssembler {
    let table: TableCode

    struct Assembled {
        /// Value rows in document order with the code each was given (nil: none).
        var rows: [(layout: RowLayout, code: String?, byPosition: Bool)]
        /// Folded text of label-only rows (headers), for format and unit detection.
        var headerText: String
        /// Labels and figures that could not be paired (``LabelBlocks``).
        var findings: [Finding] = []
    }

    func assemble(_ rawLayouts: [RowLayout]) -> Assembled {
        let blocks = LabelBlocks.pair(joinWrappedFigureLines(Self.joinOneCellPerLine(rawLayouts)), table: table)
        let layouts = blocks.layouts
        var matcher = LabelMatcher(table: table)
        var rows: [(layout: RowLayout, code: String?, byPosition: Bool)] = []
        var headerText = blocks.setAside.map { LabelFolding.fold($0.labels.joined()) }.joined()
        var pending: [Int] = []        // label-only rows since the last row with values
        var consumed = Set<Int>()
        var findings = blocks.findings
        for (index, layout) in layouts.enumerated() where !consumed.contains(index) || !layout.hasValues {
            // In a table (markdown, HTML) a row printed with its empty cells, then figures in a row without a
            // label: its figures on a second line, or the next row with its label lost. When the row after them
            // is not the template's next row, neither is certain.
            if layout.isBlankRow, layout.tableIndex != nil, !layout.labels.isEmpty, index + 1 < layouts.count,
               layouts[index + 1].hasValues, layouts[index + 1].labels.isEmpty, layouts[index + 1].tableIndex == layout.tableIndex,
               let match = matcher.score(layout.labels), match.score >= 0.99,
               !nextRowFollows(match, after: layouts[(index + 2)...], matcher: matcher) {
                matcher.accept(match)
                consumed.insert(index + 1)
                pending = []
                findings.append(Finding(rule: .structureUnlabelledValues, severity: .warning, table: table, row: match.code,
                                        message: "row \(match.code) is printed with empty cells and the next row has figures \(layouts[index + 1].slots.filter { !$0.isEmpty }) without a label: they may be its figures or another row's whose label was lost; neither is stored"))
                continue
            }
            // A row whose figure cells are all empty, with a label that is a template row's: blank cells.
            // (Not when figures follow on the next line: then the label is theirs.)
            let nextIsOrphanFigures = index + 1 < layouts.count && layouts[index + 1].hasValues && layouts[index + 1].labels.isEmpty
            if layout.isBlankRow, !layout.labels.isEmpty, !nextIsOrphanFigures,
               let match = matcher.score(layout.labels), match.score >= 0.99 {
                matcher.accept(match)
                rows.append((layout, match.code, false))
                pending = []
                continue
            }
            // A table row whose cells after the label hold words only ("行政强制 | 详见附件"): that row, with
            // words for figures (``TableReader/wordsInFigurePlace(_:code:columns:matcher:)``).
            if !layout.hasValues, layout.tableIndex != nil, !consumed.contains(index), !layout.labels.isEmpty,
               let match = matcher.score(layout.labels), match.score >= 0.99,
               hasWordsInFigurePlace(layout, code: match.code, matcher: matcher) {
                matcher.accept(match)
                rows.append((layout, match.code, false))
                pending = []
                continue
            }
            // Figures that are all "/" under a label that is no row: a header with a "/" column, not data.
            let onlyMarks = layout.hasValues && layout.slots.allSatisfy { $0.isEmpty || CellValueParser.parse($0).state == .na }
            let isHeaderWithMarks = onlyMarks && !layout.labels.isEmpty && matcher.score(layout.labels) == nil
            // Text: a line that is exactly a row's label, followed by another row's own label line, by a heading
            // of the table's blocks (第二十条第（八）项, 信息内容…) or by nothing, is that row printed with every
            // figure blank (PDF and crawler text drop the empty cells).
            if !layout.hasValues, layout.tableIndex == nil, !consumed.contains(index), !layout.labels.isEmpty,
               let match = matcher.score(layout.labels), match.score >= 0.99, match.code != "other",
               !layout.labels.joined().contains(where: { $0.isNumber && $0.isASCII }) || LabelFolding.stripMarkers(layout.labels.joined()).markers.count == 1
                || hasWordsInFigurePlace(layout, code: match.code, matcher: matcher),
               !isColumnHeading(layout), endsBlankRow(layouts[(index + 1)...], after: layout, matcher: matcher) {
                matcher.accept(match)
                rows.append((RowLayout(labels: layout.labels, slots: [""], tableIndex: nil), match.code, false))
                pending = []
                continue
            }
            guard layout.hasValues && !isHeaderWithMarks else {
                headerText += LabelFolding.fold(layout.labels.joined())
                if !consumed.contains(index) && !isHeaderWithMarks { pending.append(index) }
                continue
            }
            let previous = pending.filter { !consumed.contains($0) }.flatMap { layouts[$0].labels }
            var nextIndex = index + 1 < layouts.count && !layouts[index + 1].hasValues ? index + 1 : nil
            // A group heading with figures (（四）无法提供 3 … 3) before an item's whole label on a line of its own: the
            // figures are the group's subtotal (``GroupSubtotal``), not the item's — in a table, where the item is a row
            // of its own printed blank. In text the two cannot be told apart (PDF text also prints an item's figures
            // before its label): neither the figures nor the item is stored.
            if let nextIndex, previous.isEmpty, GroupSubtotal.heading(layout.labels, table: table) != nil,
               let item = matcher.score(layouts[nextIndex].labels), item.score >= 0.99 {
                if layout.tableIndex == nil {
                    matcher.accept(item)
                    consumed.insert(nextIndex)
                    findings.append(Finding(rule: .structureUnlabelledValues, severity: .warning, table: table, row: item.code,
                                            message: "figures \(layout.slots.filter { !$0.isEmpty }) are printed on the line of the group heading \"\(layout.labels.joined())\", and row \(item.code)'s label on the next line without figures: they are the group's subtotal or that row's figures; neither is stored"))
                    pending = []
                    continue
                }
                rows.append((layout, nil, false))
                pending = []
                continue
            }
            // In a table, a next row printed with its own empty cells under a row's whole label is that row, printed
            // blank: never the rest of this row's label.
            if let index = nextIndex, layouts[index].isBlankRow, layouts[index].tableIndex != nil,
               (matcher.score(layouts[index].labels)?.score ?? 0) >= 0.99 {
                nextIndex = nil
            }
            let next = nextIndex.map { layouts[$0].labels } ?? []
            var candidates: [(labels: [String], usesNext: Bool)] = [(layout.labels, false)]
            if !previous.isEmpty { candidates.append((previous + layout.labels, false)) }
            if !next.isEmpty {
                candidates.append((layout.labels + next, true))
                if !previous.isEmpty { candidates.append((previous + layout.labels + next, true)) }
            }
            var best: (match: LabelMatcher.Match, usesNext: Bool)?
            for candidate in candidates {
                guard let match = matcher.score(candidate.labels) else { continue }
                // Equally certain, a numbered item beats the 2019 single row （六）其他处理 printed beside it.
                let betterItem = best?.match.code == "other" && match.code.hasPrefix("other.") && match.score >= best!.match.score - 1e-9
                if best == nil || match.score > best!.match.score + 1e-9 || betterItem { best = (match, candidate.usesNext) }
            }
            if let best {
                matcher.accept(best.match)
                if best.usesNext, let nextIndex { consumed.insert(nextIndex) }
            }
            rows.append((layout, best?.match.code, false))
            pending = []
        }
        return Assembled(rows: rows, headerText: headerText, findings: findings)
    }

    /// "行政强制      96左右": a row's label and, where its figure belongs, words with digits in them.
    private func hasWordsInFigurePlace(_ layout: RowLayout, code: String, matcher: LabelMatcher) -> Bool {
        guard let row = TemplateSchema.rowsOfBothFormats(table).first(where: { $0.code == code }) else { return false }
        return TableReader.wordsInFigurePlace(layout, code: code, columns: row.columns.count, matcher: matcher) != nil
    }

    /// The lines after a bare label leave it no figures: the table ends, another row's label follows, or a
    /// heading of the table does. Group headings between an item and its figures ("1.属于国家秘密" / "（三）不予公开"
    /// / "1 0 0 0 0 0 1") are passed over: figures without a label after them are the item's.
    private func endsBlankRow(_ following: ArraySlice<RowLayout>, after label: RowLayout, matcher: LabelMatcher) -> Bool {
        var rest = following
        func isRow(_ layout: RowLayout) -> Bool {
            // （六）其他处理 is a row only in the 2019 form; in the 2021 form it heads a group.
            matcher.score(layout.labels).map { $0.score >= 0.99 && $0.code != "other" } ?? false
        }
        while let next = rest.first, !next.hasValues, !next.labels.isEmpty, !isRow(next), RunTogetherRegion.isEmptyRegion(next.labels.joined()) {
            rest = rest.dropFirst()
        }
        guard let next = rest.first else { return true }
        guard !next.labels.isEmpty else { return false }
        if isRow(next) { return true }
        return rest.startIndex > following.startIndex && !RunTogetherRegion.isEmptyRegion(label.labels.joined())
    }

    /// Whether the template's row after `match` is the next labelled row printed (or `match` is the last row).
    private func nextRowFollows(_ match: LabelMatcher.Match, after rest: ArraySlice<RowLayout>, matcher: LabelMatcher) -> Bool {
        var matcher = matcher
        matcher.accept(match)
        let successors = Set(TableFormat.allCases.compactMap { format -> String? in
            let rows = TemplateSchema.table(table, format).rows
            guard let position = rows.firstIndex(where: { $0.code == match.code }) else { return nil }
            return position + 1 < rows.count ? rows[position + 1].code : ""
        })
        if successors.contains("") { return true }
        guard let next = rest.first(where: { !$0.labels.isEmpty }), let code = matcher.score(next.labels)?.code else { return false }
        return successors.contains(code)
    }

    /// A line that is only a column heading ("总计", "其他"), without an item marker: the table's header, never a
    /// row printed blank even where a row has the same words ("（七）总计").
    private func isColumnHeading(_ layout: RowLayout) -> Bool {
        let text = layout.labels.joined()
        guard LabelFolding.stripMarkers(text).markers.isEmpty else { return false }
        return Self.columnHeadings.contains(LabelFolding.fold(text))
    }

    private static let columnHeadings = Set(TemplateSchema.tables.flatMap { $0.rows.flatMap { $0.columns.map { LabelFolding.fold($0.label) } } })

    /// Word-to-text exports print one cell per line: a label line, then each figure on a line of its own.
    /// Two or more single-figure lines after a label-only line are that label's row.
    static func joinOneCellPerLine(_ layouts: [RowLayout]) -> [RowLayout] {
        var result: [RowLayout] = []
        var index = 0
        func isSingleFigure(_ layout: RowLayout) -> Bool {
            layout.labels.isEmpty && layout.slots.filter { !$0.isEmpty }.count == 1
        }
        while index < layouts.count {
            let layout = layouts[index]
            var end = index + 1
            while end < layouts.count, isSingleFigure(layouts[end]) { end += 1 }
            if !layout.hasValues, !layout.labels.isEmpty, end - index - 1 >= 2 {
                let figures = layouts[(index + 1)..<end].flatMap { $0.slots.filter { !$0.isEmpty } }
                // The figures' lines, from the first to the last.
                let origin = layouts[index + 1].origin?.through(layouts[end - 1].origin)
                result.append(RowLayout(labels: layout.labels, slots: figures, tableIndex: layout.tableIndex, origin: origin))
                index = end
            } else {
                result.append(layout)
                index += 1
            }
        }
        return result
    }

    /// A label wrapped with its figures split over the two lines ("4.无正当理由大量反复  1" / "申请  0 0 0 0 0 1", narrow
    /// columns in PDF and its text): the second line alone reads as another row (申请 → 2.重复申请, a false duplicate)
    /// and the first as a row short of figures. Two text lines are one row where together they print table 三's seven
    /// figures, the first prints fewer, and their labels joined name a row better than the second's alone.
    func joinWrappedFigureLines(_ layouts: [RowLayout]) -> [RowLayout] {
        guard table == .requests else { return layouts }
        let columns = TemplateSchema.requestColumns.count
        let matcher = LabelMatcher(table: table)
        var result: [RowLayout] = []
        var index = 0
        while index < layouts.count {
            let first = layouts[index]
            if index + 1 < layouts.count, first.tableIndex == nil, first.hasValues, !first.labels.isEmpty {
                let second = layouts[index + 1]
                let firstFigures = first.slots.filter { !$0.isEmpty }
                let secondFigures = second.slots.filter { !$0.isEmpty }
                if second.tableIndex == nil, !second.labels.isEmpty, firstFigures.count < columns,
                   firstFigures.count + secondFigures.count == columns,
                   let joined = matcher.score([(first.labels + second.labels).joined()]), joined.score >= 0.99,
                   joined.score > (matcher.score(second.labels)?.score ?? 0), joined.score >= (matcher.score(first.labels)?.score ?? 0) {
                    result.append(RowLayout(labels: [(first.labels + second.labels).joined()], slots: firstFigures + secondFigures,
                                            tableIndex: nil, origin: first.origin?.through(second.origin)))
                    index += 2
                    continue
                }
            }
            result.append(first)
            index += 1
        }
        return result
    }

    /// Fills runs of unmatched rows from the template rows missing between their matched neighbours.
    static func alignByPosition(_ rows: inout [(layout: RowLayout, code: String?, byPosition: Bool)], definition: TableDefinition) {
        let order = Dictionary(uniqueKeysWithValues: definition.rows.enumerated().map { ($1.code, $0) })
        let found = Set(rows.compactMap(\.code))
        var index = 0
        while index < rows.count {
            guard rows[index].code == nil else { index += 1; continue }
            var end = index
            while end < rows.count, rows[end].code == nil { end += 1 }
            let lower = index > 0 ? rows[index - 1].code.flatMap { order[$0] } : -1
            let upper = end < rows.count ? rows[end].code.flatMap { order[$0] } : definition.rows.count
            if let lower, let upper, lower < upper {
                let missing = definition.rows[(lower + 1)..<upper].map(\.code).filter { !found.contains($0) }
                // A row keeps a label that contradicts the missing row's (行政裁决 is not 行政处罚): only empty labels
                // (or only group headings continued by rowspan) and fragments of the missing row's label are placed.
                let fits = missing.count == end - index && !rows[index..<end].contains(where: \.layout.unplaceable)
                    && missing.enumerated().allSatisfy { offset, code in
                    let label = LabelMatcher.parts(of: rows[index + offset].layout.labels).map(\.text).joined()
                    let template = definition.row(code)!.foldedLabels[0]
                    return label.isEmpty || rows[index + offset].layout.labelsAreCopies || LabelMatcher.containment(label, in: template) >= 0.6
                }
                if fits {
                    for (offset, code) in missing.enumerated() {
                        rows[index + offset].code = code
                        rows[index + offset].byPosition = true
                    }
                }
            }
            index = end
        }
    }
}
