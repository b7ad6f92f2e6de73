/// Turns one line of a text or markdown export into a table row, or says it is prose.
///
/// - Tab-separated lines keep every cell, empty ones included (their position is the column).
/// - Markdown pipe rows are split on `|`; the `|---|` separator row is dropped.
/// - Other lines are split on whitespace; a trailing run of figures (or "/"-like marks) makes the line a
///   row whose leading words are its label.
enum TextLineSplitter {
    enum Line: Equatable {
        case prose(String)
        case row([String])
        case skip
    }

    static func split(_ rawLine: String, markdown: Bool) -> Line {
        let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : rawLine
        let trimmedLine = trimmedText(line)
        if trimmedLine.isEmpty || isPageNumber(trimmedLine) { return .skip }
        if markdown, trimmedLine.hasPrefix("|") {
            var cells = trimmedLine.split(separator: "|", omittingEmptySubsequences: false).map { trimmedText(String($0)) }
            if cells.first == "" { cells.removeFirst() }
            if cells.last == "" { cells.removeLast() }
            if cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } && !$0.isEmpty }) { return .skip }
            // Converters keep line breaks of cells as <br>: the label's parts join.
            return .row(cells.map { cell in
                ["<br>", "<br/>", "<br />", "<BR>", "**"].reduce(cell) { $0.removingAll($1) }
            })
        }
        if line.utf8.contains(0x09) {
            var cells = line.split(separator: "\t", omittingEmptySubsequences: false).map { trimmedText(String($0)) }
            if let last = cells.lastIndex(where: { !$0.isEmpty }), let parts = spacedCell(cells[last]) {
                cells.replaceSubrange(last...last, with: parts)
            }
            return cells.filter({ !$0.isEmpty }).isEmpty ? .skip : .row(cells)
        }
        if let colonRow = colonSeparatedRow(trimmedLine) { return .row(colonRow) }
        if let aligned = alignedRowWithSpacedThousands(trimmedLine) { return .row(aligned) }
        let tokens = trimmedLine.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" || $0 == "\u{a0}" }).map(String.init)
        var valueCount = 0
        for token in tokens.reversed() {
            guard CellValueParser.isFigure(token) else { break }
            valueCount += 1
        }
        if valueCount == 0 {
            let prose = markdown ? trimmedLine.removingAll("**") : trimmedLine
            return .prose(prose)
        }
        let label = tokens.dropLast(valueCount).joined(separator: " ")
        // Without a label, no empty cell in front: in space-aligned text a position means nothing.
        return .row((label.isEmpty ? [] : [label]) + tokens.suffix(valueCount))
    }

    /// The number of cells of a markdown delimiter row written without outer pipes ("---|:---:|---"), which opens a
    /// table whose rows have no outer pipes either (GFM allows it; pandoc and Typora write it); nil otherwise.
    static func bareDelimiterColumns(_ line: String) -> Int? {
        let trimmed = trimmedText(line)
        guard !trimmed.hasPrefix("|"), trimmed.contains("|") else { return nil }
        var body = Substring(trimmed)
        if body.hasSuffix("|") { body = body.dropLast() }
        let cells = body.split(separator: "|", omittingEmptySubsequences: false).map { trimmedText(String($0)) }
        guard cells.count >= 2, cells.allSatisfy({ !$0.isEmpty && $0.contains("-") && $0.allSatisfy { "-:".contains($0) } }) else { return nil }
        return cells.count
    }

    /// A row of a table written without outer pipes, of `columns` cells. A row that does start with a pipe is
    /// ambiguous there: the pipe is an optional outer one, or it closes an empty first cell (a label continued from
    /// the row above). The reading that gives the table's number of cells is taken.
    static func bareRow(_ line: String, columns: Int) -> Line {
        let trimmed = trimmedText(line)
        if bareDelimiterColumns(trimmed) != nil { return .skip }
        var body = Substring(trimmed)
        let leading = body.hasPrefix("|")
        if leading { body = body.dropFirst() }
        if body.hasSuffix("|") { body = body.dropLast() }
        var cells = body.split(separator: "|", omittingEmptySubsequences: false).map { trimmedText(String($0)) }
        if leading && cells.count == columns - 1 { cells.insert("", at: 0) }
        guard cells.contains(where: { !$0.isEmpty }) else { return .skip }
        return .row(cells.map { cell in ["<br>", "<br/>", "<br />", "<BR>", "**"].reduce(cell) { $0.removingAll($1) } })
    }

    /// The last cell of a tab-separated line holding space-separated figures, after words or alone
    /// ("1.属于国家秘密  1  0  0  0  0  0  1", "9 2 0 0 0 0 11"): the exporter lost the tabs between them, and the
    /// cell is the row's label and figures. A cell that is one figure with its thousands spaced ("1 046") is left
    /// whole; nil when nothing is to split.
    static func spacedCell(_ cell: String) -> [String]? {
        let tokens = cell.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" || $0 == "\u{a0}" }).map(String.init)
        guard tokens.count > 1 else { return nil }
        var figures = 0
        for token in tokens.reversed() {
            guard CellValueParser.isFigure(token) else { break }
            figures += 1
        }
        if figures == tokens.count {
            // Figures only: one figure with spaced thousands, or several.
            return CellValueParser.spacedDigitsGroupThousands(cell) && CellValueParser.isFigure(cell) ? nil : tokens
        }
        guard figures > 0 else { return nil }
        return [tokens.dropLast(figures).joined(separator: " ")] + tokens.suffix(figures)
    }

    /// "行政规范性文件  1 046  3  1 200": cells two spaces apart, a figure's thousands one space apart. Split at every
    /// space, the line read 1 / 046 / 3 / 1 / 200 and kept the last three. Only lines where a group after a single
    /// space starts with 0 ("1 046": no figure is printed "046") are read this way: in PDF text a single space also
    /// parts two narrow columns ("13 171" is 13 and 171).
    static func alignedRowWithSpacedThousands(_ line: String) -> [String]? {
        guard line.contains("  ") else { return nil }
        let parts = line.components(separatedBy: "  ").map(trimmedText).filter { !$0.isEmpty }
        var figures = 0
        for part in parts.reversed() {
            guard CellValueParser.isFigure(part) else { break }
            figures += 1
        }
        let trailing = parts.suffix(figures)
        guard figures > 0, trailing.contains(where: { $0.contains(" 0") }) else { return nil }
        let label = parts.dropLast(figures).joined(separator: " ")
        return (label.isEmpty ? [] : [label]) + trailing
    }

    /// "（一）予以公开：45、3、1、1、3、3、56": a label, a colon, and figures separated by 、，；.
    static func colonSeparatedRow(_ line: String) -> [String]? {
        guard let colon = line.firstIndex(where: { $0 == "：" || $0 == ":" }) else { return nil }
        let label = trimmedText(String(line[..<colon]))
        let figures = line[line.index(after: colon)...].split(whereSeparator: { "、，；;".contains($0) }).map { trimmedText(String($0)) }
        guard !label.isEmpty, !figures.isEmpty, figures.allSatisfy(CellValueParser.isFigure) else { return nil }
        return [label] + figures
    }

    /// "- 4 -", "— 12 —", "第 3 页", "3/10": page furniture of PDF exports.
    static func isPageNumber(_ line: String) -> Bool {
        let compact = line.filter { !$0.isWhitespace }
        let dashes: Set<Character> = ["-", "—", "–", "－", "―"]
        if let first = compact.first, let last = compact.last, dashes.contains(first), dashes.contains(last) {
            let middle = compact.dropFirst().dropLast().filter { !dashes.contains($0) }
            return !middle.isEmpty && middle.allSatisfy(\.isNumber) && middle.count <= 4
        }
        if compact.hasPrefix("第"), compact.hasSuffix("页"), compact.dropFirst().dropLast().allSatisfy(\.isNumber) {
            return compact.count > 2
        }
        return false
    }
}

func trimmedText(_ text: String) -> String {
    // Already trimmed (the usual case): no work.
    if let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
       !CellValueParser.isSpace(first), !CellValueParser.isSpace(last) {   // (White_Space, without the property lookup)
        return text
    }
    var slice = Substring(text)
    while let first = slice.first, first.isWhitespace { slice.removeFirst() }
    while let last = slice.last, last.isWhitespace { slice.removeLast() }
    return String(slice)
}
