/// A table row split into its label cells and the value slots after them.
///
/// The label is every cell up to the last one holding text; the slots are the cells after it, empty ones
/// included, because in tab-separated exports an empty cell still marks a column ("(一) 予以公开" followed
/// by six empty cells and 263 means only 总计 was filled).
struct RowLayout {
    var labels: [String]
    var slots: [String]
    /// The HTML or markdown table the row came from.
    var tableIndex: Int?
    /// Figures whose printed labels contradict any placement (``LabelBlocks`` set them aside): never given a
    /// row by position.
    var unplaceable = false
    /// Every label cell is a rowspan copy from the rows above (a group heading such as （三）不予公开): the row
    /// printed no label of its own.
    var labelsAreCopies = false
    /// Where the row was read, and the grid column of each slot where the slots are the row's own cells.
    var origin: SourcePosition?
    var slotColumns: [Int?] = []
    /// How many grid columns each slot covers (`colspan`), where the slots are the row's own cells.
    var slotSpans: [Int] = []
    /// Grid column → column code, as the header above the row names them (``PrintedColumns``).
    var printedColumns: [Int: String] = [:]
    /// Grid columns the header names as subtotals (小计), no column of the template.
    var subtotalColumns: Set<Int> = []
    /// Grid column → the figure of a cell merged down into this row from a row above (`rowspan`, Word's vMerge). Its
    /// slot stays empty (the figure is the first row's); ``TableReader/place(_:in:headerUnit:order:findings:unplacedByHeader:)``
    /// then says what the merge means for this row rather than reading an empty cell.
    var mergedFigures: [Int: String] = [:]
    /// Grid columns where this row holds a figure merged down over the rows below (its first row).
    var mergedFromHere: Set<Int> = []

    init(_ row: TableRow) {
        let cells = row.cells.map { cell -> (text: String, state: CellState) in
            // Damaged bytes (U+FFFD) make a cell unreadable, not a label: it keeps its place among the figures
            // (and is abstained when the table is read), so the figures after it are not shifted.
            // (U+FFFD is EF BF BD in UTF-8: a cell without the byte EF is not walked by scalars.)
            if cell.text.utf8.contains(0xEF), cell.text.unicodeScalars.contains("\u{FFFD}") { return (cell.text, .number) }
            let state: CellState = CellValueParser.isFigure(cell.text) ? .number : (cell.text.isEmpty ? .blank : .text)
            // A figure continued from the row above by rowspan belongs to that row only.
            if cell.isRowSpanCopy && (state == .number || state == .na) { return ("", .blank) }
            return (cell.text, state)
        }
        let isFigure = { (cell: (text: String, state: CellState)) in cell.state == .number || cell.state == .na }
        tableIndex = row.tableIndex
        origin = row.origin
        for cell in row.cells where cell.isRowSpanCopy || cell.rowSpan > 1 {
            guard let column = cell.column, CellValueParser.isFigure(cell.text) else { continue }
            if cell.isRowSpanCopy { mergedFigures[column] = cell.text } else { mergedFromHere.insert(column) }
        }
        guard let firstFigure = cells.firstIndex(where: isFigure) else {
            // No figure: a header, a label-only line, or a row whose cells are all blank (its empty cells
            // after the label are kept, so that such a row can still be recognized).
            let lastText = cells.lastIndex { !$0.text.isEmpty }
            labels = cells.map(\.text).filter { !$0.isEmpty }
            slots = Array(cells[(lastText.map { $0 + 1 } ?? 0)...]).map(\.text)
            slotColumns = row.cells[(lastText.map { $0 + 1 } ?? 0)...].map(\.column)
            slotSpans = row.cells[(lastText.map { $0 + 1 } ?? 0)...].map(\.span)
            return
        }
        // The label is the text before the first figure; text after it is a cell that holds words
        // ("减少4", "详见附件"), not part of the label — except a long label printed after its figures.
        let lastLabel = cells[..<firstFigure].lastIndex { $0.state == .text }
        var labels = lastLabel.map { cells[...$0].map(\.text).filter { !$0.isEmpty } } ?? []
        var slots = Array(cells[(lastLabel.map { $0 + 1 } ?? 0)...]).map(\.text)
        if labels.isEmpty, let lastFigure = cells.lastIndex(where: isFigure), lastFigure + 1 < cells.count {
            let trailing = cells[(lastFigure + 1)...].filter { !$0.text.isEmpty }
            if !trailing.isEmpty, trailing.allSatisfy({ $0.state == .text && LabelFolding.fold($0.text).count >= 5 }) {
                labels = trailing.map(\.text)
                slots = Array(slots.prefix(lastFigure + 1 - (lastLabel.map { $0 + 1 } ?? 0)))
            }
        }
        self.labels = labels
        self.slots = slots
        slotColumns = Array(row.cells[(lastLabel.map { $0 + 1 } ?? 0)...].map(\.column).prefix(slots.count))
        slotSpans = Array(row.cells[(lastLabel.map { $0 + 1 } ?? 0)...].map(\.span).prefix(slots.count))
        let labelCells = row.cells[..<(lastLabel.map { $0 + 1 } ?? 0)].filter { !$0.text.isEmpty }
        labelsAreCopies = !labelCells.isEmpty && labelCells.allSatisfy(\.isRowSpanCopy)
    }

    /// The row with each 0 or "/" printed once across several columns (`colspan`, here or merged down from above)
    /// spread into one slot per column it covers: counts are never negative, so a shared 0 is 0 in each. Nil when
    /// no slot spans columns with such a mark. ``TableReader`` takes it only where it gives the row's columns their
    /// figures and the cells as printed do not (a 0 over one column of three-column grid stays one figure).
    func spreadingZeros() -> RowLayout? {
        guard slotSpans.count == slots.count, slotColumns.count == slots.count, slotSpans.contains(where: { $0 > 1 }) else { return nil }
        var spread = self
        spread.slots = []
        spread.slotColumns = []
        spread.slotSpans = []
        var changed = false
        for index in slots.indices {
            let text = slots[index].isEmpty ? slotColumns[index].flatMap { mergedFigures[$0] } ?? "" : slots[index]
            let parsed = CellValueParser.parse(text, kind: .signed)
            guard slotSpans[index] > 1, let column = slotColumns[index], !text.isEmpty,
                  (parsed.state == .number && parsed.value == 0) || parsed.state == .na else {
                spread.slots.append(slots[index])
                spread.slotColumns.append(slotColumns[index])
                spread.slotSpans.append(slotSpans[index])
                continue
            }
            changed = true
            for offset in 0..<slotSpans[index] {
                spread.slots.append(slots[index])
                spread.slotColumns.append(column + offset)
                spread.slotSpans.append(1)
                if slots[index].isEmpty { spread.mergedFigures[column + offset] = text }
            }
        }
        return changed ? spread : nil
    }

    /// Slots that hold a figure, or lie under one merged down from above.
    var figureCount: Int {
        var count = 0
        let columnsKnown = !mergedFigures.isEmpty && slotColumns.count == slots.count
        for index in slots.indices {
            if !slots[index].isEmpty || (columnsKnown && slotColumns[index].map { mergedFigures[$0] != nil } == true) { count += 1 }
        }
        return count
    }

    /// True when at least one slot holds a figure or a "/"-like mark (or words in a figure's place).
    var hasValues: Bool { slots.contains { !$0.isEmpty } }

    /// A row printed with every figure cell empty.
    var isBlankRow: Bool { !hasValues && !slots.isEmpty }

    init(labels: [String], slots: [String], tableIndex: Int? = nil, origin: SourcePosition? = nil, slotColumns: [Int?] = []) {
        self.labels = labels
        self.slots = slots
        self.tableIndex = tableIndex
        self.origin = origin
        self.slotColumns = slotColumns
    }

    /// Each slot's position: the row's, with the slot's grid column where the slots are the row's own cells.
    var positions: [SourcePosition?] {
        slots.indices.map { index in
            guard var position = origin else { return nil }
            if slotColumns.count == slots.count { position.column = slotColumns[index] }
            return position
        }
    }

    /// The slots fitted to `count` columns: surplus empty slots are dropped from the end, then from the
    /// start; nil when the values cannot be placed with certainty.
    func fitted(to count: Int) -> [String]? { Self.fit(slots, to: count, dropInnerBlanks: false) }
}
