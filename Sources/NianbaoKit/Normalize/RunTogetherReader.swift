/// Reads a table whose text lost its structure: crawler exports that print a whole table on one line
/// with labels and figures run together ("规章000规范性文件898989第二十条…").
///
/// Each template row's label is searched in order; the figures after it (up to the next label) are split
/// into the row's cells with ``DigitRunSplitter``, keeping the readings the row's identities allow and then
/// those the table's column identities allow (``RunTogetherChoice``). A cell every reading left agrees on is
/// stored, marked inferred; the others are abstained with an `extract.ambiguous_split` finding saying why.
/// An identity no reading can satisfy is a published error, reported as that identity's finding.
struct RunTogetherReader {
    let table: TableCode
    let year: Int?
    var fallbackFormat: TableFormat? = nil
    /// Figures the prose states for cells: of the readings left, those agreeing with a fact are kept.
    var facts: [NarrativeFacts.Fact] = []


    func read(_ rawText: String) -> TableReader.Result? {
        let text = Array(LabelFolding.normalized(rawText))
        var compact: [Character] = []
        var origin: [Int] = []   // index in `text` of each compact character
        for (index, character) in text.enumerated() where !character.isWhitespace && !RunTogetherRegion.ignored.contains(character) {
            compact.append(character)
            origin.append(index)
        }
        let compactString = String(compact)
        if table == .appeals { return readAppeals(text) }
        let format = detectFormat(compactString)
        let definition = TemplateSchema.table(table, format)
        let located = Self.locate(definition.rows, in: compact).map { (row: $0.row, start: origin[$0.start], end: origin[$0.end - 1] + 1) }
        guard located.count * 2 >= definition.rows.count else { return nil }
        var result = TableReader.Result(format: format)
        var choices: [RunTogetherChoice] = []
        for (index, entry) in located.enumerated() {
            let regionEnd = index + 1 < located.count ? located[index + 1].start : text.count
            var region = String(text[entry.end..<max(entry.end, regionEnd)])
            if index + 1 < located.count, let number = located[index + 1].row.number {
                region = Self.dropTrailingMarker(region, number: number)
            }
            result.foundRows.insert(entry.row.code)
            let run: String
            switch RunTogetherRegion.read(region, columns: entry.row.columns.count) {
            case let .figures(figures, unknownRow):
                run = figures
                if let unknownRow {
                    // A row the template does not have, run into this one's figures ("…00000006.其他情形1000001"):
                    // its number leaves this row's figures, and it is reported, never read as a template row.
                    result.findings.append(Finding(rule: .structureUnknownRow, severity: .error, table: table,
                                                   message: "row \"\(unknownRow.label)\" with figures \"\(unknownRow.figures)\" matches no row of table \(table.rawValue)"))
                }
            case .blank:
                // The label runs straight into the next one: the row is printed with every cell blank.
                result.cells += entry.row.columns.map { Cell(table: table, row: entry.row.code, col: $0.code, value: nil, state: .blank, raw: "", inferred: true) }
                continue
            case let .unreadable(reason):
                result.findings.append(Finding(rule: .extractAmbiguousSplit, severity: .warning, table: table, row: entry.row.code,
                                               message: "the figures of row \(entry.row.code) are not read: \(reason)"))
                continue
            }
            let structural = (DigitRunSplitter.splits(run, into: entry.row.columns.count) ?? []).filter { cellsAllow($0, row: entry.row) }
            let admissible = structural.filter { rowIdentitiesHold($0, row: entry.row) }
            var choice = RunTogetherChoice(row: entry.row, run: run, readings: admissible.isEmpty ? structural : admissible,
                                           broken: admissible.isEmpty && !structural.isEmpty)
            choice.settle(with: facts.filter { $0.row == entry.row.code })
            choices.append(choice)
        }
        if table == .requests { RunTogetherChoice.keepColumnIdentities(&choices) }
        for choice in choices {
            let (cells, findings) = choice.cells(table: table)
            result.cells += cells
            result.findings += findings
        }
        if table == .requests { result.findings += RunTogetherChoice.brokenColumnIdentities(choices, definition: definition, stored: result.cells) }
        return result
    }

    // MARK: Constraints

    /// What a single cell allows: counts are whole numbers ≥ 0; only money carries 元; a mark such as "—" is a
    /// cell that does not apply.
    func cellsAllow(_ reading: [String], row: RowDefinition) -> Bool {
        for (column, raw) in zip(row.columns, reading) {
            let parsed = CellValueParser.parse(raw, kind: column.kind)
            if parsed.state == .na { continue }
            guard let value = parsed.value else { return false }
            if column.kind == .count && (value < 0 || value != value.rounded()) { return false }
            if column.kind != .money && raw.contains("元") { return false }
        }
        return true
    }

    /// The row's own identities: 总计 is the sum of the applicant columns; 对外公开总数量 ≥ 本年新公开数量.
    func rowIdentitiesHold(_ reading: [String], row: RowDefinition) -> Bool {
        let values = RunTogetherChoice.values(reading, row: row)
        // A cell that does not apply ("—") leaves the identity unchecked rather than read as 0.
        let parts = TemplateSchema.requestColumns.dropLast().map { values[$0.code] }
        if table == .requests, let total = values["total"], !parts.contains(nil) {
            if abs(parts.compactMap { $0 }.reduce(0, +) - total) > 1e-9 { return false }
        }
        if let published = values["published"], let totalPublic = values["total_public"], totalPublic < published { return false }
        return true
    }

    // MARK: Table 四

    /// Table 四 run together: the figures after its last header word, split into 15 cells. Each row's
    /// 总计 = 维持 + 纠正 + 其他 + 尚未审结 keeps the readings that satisfy it; a row no reading satisfies is a
    /// published error (reported), and then every reading left stands. A cell is stored when every reading left
    /// gives it the same figure.
    private func readAppeals(_ text: [Character]) -> TableReader.Result? {
        let format = TableFormat.byYear(year) ?? fallbackFormat ?? .v2021
        let definition = TemplateSchema.table(.appeals, format)
        let run = Self.lastValueRun(String(text))
        var result = TableReader.Result(format: format)
        result.foundRows = Set(definition.rows.map(\.code))
        guard !run.isEmpty else {
            // The header printed to its last word (总计) and not one figure after it: a table of no cases, blank.
            let compact = String(text).filter { !$0.isWhitespace }
            guard compact.hasSuffix("总计"), !compact.contains(where: { $0.isASCII && $0.isNumber }) else { return nil }
            result.cells = definition.rows.flatMap { row in
                row.columns.map { Cell(table: .appeals, row: row.code, col: $0.code, value: nil, state: .blank, raw: "", inferred: true) }
            }
            return result
        }
        var readings = (DigitRunSplitter.splits(run, into: 15) ?? []).filter { $0.allSatisfy { Double($0) != nil } }
        var broken: [Int] = []
        // An identity broken "in every way the figures can be split" needs one way at least: with none (ten figures
        // apart for fifteen cells) nothing is known of the publisher's arithmetic.
        for group in 0..<3 where !readings.isEmpty {
            let holding = readings.filter { reading in
                let values = reading.compactMap { Double($0) }
                return abs(values[group * 5..<group * 5 + 4].reduce(0, +) - values[group * 5 + 4]) < 1e-9
            }
            if holding.isEmpty { broken.append(group) } else { readings = holding }
        }
        let pieces = run.split(whereSeparator: { $0.isWhitespace }).count
        let wasSplit = pieces != 15
        // Figures printed apart, but not 15 of them (a grid of 14 cells, a block without its 总计): splitting one of them
        // is a guess, which a row no split satisfies disproves — and with it the place of every figure, since the cell
        // missing may be anywhere before the split: the table is not stored, and no publisher's error is claimed.
        // (Run together whole, a split is the only reading, and a row it breaks is the report's error.)
        let splitDisproved = pieces > 1 && wasSplit && !broken.isEmpty
        var abstained: [String] = []
        for (rowIndex, row) in definition.rows.enumerated() {
            for (columnIndex, column) in row.columns.enumerated() {
                let options = Set(readings.map { $0[rowIndex * 5 + columnIndex] })
                if splitDisproved { continue }
                guard options.count == 1, let raw = options.first else {
                    abstained.append("\(row.code).\(column.code)")
                    continue
                }
                let parsed = CellValueParser.parse(raw)
                result.cells.append(Cell(table: .appeals, row: row.code, col: column.code, value: parsed.value, state: parsed.state,
                                         raw: raw, inferred: wasSplit))
            }
        }
        if !abstained.isEmpty {
            result.findings.append(Finding(rule: .extractAmbiguousSplit, severity: .warning, table: .appeals,
                                           actual: Double(readings.count),
                                           message: readings.isEmpty
                                            ? "the figures \"\(run)\" of table appeals cannot be split into 15 cells; not stored"
                                            : "the figures \"\(run)\" of table appeals split into 15 cells in \(readings.count) ways; \(abstained.count) cells differ between them and are not stored (\(abstained.joined(separator: ", ")))"))
        }
        for group in broken {
            let row = definition.rows[group]
            if splitDisproved {
                result.findings.append(Finding(rule: .extractAmbiguousSplit, severity: .warning, table: .appeals, row: row.code,
                                               message: "the figures \"\(run)\" of table appeals are \(pieces) apart for 15 cells: split into 15, upheld + corrected + other + pending ≠ total in row \(row.code) in every way, so the split is not the table's, and no figure of it is stored"))
                continue
            }
            // Every cell stored: the validator reports it with the figures.
            guard row.columns.contains(where: { column in abstained.contains("\(row.code).\(column.code)") }) else { continue }
            result.findings.append(Finding(rule: .appealsRowSum, severity: .error, table: .appeals, row: row.code, col: "total",
                                           message: "the figures \"\(run)\" of table appeals: upheld + corrected + other + pending ≠ total in row \(row.code) in every way they can be split (a published error)"))
        }
        return result
    }

    // MARK: Text helpers

    private func detectFormat(_ compact: String) -> TableFormat {
        switch table {
        case .requests:
            let items2021 = TemplateSchema.table(.requests, .v2021).rows.filter { $0.group == "other" }.map { $0.foldedLabels[0] }
            if items2021.dropLast().contains(where: { compact.contains($0.prefix(12)) }) { return .v2021 }
            return compact.contains("其他处理") ? .v2019 : (TableFormat.byYear(year) ?? fallbackFormat ?? .v2021)
        case .active:
            return TemplateSchema.activeFormat(signalsIn: compact) ?? TableFormat.byYear(year) ?? fallbackFormat ?? .v2021
        case .appeals:
            return TableFormat.byYear(year) ?? fallbackFormat ?? .v2021
        }
    }

    /// The rows' labels located in template order: of all places each label is printed, the most rows that
    /// follow one another in order (the earliest such places). A template word in a note after the table ("本局无
    /// 规章制定权，…规章3件") cannot then pull a row out of the table and hide every row before it.
    static func locate(_ rows: [RowDefinition], in compact: [Character]) -> [(row: RowDefinition, start: Int, end: Int)] {
        let words = wordsOfTables(rows)
        // Every occurrence of each row's labels, the longer label first where two overlap.
        let occurrences: [[(start: Int, end: Int)]] = rows.map { row in
            var found: [(start: Int, end: Int)] = []
            for label in row.foldedLabels.sorted(by: { $0.count > $1.count }) {
                let needle = Array(label)
                var cursor = 0
                while let (start, end) = find(needle, in: compact, from: cursor) {
                    if !found.contains(where: { $0.start <= start && end <= $0.end }), !isProseAfter(end, in: compact, words: words) {
                        found.append((start, end))
                    }
                    cursor = start + 1
                    if found.count > 50 { break }
                }
            }
            return found.sorted { $0.start < $1.start }
        }
        // chain[r][o]: the most rows in order starting with occurrence o of row r.
        var chain = occurrences.map { $0.map { _ in 1 } }
        for row in rows.indices.reversed() {
            for (index, occurrence) in occurrences[row].enumerated() {
                var best = 1
                for later in (row + 1)..<rows.count {
                    for (laterIndex, next) in occurrences[later].enumerated() where next.start >= occurrence.end {
                        best = max(best, 1 + chain[later][laterIndex])
                    }
                }
                chain[row][index] = best
            }
        }
        let total = chain.flatMap { $0 }.max() ?? 0
        var located: [(row: RowDefinition, start: Int, end: Int)] = []
        var cursor = 0
        for row in rows.indices {
            guard let index = occurrences[row].indices.first(where: { occurrences[row][$0].start >= cursor && located.count + chain[row][$0] == total })
            else { continue }
            located.append((rows[row], occurrences[row][index].start, occurrences[row][index].end))
            cursor = occurrences[row][index].end
        }
        return located
    }

    /// A label in prose ("本局不具有行政强制职能，行政强制事项由…"): the words after it, up to its figures, a note,
    /// or the next section's heading, are neither headings nor other rows' labels. Words running on past 120
    /// characters decide nothing.
    static func isProseAfter(_ end: Int, in compact: [Character], words: [String]) -> Bool {
        var stop = end
        while stop < compact.count {
            guard stop - end < 120 else { return false }
            let character = compact[stop]
            if character.isASCII && character.isNumber { break }
            if RunTogetherRegion.notApplicable.contains(character) { break }
            let next = stop + 1 < compact.count ? compact[stop + 1] : " "
            if "（(".contains(character) && next == "注" { break }
            if character == "注" && "：:".contains(next) { break }
            if "一二三四五六七八九十".contains(character) && "、.．".contains(next) { break }
            stop += 1
        }
        var gap = LabelFolding.fold(RunTogetherRegion.withoutBracketed(String(compact[end..<stop])))
        for word in words where gap.includes(word) { gap = gap.removingAll(word) }
        return !gap.allSatisfy { "一二三四五六七八九十".contains($0) }
    }

    /// Headings and the rows' labels, longest first: what a table's own text is made of.
    private static func wordsOfTables(_ rows: [RowDefinition]) -> [String] {
        (RunTogetherRegion.headerWords + rows.flatMap(\.foldedLabels)).filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    static func find(_ needle: [Character], in haystack: [Character], from start: Int) -> (Int, Int)? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0] && haystack[index..<index + needle.count].elementsEqual(needle) {
                return (index, index + needle.count)
            }
            index += 1
        }
        return nil
    }

    /// Drops the next item's number ("2." / "2、" / "2") printed just before its label.
    static func dropTrailingMarker(_ region: String, number: Int) -> String {
        var trimmed = Substring(region)
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        for suffix in ["\(number).", "\(number)、", "\(number)．", "\(number)"] where trimmed.hasSuffix(suffix) {
            return String(trimmed.dropLast(suffix.count))
        }
        return String(trimmed)
    }

    /// The last run of figures in `text`.
    static func lastValueRun(_ text: String) -> String {
        let characters = Array(text)
        guard let last = characters.lastIndex(where: { $0.isASCII && $0.isNumber }) else { return "" }
        var start = last
        while start > 0, RunTogetherRegion.isValueCharacter(characters[start - 1]) { start -= 1 }
        return trimmedText(String(characters[start...last]))
    }
}

extension String {
    func trimmingTrailing(_ characters: String) -> String {
        var result = Substring(self)
        while let last = result.last, characters.contains(last) { result.removeLast() }
        return String(result)
    }
}
