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
            if let extra = Self.unknownRow(after: region, columns: entry.row.columns.count) {
                // A row the template does not have, run into this one's figures ("…00000006.其他情形1000001"):
                // its number leaves this row's figures, and it is reported, never read as a template row.
                region = extra.region
                result.findings.append(Finding(rule: .structureUnknownRow, severity: .error, table: table,
                                               message: "row \"\(extra.label)\" with figures \"\(extra.figures)\" matches no row of table \(table.rawValue)"))
            }
            let run = Self.countUnitsAsSpaces(Self.firstValueRun(region), columns: entry.row.columns.count)
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

    /// What a single cell allows: counts are whole numbers ≥ 0; only money carries 元.
    func cellsAllow(_ reading: [String], row: RowDefinition) -> Bool {
        for (column, raw) in zip(row.columns, reading) {
            let parsed = CellValueParser.parse(raw, kind: column.kind)
            guard let value = parsed.value else { return false }
            if column.kind == .count && (value < 0 || value != value.rounded()) { return false }
            if column.kind != .money && raw.contains("元") { return false }
        }
        return true
    }

    /// The row's own identities: 总计 is the sum of the applicant columns; 对外公开总数量 ≥ 本年新公开数量.
    func rowIdentitiesHold(_ reading: [String], row: RowDefinition) -> Bool {
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

    /// The rows' labels located in template order: of all places each label is printed, the most rows that
    /// follow one another in order (the earliest such places). A template word in a note after the table ("本局无
    /// 规章制定权，…规章3件") cannot then pull a row out of the table and hide every row before it.
    static func locate(_ rows: [RowDefinition], in compact: [Character]) -> [(row: RowDefinition, start: Int, end: Int)] {
        // Every occurrence of each row's labels, the longer label first where two overlap.
        let occurrences: [[(start: Int, end: Int)]] = rows.map { row in
            var found: [(start: Int, end: Int)] = []
            for label in row.foldedLabels.sorted(by: { $0.count > $1.count }) {
                let needle = Array(label)
                var cursor = 0
                while let (start, end) = find(needle, in: compact, from: cursor) {
                    if !found.contains(where: { $0.start <= start && end <= $0.end }) { found.append((start, end)) }
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
        (character.isASCII && character.isNumber) || " \t.,+-−元万".contains(character) || countUnits.contains(character)
    }

    /// Measure words printed after counts ("6件2件58件", "4项0", "2笔984361元").
    static let countUnits: Set<Character> = ["件", "项", "个", "笔", "条", "次", "宗", "家"]

    /// A count's measure word ends the figure, like a space; in a one-cell row, commas between groups of three
    /// digits are thousands separators ("4,512件").
    static func countUnitsAsSpaces(_ run: String, columns: Int) -> String {
        var characters = Array(run)
        for index in characters.indices where countUnits.contains(characters[index]) { characters[index] = " " }
        if columns == 1 {
            var kept: [Character] = []
            for (index, character) in characters.enumerated() {
                let isSeparator = character == "," && index > 0 && characters[index - 1].isASCII && characters[index - 1].isNumber
                    && index + 3 < characters.count && characters[(index + 1)...(index + 3)].allSatisfy { $0.isASCII && $0.isNumber }
                    && (index + 4 == characters.count || !(characters[index + 4].isASCII && characters[index + 4].isNumber))
                if !isSeparator { kept.append(character) }
            }
            characters = kept
        }
        return trimmedText(String(characters))
    }

    /// Header words a blank row may run into: column headers of every table, group labels, 第二十条第（八）项.
    static let headerWords: [String] = {
        let columns = TemplateSchema.tables.flatMap { $0.rows.flatMap { $0.columns.map(\.label) } }
        let groups = TemplateSchema.requestGroups.flatMap(\.labels) + [TemplateSchema.outcomeGroupLabel]
        let words = columns + groups + ["第二十条第", "信息内容", "单位", "万元", "元", "项"]
        return Set(words.map(LabelFolding.fold)).filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }()

    /// A labelled row with figures after the first run of figures of `region`: the region up to it (without
    /// the item number printed against the figures before), its label and its figures. Prose is no row: a note
    /// (注、说明), or figures that cannot fill the table's `columns` ("…规章3件").
    static func unknownRow(after region: String, columns: Int) -> (region: String, label: String, figures: String)? {
        let characters = Array(region)
        guard let start = characters.firstIndex(where: { $0.isASCII && $0.isNumber }) else { return nil }
        var end = start
        while end < characters.count, isValueCharacter(characters[end]) { end += 1 }
        let rest = characters[end...]
        guard let first = rest.first(where: { !$0.isWhitespace }), first.isLetter,
              let figuresStart = rest.firstIndex(where: { $0.isASCII && $0.isNumber }) else { return nil }
        let label = trimmedText(String(characters[end..<figuresStart]))
        let folded = LabelFolding.fold(label)
        guard folded.count >= 2, folded.count <= 40, !["注", "备注", "说明", "其中"].contains(where: folded.hasPrefix) else { return nil }
        var figuresEnd = figuresStart
        while figuresEnd < characters.count, isValueCharacter(characters[figuresEnd]) { figuresEnd += 1 }
        let figures = countUnitsAsSpaces(String(characters[figuresStart..<figuresEnd]), columns: columns)
        guard !(DigitRunSplitter.splits(figures, into: columns) ?? [[]]).isEmpty else { return nil }
        var cut = end
        // "…0000000" + "6." + "其他情形": the item number belongs to the unknown row.
        if cut >= 2, ".、．".contains(characters[cut - 1]), characters[cut - 2].isASCII, characters[cut - 2].isNumber {
            cut -= 2
        }
        return (String(characters[..<cut]), label, figures)
    }

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
