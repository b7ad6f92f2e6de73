import Foundation

/// A file of corrections (`nianbao correct --file FILE`): what a team reviewing reports keeps under version
/// control, applied to any database — again and again, since a line already applied changes nothing.
///
/// Tab-separated lines `agency, year, cell, action, reason[, author]`, where the action is a figure, `confirm` or
/// `withdraw`; `#` starts a comment; one line per cell. Every line is checked as `nianbao correct` checks one (the
/// report and cell exist, a count is a whole number ≥ 0, a reason is given); one refused line refuses the file,
/// nothing applied. A line already in force — the same figure, a confirmation confirmed, a withdrawal with nothing
/// left to withdraw — is "unchanged".
///
/// ```
/// # agency            year   cell                          action    reason                      author
/// 平潭综合实验区        2019   active.licensing.decisions    353       read from the scan by hand   li
/// 西阳县人民政府        2024   requests.new.total            confirm   checked against the PDF      wang
/// ```
public struct CorrectionsFile {
    public struct Line: Equatable, Sendable {
        public var number: Int
        public var agency: String
        public var year: Int
        public var cell: String
        public var action: Corrections.Action
        public var reason: String
        public var author: String?
    }

    public let lines: [Line]

    /// Parses the file's text; throws ``NianbaoError/refused(_:)`` naming every malformed line.
    public init(text: String) throws {
        var lines: [Line] = [], problems: [String] = []
        // "\r\n" is one Character in Swift, never equal to "\n": a file saved on Windows is split on it too.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).enumerated() {
            let content = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !content.isEmpty, !content.hasPrefix("#") else { continue }
            let fields = raw.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard fields.count >= 5, fields.count <= 6 else {
                problems.append("line \(index + 1): expected agency, year, cell, action, reason[, author] separated by tabs (\(fields.count) fields)")
                continue
            }
            guard let year = Int(fields[1]) else { problems.append("line \(index + 1): \"\(fields[1])\" is not a year"); continue }
            let action: Corrections.Action
            switch fields[3].lowercased() {
            case "confirm": action = .confirm
            case "withdraw": action = .withdraw
            default:
                guard let figure = Double(fields[3]), figure.isFinite else {
                    problems.append("line \(index + 1): the action \"\(fields[3])\" is not a figure, confirm or withdraw")
                    continue
                }
                action = .correct(figure)
            }
            lines.append(Line(number: index + 1, agency: fields[0], year: year, cell: fields[2], action: action, reason: fields[4],
                              author: fields.count == 6 && !fields[5].isEmpty ? fields[5] : nil))
        }
        // One action per cell: a file says what each cell should be, so that applying it twice changes nothing.
        var first: [String: Int] = [:]
        for line in lines {
            let key = "\(line.agency)\t\(line.year)\t\(line.cell)"
            if let earlier = first[key] {
                problems.append("line \(line.number): \(line.cell) of \(line.agency) \(line.year) is already given on line \(earlier); give one action per cell")
            } else {
                first[key] = line.number
            }
        }
        guard problems.isEmpty else { throw NianbaoError.refused(problems.joined(separator: "\n")) }
        self.lines = lines
    }

    /// Applies every line in one transaction and re-validates once; returns a message per line and the
    /// re-validation of the reports touched. Nothing is applied when a line is refused.
    public func apply(to corrections: Corrections, defaultAuthor: String) throws -> [String] {
        var messages: [String] = [], touched: [Int64] = []
        try corrections.connection.transaction {
            var problems: [String] = []
            for line in lines {
                do {
                    let (message, report) = try corrections.recordOnly(agency: line.agency, year: line.year, cell: line.cell, action: line.action,
                                                                       reason: line.reason, author: line.author ?? defaultAuthor,
                                                                       alreadyWithdrawn: true)
                    messages.append("line \(line.number): \(message)")
                    if let report, !touched.contains(report) { touched.append(report) }
                } catch let error as NianbaoError {
                    problems.append("line \(line.number): \(error)")
                }
            }
            guard problems.isEmpty else { throw NianbaoError.refused("nothing applied:\n" + problems.joined(separator: "\n")) }
        }
        let checks = try CorrectionCheck.refresh(on: corrections.connection)
        for report in touched {
            let name = try corrections.connection.query("SELECT agency || ' ' || year FROM reports_canonical WHERE id = ?", [.integer(report)])
                .first?.first?.text ?? "report \(report)"
            messages.append(name + ":" + Corrections.revalidation(of: report, checks: checks).replacingOccurrences(of: "\n", with: " "))
        }
        return messages
    }
}
