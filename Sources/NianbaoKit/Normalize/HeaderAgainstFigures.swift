/// A header that moves table 三's 总计 column, checked against the figures under it.
///
/// A cell spanning one column too few (法人或其他组织 over four columns, not five) slides the header: 总计 then
/// names the column of 其他 and 其他 the last, and the figures placed by that header swap the two in every row —
/// and the identities then blame the publisher. The figures say which column is the total: where the column the
/// header calls 总计 is never the sum of the others and the last column always is, the header is out of line with
/// the rows. If the header's other columns are in the template's order, the figures and the header agree on the
/// template's reading, and the rows are placed by position; otherwise no row is placed by either.
extension TableReader {
    /// What the figures say of a header's reading of table 三's rows.
    enum TotalsVerdict: Equatable {
        /// The figures do not refute the header (or cannot: too few rows with every figure printed).
        case headerStands
        /// The header's 总计 is refuted, its other columns are in the template's order: read by position.
        case byPosition
        /// The header's 总计 is refuted and its other columns are out of the template's order: read by neither.
        case neither
    }

    /// Judges a header's reading (`indices`: slot per template column, or nil where the header places nothing in a
    /// row) by the rows whose seven figures are all printed: refuted when, in two rows or more, the header's 总计 is
    /// never the sum of its other columns and the last figure always is the sum of the others.
    static func totalsVerdict(_ layouts: [RowLayout], indices: (RowLayout) -> [Int]?) -> TotalsVerdict {
        let columns = TemplateSchema.requestColumns
        guard let totalPosition = columns.firstIndex(where: { $0.code == "total" }) else { return .headerStands }
        var headerHolds = 0, headerBreaks = 0, lastHolds = 0
        var partsInOrder = true
        for layout in layouts where layout.hasValues {
            guard let indices = indices(layout), indices.count == columns.count, indices[totalPosition] >= 0 else { continue }
            let partSlots = indices.enumerated().filter { $0.offset != totalPosition }.map(\.element)
            if partSlots.contains(where: { $0 < 0 }) || partSlots != partSlots.sorted() { partsInOrder = false }
            let filled = layout.slots.filter { !$0.isEmpty }
            let values = filled.compactMap { CellValueParser.parse($0).value }
            guard values.count == columns.count, filled.count == columns.count, values.contains(where: { $0 > 0 }) else { continue }
            let byHeader = indices.map { CellValueParser.parse(layout.slots[$0]).value ?? 0 }
            let parts = byHeader.enumerated().filter { $0.offset != totalPosition }.reduce(0) { $0 + $1.element }
            if abs(byHeader[totalPosition] - parts) < 1e-9 { headerHolds += 1 } else { headerBreaks += 1 }
            if let last = values.last, abs(last - values.dropLast().reduce(0, +)) < 1e-9 { lastHolds += 1 }
        }
        guard headerHolds == 0, headerBreaks >= 2, lastHolds == headerBreaks else { return .headerStands }
        return partsInOrder ? .byPosition : .neither
    }

    /// Applies ``totalsVerdict(_:indices:)`` to the grid header's reading (``indicesByHeader(_:columns:)``) and to
    /// the applicant order read from a header row (`order`): a refuted header's rows are placed by position, or
    /// marked ``PrintedColumns/disagreeing`` (placed by nothing); the order returned is nil where refuted.
    static func checkHeaderAgainstTotals(_ layouts: inout [RowLayout], order: [String]?, findings: inout [Finding]) -> [String]? {
        let columns = TemplateSchema.requestColumns
        var said = false
        func say(_ verdict: TotalsVerdict) {
            // Once: the grid header and a header row's order are the same header.
            guard !said else { return }
            said = true
            let outcome = verdict == .byPosition ? "its other columns are in the template's order: read by position"
                : "its other columns are out of the template's order too: not placed"
            findings.append(Finding(rule: .structureColumnCount, severity: verdict == .byPosition ? .info : .warning, table: .requests, col: "total",
                                    message: "table requests: the header puts 总计 elsewhere than the last column, but in every row with all its figures the last is the sum of the others and the header's 总计 is not (a header cell spanning one column too few?); \(outcome)"))
        }
        let byGrid = totalsVerdict(layouts) { indicesByHeader($0, columns: columns) }
        if byGrid != .headerStands {
            say(byGrid)
            for index in layouts.indices where indicesByHeader(layouts[index], columns: columns) != nil {
                layouts[index].printedColumns = byGrid == .byPosition ? [:] : [0: PrintedColumns.disagreeing]
            }
        }
        guard let order else { return nil }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let byOrder = totalsVerdict(layouts) { layout in
            guard let fitted = RowLayout.fitIndices(layout.slots, to: columns.count, dropInnerBlanks: false), fitted.count == order.count,
                  columns.allSatisfy({ position[$0.code] != nil }) else { return nil }
            return columns.map { fitted[position[$0.code]!] }
        }
        if byOrder != .headerStands { say(byOrder) }
        switch byOrder {
        case .headerStands: return order
        case .byPosition: return nil
        case .neither:
            for index in layouts.indices where layouts[index].hasValues { layouts[index].printedColumns = [0: PrintedColumns.disagreeing] }
            return nil
        }
    }
}
