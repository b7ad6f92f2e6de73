/// Table 三's 总计 column cut at the page's edge: a PDF whose table is wider than its page (a Word document printed
/// to PDF) keeps only the first digits of each total ("1" of 1693). Each such row breaks its row sum, and the
/// publisher was blamed for every one. Where most rows that break it print a total that is the first digits of
/// their parts' sum, the column is taken as cut: those totals are not stored, with one finding.
///
/// ```swift
/// CutTotalColumn.apply(to: &cells, findings: &findings)   // totals "1", "1", "2" of sums 1693, 1215, 27…
/// ```
enum CutTotalColumn {
    /// Table 三's columns other than 总计.
    private static let parts = TemplateSchema.requestColumns.map(\.code).filter { $0 != "total" }

    static func apply(to cells: inout [Cell], findings: inout [Finding]) {
        // Each row's printed total and its parts' figures, read in one pass; a cell printed twice counts once, its last
        // print, as the row's. Rows come with their cells together: the row's slot is looked up once per run of its
        // cells, and the parts are kept by column position (dictionaries of each row's cells by code were 1 % of a run).
        var rows: [(code: String, total: Cell?, parts: [Double?])] = []
        var slots: [String: Int] = [:]
        var current = -1
        for cell in cells where cell.table == .requests {
            let isTotal = cell.col == "total"
            let part = isTotal ? nil : Self.parts.firstIndex(of: cell.col)
            guard isTotal || part != nil else { continue }
            if current < 0 || rows[current].code != cell.row {
                if let known = slots[cell.row] {
                    current = known
                } else {
                    current = rows.count
                    slots[cell.row] = current
                    rows.append((cell.row, nil, Array(repeating: nil, count: Self.parts.count)))
                }
            }
            // (A cell without a figure takes its column out of the row: the sum is then not known.)
            if let part { rows[current].parts[part] = cell.value } else { rows[current].total = cell }
        }
        var breaking: [String] = []
        var cut: [String] = []
        for (row, total, values) in rows {
            guard let total, total.state == .number, let printed = total.value, !values.contains(nil) else { continue }
            let sum = values.reduce(0) { $0 + $1! }
            guard abs(sum - printed) > 1e-9 else { continue }
            breaking.append(row)
            let digits = total.raw.filter { $0.isASCII && $0.isNumber }
            if printed < sum, !digits.isEmpty, sum == sum.rounded(), String(Int(sum)).hasPrefix(digits) { cut.append(row) }
        }
        guard breaking.count >= 3, cut.count * 5 >= breaking.count * 4 else { return }
        let cutRows = Set(cut)
        cells.removeAll { $0.table == .requests && $0.col == "total" && cutRows.contains($0.row) }
        findings.append(Finding(rule: .structureColumnCount, severity: .warning, table: .requests, col: "total",
                                message: "the 总计 of \(cut.count) rows (\(cut.sorted().prefix(5).joined(separator: ", "))\(cut.count > 5 ? ", …" : "")) are the first digits of their parts' sums, as if the column were cut at the page's edge: those totals are not stored"))
    }
}
