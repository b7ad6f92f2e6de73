import Foundation

/// A manifest that gives the agency and year of local files whose reports do not say them (`"hints": FILE`).
///
/// Tab-separated lines `path or glob, agency, year` (either of the last two may be empty; `#` starts a comment).
/// A path is relative to the configuration's folder or absolute; a glob matches the file's path (`*` does not
/// cross `/`). The first matching line applies. URL lists carry the same two columns for URLs.
///
/// The rule when a hint and the report disagree: the report's own agency and year are kept — they are what was
/// published — and a `metadata.hint_conflict` warning names both; a hint fills only what the report lacks.
///
/// ```
/// # path or glob          agency              year
/// scans/2019/*.pdf        驻马店市人民政府       2019
/// misc/report-final.html  平潭综合实验区         2024
/// ```
public struct HintManifest: Sendable {
    struct Entry: Sendable {
        var pattern: String
        var agency: String?
        var year: Int?
    }

    private var entries: [Entry] = []

    public init() {}

    public static func load(path: String, baseDirectory: URL) throws -> HintManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NianbaoError.configuration(key: "hints", message: "cannot read \(path)")
        }
        var manifest = HintManifest()
        for (number, line) in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let pattern = fields.first, !pattern.isEmpty, !pattern.hasPrefix("#") else { continue }
            let year = fields.count > 2 && !fields[2].isEmpty ? Int(fields[2]) : nil
            if fields.count > 2, !fields[2].isEmpty, year == nil {
                throw NianbaoError.configuration(key: "hints", message: "\(path) line \(number + 1): the year \"\(fields[2])\" is not a number")
            }
            let absolute = pattern.hasPrefix("/") ? pattern : baseDirectory.appendingPathComponent(pattern).path
            manifest.entries.append(Entry(pattern: (absolute as NSString).standardizingPath,
                                          agency: fields.count > 1 && !fields[1].isEmpty ? fields[1] : nil, year: year))
        }
        return manifest
    }

    /// The agency and year the manifest gives for a file, if a line matches it.
    public func hints(for path: String) -> (agency: String?, year: Int?)? {
        let standardized = (path as NSString).standardizingPath
        guard let entry = entries.first(where: { $0.pattern == standardized || fnmatch($0.pattern, standardized, FNM_PATHNAME) == 0 })
        else { return nil }
        return (entry.agency, entry.year)
    }
}
