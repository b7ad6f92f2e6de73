/// Labels printed as a block apart from their figures, as broken PDF→markdown conversions leave table 三:
///
/// ```
/// （三）不予公开
/// 1.属于国家秘密
/// 2.其他法律行政法规禁止公开
/// …
/// | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
/// | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
/// …
/// ```
///
/// A run of two or more label-only lines, each a template row's label found whole (group headings such as
/// （三）不予公开 may stand among them), followed at once by as many rows of figures without labels: the k-th
/// label is the k-th row's. When the counts differ, nothing in the block can be paired with certainty: the
/// labels are not taken for blank rows (which a label followed by another label otherwise means) and the
/// figures stay unplaced, with a finding.
enum LabelBlocks {
    struct Paired {
        var layouts: [RowLayout]
        /// Label lines set aside (counts disagreed): header text for format detection, never rows.
        var setAside: [RowLayout] = []
        var findings: [Finding] = []
    }

    static func pair(_ layouts: [RowLayout], table: TableCode) -> Paired {
        var paired = Paired(layouts: [])
        var index = 0
        while index < layouts.count {
            var labelEnd = index
            while labelEnd < layouts.count, isLabelLine(layouts[labelEnd]) { labelEnd += 1 }
            var valueEnd = labelEnd
            while valueEnd < layouts.count, layouts[valueEnd].labels.isEmpty, layouts[valueEnd].hasValues { valueEnd += 1 }
            let lines = Array(layouts[index..<labelEnd]), values = Array(layouts[labelEnd..<valueEnd])
            let units = lines.count >= 2 && !values.isEmpty ? units(of: lines, table: table) : nil
            let rows = units?.filter(\.isRow) ?? []
            // Not a block of labels: prose, or one label. But row labels found whole, two or more, over rows of
            // figures that the block cannot be paired with (a label no row's, out of order): set aside.
            let unpairable = units == nil && !values.isEmpty && exactRowLabels(lines, table: table) >= 2
            if !unpairable && rows.count < 2 {
                paired.layouts.append(layouts[index])
                index += 1
                continue
            }
            if let units, rows.count == values.count {
                var next = 0
                for unit in units {
                    if unit.isRow {
                        paired.layouts.append(RowLayout(labels: unit.labels, slots: values[next].slots, tableIndex: values[next].tableIndex,
                                                               origin: values[next].origin, slotColumns: values[next].slotColumns))
                        next += 1
                    } else {
                        paired.layouts.append(RowLayout(labels: unit.labels, slots: [], tableIndex: nil))
                    }
                }
            } else {
                paired.setAside += lines
                // Labels out of the template's order contradict placing these figures by position; labels in
                // order, only fewer or more than the figures (wrapped PDF labels), do not.
                paired.layouts += values.map { value in
                    var marked = value
                    marked.unplaceable = units == nil
                    return marked
                }
                let labels = (units == nil ? lines.map { $0.labels.joined() } : rows.map { $0.labels.joined() })
                let why = units == nil ? "they are not a list of the table's rows in its order" : "their counts differ"
                paired.findings.append(Finding(rule: .structureUnlabelledValues, severity: .warning, table: table,
                                               expected: Double(units == nil ? lines.count : rows.count), actual: Double(values.count),
                                               message: "\(labels.count) labels (\(labels.joined(separator: ", "))) are printed apart from \(values.count) rows of figures and \(why); they cannot be paired with certainty, so none of them is stored"))
            }
            index = valueEnd
        }
        return paired
    }

    /// A line with a label and no figure cell at all (a prose line, a one-cell row): not a row printed blank.
    private static func isLabelLine(_ layout: RowLayout) -> Bool {
        !layout.labels.isEmpty && !layout.hasValues && layout.slots.isEmpty
    }

    struct Unit {
        var labels: [String]
        var isRow = false
    }

    /// The block's labels: table 三's numbered labels wrapped over lines joined (a line without a number of its
    /// own continues the one above), scattered pieces of vertical group labels ("（三）不", "予公开") kept with
    /// the label they interrupt. Nil when a label is neither a row's found whole nor a group heading: the block
    /// is not a clean list of labels, and is left to the assembler.
    static func units(of lines: [RowLayout], table: TableCode) -> [Unit]? {
        var units: [Unit] = []
        var previousLine: String?
        for line in lines {
            let text = line.labels.joined()
            // A line printed twice (fake bold in the PDF): one label.
            defer { previousLine = LabelFolding.fold(text) }
            if LabelFolding.fold(text) == previousLine { continue }
            if LabelMatcher.parts(of: line.labels).isEmpty {
                if !units.isEmpty { units[units.count - 1].labels += line.labels }
                continue
            }
            let numbered = !LabelFolding.stripMarkers(text).markers.isEmpty
            if table == .requests, !numbered, !units.isEmpty {
                units[units.count - 1].labels += line.labels
            } else {
                units.append(Unit(labels: line.labels))
            }
        }
        var matcher = LabelMatcher(table: table)
        var codes: [String?] = []
        var previousRow: RowDefinition?
        for (index, unit) in units.enumerated() {
            let match = matcher.score(unit.labels)
            if let match, match.score >= 0.99 || isNextItem(match, printed: unit.labels, after: previousRow) {
                matcher.accept(match)
                units[index].isRow = true
                codes.append(match.code)
                // Items of one group are listed in the template's order (3 and 4 swapped pair with nothing).
                let row = rowsByCode[match.code]
                if let row, let previousRow, row.group != nil, row.group == previousRow.group,
                   (row.number ?? 0) <= (previousRow.number ?? 0) { return nil }
                previousRow = row
            } else if isGroupHeading(unit.labels, table: table) {
                codes.append(nil)
            } else {
                return nil
            }
        }
        // 2021's （六）其他处理 is the heading of its items, not 2019's row of that name.
        if codes.contains(where: { $0?.hasPrefix("other.") == true }) {
            for index in units.indices where codes[index] == "other" { units[index].isRow = false; codes[index] = nil }
        }
        let rowCodes = codes.compactMap { $0 }
        guard Set(rowCodes).count == rowCodes.count else { return nil }
        return units
    }

    private static let rowsByCode = Dictionary(TemplateSchema.rowsOfBothFormats(.requests).map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    /// A label not found whole ("8.属于行政查洵事项", "5.要求行政机关确认或重新出具") that is, by its printed item
    /// number and its closest row, the item right after the one before it in the same group: its place in the
    /// list names it.
    private static func isNextItem(_ match: LabelMatcher.Match, printed labels: [String], after previous: RowDefinition?) -> Bool {
        guard let previous, let row = rowsByCode[match.code], let number = row.number, row.group != nil, row.group == previous.group,
              number == (previous.number ?? -1) + 1 else { return false }
        let markers = LabelFolding.stripMarkers(labels.joined()).markers
        return markers.count == 1 && markers.contains { if case let .arabic(printed) = $0 { return printed == number } else { return false } }
    }

    /// Lines that are exactly a row's label (matched whole).
    private static func exactRowLabels(_ lines: [RowLayout], table: TableCode) -> Int {
        let matcher = LabelMatcher(table: table)
        return lines.filter { (matcher.score($0.labels)?.score ?? 0) >= 0.99 && !isGroupHeading($0.labels, table: table) }.count
    }

    private static func isGroupHeading(_ labels: [String], table: TableCode) -> Bool {
        guard table == .requests else { return false }
        let text = LabelFolding.fold(LabelFolding.stripMarkers(labels.joined()).body)
        return text.includes(TemplateSchema.outcomeGroupKeyword)
            || TemplateSchema.requestGroups.contains { group in group.labels.contains { text == LabelFolding.fold($0) } }
    }
}
