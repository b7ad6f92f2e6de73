import Foundation

/// Reads the title, agency, reporting year, publication date and narrative sections of a report.
///
/// The title line is the first one that names a 政府信息公开（工作）年度报告 with a year; the agency is what
/// precedes the year on that line, or the short line just above it when the title starts with the year
/// (PDFs print the agency on a line of its own).
enum MetadataReader {
    static func read(_ document: ExtractedDocument) -> ReportMetadata {
        var metadata = ReportMetadata()
        var lines: [String] = []
        for block in document.blocks.prefix(80) {
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
            if index + 1 < lines.count, lines[index + 1].count <= 12, LabelFolding.fold(lines[index + 1]).hasSuffix("年度报告") {
                candidates.append((line + lines[index + 1], index > 0 ? lines[index - 1] : nil))
            }
        }
        for candidate in candidates {
            guard let parsed = parseTitle(candidate.line, previous: candidate.previous) else { continue }
            metadata.title = parsed.title
            metadata.year = parsed.year
            metadata.agency = parsed.agency
            break
        }
        if metadata.year == nil { metadata.year = statisticsYear(lines) }
        metadata.publishedOn = publicationDate(lines)
        metadata.sections = narrativeSections(document.blocks)
        return metadata
    }

    private static let titleExpression = try! NSRegularExpression(
        pattern: #"^(.*?)((?:19|20)\d{2})\s*年\s*度?\s*(?:的)?\s*(?:政府信息公开|政务公开|信息公开)"#)

    /// "2025 年上海市人民政府办公厅政府信息公开工作年度报告": the year first, then the agency.
    private static let yearFirstExpression = try! NSRegularExpression(
        pattern: #"^((?:19|20)\d{2})\s*年\s*度?\s*(\S.*?)\s*(?:政府信息公开|政务公开)"#)

    static func parseTitle(_ rawLine: String, previous: String?) -> (title: String, agency: String?, year: Int)? {
        var line = trimmedText(rawLine.replacingOccurrences(of: "#", with: ""))
        for prefix in ["标题:", "标题：", "题目:", "题目："] where line.hasPrefix(prefix) {
            line = trimmedText(String(line.dropFirst(prefix.count)))
        }
        let folded = LabelFolding.fold(line)
        guard folded.contains("年度报告") || folded.contains("年报"), folded.count <= 60 else { return nil }
        let range = NSRange(line.startIndex..., in: line)
        if let match = yearFirstExpression.firstMatch(in: line, range: range),
           let yearRange = Range(match.range(at: 1), in: line), let year = Int(line[yearRange]),
           let agencyRange = Range(match.range(at: 2), in: line) {
            let agency = String(line[agencyRange]).filter { !$0.isWhitespace }
            return (line, agency.isEmpty ? nil : agency, year)
        }
        guard let match = titleExpression.firstMatch(in: line, range: range),
              let agencyRange = Range(match.range(at: 1), in: line), let yearRange = Range(match.range(at: 2), in: line),
              let year = Int(line[yearRange]) else { return nil }
        var agency = trimmedText(String(line[agencyRange])).filter { !$0.isWhitespace }
        if agency.isEmpty, let previous {
            let candidate = trimmedText(previous.replacingOccurrences(of: "#", with: ""))
            if !candidate.isEmpty, candidate.count <= 30, !candidate.contains("。"), !candidate.contains("：") {
                agency = candidate.filter { !$0.isWhitespace }
            }
        }
        let title = agency.isEmpty || line.hasPrefix(agency) ? line : agency + line
        return (title, agency.isEmpty ? nil : agency, year)
    }

    /// "统计期限自2019年1月1日起…" gives the reporting year when no title does.
    static func statisticsYear(_ lines: [String]) -> Int? {
        let expression = try! NSRegularExpression(pattern: #"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"#)
        for line in lines {
            let range = NSRange(line.startIndex..., in: line)
            if let match = expression.firstMatch(in: line, range: range), let yearRange = Range(match.range(at: 1), in: line) {
                return Int(line[yearRange])
            }
        }
        return nil
    }

    /// "发布时间: 2020-01-20 15:22", or a dated line such as "(2026年1月23日)" near the top.
    static func publicationDate(_ lines: [String]) -> String? {
        let labelled = try! NSRegularExpression(pattern: #"(?:发布时间|发布日期|成文日期|日期)\s*[:：]\s*((?:19|20)\d{2})[-/.年]\s*(\d{1,2})[-/.月]\s*(\d{1,2})"#)
        let dated = try! NSRegularExpression(pattern: #"^[(（]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]?$"#)
        for (index, line) in lines.enumerated() {
            let range = NSRange(line.startIndex..., in: line)
            let match = labelled.firstMatch(in: line, range: range) ?? (index < 12 ? dated.firstMatch(in: line, range: range) : nil)
            guard let match else { continue }
            let parts = (1...3).compactMap { Range(match.range(at: $0), in: line).flatMap { Int(line[$0]) } }
            if parts.count == 3 { return String(format: "%04d-%02d-%02d", parts[0], parts[1], parts[2]) }
        }
        return nil
    }

    /// The prose of each section, by number, from its heading to the next one.
    static func narrativeSections(_ blocks: [ContentBlock]) -> [Int: String] {
        var sections: [Int: [String]] = [:]
        var current: Int?
        for block in blocks {
            switch block {
            case let .heading(number, _):
                current = number
                sections[number, default: []] = sections[number] ?? []
            case let .text(text):
                if let current { sections[current, default: []].append(text) }
            case .row:
                continue
            }
        }
        return sections.mapValues { $0.joined(separator: "\n") }
    }
}
