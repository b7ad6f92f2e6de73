import Foundation

/// Recognizes the headings of the six sections (一、总体情况 … 六、其他需要报告的事项).
///
/// A heading is a short line that starts with its Chinese numeral and 、 (or is a markdown heading) and
/// names its section. Rows of table 三 such as "四、结转下年度继续办理" start the same way but name no
/// section, so they are not mistaken for headings.
public enum SectionHeadings {
    /// First characters a heading can have: 一…六 (also as Kangxi radicals) and opening brackets.
    static let headingStarts: Set<UInt32> = Set("一二三四五六⼀⼆⼂⼃⼄⼅(（123456ⅠⅡⅢⅣⅤⅥIV".unicodeScalars.map(\.value))

    /// The section number 1…6 that `line` opens, or nil.
    public static func sectionNumber(of line: String) -> Int? {
        // Quick rejection: a heading is short and starts (after markdown #) with a numeral or a bracket.
        guard line.utf8.count <= 240, let first = line.unicodeScalars.first(where: { $0 != "#" && $0 != " " }),
              headingStarts.contains(first.value) else { return nil }
        // PDF text spaces headings out ("二 、主动公开…", "三 、 收 到 和 处 理…"): compare without spaces.
        let compact = String(line.drop { $0 == "#" }.filter { !$0.isWhitespace })
        let stripped = LabelFolding.stripMarkers(compact)
        let number: Int
        switch stripped.markers.first {
        case let .chinese(value)?: number = value
        case let .arabic(value)?: number = value   // "2." headings; the key words below keep item rows out
        default: return nil
        }
        guard (1...6).contains(number) else { return nil }
        let body = LabelFolding.fold(stripped.body)
        guard !body.isEmpty, body.count <= 30 else { return nil }
        guard let section = TemplateSchema.sections.first(where: { $0.number == number }) else { return nil }
        return section.keys.contains { body.includes($0) } ? number : nil
    }

    /// Splits a long line that runs several sections together (crawler exports print a whole report on one
    /// line) before each section heading found inside it. Returns the pieces in order.
    public static func splitInline(_ line: String) -> [String] {
        guard line.utf8.count > 450, line.includes("、"),
              TemplateSchema.sections.contains(where: { $0.table != nil && $0.keys.contains(where: line.includes) }) else { return [line] }
        let characters = Array(line)
        var cuts: [Int] = []
        for index in characters.indices.dropLast() where characters[index + 1] == "、" {
            guard let number = LabelFolding.chineseNumerals[characters[index].unicodeScalars.first!], (1...6).contains(number) else { continue }
            if index > 0, "（(第".contains(characters[index - 1]) { continue }
            let window = String(characters[index..<min(characters.count, index + 24)])
            guard let section = TemplateSchema.sections.first(where: { $0.number == number }) else { continue }
            let body = LabelFolding.fold(String(window.dropFirst(2)))
            // The key must open the heading (within a few characters), not just occur in the window.
            if section.keys.contains(where: { key in body.range(of: key).map { body.distance(from: body.startIndex, to: $0.lowerBound) <= 6 } ?? false }) {
                cuts.append(index)
            }
        }
        guard !cuts.isEmpty else { return [line] }
        var pieces: [String] = []
        var start = 0
        for cut in cuts where cut > start {
            pieces.append(String(characters[start..<cut]))
            start = cut
        }
        pieces.append(String(characters[start...]))
        return pieces.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// The heading at the start of a piece made by ``splitInline(_:)``, and the text after it.
    static func leadingHeading(_ piece: String) -> (number: Int, heading: String, rest: String)? {
        let characters = Array(piece)
        guard characters.count > 2, characters[1] == "、",
              let number = LabelFolding.chineseNumerals[characters[0].unicodeScalars.first!],
              let section = TemplateSchema.sections.first(where: { $0.number == number }) else { return nil }
        // The heading ends after its key phrase and a following 情况/事项 if any.
        let text = String(characters)
        for key in section.keys.sorted(by: { $0.count > $1.count }) {
            guard let range = text.range(of: key), text.distance(from: text.startIndex, to: range.lowerBound) <= 10 else { continue }
            var end = range.upperBound
            for tail in ["情况", "事项"] where text[end...].hasPrefix(tail) { end = text.index(end, offsetBy: tail.count) }
            return (number, String(text[..<end]), String(text[end...]))
        }
        return nil
    }
}
