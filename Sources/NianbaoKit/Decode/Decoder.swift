import Foundation

/// The *decode* stage: raw bytes in, UTF-8 text and its document kind out.
///
/// Fails for empty and binary files, which are not reports; everything else decodes, with bad byte
/// sequences replaced and reported as a `decode.invalid_bytes` finding.
public struct Decoder: Sendable {
    public var detector: EncodingDetector
    /// How a PDF is turned into text; nil when no PDF reader is configured.
    public var pdfText: (@Sendable (SourceDocument, WorkLimits) throws -> [UInt8])?
    /// Word documents (`.docx` natively, `.doc`/`.wps`/`.rtf` through LibreOffice).
    public var word = WordReader()
    /// Scanned PDFs (no text layer); nil when OCR is off (`decode.ocr`).
    public var ocr: OCRReader?

    public init(fallbackEncoding: String = "GB18030", pdfText: (@Sendable (SourceDocument, WorkLimits) throws -> [UInt8])? = nil) {
        self.detector = EncodingDetector(fallback: fallbackEncoding)
        self.pdfText = pdfText
    }

    public func decode(_ document: SourceDocument, limits: WorkLimits = .none) throws -> DecodedDocument {
        let bytes = document.bytes
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw StageFailure(stage: .decode, reason: "empty document (\(bytes.count) bytes, no content)")
        }
        if bytes.starts(with: Array("%PDF-".utf8)) {
            guard let pdfText else {
                throw StageFailure(stage: .decode, reason: "PDF document, and no PDF text reader is configured")
            }
            let text = try pdfText(document, limits)
            if Self.hasTextLayer(text) { return try decodeText(document, bytes: text, kind: .pdf, forcedEncoding: "UTF-8") }
            guard let ocr else {
                throw StageFailure(stage: .decode, reason: "PDF without a text layer (scanned pages), and OCR is off (decode.ocr)")
            }
            let scan = try ocr.read(pdf: bytes, limits: limits)
            var decoded = try decodeText(document, bytes: Array(scan.html.utf8), kind: .scan, forcedEncoding: "UTF-8")
            decoded.ocrConfidences = scan.confidences
            decoded.ocrPages = scan.pages
            decoded.proseFromOCR = true
            return decoded
        }
        if let format = WordReader.format(of: bytes) {
            let docx = format == .docx ? bytes : try word.convertToDOCX(bytes, format: format, limits: limits)
            let xml = try word.documentXML(ofDOCX: docx)
            return try decodeText(document, bytes: xml, kind: .docx, forcedEncoding: "UTF-8")
        }
        if Self.looksBinary(bytes) {
            throw StageFailure(stage: .decode, reason: "binary content (control bytes in the first 4 KB): not a text, HTML, PDF or Word report")
        }
        return try decodeText(document, bytes: bytes, kind: Self.kind(of: document), forcedEncoding: nil)
    }

    /// A PDF's text layer holds the report only if it has some text (a scan's pages are images).
    static func hasTextLayer(_ text: [UInt8]) -> Bool {
        String(decoding: text, as: UTF8.self).unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "\u{0C}" }.count >= 20
    }

    private func decodeText(_ document: SourceDocument, bytes: [UInt8], kind: DocumentKind,
                            forcedEncoding: String?) throws -> DecodedDocument {
        let detected = forcedEncoding.map { ($0, EncodingDetector.Evidence.declared, 0, false) }
            ?? detector.detection(bytes, declared: document.declaredCharset)
        let payload = detected.2 > 0 ? Array(bytes.dropFirst(detected.2)) : bytes
        let converted: IconvConverter.Result
        do {
            // UTF-8 the detector found valid throughout is taken as it is (not checked byte by byte again).
            converted = detected.0 == "UTF-8" && detected.3 && detected.2 == 0
                ? IconvConverter.Result(utf8: payload, replacedBytes: 0)
                : try IconvConverter.toUTF8(payload, from: detected.0)
        } catch {
            throw StageFailure(stage: .decode, reason: "the C library cannot decode \(detected.0)")
        }
        var findings: [Finding] = []
        if converted.replacedBytes > 0 {
            findings.append(Finding(rule: .decodeInvalidBytes, severity: .warning, actual: Double(converted.replacedBytes),
                                    message: "\(converted.replacedBytes) bytes were not valid \(detected.0) and were replaced by U+FFFD"))
        }
        let (utf8, controls) = Self.markControlBytes(converted.utf8)
        if controls > 0 {
            findings.append(Finding(rule: .decodeInvalidBytes, severity: .warning, actual: Double(controls),
                                    message: "\(controls) control bytes (NUL and the like) were replaced by U+FFFD; a figure they touch is not read"))
        }
        return DecodedDocument(source: document, kind: kind, utf8: utf8, encoding: detected.0,
                               evidence: detected.1, findings: findings)
    }

    /// C0 control bytes other than tab, line feed, carriage return and form feed become U+FFFD, counted: they
    /// must neither vanish (`1\0 24` read as 124) nor cut the text (SQLite, libxml2), and a figure cell they
    /// fall in is abstained by the normalize stage.
    static func markControlBytes(_ utf8: [UInt8]) -> ([UInt8], Int) {
        func isControl(_ byte: UInt8) -> Bool { byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C }
        // Eight bytes at a time past words without a byte below 0x20 (most of a page; line ends send a word to the
        // byte check).
        let found = utf8.withUnsafeBytes { raw -> Int? in
            var at = 0
            while at < raw.count {
                if at + 8 <= raw.count {
                    let word = raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                    if (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080 == 0 {
                        at += 8
                        continue
                    }
                }
                let end = min(at + 8, raw.count)
                while at < end {
                    if isControl(raw[at]) { return at }
                    at += 1
                }
            }
            return nil
        }
        guard let first = found else { return (utf8, 0) }
        var output = Array(utf8[..<first])
        output.reserveCapacity(utf8.count + 16)
        var count = 0
        for byte in utf8[first...] {
            if isControl(byte) {
                output += [0xEF, 0xBF, 0xBD]
                count += 1
            } else {
                output.append(byte)
            }
        }
        return (output, count)
    }

    /// NUL or many C0 control bytes (other than tab, newline, CR, form feed, escape) mean binary data.
    /// UTF-16 with a BOM is exempt.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return false }
        let head = bytes.prefix(4096)
        var control = 0
        for byte in head {
            if byte == 0 { return true }
            if byte < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D, 0x1B].contains(byte) { control += 1 }
        }
        return control * 20 > head.count
    }

    /// The kind from the file name, corrected by a look at the content (an HTML page saved as .txt).
    static func kind(of document: SourceDocument) -> DocumentKind {
        let name = document.source.lowercased()
        if [".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"].contains(where: { name.hasSuffix($0) }) {
            return .html
        }
        // Only a name that does not say so has its head looked at (lowercased and searched through Foundation).
        let head = String(decoding: document.bytes.prefix(1024), as: UTF8.self).lowercased()
        let looksHTML = head.contains("<html") || head.contains("<!doctype html") || head.contains("<table")
            || head.contains("<body") || head.contains("<meta")
        if looksHTML { return .html }
        if name.hasSuffix(".md") || name.hasSuffix(".markdown") { return .markdown }
        // Markdown saved as .txt or served as text/plain: decided by its pipe tables, not by its name.
        return looksMarkdown(document.bytes) ? .markdown : .text
    }

    /// Pipe-table rows (`| … | … |`) with a separator row (`|---|`), or many of them: markdown.
    static func looksMarkdown(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes.prefix(200_000), as: UTF8.self)
        var pipeRows = 0
        var separator = false
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("|"), trimmed.filter({ $0 == "|" }).count >= 3 else { continue }
            pipeRows += 1
            if trimmed.allSatisfy({ "|-: ".contains($0) }) && trimmed.contains("---") { separator = true }
        }
        return (separator && pipeRows >= 3) || pipeRows >= 10
    }
}
