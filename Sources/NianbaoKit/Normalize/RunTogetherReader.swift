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

    /// Characters dropped before searching labels: spacing, quotes, and the commas of long labels.
    private static let ignored: Set<Character> = ["“", "”", "\"", "'", "‘", "’", "「", "」", "、", "，", ",", "/"]

    func read(_ rawText: String) -> TableReader.Result? {
        let text = Array(LabelFolding.normalized(rawText))
        var compact: [Character] = []
        var origin: [Int] = []   // index in `text` of each compact character
        for (index, character) in text.enumerated() where !character.isWhitespace && !Self.ignored.contains(character) {
            compact.append(character)
            origin.append(index)
        }
        let compactString = String(compact)
        if table == .appeals { return readAppeals(text) }
        let format = detectFormat(compactString)
        let definition = TemplateSchema.table(table, format)
        // Locate every row's label in template order.
        var located: [(row: RowDefinition, start: Int, end: Int)] = []
        var cursor = 0
        for row in definition.rows {
            let labels = row.foldedLabels.sorted { $0.count > $1.count }
            let hit = labels.lazy.compactMap { Self.find(Array($0), in: compact, from: cursor) }.first
            guard let (start, end) = hit else { continue }
            located.append((row, origin[start], origin[end - 1] + 1))
            cursor = end
        }
        guard located.count * 2 >= definition.rows.count else { return nil }
        var result = TableReader.Result(format: format)
        var choices: [RunTogetherChoice] = []
        for (index, entry) in located.enumerated() {
            let regionEnd = index + 1 < located.count ? located[index + 1].start : text.count
            var region = String(text[entry.end..<max(entry.end, regionEnd)])
            if index + 1 < located.count, let number = located[index + 1].row.number {
                region = Self.dropTrailingMarker(region, number: number)
            }
            let run = Self.firstValueRun(region)
            result.foundRows.insert(entry.row.code)
            guard !run.isEmpty else {
                if Self.isEmptyRegion(region) {
                    // The label runs straight into the next one: the row is printed with every cell blank.
                    result.cells += entry.row.columns.map { Cell(table: table, row: entry.row.code, col: $0.code, value: nil, state: .blank, raw: "") }
                } else {
                    result.findings.append(Finding(rule: .extractAmbiguousSplit, severity: .warning, table: table, row: entry.row.code,
                                                   message: "no figures follow the label of row \(entry.row.code), only \"\(trimmedText(region).prefix(30))\""))
                }
                continue
            }
            let structural = (DigitRunSplitter.splits(run, into: entry.row.columns.count) ?? []).filter { cellsAllow($0, row: entry.row) }
            let admissible = structural.filter { rowIdentitiesHold($0, row: entry.row) }
            choices.append(RunTogetherChoice(row: entry.row, run: run, readings: admissible.isEmpty ? structural : admissible,
                                             broken: admissible.isEmpty && !structural.isEmpty))
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

    /// What a single cell allows: counts are whole numbers ≥ 0; only money carries 元.
    private func cellsAllow(_ reading: [String], row: RowDefinition) -> Bool {
        for (column, raw) in zip(row.columns, reading) {
            let parsed = CellValueParser.parse(raw, kind: column.kind)
            guard let value = parsed.value else { return false }
            if column.kind == .count && (value < 0 || value != value.rounded()) { return false }
            if column.kind != .money && raw.contains("元") { return false }
        }
        return true
    }

    /// The row's own identities: 总计 is the sum of the applicant columns; 对外公开总数量 ≥ 本年新公开数量.
    private func rowIdentitiesHold(_ reading: [String], row: RowDefinition) -> Bool {
        let values = RunTogetherChoice.values(reading, row: row)
        if table == .requests, let total = values["total"] {
            let parts = TemplateSchema.requestColumns.dropLast().compactMap { values[$0.code] }.reduce(0, +)
            if abs(parts - total) > 1e-9 { return false }
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
                row.columns.map { Cell(table: .appeals, row: row.code, col: $0.code, value: nil, state: .blank, raw: "") }
            }
            return result
        }
        var readings = (DigitRunSplitter.splits(run, into: 15) ?? []).filter { $0.allSatisfy { Double($0) != nil } }
        var broken: [Int] = []
        for group in 0..<3 {
            let holding = readings.filter { reading in
                let values = reading.compactMap { Double($0) }
                return abs(values[group * 5..<group * 5 + 4].reduce(0, +) - values[group * 5 + 4]) < 1e-9
            }
            if holding.isEmpty { broken.append(group) } else { readings = holding }
        }
        let wasSplit = run.split(whereSeparator: { $0.isWhitespace }).count != 15
        var abstained: [String] = []
        for (rowIndex, row) in definition.rows.enumerated() {
            for (columnIndex, column) in row.columns.enumerated() {
                let options = Set(readings.map { $0[rowIndex * 5 + columnIndex] })
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

    static func isValueCharacter(_ character: Character) -> Bool {
        (character.isASCII && character.isNumber) || " \t.,+-−元万".contains(character)
    }

    /// Header words a blank row may run into: column headers of every table, group labels, 第二十条第（八）项.
    static let headerWords: [String] = {
        let columns = TemplateSchema.tables.flatMap { $0.rows.flatMap { $0.columns.map(\.label) } }
        let groups = TemplateSchema.requestGroups.flatMap(\.labels) + [TemplateSchema.outcomeGroupLabel]
        let words = columns + groups + ["第二十条第", "信息内容", "单位", "万元", "元", "项"]
        return Set(words.map(LabelFolding.fold)).filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }()

    /// Nothing between a label and the next but spacing, punctuation, group and column headings and their
    /// numbering ("（四）无法提供", "第二十条第（八）项信息内容本年收费金额（单位：万元）"): no figure, no other words.
    static func isEmptyRegion(_ region: String) -> Bool {
        guard !region.contains(where: { $0.isASCII && $0.isNumber }) else { return false }
        var folded = LabelFolding.fold(region)
        for word in headerWords where folded.includes(word) { folded = folded.removingAll(word) }
        return folded.allSatisfy { "一二三四五六七八九十".contains($0) }
    }

    /// The first run of figures in `region` (label text before it, such as a label's bracketed tail, skipped).
    static func firstValueRun(_ region: String) -> String {
        let characters = Array(region)
        guard let start = characters.firstIndex(where: { $0.isASCII && $0.isNumber || $0 == "+" || $0 == "-" }) else { return "" }
        var end = start
        while end < characters.count, isValueCharacter(characters[end]) { end += 1 }
        return trimmedText(String(characters[start..<end])).trimmingTrailing(",.")
    }

    /// The last run of figures in `text`.
    static func lastValueRun(_ text: String) -> String {
        let characters = Array(text)
        guard let last = characters.lastIndex(where: { $0.isASCII && $0.isNumber }) else { return "" }
        var start = last
        while start > 0, isValueCharacter(characters[start - 1]) { start -= 1 }
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
