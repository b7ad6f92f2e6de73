import Foundation
import Logging
import NianbaoHTML

/// Reads an index page (a 政府信息公开年报 column) and its pagination into report URLs, as real CMS list pages
/// are built.
///
/// - A link is a report when its text **or its `title` attribute** matches `fetch.link_pattern` (CMSs cut the
///   text with "…" and keep the whole title in the attribute).
/// - The index itself, its other pages, and links up the site's tree (breadcrumbs: "首页 > 政府信息公开 > 年报")
///   are never reports, whatever their text says.
/// - Pagination is followed through links ("下一页", page numbers) and through the script calls of the common
///   government CMSs: `createPageHTML(total, current, "index", "html")` (TRS WCM) lists `index.html`,
///   `index_1.html` … `index_{total−1}.html`.
/// - Reports on the same host are taken; with `fetch.sibling_hosts`, also on hosts of the same registrable
///   domain (`www.` and `xxgk.` of one `*.gov.cn`).
/// - Up to `fetch.max_index_pages` pages; when pagination goes on past it, the summary says so. With `--verbose`
///   every page read and every link taken or skipped is logged with the reason.
struct IndexDiscovery {
    let fetcher: Fetcher
    let decoder: Decoder
    let logger: Logger

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

    static let nextPageWords: Set<String> = ["下一页", "下页", "后页", "后一页", "下一頁", "尾页", "末页", "next", ">", "»", ">>"]

    /// Report URLs found from an index page, and the failures of index pages that could not be read.
    /// - Parameter limits: each page's budget, and the run's cancellation (which stops discovery at once).
    func discover(_ index: String, limits: @autoclosure () -> WorkLimits = .none) throws -> Discovery {
        let pattern = try? NSRegularExpression(pattern: fetcher.options.linkPattern)
        let start = URLNormalizer.normalize(index)
        var queue = [start]
        var queued: Set<String> = [URLNormalizer.identity(start)]
        var visited: Set<String> = []
        var reports: [String] = []
        var seenReports: Set<String> = []
        var discovery = Discovery()
        func enqueue(_ address: String, because reason: String) {
            guard queued.insert(URLNormalizer.identity(address)).inserted else { return }
            queue.append(address)
            logger.debug("index: page \(address) queued (\(reason))")
        }
        while let page = queue.first, visited.count < fetcher.options.maxIndexPages {
            queue.removeFirst()
            guard visited.insert(URLNormalizer.identity(page)).inserted, let pageURL = URL(string: page) else { continue }
            let body: [UInt8]
            do {
                let fetched = try fetcher.fetch(page, limits: limits())
                body = try decoder.decode(fetched.document).utf8
                discovery.pagesRead += 1
                discovery.pages.append(page)
            } catch let error as CancelledError {
                throw error
            } catch {
                let failure = (error as? StageFailure) ?? StageFailure(stage: .fetch, reason: "\(error)")
                logger.debug("index: page \(page) failed: \(failure)")
                discovery.failures.append(.failed(DocumentInfo(source: page, sha256: "", size: 0), failure))
                continue
            }
            let links = HTMLLinkReader.links(utf8: body)
            logger.debug("index: page \(page) read, \(links.count) links")
            for link in links {
                // Raw Chinese or spaces in an href are encoded first, so that the link resolves at all.
                guard let target = URL(string: URLNormalizer.canonicalEscapes(link.href, keep: "/?#[]"), relativeTo: pageURL)?.absoluteURL,
                      let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
                    logger.debug("index: skipped \(link.href): not an http(s) link")
                    continue
                }
                let address = URLNormalizer.normalize(target.absoluteString)
                let text = link.text.trimmingCharacters(in: .whitespaces)
                guard isSameSite(target, as: pageURL) else {
                    logger.debug("index: skipped \(address) (\"\(text)\"): another site")
                    continue
                }
                if Self.isPagination(text) {
                    if target.host?.lowercased() == pageURL.host?.lowercased() { enqueue(address, because: "pagination \"\(text)\"") }
                    continue
                }
                if queued.contains(URLNormalizer.identity(address)) || isUpTheTree(address, from: start) {
                    logger.debug("index: skipped \(address) (\"\(text)\"): the index itself, one of its pages, or a breadcrumb")
                    continue
                }
                guard matches(pattern, text) || matches(pattern, link.title) else {
                    logger.debug("index: skipped \(address) (\"\(text)\"): text and title do not match fetch.link_pattern")
                    continue
                }
                if seenReports.insert(URLNormalizer.identity(address)).inserted {
                    reports.append(address)
                    logger.debug("index: report \(address) (\"\(link.title.isEmpty ? text : link.title)\")")
                }
            }
            for next in Self.scriptPages(in: body, of: pageURL) { enqueue(next, because: "createPageHTML") }
        }
        // Reports listed before a later page turned out to be the report list's own page are no reports.
        reports.removeAll { queued.contains(URLNormalizer.identity($0)) }
        discovery.paginationCut = queue.contains { !visited.contains(URLNormalizer.identity($0)) }
        discovery.items = reports.map { SourceItem(.url($0)) }
        return discovery
    }

    private func matches(_ pattern: NSRegularExpression?, _ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        return pattern?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Same host; or, with `fetch.sibling_hosts`, a host of the same registrable domain.
    private func isSameSite(_ target: URL, as page: URL) -> Bool {
        let host = target.host?.lowercased() ?? "", pageHost = page.host?.lowercased() ?? ""
        if host == pageHost { return true }
        return fetcher.options.siblingHosts && Self.registrableDomain(host) == Self.registrableDomain(pageHost)
    }

    /// `pingtan.gov.cn` for `www.pingtan.gov.cn` and `xxgk.pingtan.gov.cn`: three labels under the two-level
    /// public suffixes China's sites use, two under the others.
    static func registrableDomain(_ host: String) -> String {
        let labels = host.split(separator: ".")
        let secondLevel = ["gov.cn", "com.cn", "org.cn", "edu.cn", "net.cn", "ac.cn"].contains(labels.suffix(2).joined(separator: "."))
        return labels.suffix(secondLevel ? 3 : 2).joined(separator: ".")
    }

    /// A link to the index's own folder or above it (a breadcrumb, the site's home), on the index's host.
    private func isUpTheTree(_ address: String, from index: String) -> Bool {
        guard let target = URLComponents(string: address), let start = URLComponents(string: index),
              target.host == start.host, target.query == nil else { return false }
        let startFolder = start.path.hasSuffix("/") ? start.path : (start.path as NSString).deletingLastPathComponent + "/"
        // Folders only (an index page counts as its folder): the site's home, the index's own folder, its parents.
        var path = target.path
        if let slash = path.lastIndex(of: "/"), URLNormalizer.indexPages.contains(path[path.index(after: slash)...].lowercased()) {
            path = String(path[...slash])
        }
        return path.isEmpty || (path.hasSuffix("/") && startFolder.hasPrefix(path))
    }

    static func isPagination(_ text: String) -> Bool {
        let folded = text.lowercased().filter { !$0.isWhitespace && !"[]【】()（）".contains($0) }
        if nextPageWords.contains(folded) { return true }
        // A page number; a link with no text (an image, an icon) is not one.
        if !folded.isEmpty, folded.count <= 3, folded.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        return folded.hasPrefix("第") && folded.hasSuffix("页")
    }

    /// Pages a TRS-style script writes: `createPageHTML(total, current, "index", "html")` → `index.html`,
    /// `index_1.html` … `index_{total−1}.html` beside the page.
    static func scriptPages(in body: [UInt8], of page: URL) -> [String] {
        let text = String(decoding: body, as: UTF8.self)
        guard let call = try? NSRegularExpression(pattern: #"createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?\d+['"]?\s*,\s*['"]([^'"]+)['"]\s*,\s*['"]([A-Za-z]+)['"]"#),
              let match = call.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let totalRange = Range(match.range(at: 1), in: text), let nameRange = Range(match.range(at: 2), in: text),
              let extensionRange = Range(match.range(at: 3), in: text), let total = Int(text[totalRange]) else { return [] }
        let name = String(text[nameRange]), suffix = String(text[extensionRange])
        return (0..<min(total, 1000)).compactMap { number in
            URL(string: number == 0 ? "\(name).\(suffix)" : "\(name)_\(number).\(suffix)", relativeTo: page)
                .map { URLNormalizer.normalize($0.absoluteString) }
        }
    }
}
