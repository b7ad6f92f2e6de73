/// A table printed twice whose captions do not say which print is this year's (``TableReader/rowsOfReportYear(_:)``
/// settles the others): the first print was kept, and where the second printed other figures — last year's table,
/// printed first — every one of them was wrong, under a table-level warning only. Now a cell is stored only where
/// both prints agree; the others are left unstored, with a finding that names them.
///
/// ```swift
/// var repeated = RepeatedTable()
/// repeated.note("new", laterCells)                 // the second print's cells of row `new`
/// repeated.withholdDifferences(from: &result, table: .requests, year: 2022)
/// ```
struct RepeatedTable {
    /// The second print's cells, per row code (a third print is not compared).
    private var later: [String: [Cell]] = [:]

    /// Notes the second print's cells of `row`, where it prints the row's cells (`printsRow`): a row of fewer (a
    /// summary table elsewhere giving only the totals) is no print of the table.
    mutating func note(_ row: String, _ cells: [Cell], printsRow: Bool = true) {
        if printsRow, later[row] == nil { later[row] = cells }
    }

    /// A figure, or a cell printed blank or "/" (no figure, no words).
    private func isFigureLike(_ cell: Cell) -> Bool { cell.state != .text }

    /// Removes from `result` the cells the second print gives another figure or state, with one finding.
    func withholdDifferences(from result: inout TableReader.Result, table: TableCode, year: Int?) {
        guard !later.isEmpty else { return }
        var withheld: [String] = []
        result.cells.removeAll { cell in
            guard let other = later[cell.row]?.first(where: { $0.col == cell.col }) else { return false }
            // A print that leaves empty what the other prints as 0 says the same (blank is read as 0).
            guard (other.value ?? 0) != (cell.value ?? 0) || isFigureLike(other) != isFigureLike(cell) else { return false }
            withheld.append("\(cell.row).\(cell.col)")
            return true
        }
        guard !withheld.isEmpty else { return }
        let shown = withheld.prefix(6).joined(separator: ", ") + (withheld.count > 6 ? ", …" : "")
        result.findings.append(Finding(rule: .structureDuplicateTable, severity: .warning, table: table, actual: Double(withheld.count),
                                       message: "table \(table.rawValue) is printed twice with different figures, and no caption says which print is \(year.map { "\($0)'s" } ?? "this year's"): the \(withheld.count) cells that differ (\(shown)) are not stored; those both prints give alike are"))
    }
}
