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
            guard lines.count >= 2, !values.isEmpty, let units = units(of: lines, table: table) else {
                paired.layouts.append(layouts[index])
                index += 1
                continue
            }
            let rows = units.filter(\.isRow)
            if rows.count < 2 {
                paired.layouts.append(layouts[index])
                index += 1
                continue
            }
            if rows.count == values.count {
                var next = 0
                for unit in units {
                    if unit.isRow {
                        paired.layouts.append(RowLayout(labels: unit.labels, slots: values[next].slots, tableIndex: values[next].tableIndex))
                        next += 1
                    } else {
                        paired.layouts.append(RowLayout(labels: unit.labels, slots: [], tableIndex: nil))
                    }
                }
            } else {
                paired.setAside += lines
                paired.layouts += values
                let labels = rows.map { $0.labels.joined() }
                paired.findings.append(Finding(rule: .structureUnlabelledValues, severity: .warning, table: table,
                                               expected: Double(rows.count), actual: Double(values.count),
                                               message: "\(rows.count) row labels (\(labels.joined(separator: ", "))) are printed apart from \(values.count) rows of figures; they cannot be paired with certainty, so none of them is stored"))
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
        for line in lines {
            let text = line.labels.joined()
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
        for (index, unit) in units.enumerated() {
            if let match = matcher.score(unit.labels), match.score >= 0.99 {
                matcher.accept(match)
                units[index].isRow = true
                codes.append(match.code)
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

    private static func isGroupHeading(_ labels: [String], table: TableCode) -> Bool {
        guard table == .requests else { return false }
        let text = LabelFolding.fold(LabelFolding.stripMarkers(labels.joined()).body)
        return text.includes(TemplateSchema.outcomeGroupKeyword)
            || TemplateSchema.requestGroups.contains { group in group.labels.contains { text == LabelFolding.fold($0) } }
    }
}
