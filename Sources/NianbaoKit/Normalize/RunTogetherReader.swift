/// Reads a table whose text lost its structure: crawler exports that print a whole table on one line
/// with labels and figures run together ("规章000规范性文件898989第二十条…").
///
/// Each template row's label is searched in order; the figures after it (up to the next label) are split
/// into the row's cells with ``DigitRunSplitter``, keeping the readings the row's identities allow and then
/// those the table's column identities allow. A unique reading is stored with the cells marked inferred;
/// otherwise the row is left empty with an `extract.ambiguous_split` finding saying why.
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
        var choices: [(row: RowDefinition, readings: [[String]], run: String)] = []
        for (index, entry) in located.enumerated() {
            let regionEnd = index + 1 < located.count ? located[index + 1].start : text.count
            var region = String(text[entry.end..<max(entry.end, regionEnd)])
            if index + 1 < located.count, let number = located[index + 1].row.number {
                region = Self.dropTrailingMarker(region, number: number)
            }
            let run = Self.firstValueRun(region)
            result.foundRows.insert(entry.row.code)
            guard !run.isEmpty else {
                result.findings.append(Finding(rule: .extractAmbiguousSplit, severity: .warning, table: table, row: entry.row.code,
                                               message: "no figures follow the label of row \(entry.row.code)"))
                continue
            }
            let readings = (DigitRunSplitter.splits(run, into: entry.row.columns.count) ?? [])
                .filter { rowAllows($0, row: entry.row) }
            choices.append((entry.row, readings, run))
        }
        let chosen = table == .requests ? resolveWithColumnIdentities(choices) : choices.map { $0.readings.count == 1 ? $0.readings[0] : nil }
        for (choice, reading) in zip(choices, chosen) {
            guard let reading else {
                result.findings.append(Finding(rule: .extractAmbiguousSplit, severity: .warning, table: table, row: choice.row.code,
                                               actual: Double(choice.readings.count),
                                               message: choice.readings.isEmpty
                                                ? "the figures \"\(choice.run)\" of row \(choice.row.code) cannot be split into \(choice.row.columns.count) cells that satisfy the row's identities; not stored"
                                                : "the figures \"\(choice.run)\" of row \(choice.row.code) split into \(choice.row.columns.count) cells in \(choice.readings.count) ways the identities allow; not stored"))
                continue
            }
            let wasSplit = choice.run.split(whereSeparator: { $0.isWhitespace }).count != choice.row.columns.count
            for (column, raw) in zip(choice.row.columns, reading) {
                let parsed = CellValueParser.parse(raw, kind: column.kind)
                result.cells.append(Cell(table: table, row: choice.row.code, col: column.code, value: parsed.value,
                                         state: parsed.state, raw: raw, inferred: wasSplit || choice.readings.count > 1))
            }
        }
        return result
    }

    // MARK: Constraints

    /// The row's own identities: counts are whole numbers ≥ 0; 总计 is the sum of the applicant columns;
    /// 对外公开总数量 ≥ 本年新公开数量.
    private func rowAllows(_ reading: [String], row: RowDefinition) -> Bool {
        var values: [String: Double] = [:]
        for (column, raw) in zip(row.columns, reading) {
            let parsed = CellValueParser.parse(raw, kind: column.kind)
            guard let value = parsed.value else { return false }
            if column.kind == .count && (value < 0 || value != value.rounded()) { return false }
            if column.kind != .money && raw.contains("元") { return false }
            values[column.code] = value
        }
        if table == .requests, let total = values["total"] {
            let parts = TemplateSchema.requestColumns.dropLast().compactMap { values[$0.code] }.reduce(0, +)
            if abs(parts - total) > 1e-9 { return false }
        }
        if let published = values["published"], let totalPublic = values["total_public"], totalPublic < published { return false }
        return true
    }

    /// Keeps the combinations of row readings that satisfy table 三's column identities; a cell is stored
    /// when all surviving combinations agree on its row.
    private func resolveWithColumnIdentities(_ choices: [(row: RowDefinition, readings: [[String]], run: String)]) -> [[String]?] {
        let ambiguous = choices.indices.filter { choices[$0].readings.count > 1 }
        var fixed = choices.map { $0.readings.count == 1 ? $0.readings[0] : nil }
        guard !ambiguous.isEmpty else { return fixed }
        let combinations = ambiguous.reduce(1.0) { $0 * Double(choices[$1].readings.count) }
        guard combinations <= 200_000 else { return fixed }
        var survivors: [[Int]] = []
        var current = [Int](repeating: 0, count: ambiguous.count)
        func search(_ depth: Int) {
            if depth == ambiguous.count {
                var trial = fixed
                for (slot, index) in ambiguous.enumerated() { trial[index] = choices[index].readings[current[slot]] }
                if columnIdentitiesHold(choices.map(\.row), trial) { survivors.append(current) }
                return
            }
            for option in choices[ambiguous[depth]].readings.indices {
                current[depth] = option
                search(depth + 1)
                if survivors.count > 10_000 { return }
            }
        }
        search(0)
        guard !survivors.isEmpty, survivors.count <= 10_000 else { return fixed }
        // A row is decided when every combination the identities allow reads it the same way.
        for (slot, index) in ambiguous.enumerated() {
            let options = Set(survivors.map { $0[slot] })
            if options.count == 1 { fixed[index] = choices[index].readings[options.first!] }
        }
        return fixed
    }

    private func columnIdentitiesHold(_ rows: [RowDefinition], _ readings: [[String]?]) -> Bool {
        var cells: [Cell] = []
        for (row, reading) in zip(rows, readings) {
            guard let reading else { continue }
            for (column, raw) in zip(row.columns, reading) {
                let parsed = CellValueParser.parse(raw, kind: column.kind)
                cells.append(Cell(table: .requests, row: row.code, col: column.code, value: parsed.value, state: parsed.state, raw: raw))
            }
        }
        let index = CellIndex(cells)
        let outcomes = rows.filter(\.isOutcome).map(\.code)
        for column in TemplateSchema.requestColumns.map(\.code) {
            let balance = IdentityCheck.evaluate(left: ["new", "carried_over"].map { index.value(.requests, $0, column) },
                                                 right: ["total", "carried_forward"].map { index.value(.requests, $0, column) })
            let outcomeSum = IdentityCheck.evaluate(left: outcomes.map { index.value(.requests, $0, column) },
                                                    right: [index.value(.requests, "total", column)])
            if case .fail = balance { return false }
            if case .fail = outcomeSum { return false }
        }
        return true
    }

    // MARK: Table 四

    /// Table 四 run together: the figures after its last header word, split into 15 cells whose three
    /// groups each satisfy 总计 = 维持 + 纠正 + 其他 + 尚未审结.
    private func readAppeals(_ text: [Character]) -> TableReader.Result? {
        let format = TableFormat.byYear(year) ?? fallbackFormat ?? .v2021
        let definition = TemplateSchema.table(.appeals, format)
        let run = Self.lastValueRun(String(text))
        guard !run.isEmpty else { return nil }
        var result = TableReader.Result(format: format)
        result.foundRows = Set(definition.rows.map(\.code))
        let readings = (DigitRunSplitter.splits(run, into: 15) ?? []).filter { reading in
            let values = reading.compactMap { Double($0) }
            guard values.count == 15 else { return false }
            return (0..<3).allSatisfy { group in
                abs(values[group * 5..<group * 5 + 4].reduce(0, +) - values[group * 5 + 4]) < 1e-9
            }
        }
        guard readings.count == 1 else {
            result.findings.append(Finding(rule: .extractAmbiguousSplit, severity: .warning, table: .appeals,
                                           actual: Double(readings.count),
                                           message: "the figures \"\(run)\" of table appeals split into 15 cells in \(readings.count) ways the identities allow; not stored"))
            return result
        }
        let wasSplit = run.split(whereSeparator: { $0.isWhitespace }).count != 15
        for (rowIndex, row) in definition.rows.enumerated() {
            for (columnIndex, column) in row.columns.enumerated() {
                let raw = readings[0][rowIndex * 5 + columnIndex]
                let parsed = CellValueParser.parse(raw)
                result.cells.append(Cell(table: .appeals, row: row.code, col: column.code, value: parsed.value, state: parsed.state,
                                         raw: raw, inferred: wasSplit))
            }
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
