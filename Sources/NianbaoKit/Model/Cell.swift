/// What a published cell held, beyond its number.
public enum CellState: String, Sendable, Codable {
    /// A figure was read.
    case number
    /// The cell is empty (publishers usually mean 0).
    case blank
    /// "/", "—", "-", "无" and the like.
    case na
    /// Something that is not a figure; the raw text is kept.
    case text
}

/// One canonical cell `(table, row, col)` of a report, with the text it was read from.
///
/// ```swift
/// Cell(table: .requests, row: "new", col: "total", value: 481, state: .number, raw: "481")
/// ```
public struct Cell: Sendable, Equatable {
    public var table: TableCode
    public var row: String
    public var col: String
    /// The number, in the schema's unit (money in 万元); nil unless `state == .number`.
    public var value: Double?
    public var state: CellState
    /// The published text of the cell, before any folding.
    public var raw: String
    /// Set when the value was recovered by inference rather than read.
    public var inferred: Bool
    /// A note printed inside the cell, e.g. "其中修订16件" from "22（其中修订16件）".
    public var note: String?
    /// Read by OCR from a scan, with this confidence (0–100): kept only where an identity proves it (``OCRGate``).
    public var ocrConfidence: Double?
    /// Where in the document the figure was read (stored as `cells.source_position`).
    public var origin: SourcePosition?

    public init(table: TableCode, row: String, col: String, value: Double?, state: CellState, raw: String,
                inferred: Bool = false, note: String? = nil) {
        self.table = table
        self.row = row
        self.col = col
        self.value = value
        self.state = state
        self.raw = raw
        self.inferred = inferred
        self.note = note
    }

    /// Flags stored with the cell in the database, comma-separated (`inferred`, `ocr`, `note`).
    public var flags: String {
        // Most cells have none: no array built and joined for each of a report's cells as the writer stores them.
        if !inferred && ocrConfidence == nil && note == nil { return "" }
        var parts: [String] = []
        if inferred { parts.append("inferred") }
        if ocrConfidence != nil { parts.append("ocr") }
        if note != nil { parts.append("note") }
        return parts.joined(separator: ",")
    }
}
