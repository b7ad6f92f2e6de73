/// An element's part in the reading order, read from its name's bytes.
///
/// The SAX reader sees every element of a page once, by name (a NUL-terminated, lower-cased UTF-8 string from
/// libxml2's dictionary). Building a Swift `String` and looking it up in a `Dictionary` cost more per element
/// than libxml2's parsing of it, so names are packed into an integer and found in a small open-addressing table.
enum ElementTag: UInt8 {
    case inline, block, lineBreak, table, title, skipped
    /// `td` or `th`: a block in running text, a cell in a data table.
    case cell
    /// `tr`: a block in running text, a row in a data table.
    case row
    /// `caption`: a block in running text, left out of a data table.
    case caption
    /// `style`: skipped, its rules read for the classes they hide (``StyleSheetHiding``).
    case styleSheet

    enum Role { case block, inline, lineBreak, table, title, skipped }

    var role: Role {
        switch self {
        case .inline: return .inline
        case .block, .cell, .row, .caption: return .block
        case .lineBreak: return .lineBreak
        case .table: return .table
        case .title: return .title
        case .skipped, .styleSheet: return .skipped
        }
    }

    /// The tag of an element named `name` (as libxml2 stores it: lower case, NUL-terminated).
    static func of(_ name: UnsafePointer<UInt8>) -> ElementTag {
        var packed: UInt64 = 0
        var length = 0
        while length < 8 {
            let byte = name[length]
            if byte == 0 { break }
            packed |= UInt64(byte) << UInt64(8 * length)
            length += 1
        }
        if length == 8, name[8] != 0 {
            // The two names longer than eight letters that have a role; every other long name is inline.
            return matches(name, longBlockquote) || matches(name, longFigcaption) ? .block : .inline
        }
        var slot = slot(of: packed)
        while true {
            let entry = slots[slot]
            if entry.key == packed { return entry.tag }
            if entry.key == 0 { return .inline }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// The names that are not inline, with their tags: the reading order of pages as the extractor has always read
    /// them. `<sup>` holds footnote marks ("2318<sup>2</sup>", "规章<sup>1</sup>"), never a figure or a label's part;
    /// `<sub>` neither. Struck-through text (`<del>`, `<strike>`, `<s>`) is a figure taken back ("<del>289</del>284"
    /// read 289284).
    static let names: [(String, ElementTag)] =
        [("table", .table), ("br", .lineBreak), ("hr", .lineBreak), ("title", .title)]
        + [("style", .styleSheet)]
        + ["script", "noscript", "template", "iframe", "object", "select", "textarea", "svg", "sup", "sub",
           "del", "strike", "s"]
            .map { ($0, ElementTag.skipped) }
        + [("td", .cell), ("th", .cell), ("tr", .row), ("caption", .caption)]
        + ["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
           "header", "footer", "nav", "aside", "main", "blockquote", "pre", "center", "form", "tbody", "thead", "tfoot",
           "body", "html", "address", "figure", "figcaption"].map { ($0, ElementTag.block) }

    private static let longBlockquote = Array("blockquote\0".utf8)
    private static let longFigcaption = Array("figcaption\0".utf8)

    private static func matches(_ name: UnsafePointer<UInt8>, _ expected: [UInt8]) -> Bool {
        for index in expected.indices where name[index] != expected[index] { return false }
        return true
    }

    @inline(__always) private static func slot(of packed: UInt64) -> Int {
        Int(truncatingIfNeeded: (packed &* 0x9E37_79B9_7F4A_7C15) >> 57)   // 128 slots
    }

    /// Names of up to eight bytes packed little-endian; a zero key marks an empty slot.
    private static let slots: [(key: UInt64, tag: ElementTag)] = {
        var table = [(key: UInt64, tag: ElementTag)](repeating: (0, .inline), count: 128)
        for (name, tag) in names where name.utf8.count <= 8 {
            var packed: UInt64 = 0
            for (index, byte) in name.utf8.enumerated() { packed |= UInt64(byte) << UInt64(8 * index) }
            var slot = slot(of: packed)
            while table[slot].key != 0 { slot = (slot + 1) & 127 }
            table[slot] = (packed, tag)
        }
        return table
    }()
}
