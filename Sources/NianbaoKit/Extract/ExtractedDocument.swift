/// A document's content in reading order: headings, prose and table rows. Output of the *extract* stage.
///
/// HTML and text reports end up in this one shape, so that normalization does not care where a row came
/// from: an HTML table row with its spans laid out, a tab-separated line, a markdown row, or a line of
/// space-aligned text.
public struct ExtractedDocument: Sendable {
    public var decoded: DecodedDocument
    public var title: String?
    public var blocks: [ContentBlock]
    /// Problems found while extracting (libxml2 cuts and the like).
    public var findings: [Finding]

    public init(decoded: DecodedDocument, title: String?, blocks: [ContentBlock], findings: [Finding] = []) {
        self.decoded = decoded
        self.title = title
        self.blocks = blocks
        self.findings = findings
    }

    /// All rows, in order.
    public var rows: [TableRow] {
        blocks.compactMap { if case let .row(row) = $0 { return row } else { return nil } }
    }
}

/// One item of a document in reading order.
public enum ContentBlock: Sendable, Equatable {
    /// A section heading 一…六 recognized by ``SectionHeadings``.
    case heading(number: Int, text: String)
    /// A line of prose.
    case text(String)
    /// A row of a table.
    case row(TableRow)
}

/// A table row as cells of text.
public struct TableRow: Sendable, Equatable {
    public var cells: [RowCell]
    /// Which table of the document the row belongs to (HTML and markdown tables); nil for loose text lines.
    public var tableIndex: Int?

    public init(cells: [RowCell], tableIndex: Int? = nil) {
        self.cells = cells
        self.tableIndex = tableIndex
    }

    public init(texts: [String], tableIndex: Int? = nil) {
        self.init(cells: texts.map { RowCell(text: $0) }, tableIndex: tableIndex)
    }

    /// The row's text with cells separated by a space, for messages and keyword checks.
    public var joinedText: String { cells.map(\.text).filter { !$0.isEmpty }.joined(separator: " ") }
}

/// A cell of a ``TableRow``.
public struct RowCell: Sendable, Equatable {
    public var text: String
    /// The cell continues a `rowspan` from a row above: its label applies here, its figure does not.
    public var isRowSpanCopy: Bool

    public init(text: String, isRowSpanCopy: Bool = false) {
        self.text = text
        self.isRowSpanCopy = isRowSpanCopy
    }
}
