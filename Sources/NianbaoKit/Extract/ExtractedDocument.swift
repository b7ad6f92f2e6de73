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
    /// The lines of a text document's prose blocks, by block index (a table printed run together is prose).
    public var textOrigins: [Int: SourcePosition] = [:]

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
    public var cells: [RowCell] {
        didSet { joinedText = Self.joined(cells) }
    }
    /// Which table of the document the row belongs to (HTML and markdown tables); nil for loose text lines.
    public var tableIndex: Int?
    /// Where the row was read (table and grid row, or text line and page).
    public var origin: SourcePosition?

    public init(cells: [RowCell], tableIndex: Int? = nil, origin: SourcePosition? = nil) {
        self.cells = cells
        joinedText = Self.joined(cells)
        self.tableIndex = tableIndex
        self.origin = origin
    }

    public init(texts: [String], tableIndex: Int? = nil, origin: SourcePosition? = nil) {
        self.init(cells: texts.enumerated().map { RowCell(text: $1, column: $0 + 1) }, tableIndex: tableIndex, origin: origin)
    }

    /// The row's text with cells separated by a space, for messages and keyword checks: kept with the cells (the
    /// metadata, the legacy-format check and the table attribution each asked for it on every row of a page).
    public private(set) var joinedText: String

    /// The filled cells' texts, a space apart (appended to one String: `joined(separator:)` over a mapped, filtered
    /// array cost 8 k instructions a row).
    private static func joined(_ cells: [RowCell]) -> String {
        var text = ""
        for cell in cells where !cell.text.isEmpty {
            if !text.isEmpty { text += " " }
            text += cell.text
        }
        return text
    }
}

/// A cell of a ``TableRow``.
public struct RowCell: Sendable, Equatable {
    public var text: String
    /// The cell continues a `rowspan` from a row above: its label applies here, its figure does not.
    public var isRowSpanCopy: Bool
    /// The grid column the cell starts in (1-based), or its place among a text line's cells.
    public var column: Int?
    /// How many grid columns the cell covers (`colspan`), so that a header cell names every column under it.
    public var span: Int
    /// How many grid rows the cell covers from here (`rowspan`; 1 in the rows it is copied into): a figure merged
    /// over rows is not one row's figure.
    public var rowSpan: Int

    public init(text: String, isRowSpanCopy: Bool = false, column: Int? = nil, span: Int = 1, rowSpan: Int = 1) {
        self.text = text
        self.isRowSpanCopy = isRowSpanCopy
        self.column = column
        self.span = span
        self.rowSpan = rowSpan
    }
}

/// Where a figure was read in its document, for an analyst to find it again: the table of the page (HTML, Word,
/// markdown, a scan's rebuilt table) with its grid row and column, or the text line (a PDF's page and line on that
/// page). A figure read from a table printed run together carries the lines of the whole table.
///
/// ```swift
/// SourcePosition(table: 2, row: 5, column: 3).description   // "table 2, row 5, column 3"
/// SourcePosition(line: 4, page: 2).description               // "page 2, line 4"
/// ```
public struct SourcePosition: Sendable, Equatable, CustomStringConvertible {
    /// 1-based, in reading order.
    public var table: Int?
    public var row: Int?
    public var column: Int?
    public var line: Int?
    /// The last line of a span (a table printed run together).
    public var lastLine: Int?
    public var page: Int?

    public init(table: Int? = nil, row: Int? = nil, column: Int? = nil, line: Int? = nil, lastLine: Int? = nil, page: Int? = nil) {
        self.table = table
        self.row = row
        self.column = column
        self.line = line
        self.lastLine = lastLine
        self.page = page
    }

    public var description: String {
        // Written for every stored cell on the single writer's thread: the digits and words put into one byte buffer
        // (interpolated parts joined were a fifth of the writer's instructions, Strings appended a tenth).
        var text: [UInt8] = []
        text.reserveCapacity(40)
        func part(_ name: StaticString, _ value: Int) {
            if !text.isEmpty { text += [0x2C, 0x20] }   // ", "
            text.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            text.appendDecimal(value)
        }
        if let page { part("page ", page) }
        if let table { part("table ", table) }
        if let row { part("row ", row) }
        if let line {
            if let lastLine, lastLine != line {
                part("lines ", line)
                text += [0xE2, 0x80, 0x93]   // "–"
                text.appendDecimal(lastLine)
            } else {
                part("line ", line)
            }
        }
        if let column { part("column ", column) }
        return String(decoding: text, as: UTF8.self)
    }

    /// Where rows read as one text came from: their lines (on the first one's page), or their table.
    static func span(_ positions: [SourcePosition]) -> SourcePosition? {
        guard let first = positions.first else { return nil }
        if first.line != nil { return first.through(positions.last(where: { $0.page == first.page })) }
        guard let table = first.table, positions.allSatisfy({ $0.table == table }) else { return nil }
        return SourcePosition(table: table)
    }

    /// The span from this row's line to another's (a table's rows read together).
    func through(_ other: SourcePosition?) -> SourcePosition {
        guard let first = line, let last = other?.lastLine ?? other?.line, other?.page == page else { return self }
        var span = self
        span.lastLine = max(first, last)
        span.column = nil
        return span
    }
}
