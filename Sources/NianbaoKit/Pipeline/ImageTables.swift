import Foundation

/// Pages whose tables are pictures: the article is the report's text with its three tables pasted in as images
/// (`<img>`), as some agencies publish a scan or a screenshot.
///
/// When a fetched HTML page has no template table and no attachment, its images (PNG, JPEG, GIF, BMP, TIFF) are
/// fetched through the same cache, politeness and limits, read by OCR (``OCRReader``), and put back where each
/// `<img>` stood; the page then goes through extract and normalize as one document, whose figures ``OCRGate``
/// keeps only where the identities prove them. The first image is recorded as `reports.attachment`, with
/// `tables_from = images`; the page and its images together are the document's identity.
extension DocumentProcessor {
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff"]
    /// Images fetched at most for one page, and the smallest that can hold a table (smaller ones are icons).
    static let maximumImages = 20
    static let minimumImageBytes = 3_000

    private static let imageTag = try! NSRegularExpression(
        pattern: #"<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>"#, options: [.caseInsensitive])

    /// The `<img>` tags of a page whose source is an image file, with their resolved addresses, in page order.
    static func images(in html: String, at page: URL) -> [(tag: NSRange, url: String)] {
        var found: [(NSRange, String)] = []
        for match in imageTag.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let source = (1...3).compactMap { Range(match.range(at: $0), in: html).map { String(html[$0]) } }.first ?? ""
            guard let target = URL(string: URLNormalizer.canonicalEscapes(source.replacingOccurrences(of: "&amp;", with: "&"), keep: "/?#[]"),
                                   relativeTo: page)?.absoluteURL,
                  let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  imageExtensions.contains(target.pathExtension.lowercased()) else { continue }
            found.append((match.range, URLNormalizer.normalize(target.absoluteString)))
        }
        return found
    }

    /// The page read with its images in place of its tables, or nil when it has no image to read.
    func readImageTables(of pageInfo: DocumentInfo, page: DecodedDocument, pageURL: URL, fetcher: Fetcher, limits: WorkLimits,
                         hints: MetadataHints) -> DocumentOutcome? {
        guard let ocr = decoder.ocr else { return nil }
        let html = page.text
        let tags = Self.images(in: html, at: pageURL).prefix(Self.maximumImages)
        guard !tags.isEmpty else { return nil }
        var info = pageInfo
        info.tablesFrom = .images
        info.attachment = tags.first?.url
        var images: [(tag: NSRange, bytes: [UInt8], sha256: String)] = []
        var unread: [Finding] = []
        for (tag, url) in tags {
            do {
                let fetched = try clock.measure(.fetch) { try fetcher.fetch(url, limits: limits) }
                guard fetched.document.size >= Self.minimumImageBytes else { continue }
                images.append((tag, fetched.document.bytes, fetched.document.sha256))
            } catch is CancelledError {
                return .cancelled(info)
            } catch {
                // A broken picture (a logo gone) is not the report's; a table lost with it shows as a missing table.
                let reason = (error as? StageFailure)?.reason ?? "\(error)"
                unread.append(Finding(rule: .ocrImageUnread, severity: .warning, message: "the page's image \(url) could not be fetched: \(reason)"))
            }
        }
        guard !images.isEmpty else { return nil }
        for (tag, url) in tags { if let image = images.first(where: { $0.tag == tag }) { info.bodies[url] = image.sha256 } }
        info.attachment = tags.first { tag in images.contains { $0.tag == tag.tag } }?.url
        info.sha256 = SHA256.hex(Array(([pageInfo.sha256] + images.map(\.sha256)).joined(separator: "+").utf8))
        info.size = pageInfo.size + images.reduce(0) { $0 + $1.bytes.count }
        if isUnchanged(info) { return .unchanged(info) }
        let readings: [OCRReader.Result]
        do {
            readings = try clock.measure(.decode) { try ocr.read(images: images.map(\.bytes), limits: limits) }
        } catch is CancelledError {
            return .cancelled(info)
        } catch {
            let failure = (error as? StageFailure) ?? StageFailure(stage: .decode, reason: "\(error)")
            return .failed(info, StageFailure(stage: failure.stage, reason: "the page's tables are images: \(failure.reason)"))
        }
        // Each image's reading where the image stood (from the end, so earlier ranges stay valid).
        var combined = html as NSString
        var confidences: [String: Double] = [:]
        for (image, reading) in zip(images, readings).reversed() {
            combined = combined.replacingCharacters(in: image.tag, with: Self.body(of: reading.html)) as NSString
            confidences.merge(reading.confidences) { min($0, $1) }
        }
        var decoded = page
        decoded.kind = .scan
        decoded.utf8 = Array((combined as String).utf8)
        decoded.ocrConfidences = confidences
        decoded.ocrPages = readings.count
        decoded.findings += unread
        return process(decoded: decoded, info: &info, limits: limits, hints: hints)
    }

    /// What is between `<body>` and `</body>` of the reader's page.
    static func body(of html: String) -> String {
        guard let start = html.range(of: "<body>"), let end = html.range(of: "</body>", options: .backwards) else { return html }
        return String(html[start.upperBound..<end.lowerBound])
    }
}
