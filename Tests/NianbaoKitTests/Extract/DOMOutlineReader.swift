import CLibXML2
#if canImport(Glibc)
import Glibc
#endif
@testable import NianbaoHTML

// No Foundation in this file: Debian's libxml2 headers clash with Foundation's in one Swift file.

/// The reader as it was before the SAX reader: libxml2 builds the page's tree, the walker below reads it.
enum DOMOutlineReader {
    static func read(utf8 original: [UInt8]) -> HTMLOutline {
        let bytes = HTMLOutlineReader.withoutDownlevelConditionals(original)
        guard let context = htmlNewParserCtxt() else {
            return HTMLOutline(problems: [HTMLParseProblem(code: 2, message: "libxml2 could not allocate a parser")])
        }
        defer { htmlFreeParserCtxt(context) }
        let options = HTMLOutlineReader.parseOptions | HTML_PARSE_NOIMPLIED.rawValue
        let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), "document.html", "UTF-8", Int32(options))
            }
        }
        var problems: [HTMLParseProblem] = []
        if let error = xmlCtxtGetLastError(context), HTMLOutlineReader.cutErrorCodes.contains(Int(error.pointee.code)) {
            let message = error.pointee.message.map { String(cString: $0) } ?? ""
            problems.append(HTMLParseProblem(code: Int(error.pointee.code), message: trimmed(message)))
        }
        guard let document else {
            problems.append(HTMLParseProblem(code: 1, message: "libxml2 produced no document"))
            return HTMLOutline(problems: problems)
        }
        defer { xmlFreeDoc(document) }
        // The classes the page's style sheets hide (the SAX reader takes those of the <style> elements met before a
        // table; the pages compared put theirs first).
        var css: [UInt8] = []
        func collectStyles(_ first: xmlNodePtr?) {
            var child = first
            while let node = child {
                if node.pointee.type == XML_ELEMENT_NODE {
                    if LegacyTag(node).name == "style" {
                        var text = node.pointee.children
                        while let piece = text {
                            if let content = piece.pointee.content { css += Array(String(cString: content).utf8) }
                            text = piece.pointee.next
                        }
                    } else {
                        collectStyles(node.pointee.children)
                    }
                }
                child = node.pointee.next
            }
        }
        collectStyles(xmlDocGetRootElement(document))
        LegacyFragmentAccumulator.hiddenClasses = StyleSheetHiding.hiddenClasses(css)
        var walker = LegacyOutlineWalker()
        if let root = xmlDocGetRootElement(document) {
            walker.walkFlow(root)
        }
        walker.flushLine()
        return HTMLOutline(title: walker.title, blocks: walker.blocks, problems: problems)
    }

}


/// The tree walker the SAX reader replaced (Sources/NianbaoHTML/OutlineWalker.swift until the SAX reader),
/// kept in the tests only, to show the SAX reader gives the same outline. Walks a libxml2 DOM into outline blocks. One walker per document; nodes never leave the parsing thread.
struct LegacyOutlineWalker {
    private(set) var blocks: [HTMLBlock] = []
    private(set) var title = ""
    private var line = TextAccumulator()

    /// Walks running content: text goes to the current line, block elements end it, data tables are
    /// emitted whole, and layout tables are walked cell by cell as if they were flow.
    mutating func walkFlow(_ node: xmlNodePtr) {
        var child: xmlNodePtr? = node
        while let current = child {
            visitFlow(current)
            child = current.pointee.next
        }
    }

    private mutating func visitFlow(_ node: xmlNodePtr) {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { line.append(cString: content) }
        case XML_ELEMENT_NODE:
            let tag = LegacyTag(node)
            switch tag.role {
            case .skipped:
                return
            case .title:
                title = collapsedText(of: node)
                return
            case .table:
                flushLine()
                if containsTable(node.pointee.children) {
                    if let children = node.pointee.children { walkLayout(children) }
                } else {
                    let table = readTable(node)
                    if !table.rows.isEmpty { blocks.append(.table(table)) }
                }
                return
            case .lineBreak:
                flushLine()
                return
            case .block:
                flushLine()
                if let children = node.pointee.children { walkFlow(children) }
                flushLine()
            case .inline:
                if let children = node.pointee.children { walkFlow(children) }
            }
        default:
            return
        }
    }

    /// Walks a layout table: every cell is a block of flow content.
    private mutating func walkLayout(_ first: xmlNodePtr) {
        var child: xmlNodePtr? = first
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                let tag = LegacyTag(current)
                if tag.name == "td" || tag.name == "th" {
                    flushLine()
                    if let children = current.pointee.children { walkFlow(children) }
                    flushLine()
                } else if tag.role == .table {
                    visitFlow(current)
                } else if let children = current.pointee.children {
                    walkLayout(children)
                }
            }
            child = current.pointee.next
        }
    }

    mutating func flushLine() {
        let text = line.take()
        if !text.isEmpty { blocks.append(.text(text)) }
    }

    // MARK: Data tables

    private func readTable(_ table: xmlNodePtr) -> HTMLTable {
        var rows: [[HTMLCell]] = []
        collectRows(table.pointee.children, into: &rows)
        return HTMLTable(rows: rows)
    }

    private func collectRows(_ first: xmlNodePtr?, into rows: inout [[HTMLCell]]) {
        var child = first
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                let name = LegacyTag(current).name
                if name == "tr" {
                    if !Self.isHidden(current) && !LegacyFragmentAccumulator.hasHiddenClass(current) { rows.append(readRow(current)) }
                } else if name != "caption" {
                    collectRows(current.pointee.children, into: &rows)  // thead, tbody, tfoot, stray wrappers
                }
            }
            child = current.pointee.next
        }
    }

    private func readRow(_ row: xmlNodePtr) -> [HTMLCell] {
        var cells: [HTMLCell] = []
        var child = row.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                let name = LegacyTag(current).name
                if (name == "td" || name == "th") && !Self.isHidden(current) {
                    var fragments = LegacyFragmentAccumulator()
                    fragments.walk(current.pointee.children)
                    cells.append(HTMLCell(
                        fragments: fragments.finish(),
                        rowSpan: spanAttribute(current, "rowspan"),
                        colSpan: spanAttribute(current, "colspan")))
                }
            }
            child = current.pointee.next
        }
        return cells
    }

    /// Cells some web editors add with `display:none` (or `hidden`): not shown, so not read.
    static func isHidden(_ node: xmlNodePtr) -> Bool {
        // Walk the attribute list and read the first style attribute's value (the one xmlGetProp gives) in place:
        // no allocation where the value is one text node, as the HTML parser makes it.
        var attribute = node.pointee.properties
        var styleRead = false
        while let current = attribute {
            if let name = current.pointee.name {
                if strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), "hidden") == 0 { return true }
                if !styleRead, strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), "style") == 0 {
                    styleRead = true
                    if let text = current.pointee.children, text.pointee.next == nil,
                       text.pointee.type == XML_TEXT_NODE || text.pointee.type == XML_CDATA_SECTION_NODE {
                        if let content = text.pointee.content, HiddenStyle.displaysNone(content) { return true }
                    } else if let style = xmlGetProp(node, "style") {
                        defer { nianbao_xmlFree(style) }
                        if HiddenStyle.displaysNone(style) { return true }
                    }
                }
            }
            attribute = current.pointee.next
        }
        return false
    }

    private func spanAttribute(_ node: xmlNodePtr, _ name: String) -> Int {
        guard let value = xmlGetProp(node, name) else { return 1 }
        defer { nianbao_xmlFree(value) }
        var number = 0
        var pointer = value
        while pointer.pointee >= 0x30 && pointer.pointee <= 0x39 && number < 10_000 {
            number = number * 10 + Int(pointer.pointee - 0x30)
            pointer += 1
        }
        // Browsers clamp spans the same way: 0 or garbage means 1; absurd spans are capped.
        return min(max(number, 1), 1000)
    }

    private func containsTable(_ first: xmlNodePtr?) -> Bool {
        var child = first
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                if LegacyTag(current).role == .table { return true }
                if containsTable(current.pointee.children) { return true }
            }
            child = current.pointee.next
        }
        return false
    }

    private func collapsedText(of node: xmlNodePtr) -> String {
        var accumulator = TextAccumulator()
        appendText(node.pointee.children, to: &accumulator)
        return accumulator.take()
    }

    private func appendText(_ first: xmlNodePtr?, to accumulator: inout TextAccumulator) {
        var child = first
        while let current = child {
            if current.pointee.type == XML_TEXT_NODE, let content = current.pointee.content {
                accumulator.append(cString: content)
            } else if current.pointee.type == XML_ELEMENT_NODE {
                appendText(current.pointee.children, to: &accumulator)
            }
            child = current.pointee.next
        }
    }
}

/// Collects a cell's text as fragments split at paragraph and line-break boundaries.
struct LegacyFragmentAccumulator {
    /// An element whose `style` or `class` hides or raises its text (the SAX reader's ``InlineHiding`` rule).
    static func hidesText(_ node: xmlNodePtr) -> Bool {
        if let value = xmlGetProp(node, "style") {
            defer { nianbao_xmlFree(value) }
            if InlineHiding.hides(style: value) { return true }
        }
        if let value = xmlGetProp(node, "class") {
            defer { nianbao_xmlFree(value) }
            if InlineHiding.hides(class: value) || StyleSheetHiding.names(value, anyOf: hiddenClasses) { return true }
        }
        return false
    }

    static func hasHiddenClass(_ node: xmlNodePtr) -> Bool {
        guard let value = xmlGetProp(node, "class") else { return false }
        defer { nianbao_xmlFree(value) }
        return StyleSheetHiding.names(value, anyOf: hiddenClasses)
    }

    /// The classes the page being read hides (set by ``DOMOutlineReader/read(utf8:)``; tests read one page at a time).
    nonisolated(unsafe) static var hiddenClasses: Set<[UInt8]> = []

    private var fragments: [String] = []
    private var current = TextAccumulator()

    mutating func walk(_ first: xmlNodePtr?) {
        var child = first
        while let node = child {
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { current.append(cString: content) }
            case XML_ELEMENT_NODE where Self.hidesText(node):
                break
            case XML_ELEMENT_NODE:
                let tag = LegacyTag(node)
                switch tag.role {
                case .skipped, .title: break
                case .lineBreak: endFragment()
                case .block, .table:
                    endFragment()
                    walk(node.pointee.children)
                    endFragment()
                case .inline:
                    walk(node.pointee.children)
                }
            default:
                break
            }
            child = node.pointee.next
        }
    }

    private mutating func endFragment() {
        let text = current.take()
        if !text.isEmpty { fragments.append(text) }
    }

    mutating func finish() -> [String] {
        endFragment()
        return fragments
    }
}

/// An element's name and the role it plays in the reading order.
struct LegacyTag {
    enum Role { case block, inline, lineBreak, table, title, skipped }
    let name: String
    let role: Role

    init(_ node: xmlNodePtr) {
        name = node.pointee.name.map { String(cString: $0) } ?? ""
        role = Self.role(of: name)
    }

    static func role(of name: String) -> Role { roles[name] ?? .inline }

    private static let roles: [String: Role] = {
        var table: [String: Role] = [:]
        for name in ["table", "br", "hr", "title", "script", "style", "noscript", "template", "iframe", "object", "select",
                     "textarea", "svg", "sup", "sub", "del", "strike", "s", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr",
                     "td", "th", "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre", "center",
                     "form", "tbody", "thead", "tfoot", "caption", "body", "html", "address", "figure", "figcaption"] {
            table[name] = classify(name)
        }
        return table
    }()

    private static func classify(_ name: String) -> Role {
        switch name {
        case "table": return .table
        case "br", "hr": return .lineBreak
        case "title": return .title
        // <sup> holds footnote marks ("2318<sup>2</sup>", "规章<sup>1</sup>"), never a figure or a label's part.
        case "script", "style", "noscript", "template", "iframe", "object", "select", "textarea", "svg", "sup", "sub", "del", "strike", "s":
            return .skipped
        case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th",
             "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre", "center",
             "form", "tbody", "thead", "tfoot", "caption", "body", "html", "address", "figure", "figcaption":
            return .block
        default: return .inline
        }
    }
}
