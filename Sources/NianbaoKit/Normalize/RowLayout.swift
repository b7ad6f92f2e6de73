/// A table row split into its label cells and the value slots after them.
///
/// The label is every cell up to the last one holding text; the slots are the cells after it, empty ones
/// included, because in tab-separated exports an empty cell still marks a column ("(一) 予以公开" followed
/// by six empty cells and 263 means only 总计 was filled).
struct RowLayout {
    var labels: [String]
    var slots: [String]

    init(_ row: TableRow) {
        var cells = row.cells.map { cell -> (text: String, isValue: Bool) in
            let parsed = CellValueParser.parse(cell.text, kind: .money)
            let isValue = cell.text.isEmpty || parsed.state == .number || parsed.state == .na
            // A figure continued from the row above by rowspan belongs to that row only.
            if cell.isRowSpanCopy && isValue { return ("", true) }
            return (cell.text, isValue)
        }
        let lastLabel = cells.lastIndex { !$0.isValue }
        if let lastLabel {
            labels = cells[...lastLabel].map(\.text).filter { !$0.isEmpty }
            cells.removeFirst(lastLabel + 1)
        } else {
            labels = []
        }
        slots = cells.map(\.text)
    }

    /// True when at least one slot holds a figure or a "/"-like mark.
    var hasValues: Bool { slots.contains { !$0.isEmpty } }

    /// The slots fitted to `count` columns: surplus empty slots are dropped from the end, then from the
    /// start; nil when the values cannot be placed with certainty.
    func fitted(to count: Int) -> [String]? {
        var fitted = slots
        while fitted.count > count, fitted.last?.isEmpty == true { fitted.removeLast() }
        while fitted.count > count, fitted.first?.isEmpty == true { fitted.removeFirst() }
        return fitted.count == count ? fitted : nil
    }
}
