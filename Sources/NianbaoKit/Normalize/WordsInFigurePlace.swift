/// Words printed where a row's figures belong ("行政强制 | 详见附件", "行政许可 96左右", "约12万元").
///
/// A row with no figure at all is read as a label followed by empty cells (``RowLayout``), so its trailing
/// words were taken as more label and the row stored blank: a published "详见附件" or "96左右" became an
/// unknown non-negative number with no finding. When the row's label without its last cells still names the
/// same row, and those cells are no label or column heading of the template, they are the row's values: they
/// are placed as such, kept as `text` with their raw words, and the validator reports
/// `extract.text_in_figure` — the same reading a multi-column row with one word among figures already gets.
extension TableReader {
    static func wordsInFigurePlace(_ layout: RowLayout, code: String, columns: Int, matcher: LabelMatcher) -> RowLayout? {
        guard !layout.hasValues, columns > 0 else { return nil }
        // A text line with no figure is one cell; in space-aligned text a wide gap is a column's edge.
        let labels = layout.labels.count == 1 ? alignedParts(layout.labels[0]) : layout.labels
        guard labels.count >= 2, let full = matcher.score(labels), full.code == code else { return nil }
        for count in (1...min(columns, labels.count - 1)).reversed() {
            let kept = Array(labels.dropLast(count))
            let trailing = Array(labels.suffix(count))
            guard let shorter = matcher.score(kept), shorter.code == code, shorter.score >= full.score,
                  trailing.allSatisfy({ isWordsNotLabel($0, matcher: matcher) || isSentenceAboutRow($0, label: kept, code: code, matcher: matcher) })
            else { continue }
            // One cell of words for several columns (a colspan sentence) says the same of each; other counts
            // short of the columns cannot be placed.
            guard count == columns || count == 1 else { continue }
            let slots = count == columns ? trailing : Array(repeating: trailing[0], count: columns)
            return RowLayout(labels: kept, slots: slots, tableIndex: layout.tableIndex, origin: layout.origin)
        }
        return nil
    }

    /// "行政强制            详见附件": parts of a line separated by two spaces or more, a tab or an ideographic space.
    static func alignedParts(_ line: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var spaces = 0
        for character in line {
            if character == " " || character == "\u{a0}" {
                spaces += 1
                continue
            }
            if character == "\t" || character == "\u{3000}" { spaces += 2; continue }
            if spaces >= 2, !current.isEmpty {
                parts.append(current)
                current = ""
            } else if spaces == 1, !current.isEmpty {
                current.append(" ")
            }
            spaces = 0
            current.append(character)
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    /// A sentence in the figures' place that names the row again ("规章 | 本机关无规章制定权"): the row's label is
    /// printed in its own cell already, and the sentence is longer than a label by four characters or more.
    /// ("上年结转政府信息公开申请数量 | 本年度无上年结转申请": a sentence the matcher takes for the same row, not
    /// verbatim).
    private static func isSentenceAboutRow(_ text: String, label: [String], code: String, matcher: LabelMatcher) -> Bool {
        let folded = LabelFolding.fold(text)
        let printedLabel = LabelFolding.fold(label.joined())
        guard let match = matcher.score([text]), match.code == code, !printedLabel.isEmpty, folded != printedLabel,
              !headings.contains(where: { folded.includes($0) }) else { return false }
        return folded.includes(printedLabel) ? folded.count >= printedLabel.count + 4 : match.score < 0.99 && folded.count >= 4
    }

    /// Text that names no row of the table and holds no template heading: words in a figure's place.
    private static func isWordsNotLabel(_ text: String, matcher: LabelMatcher) -> Bool {
        let folded = LabelFolding.fold(text)
        guard !folded.isEmpty, matcher.score([text]) == nil else { return false }
        return !headings.contains { folded.includes($0) || $0.includes(folded) }
    }

    /// Column headings, group labels and the headings above table 二's blocks (the run-together reader's header
    /// words), without the units: "约12万元" is words in a figure's place, not a heading.
    private static let headings: [String] = {
        let units = Set(["单位", "万元", "元", "项"].map(LabelFolding.fold))
        return RunTogetherRegion.headerWords.filter { !units.contains($0) }
    }()
}
