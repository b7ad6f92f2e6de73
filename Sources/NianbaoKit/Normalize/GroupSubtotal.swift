/// A group heading of table 三 printed with figures of its own: "（三）不予公开 | 4 | 0 | … | 4" above its numbered items, or
/// "三、本年度办理结果 | 41 | 7 | … | 53" above the outcomes. The template has no cell for such a subtotal, and its figures are
/// never an item's (a heading followed by items printed blank once put the group's figures under item 1). They are
/// checked against the items instead:
///
/// - every item of a column read as a figure: the subtotal must be their sum (info where it is, a warning where not);
/// - every item of a column printed blank where the subtotal is not 0: the breakdown is not published, so the blank
///   items of that column are not stored (a blank would say "none"), with a warning.
///
/// ```swift
/// GroupSubtotal.heading(["（四）无法提供"], table: .requests)?.title   // "无法提供"
/// ```
struct GroupSubtotal {
    /// The group's printed title and which rows of the table are its items.
    let title: String
    let isItem: (RowDefinition) -> Bool
    /// The heading row as printed, with its figures.
    var layout: RowLayout

    /// The group a label names exactly (markers such as （四） or 三、 aside), if any: a group of numbered items in table
    /// 三's 2021 form (in the 2019 form （六）其他处理 is a row of its own and is matched as one), or 本年度办理结果 over
    /// all the outcomes.
    static func heading(_ labels: [String], table: TableCode) -> (title: String, isItem: (RowDefinition) -> Bool)? {
        guard table == .requests else { return nil }
        var text = LabelFolding.fold(LabelFolding.stripMarkers(labels.joined()).body)
        // "（三）不予公开 | 小计": the heading says it is a subtotal.
        for word in ["小计", "合计"] where text.hasSuffix(word) && text.count > word.count { text = String(text.dropLast(word.count)) }
        if text == TemplateSchema.outcomeGroupLabel || text == TemplateSchema.outcomeGroupKeyword {
            return (TemplateSchema.outcomeGroupLabel, { $0.isOutcome })
        }
        guard let group = TemplateSchema.requestGroups.first(where: { $0.labels.contains { text == LabelFolding.fold($0) } }) else { return nil }
        return (group.labels[0], { $0.group == group.code && !$0.isGroupRow })
    }

    init?(_ layout: RowLayout, table: TableCode) {
        guard layout.hasValues, let heading = Self.heading(layout.labels, table: table) else { return nil }
        title = heading.title
        isItem = heading.isItem
        self.layout = layout
    }
}

extension TableReader {
    /// Checks each group heading printed with figures against its items (``GroupSubtotal``); blank items of a column
    /// whose subtotal is not 0 are taken out of the result.
    func checkGroupSubtotals(_ groups: [GroupSubtotal], definition: TableDefinition, columnOrder: [String]?, in result: inout Result) {
        for group in groups {
            let items = definition.rows.filter(group.isItem)
            guard let first = items.first else { continue }
            let subtotal = place(group.layout, in: first, headerUnit: nil, order: columnOrder)
            let figures = subtotal.filter { $0.state == .number }.map(\.raw)
            let label = group.layout.labels.joined(separator: " ")
            guard subtotal.count == first.columns.count, subtotal.allSatisfy({ $0.state == .number || $0.state == .blank }) else {
                result.findings.append(Finding(rule: .structureGroupSubtotal, severity: .warning, table: table,
                                               message: "row \"\(label)\" prints figures \(group.layout.slots.filter { !$0.isEmpty }) for its group (\(group.title)), which could not be read as one per column; not stored"))
                continue
            }
            var matching: [String] = []
            var differing: [String] = []
            var unpublished: [String] = []
            for (index, column) in first.columns.enumerated() {
                let total = subtotal[index].value ?? 0
                let cells = items.map { item in result.cells.first { $0.row == item.code && $0.col == column.code } }
                if cells.allSatisfy({ $0?.state == .number }) {
                    let sum = cells.reduce(0.0) { $0 + ($1?.value ?? 0) }
                    if abs(sum - total) <= 1e-9 { matching.append(column.code) } else { differing.append("\(column.code) \(format(total)) against \(format(sum))") }
                } else if total != 0, cells.allSatisfy({ $0 == nil || $0?.state == .blank }) {
                    unpublished.append(column.code)
                    let codes = Set(items.map(\.code))
                    result.cells.removeAll { codes.contains($0.row) && $0.col == column.code && $0.state == .blank }
                }
            }
            if !differing.isEmpty {
                result.findings.append(Finding(rule: .structureGroupSubtotal, severity: .warning, table: table,
                                               message: "row \"\(label)\" prints its group's subtotal \(figures), which its items do not add up to (\(differing.joined(separator: "; "))); the items are stored as printed, the subtotal is not (the template has no cell for it)"))
            }
            if !unpublished.isEmpty {
                result.findings.append(Finding(rule: .structureGroupSubtotal, severity: .warning, table: table,
                                               message: "row \"\(label)\" prints its group's subtotal \(figures) while its items are blank in \(unpublished.joined(separator: ", ")): how the subtotal divides among them is not published, so those items are not stored"))
            }
            if differing.isEmpty && unpublished.isEmpty {
                result.findings.append(Finding(rule: .structureGroupSubtotal, severity: .info, table: table,
                                               message: "row \"\(label)\" prints its group's subtotal \(figures)" + (matching.count == first.columns.count ? ", which its items add up to" : "")
                                                + "; not stored (the template has no cell for it)"))
            }
        }
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
