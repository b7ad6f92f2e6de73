import Foundation

/// Reads scanned reports: image-only PDFs, whose pages poppler's `pdftoppm` renders, and page images.
///
/// Each page is deskewed and despeckled; its ruled tables are found from their lines (``TableLineDetector``) and
/// every cell is read on its own by Tesseract (a cell at a time is far more exact than a page with its rules);
/// the bands of the page between tables (headings, prose) are read as blocks of lines. The result is an HTML
/// page — paragraphs and tables with their merged cells — that enters the same extract and normalize path as a
/// web page, with the confidence of every table cell's text for ``OCRGate``.
public struct OCRReader: Sendable {
    var tesseract = Tesseract()
    public var pdftoppm = "pdftoppm"
    /// Rendering resolution of PDF pages.
    public var dpi = 300
    /// Pages read at most (a report is a few pages; a 300-page scan is not one).
    public var maxPages = 30
    /// Where readings are kept by the scan's SHA-256, so that a document is read by OCR once (nil: not kept).
    public var cacheDirectory: String?
    /// Seconds each page adds to the document's time budget (`limits.ocr_page_seconds`).
    public var pageSeconds: Double = 20

    public init(tesseract: String = "tesseract", pdftoppm: String = "pdftoppm", language: String = "chi_sim", dpi: Int = 300) {
        self.tesseract = Tesseract(executable: tesseract, language: language, dpi: dpi)
        self.pdftoppm = pdftoppm
        self.dpi = dpi
    }

    public struct Result: Sendable, Codable {
        public var html: String
        /// The lowest OCR confidence (0–100) with which each table cell text was read, by the text.
        public var confidences: [String: Double]
        public var pages: Int
    }

    /// An image-only PDF, page by page; from the cache when this scan was read before with these settings.
    public func read(pdf: [UInt8], limits: WorkLimits) throws -> Result {
        let key = SHA256.hex(pdf) + "-\(dpi)-\(tesseract.language)-\(Self.version)"
        if let cached = cached(key) { return cached }
        let result = try render(pdf: pdf, limits: limits)
        store(result, key: key)
        return result
    }

    /// Bumped when the reading changes, so that cached readings of an older reader are not used.
    static let version = "ocr3"

    private func cached(_ key: String) -> Result? {
        guard let directory = cacheDirectory,
              let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(key + ".json")) else { return nil }
        return try? JSONDecoder().decode(Result.self, from: data)
    }

    private func store(_ result: Result, key: String) {
        guard let directory = cacheDirectory, let data = try? JSONEncoder().encode(result) else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(key + ".json")
        let temporary = path + ".tmp-\(getpid())"
        if FileManager.default.createFile(atPath: temporary, contents: data) { _ = rename(temporary, path) }
    }

    private func render(pdf: [UInt8], limits: WorkLimits) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nianbao-pages-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            _ = try Subprocess.run(pdftoppm, ["-r", String(dpi), "-gray", "-l", String(maxPages), "-", folder.appendingPathComponent("page").path],
                                   input: pdf, limits: .init(seconds: min(limits.remaining, 600), maxOutput: 1 << 20,
                                                             cancellation: limits.cancellation, memoryBytes: 2 << 30))
        } catch let failure as Subprocess.Failure {
            switch failure {
            case .notFound, .exited(status: 126, _), .exited(status: 127, _):
                throw StageFailure(stage: .decode, reason: "a scanned PDF, and \(pdftoppm) is not installed (Debian package poppler-utils)")
            case let .timedOut(seconds):
                throw StageFailure(stage: .decode, reason: String(format: "rendering the scanned pages was stopped after %.0f s: the document's time budget ran out (limits.document_seconds, plus limits.ocr_page_seconds for each scanned page)", seconds))
            default:
                throw StageFailure(stage: .decode, reason: "the scanned PDF's pages could not be rendered: \(failure)")
            }
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".pgm") }
            .sorted { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }
        guard !names.isEmpty else { throw StageFailure(stage: .decode, reason: "the scanned PDF has no page that could be rendered") }
        var pages: [GrayImage] = []
        for name in names {
            guard let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
            pages.append(try GrayImage(pgm: [UInt8](bytes)))
        }
        return try read(pages: pages, limits: limits)
    }

    /// Images of a page (PNG, JPEG, GIF, BMP, TIFF), each read as a page; converted to gray pixels by netpbm.
    /// Images smaller than a printed page at 300 dpi are enlarged (Tesseract reads 20–30 pixel characters best).
    public func read(images: [[UInt8]], limits documentLimits: WorkLimits) throws -> [Result] {
        // Every image is a page of the budget: each reading below adds its own, the others are added here.
        var limits = documentLimits
        limits.deadline = limits.deadline.addingTimeInterval(pageSeconds * Double(max(0, images.count - 1)))
        return try images.map { bytes in
            var image = try Self.grayPixels(of: bytes, limits: limits)
            while image.width < 1600, image.width > 0 { image = image.doubled() }
            return try read(pages: [image], limits: limits)
        }
    }

    static func grayPixels(of image: [UInt8], limits: WorkLimits) throws -> GrayImage {
        func run(_ tool: String, _ input: [UInt8]) throws -> [UInt8] {
            do {
                return try Subprocess.run(tool, [], input: input, limits: .init(seconds: min(limits.remaining, 120), maxOutput: 400_000_000,
                                                                                 cancellation: limits.cancellation, memoryBytes: 2 << 30)).stdout
            } catch let failure as Subprocess.Failure {
                switch failure {
                case .notFound, .exited(status: 126, _), .exited(status: 127, _):
                    throw StageFailure(stage: .decode, reason: "a report printed as images, and \(tool) is not installed (Debian package netpbm)")
                default:
                    throw StageFailure(stage: .decode, reason: "the image could not be read (\(tool): \(failure))")
                }
            }
        }
        return try GrayImage(pgm: try run("ppmtopgm", try run("anytopnm", image)))
    }

    /// Page images, in order, each with ``pageSeconds`` more of the document's budget.
    func read(pages: [GrayImage], limits documentLimits: WorkLimits) throws -> Result {
        var limits = documentLimits
        limits.deadline = limits.deadline.addingTimeInterval(pageSeconds * Double(pages.count))
        var html = "<html><head><meta charset=\"utf-8\"></head><body>\n"
        var confidences: [String: Double] = [:]
        for (number, page) in pages.enumerated() {
            try limits.cancellation?.check()
            if limits.remaining <= 0 {
                throw StageFailure(stage: .decode, reason: "OCR was stopped before page \(number + 1) of \(pages.count): the document's time budget ran out (limits.document_seconds, plus limits.ocr_page_seconds for each scanned page)")
            }
            let layout = try readPage(page, limits: limits)
            html += layout.html
            confidences.merge(layout.confidences) { min($0, $1) }
        }
        return Result(html: html + "</body></html>\n", confidences: confidences, pages: pages.count)
    }

    private func readPage(_ original: GrayImage, limits: WorkLimits) throws -> (html: String, confidences: [String: Double]) {
        let angle = original.skewAngle()
        let page = (abs(angle) >= 0.2 ? original.rotated(by: angle) : original).despeckled()
        let tables = TableLineDetector(image: page).tables().sorted { $0.frame.y < $1.frame.y }
        // Bands of the page outside the tables, read as prose.
        var bands: [GrayImage.Rect] = []
        var top = 0
        for table in tables {
            if table.frame.y - top > 10 { bands.append(.init(x: 0, y: top, width: page.width, height: table.frame.y - top)) }
            top = table.frame.maxY + 1
        }
        if page.height - top > 10 { bands.append(.init(x: 0, y: top, width: page.width, height: page.height - top)) }
        bands = bands.filter { page.inkCount(in: $0) > 50 }
        // Cells: one line each, unless the cell holds several lines of text (a wrapped or vertical label). A narrow
        // cell with one line (a figure in a row whose label wraps) is a line too, so that the figure reading checks it.
        let cells = tables.flatMap { $0.cells }.filter { page.inkCount(in: $0.frame) >= 15 }
        let tall = cells.filter { page.textLines(in: $0.frame) >= 2 }
        let line = cells.filter { cell in !tall.contains(cell) }
        let lineReadings = try tesseract.read(line.map { page.textPGM(of: $0.frame) }, layout: .line, limits: limits)
        let blockReadings = try tesseract.read(tall.map { page.textPGM(of: $0.frame) } + bands.map { page.pgm(of: $0) }, layout: .block, limits: limits)
        var text: [GrayImage.Rect: Tesseract.Reading] = [:]
        for (cell, reading) in zip(line, lineReadings) { text[cell.frame] = reading }
        for (cell, reading) in zip(tall, blockReadings) { text[cell.frame] = reading }
        // A lone figure ("0") read as nothing in a line: read again as a single word.
        let unread = line.filter { text[$0.frame]?.text.isEmpty ?? true }
        for (cell, reading) in zip(unread, try tesseract.read(unread.map { page.textPGM(of: $0.frame) }, layout: .word, limits: limits)) {
            text[cell.frame] = reading
        }
        // Cells that are not labels are read again as figures; the figure reading wins where it is one.
        let figureCells = line.filter { cell in (text[cell.frame]?.text ?? "").filter { !$0.isASCII }.count < 2 }
        let figureReadings = try tesseract.read(figureCells.map { page.textPGM(of: $0.frame) }, layout: .line, figures: true, limits: limits)
        for (cell, figure) in zip(figureCells, figureReadings) {
            text[cell.frame] = Self.choose(text[cell.frame] ?? .init(text: "", confidence: nil), figure)
        }
        let bandReadings = Array(blockReadings.dropFirst(tall.count))

        var pieces: [(y: Int, html: String)] = []
        var confidences: [String: Double] = [:]
        for (band, reading) in zip(bands, bandReadings) {
            let paragraphs = reading.text.split(separator: "\n").map { "<p>\(Self.escape(String($0)))</p>\n" }.joined()
            pieces.append((band.y, paragraphs))
        }
        for table in tables {
            var rows = Array(repeating: "", count: table.rows)
            for cell in table.cells {
                let reading = text[cell.frame]
                var content = Self.cellText(reading?.text ?? "")
                // Ink the engine read as nothing: not a blank cell, an unreadable one (abstained downstream).
                if content.isEmpty, page.inkCount(in: cell.frame) >= 15 { content = "\u{FFFD}" }
                if let confidence = reading?.confidence, !content.isEmpty {
                    confidences[content] = min(confidences[content] ?? 100, confidence)
                }
                let spans = (cell.rowSpan > 1 ? " rowspan=\"\(cell.rowSpan)\"" : "") + (cell.columnSpan > 1 ? " colspan=\"\(cell.columnSpan)\"" : "")
                rows[cell.row] += "<td\(spans)>\(Self.escape(content))</td>"
            }
            pieces.append((table.frame.y, "<table>\n" + rows.map { "<tr>\($0)</tr>\n" }.joined() + "</table>\n"))
        }
        return (pieces.sorted { $0.y < $1.y }.map(\.html).joined(), confidences)
    }

    /// Of a cell's two readings, the figure reading where it is a figure; where the Chinese model read a
    /// different figure, the cell is in doubt (confidence at most 50, so ``OCRGate`` needs an identity to take it),
    /// and where it read no figure, at most 80 (below what ``OCRGate`` keeps without an identity).
    static func choose(_ general: Tesseract.Reading, _ figure: Tesseract.Reading) -> Tesseract.Reading {
        let candidate = figure.text.replacingOccurrences(of: " ", with: "")
        guard isFigure(candidate) else { return general }
        let other = general.text.replacingOccurrences(of: " ", with: "")
        if other == candidate { return Tesseract.Reading(text: candidate, confidence: max(general.confidence ?? 0, figure.confidence ?? 0)) }
        // Only two readings that agree are trusted alone (``OCRGate`` keeps a cell no identity covers at 90).
        let doubt = isFigure(other) ? 50.0 : 80.0
        return Tesseract.Reading(text: candidate, confidence: min(figure.confidence ?? 0, doubt))
    }

    static func isFigure(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII && (first.isNumber || first == "+" || first == "-") else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isNumber || ".,+-".contains($0)) } && text.contains(where: \.isNumber)
    }

    /// A cell's lines joined: without a space between Chinese characters, with one between figures. The
    /// brackets of a label's marker, which the engine reads as 〈《 or (, are made （）; a marker it could not
    /// read at all ("(CA)" for （六）) is dropped — the words after it name the row.
    static func cellText(_ text: String) -> String {
        var joined = text.split(separator: "\n").map { trimmedText(String($0)) }.reduce("") { joined, line in
            guard let last = joined.last, let first = line.first else { return joined + line }
            return joined + ((last.isASCII && first.isASCII) ? " " : "") + line
        }
        guard joined.contains(where: { !$0.isASCII }) else { return joined }
        for (from, to) in [("〈", "（"), ("《", "（"), ("〉", "）"), ("》", "）")] { joined = joined.replacingOccurrences(of: from, with: to) }
        let characters = Array(joined)
        if let open = characters.first, "(（".contains(open),
           let close = characters.prefix(5).firstIndex(where: { ")）".contains($0) }), close > 1 {
            let inside = String(characters[1..<close])
            if !inside.allSatisfy({ "一二三四五六七八九十".contains($0) }), close + 1 < characters.count, !characters[close + 1].isASCII {
                joined = String(characters[(close + 1)...])
            }
        }
        return joined
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}


