/// What the HTML extractor needs from a page, as plain Swift values that outlive the libxml2 document.
///
/// The outline keeps the page's reading order: runs of text (paragraphs, headings, list items) and data
/// tables interleaved as they appear, so that a table can be attributed to the section heading before it.
/// Layout tables (tables that contain other tables) are flattened into the flow.
public struct HTMLOutline: Sendable, Equatable {
    /// Text of the `<title>` element, whitespace-collapsed.
    public var title: String
    /// Text lines and data tables in document order.
    public var blocks: [HTMLBlock]
    /// Problems libxml2 reported that may have cut content (depth limit, huge text nodes, bad bytes).
    public var problems: [HTMLParseProblem]

    public init(title: String = "", blocks: [HTMLBlock] = [], problems: [HTMLParseProblem] = []) {
        self.title = title
        self.blocks = blocks
        self.problems = problems
    }
}

/// One item of an ``HTMLOutline``.
public enum HTMLBlock: Sendable, Equatable {
    /// A line of running text (a paragraph, heading, list item or a `<br>`-separated line).
    case text(String)
    /// A data table: a table that contains no other table.
    case table(HTMLTable)
}

/// A data table as published: rows of cells with their spans, not yet laid out on a grid.
public struct HTMLTable: Sendable, Equatable {
    public var rows: [[HTMLCell]]
    public init(rows: [[HTMLCell]]) { self.rows = rows }
}

/// A `<td>`/`<th>` cell: its text with fragments from `<p>`, `<span>` and `<br>` joined, and its spans.
public struct HTMLCell: Sendable, Equatable {
    /// Text fragments of the cell; a `<p>`/`<br>`/`<div>` boundary starts a new fragment.
    public var fragments: [String]
    public var rowSpan: Int
    public var colSpan: Int

    public init(fragments: [String], rowSpan: Int = 1, colSpan: Int = 1) {
        self.fragments = fragments
        self.rowSpan = rowSpan
        self.colSpan = colSpan
    }

    /// The fragments joined without separator: Word splits one label across several paragraphs
    /// ("三、本" / "年度办" / "理结果"), and CJK text needs no space between them. Between a digit and a digit
    /// the boundary stays a space: "2863" / "12" on two lines are two figures, never 286312.
    public var text: String {
        guard fragments.count > 1 else { return fragments.first ?? "" }
        var joined = ""
        for fragment in fragments {
            if let last = joined.utf8.last, last >= 0x30 && last <= 0x39,
               let first = fragment.utf8.first, first >= 0x30 && first <= 0x39 {
                joined += " "
            }
            joined += fragment
        }
        return joined
    }
}

/// A libxml2 error that can mean content was silently dropped.
public struct HTMLParseProblem: Sendable, Equatable {
    /// libxml2's `xmlParserErrors` code.
    public var code: Int
    public var message: String
    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }
}
