import Foundation
import NianbaoHTML

/// Expands `{"urls": FILE}` and `{"index": URL}` sources into report URLs.
///
/// A URL list has one URL per line, or tab-separated `URL, agency, year` (blank lines and `#` comments are
/// skipped). An index page is fetched (through the cache, like any document) and its same-site links whose
/// text matches `fetch.link_pattern` are taken as reports; pagination links ("下一页", page numbers) are
/// followed up to `fetch.max_index_pages`.
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

    static let nextPageWords: Set<String> = ["下一页", "下页", "后页", "后一页", "下一頁", "next", ">", "»"]

    /// What an index source gave.
    struct Discovery {
        var items: [SourceItem] = []
        /// Index pages that could not be read.
        var failures: [DocumentOutcome] = []
        var pagesRead = 0
        /// The index pages read without error (a failure recorded for one of them earlier is obsolete).
        var pages: [String] = []
        /// More pagination was linked than `fetch.max_index_pages` allowed to follow.
        var paginationCut = false
    }

    /// Report URLs found from an index page, and the failures of index pages that could not be read.
    /// - Parameter limits: each page's budget, and the run's cancellation (which stops discovery at once).
    func discover(_ index: String, limits: @autoclosure () -> WorkLimits = .none) throws -> Discovery {
        let pattern = try? NSRegularExpression(pattern: fetcher.options.linkPattern)
        var queue = [URLNormalizer.normalize(index)]
        var visited: Set<String> = []
        var reports: [String] = []
        var seenReports: Set<String> = []
        var discovery = Discovery()
        while let page = queue.first, visited.count < fetcher.options.maxIndexPages {
            queue.removeFirst()
            guard visited.insert(page).inserted, let pageURL = URL(string: page) else { continue }
            let links: [HTMLLink]
            do {
                let fetched = try fetcher.fetch(page, limits: limits())
                links = HTMLLinkReader.links(utf8: try decoder.decode(fetched.document).utf8)
                discovery.pagesRead += 1
                discovery.pages.append(page)
            } catch let error as CancelledError {
                throw error
            } catch {
                let failure = (error as? StageFailure) ?? StageFailure(stage: .fetch, reason: "\(error)")
                discovery.failures.append(.failed(DocumentInfo(source: page, sha256: "", size: 0), failure))
                continue
            }
            for link in links {
                // Raw Chinese or spaces in an href are encoded first, so that the link resolves at all.
                guard let target = URL(string: URLNormalizer.canonicalEscapes(link.href, keep: "/?#[]"), relativeTo: pageURL)?.absoluteURL,
                      let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https",
                      target.host?.lowercased() == pageURL.host?.lowercased() else { continue }
                let address = URLNormalizer.normalize(target.absoluteString)
                let text = link.text.trimmingCharacters(in: .whitespaces)
                let range = NSRange(text.startIndex..., in: text)
                if pattern?.firstMatch(in: text, range: range) != nil {
                    if seenReports.insert(address).inserted { reports.append(address) }
                } else if Self.isPagination(text), !visited.contains(address), !queue.contains(address) {
                    queue.append(address)
                }
            }
        }
        discovery.paginationCut = queue.contains { !visited.contains($0) }
        discovery.items = reports.map { SourceItem(.url($0)) }
        return discovery
    }

    static func isPagination(_ text: String) -> Bool {
        let folded = text.lowercased().filter { !$0.isWhitespace && !"[]【】()（）".contains($0) }
        if nextPageWords.contains(folded) { return true }
        if folded.count <= 3, folded.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        return folded.hasPrefix("第") && folded.hasSuffix("页")
    }
}
