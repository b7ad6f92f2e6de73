import NianbaoHTML

/// Lays an HTML table out on a grid, expanding `rowspan`/`colspan`, and reads it back as rows.
///
/// A cell spanning several columns comes back once (its figure is one value, not three); a cell spanning
/// several rows comes back in each of them, marked as a copy below its first row, so that a group label
/// such as （三）不予公开 applies to every row it covers.
enum TableGrid {
    static func rows(of table: HTMLTable, tableIndex: Int) -> [TableRow] {
        var slots: [[(id: Int, originRow: Int)?]] = []
        var cells: [HTMLCell] = []
        for (rowIndex, row) in table.rows.enumerated() {
            while slots.count <= rowIndex { slots.append([]) }
            var column = 0
            for cell in row {
                while column < slots[rowIndex].count, slots[rowIndex][column] != nil { column += 1 }
                let id = cells.count
                cells.append(cell)
                // Spans past the table's rows are clipped, as browsers do.
                let lastRow = min(rowIndex + cell.rowSpan, table.rows.count) - 1
                for spanRow in rowIndex...lastRow {
                    while slots.count <= spanRow { slots.append([]) }
                    while slots[spanRow].count < column + cell.colSpan { slots[spanRow].append(nil) }
                    for spanColumn in column..<(column + cell.colSpan) {
                        slots[spanRow][spanColumn] = (id, rowIndex)
                    }
                }
                column += cell.colSpan
            }
        }
        // A <tr> that prints nothing of its own, every cell continued from the row above (one row over two <tr>, all
        // its cells rowspan=2), is no row — read, it was that row again (a false duplicate) — and a figure merged into
        // it only is one row's.
        let continuationOnly = slots.enumerated().map { rowIndex, row in
            row.contains { $0.map { $0.originRow != rowIndex } ?? false }
                && row.allSatisfy { slot in slot.map { $0.originRow != rowIndex || cells[$0.id].text.isEmpty } ?? true }
        }
        return slots.enumerated().compactMap { rowIndex, row -> TableRow? in
            guard !continuationOnly[rowIndex] else { return nil }
            var out: [RowCell] = []
            out.reserveCapacity(row.count)
            var previousID: Int?
            for (column, slot) in row.enumerated() {
                guard let slot else {
                    out.append(RowCell(text: ""))
                    previousID = nil
                    continue
                }
                if slot.id == previousID { continue }
                previousID = slot.id
                var span = 1
                while column + span < row.count, row[column + span]?.id == slot.id { span += 1 }
                // The rows the cell covers from here, those that are rows of their own (counted, not collected).
                var rowSpan = 1
                if slot.originRow == rowIndex {
                    rowSpan = 0
                    var below = rowIndex
                    while below < slots.count, column < slots[below].count, slots[below][column]?.id == slot.id {
                        if !continuationOnly[below] { rowSpan += 1 }
                        below += 1
                    }
                }
                out.append(RowCell(text: cells[slot.id].text, isRowSpanCopy: slot.originRow != rowIndex, column: column + 1, span: span,
                                   rowSpan: rowSpan))
            }
            return TableRow(cells: out, tableIndex: tableIndex, origin: SourcePosition(table: tableIndex + 1, row: rowIndex + 1))
        }
    }
}
