import Foundation
import NianbaoHTML

/// Expands `{"urls": FILE}` and `{"index": URL}` sources into report URLs.
///
/// A URL list has one URL per line, or tab-separated `URL, agency, year` (blank lines and `#` comments are
/// skipped). Index pages are read by ``IndexDiscovery``.
struct URLSourceLister {
    let fetcher: Fetcher
    let decoder: Decoder

    func readList(_ path: String) throws -> [SourceItem] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NianbaoError.configuration(key: "sources", message: "cannot read the URL list \(path)")
        }
        var items: [SourceItem] = []
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let url = fields.first, !url.isEmpty, !url.hasPrefix("#") else { continue }
            let agency = fields.count > 1 && !fields[1].isEmpty ? fields[1] : nil
            let year = fields.count > 2 ? Int(fields[2]) : nil
            items.append(SourceItem(.url(URLNormalizer.normalize(url)), agencyHint: agency, yearHint: year))
        }
        return items
    }
}
