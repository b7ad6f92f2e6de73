/// How a document's content is laid out, which decides the extractor.
public enum DocumentKind: String, Sendable, Codable {
    case html, text, markdown, pdf
    /// A Word document (`.docx`, or `.doc`/`.wps`/`.rtf` converted): the decoded bytes are its `word/document.xml`.
    case docx
    /// A scanned document read by OCR: the decoded bytes are an HTML page made from it (``OCRReader``).
    case scan
}

/// A document as text. Output of the *decode* stage.
public struct DecodedDocument: Sendable {
    public var source: SourceDocument
    public var kind: DocumentKind
    /// The content as UTF-8 bytes (what libxml2 is handed).
    public var utf8: [UInt8]
    /// The iconv name the bytes were decoded from, e.g. `GB18030`.
    public var encoding: String
    public var evidence: EncodingDetector.Evidence
    /// Recoverable decoding problems (bytes that were not valid in the chosen encoding).
    public var findings: [Finding]
    /// For a scan: the OCR confidence of each table cell's text (``OCRGate`` accepts figures with it).
    public var ocrConfidences: [String: Double]? = nil
    /// Pages read by OCR (each adds `limits.ocr_page_seconds` to the document's budget).
    public var ocrPages = 0
    /// The prose too was read by OCR (a scanned PDF; not a web page whose tables are pictures): the title, agency
    /// and year are readings, not text.
    public var proseFromOCR = false

    public var text: String { String(decoding: utf8, as: UTF8.self) }
}
