import CLibXML2

/// A table's subtree as it arrived, kept until the table ends.
///
/// Whether a table is data or layout (a table holding another table, whose cells are read as running text) is
/// known only at its end, so the SAX reader records everything inside an outermost table: elements and text in
/// document order (pre-order), each element with the index just past its subtree. This is the one part of a page
/// kept in memory, as flat arrays (no node is allocated on its own).
struct RecordedTable {
    struct Node {
        enum Kind: UInt8 { case element, text, cdata }
        var kind: Kind
        var tag: ElementTag = .inline
        /// Elements: whether a table element holds another table; cells: whether the cell is hidden; other
        /// elements: whether their text is hidden or raised (``InlineHiding``).
        var containsTable = false
        var hidden = false
        var rowSpan: UInt16 = 1
        var colSpan: UInt16 = 1
        /// Index just past the node's subtree (text nodes: the next index).
        var end: Int32 = 0
        /// Text nodes: their bytes in ``RecordedTable/text``.
        var textStart: Int32 = 0
        var textEnd: Int32 = 0
    }

    private(set) var nodes: [Node] = []
    private(set) var text: [UInt8] = []
    private var open: [Int] = []
    private var openTables: [Int] = []
    private var lastWasText = false

    var isEmpty: Bool { nodes.isEmpty }

    mutating func removeAll() {
        nodes.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        openTables.removeAll(keepingCapacity: true)
        lastWasText = false
    }

    mutating func open(_ tag: ElementTag, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, hiddenClasses: Set<[UInt8]> = []) {
        var node = Node(kind: .element, tag: tag)
        if tag == .table {
            if let enclosing = openTables.last { nodes[enclosing].containsTable = true }
            openTables.append(nodes.count)
        } else if tag == .cell {
            Self.readCellAttributes(attributes, into: &node)
        } else if tag == .row {
            // A row not shown (`hidden`, `display:none`) is not read: its figures were stored over the shown row's.
            node.hidden = Self.hidesRow(attributes) || Self.hasClass(attributes, in: hiddenClasses)
        } else {
            node.hidden = Self.hidesText(attributes) || Self.hasClass(attributes, in: hiddenClasses)
        }
        open.append(nodes.count)
        nodes.append(node)
        lastWasText = false
    }

    /// Ends the innermost open element. Returns true when that was the outermost table.
    mutating func close() -> Bool {
        let index = open.removeLast()
        nodes[index].end = Int32(nodes.count)
        if nodes[index].tag == .table { openTables.removeLast() }
        lastWasText = false
        return open.isEmpty
    }

    mutating func append(_ piece: UnsafeBufferPointer<UInt8>, cdata: Bool) {
        let kind: Node.Kind = cdata ? .cdata : .text
        if lastWasText, nodes[nodes.count - 1].kind == kind {
            text.append(contentsOf: piece)
            nodes[nodes.count - 1].textEnd = Int32(text.count)
            return
        }
        let start = Int32(text.count)
        text.append(contentsOf: piece)
        nodes.append(Node(kind: kind, end: Int32(nodes.count + 1), textStart: start, textEnd: Int32(text.count)))
        lastWasText = true
    }

    /// Calls `body` with the index of each child of the element at `parent`.
    @inline(__always) func forEachChild(of parent: Int, _ body: (Int) -> Void) {
        var child = parent + 1
        let end = Int(nodes[parent].end)
        while child < end {
            body(child)
            child = Int(nodes[child].end)
        }
    }

    func withText<Result>(of index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let node = nodes[index]
        return text.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(node.textStart)..<Int(node.textEnd)])) }
    }

    // MARK: Cells' attributes

    /// Hidden (`hidden`, or a `style` with `display:none`) and spans. libxml2 drops repeated attributes, so
    /// each name appears once; an attribute written without a value reads as empty.
    private static func readCellAttributes(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                                           into node: inout Node) {
        guard let attributes else { return }
        var index = 0
        while let name = attributes[index] {
            let value = attributes[index + 1]
            switch name[0] {
            case 0x68 where equals(name, "hidden"): node.hidden = true
            case 0x73 where equals(name, "style"):
                if let value, HiddenStyle.displaysNone(value) { node.hidden = true }
            case 0x72 where equals(name, "rowspan"): node.rowSpan = span(value)
            case 0x63 where equals(name, "colspan"): node.colSpan = span(value)
            default: break
            }
            index += 2
        }
    }

    /// An element whose `class` names one the page's style sheet hides.
    private static func hasClass(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, in hidden: Set<[UInt8]>) -> Bool {
        guard !hidden.isEmpty, let attributes else { return false }
        var index = 0
        while let name = attributes[index] {
            if name[0] == 0x63, equals(name, "class"), let value = attributes[index + 1], StyleSheetHiding.names(value, anyOf: hidden) { return true }
            index += 2
        }
        return false
    }

    /// A `<tr>` with `hidden` or a `style` with `display:none`.
    private static func hidesRow(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) -> Bool {
        guard let attributes else { return false }
        var index = 0
        while let name = attributes[index] {
            if name[0] == 0x68, equals(name, "hidden") { return true }
            if name[0] == 0x73, equals(name, "style"), let value = attributes[index + 1], HiddenStyle.displaysNone(value) { return true }
            index += 2
        }
        return false
    }

    /// An element inside a table whose `style` or `class` hides or raises its text (``InlineHiding``).
    private static func hidesText(_ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) -> Bool {
        guard let attributes else { return false }
        var index = 0
        while let name = attributes[index] {
            if let value = attributes[index + 1] {
                if name[0] == 0x73, equals(name, "style"), InlineHiding.hides(style: value) { return true }
                if name[0] == 0x63, equals(name, "class"), InlineHiding.hides(class: value) { return true }
            }
            index += 2
        }
        return false
    }

    private static func equals(_ name: UnsafePointer<UInt8>, _ expected: StaticString) -> Bool {
        let bytes = expected.utf8Start
        for index in 0..<expected.utf8CodeUnitCount where name[index] != bytes[index] { return false }
        return name[expected.utf8CodeUnitCount] == 0
    }

    /// Browsers clamp spans the same way: 0 or garbage means 1; absurd spans are capped.
    private static func span(_ value: UnsafePointer<UInt8>?) -> UInt16 {
        guard var pointer = value else { return 1 }
        var number = 0
        while pointer.pointee >= 0x30 && pointer.pointee <= 0x39 && number < 10_000 {
            number = number * 10 + Int(pointer.pointee - 0x30)
            pointer += 1
        }
        return UInt16(min(max(number, 1), 1000))
    }
}
