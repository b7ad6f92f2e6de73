/// What follows a row's label in a table printed run together, up to the next row's label: its figures, a
/// row printed blank, or something that cannot be read with certainty.
///
/// - Before the figures only headings may stand (a block's 第二十条第（五）项信息内容…, a unit 单位：万元); any other
///   words are prose, and a figure after them is not the row's ("（注：…自2019年起…）").
/// - The figures run on through spaces, thousands separators, units (元, 万元), signs, "—" and "/" (cells that
///   do not apply, each a cell of its own) and measure words between figures ("6件2件58件", "119起 -2起").
/// - What stops them must end the row: the next label, a heading, a note, a sentence. A figure after anything
///   else means the run was cut by something it cannot read, and the row is not read. A note's figures are
///   never a row's ("（注：…自2019年起不再收取…）").
/// - A numbered row the template does not have, glued to the figures ("…00000006.其他情形1000001"), is cut off
///   with its number and reported.
enum RunTogetherRegion {
    enum Reading: Equatable {
        /// The figures (cells separated by spaces where the text separates them), and a numbered row the
        /// template does not have that followed them.
        case figures(String, unknownRow: UnknownRow?)
        case blank
        case unreadable(String)
    }

    struct UnknownRow: Equatable {
        let label: String
        let figures: String
    }

    /// Characters dropped before searching labels: spacing, quotes, and the commas of long labels.
    static let ignored: Set<Character> = ["“", "”", "\"", "'", "‘", "’", "「", "」", "、", "，", ",", "/"]

    /// Marks printed for a cell that does not apply.
    static let notApplicable: Set<Character> = ["/", "／", "—", "–", "－", "―", "─"]

    /// Measure words printed after counts.
    /// Measure words printed after counts: the cell parser's, one character each (人次, 批次 are the word and 次).
    static let countUnits = Set(CellValueParser.countUnits.filter { $0.count == 1 }.map { Character($0) })

    static func isValueCharacter(_ character: Character) -> Bool {
        (character.isASCII && character.isNumber) || " \t.,+-−元万".contains(character)
    }

    static func read(_ fullRegion: String, columns: Int) -> Reading {
        // A note after the row ("（注：…本局自2019年起不再收取…）") is not the row's: its figures are not read.
        let region = withoutNote(fullRegion)
        let characters = Array(region)
        guard let start = characters.indices.first(where: { isFigureStart(characters, $0) }) else {
            return isEmptyRegion(withoutBracketed(region)) ? .blank : .unreadable("no figures follow the label, only \"\(trimmedText(region).prefix(30))\"")
        }
        let before = String(characters[..<start])
        guard isEmptyRegion(withoutBracketed(before)) else {
            return .unreadable("words stand between the label and the figures (\"\(trimmedText(before).prefix(30))\")")
        }
        var run = ""
        var index = start
        while index < characters.count {
            let character = characters[index]
            if isValueCharacter(character) {
                run.append(character)
                index += 1
            } else if notApplicable.contains(character) {
                var end = index
                while end < characters.count, notApplicable.contains(characters[end]) { end += 1 }
                run += " " + String(characters[index..<end]) + " "
                index = end
            } else if countUnits.contains(character), let last = run.last(where: { !$0.isWhitespace }), last.isASCII, last.isNumber {
                // One or two measure words after a figure ("件", "人次", "批次").
                var end = index + 1
                if end < characters.count, "次数".contains(characters[end]) { end += 1 }
                run += " "
                index = end
            } else {
                break
            }
        }
        let rest = String(characters[index...])
        let markedItem = run.trimmingCharacters(in: .whitespaces).hasSuffix(".")
        var figures = run.trimmingCharacters(in: .whitespaces).trimmingTrailing(",.")
        if columns == 1 { figures = joinThousands(figures) }
        if let unknown = unknownRow(after: figures, marked: markedItem, rest: rest, columns: columns) {
            return .figures(unknown.figures, unknownRow: unknown.row)
        }
        guard endsRow(rest) else {
            return .unreadable("the figures \"\(figures)\" are cut by \"\(trimmedText(rest).prefix(20))\", followed by more figures")
        }
        return .figures(figures, unknownRow: nil)
    }

    /// The text without its closed bracketed groups ("部分公开" + "（区分处理的，只计这一情形…）"): the rest of a
    /// long label or a remark on it. An unclosed one stays, and its words are prose.
    static func withoutBracketed(_ text: String) -> String {
        // Most labels hold no bracket: returned as they are, without walking their characters.
        // ("(" is 0x28; "（" U+FF08 is EF BC 88 in UTF-8.)
        guard text.utf8.contains(where: { $0 == 0x28 || $0 == 0xEF }) else { return text }
        var result = ""
        var pending = ""
        var depth = 0
        for character in text {
            if character == "(" || character == "（" {
                depth += 1
                pending.append(character)
            } else if character == ")" || character == "）", depth > 0 {
                depth -= 1
                if depth == 0 { pending = "" } else { pending.append(character) }
            } else if depth > 0 {
                pending.append(character)
            } else {
                result.append(character)
            }
        }
        return result + pending
    }

    /// A figure starts here: a digit, a sign before a digit, or a mark that stands for a cell not applicable.
    private static func isFigureStart(_ characters: [Character], _ index: Int) -> Bool {
        let character = characters[index]
        if character.isASCII && character.isNumber { return true }
        if "+-−".contains(character), index + 1 < characters.count, characters[index + 1].isASCII, characters[index + 1].isNumber { return true }
        return notApplicable.contains(character) && index > 0 && characters[index - 1].isWhitespace
    }

    /// What may follow a row's figures: nothing, headings, a sentence ("表中数据统计口径为2021年…": four or more
    /// Chinese characters before any figure), or anything without a figure.
    private static func endsRow(_ rest: String) -> Bool {
        let trimmed = trimmedText(rest)
        let beforeFigure = trimmed.prefix { !($0.isASCII && $0.isNumber) }
        if beforeFigure.filter({ $0.isLetter && !$0.isASCII }).count >= 4 { return true }
        return !trimmed.contains { $0.isASCII && $0.isNumber }
    }

    /// Marks that open a note.
    static let noteMarks = ["（注", "(注", "注：", "注:", "备注", "说明：", "说明:"]

    /// The region up to the first note.
    static func withoutNote(_ region: String) -> String {
        var end = region.endIndex
        for mark in noteMarks {
            if let range = region.range(of: mark), range.lowerBound < end { end = range.lowerBound }
        }
        return String(region[..<end])
    }

    /// "4,512" → "4512" in a one-cell row (several cells could be separated by the comma): a comma between a
    /// digit and exactly three digits.
    private static func joinThousands(_ run: String) -> String {
        let characters = Array(run)
        func isDigit(_ index: Int) -> Bool { index < characters.count && characters[index].isASCII && characters[index].isNumber }
        var kept: [Character] = []
        for (index, character) in characters.enumerated() {
            let isSeparator = character == "," && index > 0 && isDigit(index - 1)
                && (1...3).allSatisfy { isDigit(index + $0) } && !isDigit(index + 4)
            if !isSeparator { kept.append(character) }
        }
        return String(kept)
    }

    /// A numbered row with figures right after this row's ("00000006" + ".其他情形1000001"): the item number is
    /// the last digit before the mark. Prose is no row: only a numbered label, not a note, whose figures fill
    /// the table's columns.
    private static func unknownRow(after figures: String, marked: Bool, rest: String, columns: Int) -> (figures: String, row: UnknownRow)? {
        let characters = Array(rest)
        guard let mark = characters.first, ".、．".contains(mark) || marked,
              let last = figures.last, last.isASCII, last.isNumber else { return nil }
        let labelStart = ".、．".contains(mark) ? 1 : 0
        guard let figuresStart = characters.indices.first(where: { $0 >= labelStart && characters[$0].isASCII && characters[$0].isNumber }) else { return nil }
        let label = trimmedText(String(characters[labelStart..<figuresStart]))
        let folded = LabelFolding.fold(label)
        guard folded.count >= 2, folded.count <= 30, folded.allSatisfy({ !$0.isASCII }),
              !["注", "备注", "说明", "其中"].contains(where: folded.hasPrefix) else { return nil }
        var end = figuresStart
        while end < characters.count, isValueCharacter(characters[end]) || countUnits.contains(characters[end]) { end += 1 }
        let rowFigures = String(characters[figuresStart..<end]).map { countUnits.contains($0) ? " " : String($0) }.joined()
            .trimmingCharacters(in: .whitespaces)
        guard !(DigitRunSplitter.splits(rowFigures, into: columns) ?? [[]]).isEmpty else { return nil }
        // The item number printed against the figures before belongs to the unknown row.
        let own = String(figures.dropLast())
        return (own, UnknownRow(label: label, figures: rowFigures))
    }

    /// Header words a blank row may run into: column headers of every table, group labels, 第二十条第（八）项.
    static let headerWords: [String] = {
        let columns = TemplateSchema.tables.flatMap { $0.rows.flatMap { $0.columns.map(\.label) } }
        let groups = TemplateSchema.requestGroups.flatMap(\.labels) + [TemplateSchema.outcomeGroupLabel]
        let words = columns + groups + ["第二十条第", "信息内容", "单位", "万元", "元", "项"]
        return Set(words.map(LabelFolding.fold)).filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }()

    /// Nothing but spacing, punctuation, group and column headings and their numbering ("（四）无法提供",
    /// "第二十条第（八）项信息内容本年收费金额（单位：万元）"): no figure, no other words.
    static func isEmptyRegion(_ region: String) -> Bool {
        guard !region.contains(where: { $0.isASCII && $0.isNumber }) else { return false }
        var folded = LabelFolding.fold(region)
        for word in headerWords where folded.includes(word) { folded = folded.removingAll(word) }
        return folded.allSatisfy { "一二三四五六七八九十".contains($0) }
    }
}
