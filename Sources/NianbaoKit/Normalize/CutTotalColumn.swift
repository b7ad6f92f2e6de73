/// Table 三's 总计 column cut at the page's edge: a PDF whose table is wider than its page (a Word document printed
/// to PDF) keeps only the first digits of each total ("1" of 1693). Each such row breaks its row sum, and the
/// publisher was blamed for every one. Where most rows that break it print a total that is the first digits of
/// their parts' sum, the column is taken as cut: those totals are not stored, with one finding.
///
/// ```swift
/// CutTotalColumn.apply(to: &cells, findings: &findings)   // totals "1", "1", "2" of sums 1693, 1215, 27…
/// ```
enum CutTotalColumn {
    static func apply(to cells: inout [Cell], findings: inout [Finding]) {
        let parts = TemplateSchema.requestColumns.map(\.code).filter { $0 != "total" }
        var byRow: [String: [String: Cell]] = [:]
        for cell in cells where cell.table == .requests { byRow[cell.row, default: [:]][cell.col] = cell }
        var breaking: [String] = []
        var cut: [String] = []
        for (row, columns) in byRow {
            guard let total = columns["total"], total.state == .number, let printed = total.value else { continue }
            let values = parts.compactMap { columns[$0]?.value }
            guard values.count == parts.count else { continue }
            let sum = values.reduce(0, +)
            guard abs(sum - printed) > 1e-9 else { continue }
            breaking.append(row)
            let digits = total.raw.filter { $0.isASCII && $0.isNumber }
            if printed < sum, !digits.isEmpty, sum == sum.rounded(), String(Int(sum)).hasPrefix(digits) { cut.append(row) }
        }
        guard breaking.count >= 3, cut.count * 5 >= breaking.count * 4 else { return }
        let rows = Set(cut)
        cells.removeAll { $0.table == .requests && $0.col == "total" && rows.contains($0.row) }
        findings.append(Finding(rule: .structureColumnCount, severity: .warning, table: .requests, col: "total",
                                message: "the 总计 of \(cut.count) rows (\(cut.sorted().prefix(5).joined(separator: ", "))\(cut.count > 5 ? ", …" : "")) are the first digits of their parts' sums, as if the column were cut at the page's edge: those totals are not stored"))
    }
}
