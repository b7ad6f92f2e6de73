/// Accepts figures read by OCR only where the report's own accounting proves them.
///
/// Every cell of a scan carries the confidence its text was read with. The identities of SCHEMA.md then decide:
///
/// - a cell in an identity that holds exactly (table 三's row sums, balance and outcome sums per column; table
///   四's row sums) is **proven** and kept — unless it is also in an identity that fails: a row or column whose
///   identity fails is abstained whole, with `ocr.unproven`, whatever else holds (one glyph misread the same way
///   twice, "6" as "0" in a row's 自然人 and 总计, keeps the row's sum and breaks both columns');
/// - an identity that holds with fewer than two non-zero parts proves nothing by itself: "6, 0, 0, 0, 0, 0, 6" read
///   as all zeros, or a blank row's 总计 "6" read as "0", still adds up; it proves its cells only when each was
///   read alike by both models with high confidence (≥ ``uncoveredConfidence``);
/// - a failing identity whose OCR figures were all read with high confidence (≥ ``publishedErrorConfidence``)
///   is taken to be the published table's error: its cells are kept and the validator reports it;
/// - a cell no identity covers (table 二's figures) is kept only when it was read with high confidence
///   (≥ ``uncoveredConfidence``), otherwise abstained with `ocr.unproven`.
///
/// A blank counts for nothing in a sum's strength. An empty cell of a ruled table (the reader saw no ink in it) is
/// kept unless an identity through it fails; a blank inferred from text (a scan whose table lines were lost, read
/// as lines: figures it could not place leave rows that look printed empty) needs the same proof as a figure,
/// except where no identity covers it (table 二). A cell whose image held ink but whose reading is empty or words
/// was already set aside by the reader.
enum OCRGate {
    static let publishedErrorConfidence = 90.0
    static let uncoveredConfidence = 90.0

    struct Identity {
        let rule: Rule
        let cells: [(TableCode, String, String)]
        /// The parts sum to the total (`parts` first, `total` last).
        let partsCount: Int
        let name: String
    }

    static func identities(of report: Report) -> [Identity] {
        var identities: [Identity] = []
        if let format = report.formats[.requests] {
            let definition = TemplateSchema.table(.requests, format)
            let applicants = TemplateSchema.requestColumns.map(\.code).filter { $0 != "total" }
            for row in definition.rows {
                identities.append(Identity(rule: .requestsRowSum, cells: (applicants + ["total"]).map { (.requests, row.code, $0) },
                                           partsCount: applicants.count, name: "row \(row.code): applicant columns = 总计"))
            }
            let outcomes = definition.rows.filter(\.isOutcome).map(\.code)
            for column in TemplateSchema.requestColumns.map(\.code) {
                identities.append(Identity(rule: .requestsOutcomesSum, cells: (outcomes + ["total"]).map { (.requests, $0, column) },
                                           partsCount: outcomes.count, name: "column \(column): outcomes = 总计"))
                identities.append(Identity(rule: .requestsBalance,
                                           cells: ["new", "carried_over", "total", "carried_forward"].map { (.requests, $0, column) },
                                           partsCount: 2, name: "column \(column): new + carried over = total + carried forward"))
            }
        }
        if report.formats[.appeals] != nil {
            for row in ["review", "suit_direct", "suit_after_review"] {
                identities.append(Identity(rule: .appealsRowSum, cells: ["upheld", "corrected", "other", "pending", "total"].map { (.appeals, row, $0) },
                                           partsCount: 4, name: "row \(row): results = 总计"))
            }
        }
        return identities
    }

    static func apply(to report: inout Report, confidences: [String: Double]) {
        for index in report.cells.indices where report.cells[index].state != .blank {
            report.cells[index].ocrConfidence = confidences[report.cells[index].raw] ?? 0
        }
        var byKey: [String: Int] = [:]
        for (index, cell) in report.cells.enumerated() { byKey["\(cell.table.rawValue)|\(cell.row)|\(cell.col)"] = index }
        func key(_ cell: (TableCode, String, String)) -> String { "\(cell.0.rawValue)|\(cell.1)|\(cell.2)" }
        var proven = Set<String>(), covered = Set<String>(), publishedError = Set<String>(), failed = Set<String>()
        var failures: [String: [String]] = [:]
        for identity in identities(of: report) {
            let members = identity.cells.map(key)
            let present = members.compactMap { byKey[$0].map { report.cells[$0] } }
            for member in members { covered.insert(member) }
            // Every cell printed: a figure, or blank (an empty cell carries no OCR); words or a missing cell prove nothing.
            guard present.count == members.count, present.allSatisfy({ $0.state == .number || $0.state == .blank }) else {
                for member in members { failures[member, default: []].append(identity.name + " is not all read") }
                continue
            }
            let values = present.map { $0.value ?? 0 }
            let parts = values.prefix(identity.partsCount).reduce(0, +), rest = values.dropFirst(identity.partsCount).reduce(0, +)
            // A sum with fewer than two figures in it only says that two cells read alike ("6 … 6" or "0 … 0"),
            // which one glyph misread the same way in both also gives: it proves nothing.
            // A blank is no reading at all: a sum of blanks proves nothing.
            let read = present.filter { $0.state != .blank }
            let strong = values.prefix(identity.partsCount).filter { $0 != 0 }.count >= 2
                || !read.isEmpty && read.allSatisfy { ($0.ocrConfidence ?? 0) >= uncoveredConfidence }
            // Blank cells are unknown non-negative figures (SCHEMA.md): a sum that blanks could still complete is
            // not checkable — it neither proves nor fails.
            let blankParts = present.prefix(identity.partsCount).contains { $0.state == .blank }
            let blankRest = present.dropFirst(identity.partsCount).contains { $0.state == .blank }
            if parts < rest - 1e-6 && blankParts || rest < parts - 1e-6 && blankRest {
                for member in members { failures[member, default: []].append(identity.name + " is not checkable (blank cells could complete it)") }
                continue
            }
            if abs(parts - rest) < 1e-6 {
                if strong { members.forEach { proven.insert($0) } }
                else { for member in members { failures[member, default: []].append(identity.name + " holds, but with fewer than two figures proves nothing") } }
            } else if present.allSatisfy({ $0.state == .blank || ($0.ocrConfidence ?? 0) >= publishedErrorConfidence }) {
                members.forEach { publishedError.insert($0) }
            } else {
                for member in members { failures[member, default: []].append(identity.name + " does not hold") }
                members.forEach { failed.insert($0) }
            }
        }
        var kept: [Cell] = []
        for cell in report.cells {
            let id = "\(cell.table.rawValue)|\(cell.row)|\(cell.col)"
            let place = "\(cell.table.rawValue).\(cell.row).\(cell.col)"
            if cell.state == .blank && !cell.inferred && !failed.contains(id) {
                // An empty cell seen as such: the reader found no ink in it.
                kept.append(cell)
            } else if (proven.contains(id) || publishedError.contains(id)) && !failed.contains(id) {
                kept.append(cell)
            } else if covered.contains(id) {
                report.findings.append(Finding(rule: .ocrUnproven, severity: .warning, table: cell.table, row: cell.row, col: cell.col,
                                               message: "\(place) read by OCR as \"\(cell.raw)\" is not proven: \((failures[id] ?? []).joined(separator: "; ")); not stored"))
            } else if cell.state == .blank || (cell.ocrConfidence ?? 0) >= uncoveredConfidence && cell.state == .number {
                // A blank no identity covers (table 二): the cell held no ink.
                kept.append(cell)
            } else {
                report.findings.append(Finding(rule: .ocrUnproven, severity: .warning, table: cell.table, row: cell.row, col: cell.col,
                                               message: "\(place) read by OCR as \"\(cell.raw)\" with confidence \(Int(cell.ocrConfidence ?? 0)), and no identity covers it; not stored"))
            }
        }
        report.cells = kept
    }
}
