import Foundation
import NianbaoHTML

/// Pages that publish their report as an attachment (附件): the article is a title, a date and a link to a
/// `.pdf`, `.doc`, `.docx`, `.wps` or `.rtf` file.
///
/// When a fetched HTML page has no template table but links such a file, the file is fetched (through the same
/// cache, politeness and limits) and read as the report; the page gives the agency, title and publication date,
/// the attachment the tables, and both addresses are recorded (`reports.attachment`, `tables_from`). When the
/// page has its tables, they win and the attachment is only recorded. The link chosen is the one whose text,
/// title or file name looks like the report (`fetch.link_pattern`), else one marked 附件, else the only one.
extension DocumentProcessor {
    static let attachmentExtensions = ["pdf", "docx", "doc", "wps", "rtf"]

    /// Attachment links of a page, the likeliest first.
    static func attachments(of page: [UInt8], at pageURL: URL, pattern: NSRegularExpression?) -> [String] {
        var scored: [(score: Int, order: Int, url: String)] = []
        for (order, link) in HTMLLinkReader.links(utf8: page).enumerated() {
            guard let target = URL(string: URLNormalizer.canonicalEscapes(link.href, keep: "/?#[]"), relativeTo: pageURL)?.absoluteURL,
                  let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  attachmentExtensions.contains(target.pathExtension.lowercased()) else { continue }
            let name = target.lastPathComponent.removingPercentEncoding ?? target.lastPathComponent
            let words = [link.text, link.title, name]
            var score = 0
            if words.contains(where: { text in pattern?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }) { score += 2 }
            if words.contains(where: { $0.contains("附件") }) { score += 1 }
            scored.append((score, order, URLNormalizer.normalize(target.absoluteString)))
        }
        var seen = Set<String>()
        return scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.order < $1.order }.map(\.url).filter { seen.insert($0).inserted }
    }

    /// The page's outcome, with its attachment followed (no tables) or recorded (tables of its own).
    func followAttachment(_ outcome: DocumentOutcome, page: SourceDocument, url: String, fetcher: Fetcher, limits: WorkLimits,
                          hints: MetadataHints) -> DocumentOutcome {
        guard Decoder.kind(of: page) == .html, WordReader.format(of: page.bytes) == nil, !page.bytes.starts(with: Array("%PDF-".utf8)),
              let pageURL = URL(string: url), let decoded = try? decoder.decode(page, limits: limits) else { return outcome }
        let pattern = try? NSRegularExpression(pattern: fetcher.options.linkPattern)
        let candidates = Self.attachments(of: decoded.utf8, at: pageURL, pattern: pattern)
        guard let attachment = candidates.first else {
            // No attachment: the tables may be pictures on the page.
            if case let .failed(info, failure, _) = outcome, failure.stage == .normalize,
               let read = readImageTables(of: info, page: decoded, pageURL: pageURL, fetcher: fetcher, limits: limits, hints: hints) {
                return read
            }
            return outcome
        }
        switch outcome {
        case .report(var info, let report):
            info.attachment = attachment
            return .report(info, report)
        case let .failed(info, failure, _) where failure.stage == .normalize:
            return readAttachment(attachment, of: info, page: decoded, fetcher: fetcher, limits: limits, hints: hints)
        default:
            return outcome
        }
    }

    private func readAttachment(_ attachment: String, of pageInfo: DocumentInfo, page: DecodedDocument, fetcher: Fetcher,
                                limits: WorkLimits, hints: MetadataHints) -> DocumentOutcome {
        var info = pageInfo
        info.attachment = attachment
        info.tablesFrom = .attachment
        let fetched: Fetcher.Fetched
        do {
            fetched = try clock.measure(.fetch) { try fetcher.fetch(attachment, limits: limits) }
        } catch is CancelledError {
            return .cancelled(info)
        } catch {
            let reason = (error as? StageFailure)?.reason ?? "\(error)"
            return .failed(info, StageFailure(stage: .fetch, reason: "the page has no table; its attachment \(attachment) could not be fetched: \(reason)"))
        }
        // One identity for the page and its attachment: a change of either is a change of the report.
        info.sha256 = SHA256.hex(Array((pageInfo.sha256 + fetched.document.sha256).utf8))
        info.size = pageInfo.size + fetched.document.size
        info.bodies[attachment] = fetched.document.sha256
        if isUnchanged(info) { return .unchanged(info) }
        // The page says who and when; the attachment holds the tables.
        let pageMetadata = (try? extractor.extract(page)).map(MetadataReader.read)
        let merged = MetadataHints(agency: hints.agency ?? pageMetadata?.agency, year: hints.year ?? pageMetadata?.year)
        var attachmentInfo = info
        switch process(fetched.document, info: &attachmentInfo, limits: limits, hints: merged) {
        case .report(var read, var report):
            if let title = pageMetadata?.title { report.metadata.title = title }
            if let date = pageMetadata?.publishedOn { report.metadata.publishedOn = date }
            if let agency = pageMetadata?.agency, hints.agency == nil { report.metadata.agency = agency }
            read.attachment = attachment
            read.tablesFrom = .attachment
            return .report(read, report)
        case let .failed(_, failure, _):
            return .failed(info, StageFailure(stage: failure.stage, reason: "the page has no table; its attachment \(attachment): \(failure.reason)"))
        case let other:
            return other
        }
    }
}
