import Foundation

/// Reads the title, agency, reporting year, publication date and narrative sections of a report.
///
/// The title line is the first one that names a 政府信息公开（工作）年度报告 with a year; the agency is what
/// precedes the year on that line, or the short line just above it when the title starts with the year
/// (PDFs print the agency on a line of its own).
enum MetadataReader {
    static func read(_ document: ExtractedDocument) -> ReportMetadata {
        var metadata = ReportMetadata()
        // The page's own lines up to the report; a site's navigation can fill the first hundreds of blocks, and the
        // title and publication date come after it (only lines with the words they need are searched).
        var lines: [String] = []
        for block in document.blocks.prefix(600) {
            switch block {
            case let .text(text), let .heading(_, text): lines.append(text)
            case let .row(row): lines.append(row.joinedText)
            }
        }
        var candidates: [(line: String, previous: String?)] = []
        if let title = document.title {
            for segment in title.split(whereSeparator: { "_|｜".contains($0) }) { candidates.append((String(segment), nil)) }
        }
        for (index, line) in lines.enumerated() {
            candidates.append((line, index > 0 ? lines[index - 1] : nil))
            // PDF text breaks long titles: "2025 年上海市人民政府办公厅政府信息公开" / "工作年度报告".
            if index + 1 < lines.count, line.includes("政府信息公开") || line.includes("政务公开"),
               lines[index + 1].hasAtMost(characters: 12), LabelFolding.fold(lines[index + 1]).hasSuffix("报告") {
                candidates.append((line + lines[index + 1], index > 0 ? lines[index - 1] : nil))
            }
            // The year on the line under the title: "…政府信息公开工作年度报告" / "（2022年）".
            if index + 1 < lines.count, line.includes("报告"), lines[index + 1].hasAtMost(characters: 10),
               let first = trimmedText(lines[index + 1]).first, first == "（" || first == "(" {
                candidates.append((line + trimmedText(lines[index + 1]), index > 0 ? lines[index - 1] : nil))
            }
        }
        for candidate in candidates {
            guard candidate.line.includes("报告") || candidate.line.includes("年报") || candidate.line.includes("報告"),
                  let parsed = parseTitle(candidate.line, previous: candidate.previous) else { continue }
            metadata.title = parsed.title
            metadata.year = parsed.year
            metadata.agency = parsed.agency
            break
        }
        let top = Array(lines.prefix(80))
        if metadata.year == nil { metadata.year = statisticsYear(top) }
        if metadata.agency == nil { metadata.agency = publisherLine(top) ?? undatedTitleAgency(top) }
        // The date printed under the report's own title (发布日期 in the article's info line), else near the top.
        let titleLine = metadata.title.map(LabelFolding.fold).flatMap { title in
            lines.firstIndex { ($0.includes("报告") || $0.includes("年报")) && LabelFolding.fold($0).includes(title) }
        }
        var impossible: String?
        metadata.publishedOn = titleLine.flatMap { publicationDate(Array(lines[$0..<min(lines.count, $0 + 15)]), dated: false, impossible: &impossible) }
            ?? publicationDate(top, impossible: &impossible)
        if metadata.publishedOn == nil { metadata.impossibleDate = impossible }
        metadata.sections = narrativeSections(document.blocks)
        return metadata
    }

    private static let reportPhrase = try! NSRegularExpression(
        pattern: #"(?:政府信息公开|政务公开|信息公开)\s*(?:工作)?\s*(?:情况)?\s*的?\s*(?:年度)?\s*(?:报告|年报)"#)
    private static let yearBefore = try! NSRegularExpression(pattern: #"(?:关于)?((?:19|20)\d{2})\s*年\s*度?\s*的?\s*$"#)
    private static let yearFirst = try! NSRegularExpression(pattern: #"^\s*((?:19|20)\d{2})\s*年\s*度?\s*([^\s度].*?)\s*$"#)
    private static let yearAfter = try! NSRegularExpression(pattern: #"^\s*[（(]\s*((?:19|20)\d{2})\s*年?\s*度?\s*[)）]"#)
    /// What an agency's name ends with; used to trust a name found inside a long line.
    static let agencySuffixes = ["政府", "局", "委员会", "委", "办公室", "办公厅", "区", "县", "市", "镇", "乡", "街道办事处",
                                 "办事处", "管委会", "管理委员会", "中心", "厅", "部", "院", "署", "所", "队", "站", "会", "处", "省", "州", "旗", "盟"]
    /// Characters that cannot be inside an agency's name: what precedes it on a crawler's line.
    static let separators = CharacterSet(charactersIn: " \t>|：:，,。；;“”《》【】[]「」_/\\")

    /// Finds a title in a line: "<agency><year>年（度）政府信息公开工作年度报告", "<year>年<agency>政府信息公开…",
    /// or "<agency>政府信息公开工作年度报告（<year>年度）"; the agency may be on the line above. Years in
    /// Chinese numerals (二〇二一年) are read too.
    static func parseTitle(_ rawLine: String, previous: String?) -> (title: String, agency: String?, year: Int)? {
        // The phrase holds 公开 and 报告 or 年报 as they stand: a line without them is not searched (a paragraph that
        // names 本报告 went through the regular expressions on every page). Looked for first, on the normalized line
        // without its "#": the year's numerals, the trimming and a "标题:" prefix neither make nor break them.
        let normalized = LabelFolding.normalized(rawLine)
        let unmarked = normalized.utf8.contains(0x23) ? normalized.replacingOccurrences(of: "#", with: "") : normalized
        guard unmarked.includes("公开"), unmarked.includes("报告") || unmarked.includes("年报") else { return nil }
        var line = trimmedText(arabicYears(normalized).replacingOccurrences(of: "#", with: ""))
        for prefix in ["标题:", "标题：", "题目:", "题目："] where line.hasPrefix(prefix) {
            line = trimmedText(String(line.dropFirst(prefix.count)))
        }
        let whole = NSRange(line.startIndex..., in: line)
        for match in reportPhrase.matches(in: line, range: whole) {
            guard let phrase = Range(match.range, in: line) else { continue }
            let before = String(line[..<phrase.lowerBound])
            let after = String(line[phrase.upperBound...])
            var year: Int?
            var agency = ""
            var titleStart = before.startIndex
            let beforeRange = NSRange(before.startIndex..., in: before)
            if let first = yearFirst.firstMatch(in: before, range: beforeRange),
               let yearRange = Range(first.range(at: 1), in: before), let nameRange = Range(first.range(at: 2), in: before),
               !before[nameRange].contains(where: { $0.isNumber }) {
                year = Int(before[yearRange])
                agency = String(before[nameRange]).filter { !$0.isWhitespace }
            } else if let last = yearBefore.firstMatch(in: before, range: beforeRange),
                      let yearRange = Range(last.range(at: 1), in: before), let lastRange = Range(last.range, in: before) {
                year = Int(before[yearRange])
                (agency, titleStart) = trailingName(String(before[..<lastRange.lowerBound]))
            } else if let later = yearAfter.firstMatch(in: after, range: NSRange(after.startIndex..., in: after)),
                      let yearRange = Range(later.range(at: 1), in: after) {
                year = Int(after[yearRange])
                (agency, titleStart) = trailingName(before)
            }
            guard let year else { continue }
            let short = LabelFolding.fold(line).hasAtMost(characters: 60)
            if agency.isEmpty, let previous {
                let candidate = trimmedText(previous.replacingOccurrences(of: "#", with: ""))
                if !candidate.isEmpty, candidate.count <= 30, !candidate.includes("。"), !candidate.includes("："),
                   !candidate.contains(where: { $0.isNumber }) {
                    agency = candidate.filter { !$0.isWhitespace }
                }
            }
            // Inside a long line (a crawler's page), trust only what looks like an agency's name.
            if !short && !agencySuffixes.contains(where: { agency.hasSuffix($0) }) { continue }
            let titleText = trimmedText(String(line[titleStart..<phrase.upperBound]))
            let title = agency.isEmpty || titleText.filter({ !$0.isWhitespace }).includes(agency) ? titleText : agency + titleText
            return (title, agency.isEmpty ? nil : agency, year)
        }
        return nil
    }

    /// The run of name characters at the end of `text`, and where it starts.
    static func trailingName(_ untrimmed: String) -> (String, String.Index) {
        var text = Substring(untrimmed)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        var start = text.endIndex
        while start > text.startIndex {
            let previous = text.index(before: start)
            if text[previous].unicodeScalars.contains(where: separators.contains) { break }
            start = previous
        }
        var name = String(text[start...]).filter { !$0.isWhitespace }
        // "青禾县 人民政府…" / "青禾县<br>人民政府…": a name printed with a space (a line break in the page) inside it.
        // A tail that names no place (人民政府, 财政局) takes the word before the space with it, when that word
        // ends like a place's name.
        while !AgencyRegistry.namesPlace(name), start > text.startIndex {
            var end = text.index(before: start)
            guard text[end].isWhitespace else { break }
            while end > text.startIndex, text[text.index(before: end)].isWhitespace { end = text.index(before: end) }
            var wordStart = end
            while wordStart > text.startIndex, !text[text.index(before: wordStart)].unicodeScalars.contains(where: separators.contains) {
                wordStart = text.index(before: wordStart)
            }
            let word = String(text[wordStart..<end])
            guard !word.isEmpty, AgencyRegistry.placeEndings.contains(where: { word.hasSuffix($0) }) else { break }
            name = word + name
            start = wordStart
        }
        return (name.count > 40 ? "" : name, untrimmed.index(untrimmed.startIndex, offsetBy: text.distance(from: text.startIndex, to: start)))
    }

    /// "二〇二一年" → "2021年".
    static func arabicYears(_ text: String) -> String {
        let digits: [Character: Character] = ["〇": "0", "○": "0", "零": "0", "Ｏ": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                                              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"]
        var characters = Array(text)
        var index = 0
        while index + 4 < characters.count {
            let window = characters[index..<index + 4]
            if characters[index + 4] == "年", window.allSatisfy({ digits[$0] != nil }), ["1", "2"].contains(digits[window.first!]!) {
                for offset in 0..<4 { characters[index + offset] = digits[characters[index + offset]]! }
                index += 5
            } else {
                index += 1
            }
        }
        return String(characters)
    }

    /// "发布机构: 开元市财政局" (crawler headers, article info lines) when the title names no agency.
    /// The agency of a title that prints no year ("云栖县人民政府政府信息公开工作年度报告", the year given elsewhere):
    /// a short line naming the report, with an agency's name before it.
    static func undatedTitleAgency(_ lines: [String]) -> String? {
        for line in lines where line.includes("报告") && LabelFolding.fold(line).hasAtMost(characters: 40) {
            let text = trimmedText(LabelFolding.normalized(line))
            guard let match = reportPhrase.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let phrase = Range(match.range, in: text) else { continue }
            let (name, _) = trailingName(String(text[..<phrase.lowerBound]))
            if name.count >= 3, !name.contains(where: { $0.isNumber }), agencySuffixes.contains(where: { name.hasSuffix($0) }) { return name }
        }
        return nil
    }

    // The expressions are compiled once (compiled per call, the publication date's were 1 % of a run), and a line is
    // matched only when it holds the words an expression cannot match without.
    private static let publisher = try! NSRegularExpression(pattern: #"(?:发布机构|发文机关|发布单位|发文单位)\s*[:：]\s*([^\s:：|｜]{2,30})"#)
    private static let periodStart = try! NSRegularExpression(pattern: #"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"#)
    private static let labelledDate = try! NSRegularExpression(pattern: #"(?:发布时间|发布日期|成文日期|日期)\s*[:：]\s*((?:19|20)\d{2})[-/.年]\s*(\d{1,2})[-/.月]\s*(\d{1,2})"#)
    private static let datedLine = try! NSRegularExpression(pattern: #"^[(（]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]?$"#)

    static func publisherLine(_ lines: [String]) -> String? {
        let expression = publisher
        for line in lines where line.includes("发布") || line.includes("发文") {
            let range = NSRange(line.startIndex..., in: line)
            if let match = expression.firstMatch(in: line, range: range), let name = Range(match.range(at: 1), in: line) {
                return String(line[name])
            }
        }
        return nil
    }

    /// "统计期限自2019年1月1日起…" gives the reporting year when no title does.
    static func statisticsYear(_ lines: [String]) -> Int? {
        let expression = periodStart
        // PDF text wraps the period over lines ("自2023年1月1" / "日起"): read the lines joined as well.
        for line in lines + [lines.joined()] where line.includes("年") {
            let range = NSRange(line.startIndex..., in: line)
            if let match = expression.firstMatch(in: line, range: range), let yearRange = Range(match.range(at: 1), in: line) {
                return Int(line[yearRange])
            }
        }
        return nil
    }

    /// "发布时间: 2020-01-20 15:22", or a dated line such as "(2026年1月23日)" near the top.
    static func publicationDate(_ lines: [String], dated allowDated: Bool = true) -> String? {
        var impossible: String?
        return publicationDate(lines, dated: allowDated, impossible: &impossible)
    }

    /// ``publicationDate(_:dated:)``, and the first date it passed over as no calendar day (as printed), if any.
    static func publicationDate(_ lines: [String], dated allowDated: Bool = true, impossible: inout String?) -> String? {
        for (index, line) in lines.enumerated() {
            let labelled = line.includes("日期") || line.includes("发布时间")
            let dated = allowDated && index < 12 && line.includes("年")
            guard labelled || dated else { continue }
            let range = NSRange(line.startIndex..., in: line)
            let match = (labelled ? labelledDate.firstMatch(in: line, range: range) : nil)
                ?? (dated ? datedLine.firstMatch(in: line, range: range) : nil)
            guard let match else { continue }
            let parts = (1...3).compactMap { Range(match.range(at: $0), in: line).flatMap { Int(line[$0]) } }
            // A day no calendar has (2022-13-45, 4月31日) is no date: the next line that prints one is read.
            if parts.count == 3, isCalendarDate(parts[0], parts[1], parts[2]) { return isoDate(parts[0], parts[1], parts[2]) }
            if parts.count == 3, impossible == nil, let printed = Range(match.range, in: line) { impossible = String(line[printed]) }
        }
        return nil
    }

    /// Whether the day exists (Gregorian: February 29 in leap years only).
    static func isCalendarDate(_ year: Int, _ month: Int, _ day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// "2020-01-05": `String(format: "%04d-%02d-%02d")` without Foundation's formatter (the parts are at most 4 digits).
    static func isoDate(_ year: Int, _ month: Int, _ day: Int) -> String {
        func padded(_ number: Int, _ width: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    static let maximumSectionBytes = 24_000
    static let maximumLastSectionBytes = 4_000

    /// The prose of each section, by number, from its heading to the next one.
    static func narrativeSections(_ blocks: [ContentBlock]) -> [Int: String] {
        var sections: [Int: [String]] = [:]
        var current: Int?
        var lastSectionBytes = 0
        for block in blocks {
            switch block {
            case let .heading(number, _):
                current = number
                sections[number, default: []] = sections[number] ?? []
            case let .text(text):
                guard let current else { continue }
                if current == 6 {
                    lastSectionBytes += text.utf8.count
                    if lastSectionBytes > maximumLastSectionBytes { continue }
                }
                sections[current, default: []].append(text)
            case .row:
                continue
            }
        }
        // A section is never longer than this; past it is page furniture after the article (navigation,
        // footer), which HTML pages print after section 六.
        return sections.mapValues { lines in
            var text = ""
            // Section 六 is the last: what follows it on a web page is the site's footer and navigation.
            let limit = maximumSectionBytes
            for line in lines {
                if text.utf8.count + line.utf8.count > limit { break }
                text += text.isEmpty ? line : "\n" + line
            }
            return text
        }
    }
}
