import CLibXML2

/// Reads a Word document's `word/document.xml` (WordprocessingML) into the same ``HTMLOutline`` an HTML page
/// gives, so that a `.docx` report goes through the same table layout, extract and normalize path.
///
/// Paragraphs become text lines in reading order (headings are paragraphs too); a table becomes an
/// ``HTMLTable`` whose spans come from Word's grid: `w:gridSpan` is a column span, and a `w:vMerge="restart"`
/// cell followed by `w:vMerge` continuation cells in the same grid column below is one cell spanning those rows
/// (the continuations are dropped, as HTML's `rowspan` means). `w:gridBefore` / `w:gridAfter` leave grid columns
/// empty. A table inside a table cell is read as its own table, after the cell's text (as layout tables are in
/// HTML). Content controls (`w:sdt`) and smart tags are read through; deleted text (`w:del`) is not.
///
/// ```swift
/// let outline = DOCXOutlineReader.read(documentXML: bytes)   // bytes of word/document.xml
/// ```
public enum DOCXOutlineReader {
    public static func read(documentXML bytes: [UInt8]) -> HTMLOutline {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                            | XML_PARSE_COMPACT.rawValue | XML_PARSE_HUGE.rawValue)
        guard let context = xmlNewParserCtxt() else {
            return HTMLOutline(problems: [HTMLParseProblem(code: 2, message: "libxml2 could not allocate a parser")])
        }
        defer { xmlFreeParserCtxt(context) }
        let document: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), "document.xml", "UTF-8", options)
            }
        }
        var problems: [HTMLParseProblem] = []
        if let error = xmlCtxtGetLastError(context), error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue {
            let message = error.pointee.message.map { String(cString: $0) } ?? ""
            problems.append(HTMLParseProblem(code: Int(error.pointee.code), message: trimmed(message)))
        }
        guard let document, let root = xmlDocGetRootElement(document) else {
            return HTMLOutline(problems: problems + [HTMLParseProblem(code: 1, message: "the Word document's XML could not be read")])
        }
        defer { xmlFreeDoc(document) }
        var reader = Walker()
        reader.walk(root)
        return HTMLOutline(title: "", blocks: reader.blocks, problems: problems)
    }

    struct Walker {
        var blocks: [HTMLBlock] = []

        mutating func walk(_ node: xmlNodePtr) {
            var child = node.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE {
                    switch localName(current) {
                    case "p":
                        let text = paragraphText(current)
                        if !text.isEmpty { blocks.append(.text(text)) }
                    case "tbl": blocks += table(current)
                    case "del", "sectPr", "bookmarkStart", "bookmarkEnd": break
                    default: walk(current)   // body, sdt, sdtContent, customXml, smartTag …
                    }
                }
                child = current.pointee.next
            }
        }

        /// A table as published, plus the tables nested in its cells (after it).
        func table(_ node: xmlNodePtr) -> [HTMLBlock] {
            // Each cell with its grid column, its span and its vMerge mark.
            struct GridCell {
                var column: Int
                var span: Int
                var merge: String?   // nil: not merged; "restart"; "continue"
                var fragments: [String]
            }
            var rows: [[GridCell]] = []
            var nested: [HTMLBlock] = []
            for row in elements(node, named: "tr") {
                var column = 0
                var cells: [GridCell] = []
                if let rowProperties = firstElement(row, named: "trPr"), let before = firstElement(rowProperties, named: "gridBefore") {
                    column += Int(attribute(before, "val") ?? "") ?? 0
                }
                for cell in cellElements(row) {
                    let properties = firstElement(cell, named: "tcPr")
                    let span = max(1, properties.flatMap { firstElement($0, named: "gridSpan") }.flatMap { Int(attribute($0, "val") ?? "") } ?? 1)
                    var merge: String?
                    if let vMerge = properties.flatMap({ firstElement($0, named: "vMerge") }) {
                        merge = attribute(vMerge, "val") == "restart" ? "restart" : "continue"
                    }
                    var fragments: [String] = []
                    var inner = cell.pointee.children
                    while let current = inner {
                        if current.pointee.type == XML_ELEMENT_NODE {
                            switch localName(current) {
                            case "p":
                                let text = paragraphText(current)
                                if !text.isEmpty { fragments.append(text) }
                            case "tbl": nested += table(current)
                            case "sdt":
                                var sub = Walker()
                                sub.walk(current)
                                for block in sub.blocks {
                                    switch block {
                                    case let .text(text): fragments.append(text)
                                    case .table: nested.append(block)
                                    }
                                }
                            default: break
                            }
                        }
                        inner = current.pointee.next
                    }
                    cells.append(GridCell(column: column, span: span, merge: merge, fragments: fragments))
                    column += span
                }
                rows.append(cells)
            }
            // vMerge → rowspan: a restart cell spans the continuation cells below it in its grid column.
            var htmlRows: [[HTMLCell]] = []
            for (index, row) in rows.enumerated() {
                var htmlRow: [HTMLCell] = []
                // Grid columns a row leaves out before its first cell (w:gridBefore): an empty cell keeps every
                // cell after it under its own header (without it the row's figures moved five columns left).
                if let first = row.first, first.column > 0, first.merge != "continue" {
                    htmlRow.append(HTMLCell(fragments: [], colSpan: first.column))
                }
                for cell in row where cell.merge != "continue" {
                    var rowSpan = 1
                    if cell.merge == "restart" {
                        while index + rowSpan < rows.count,
                              rows[index + rowSpan].contains(where: { $0.column == cell.column && $0.merge == "continue" }) {
                            rowSpan += 1
                        }
                    }
                    htmlRow.append(HTMLCell(fragments: cell.fragments, rowSpan: rowSpan, colSpan: cell.span))
                }
                htmlRows.append(htmlRow)
            }
            return [.table(HTMLTable(rows: htmlRows))] + nested
        }

        /// Cells of a row, through content controls around them.
        func cellElements(_ row: xmlNodePtr) -> [xmlNodePtr] {
            var result: [xmlNodePtr] = []
            var child = row.pointee.children
            while let current = child {
                if current.pointee.type == XML_ELEMENT_NODE {
                    switch localName(current) {
                    case "tc": result.append(current)
                    case "sdt", "sdtContent", "customXml": result += cellElements(current)
                    default: break
                    }
                }
                child = current.pointee.next
            }
            return result
        }

        /// The text of a paragraph: its runs' `w:t`, tabs as a tab, breaks as a space; deleted runs skipped, and
        /// hidden, superscript and subscript runs too.
        func paragraphText(_ paragraph: xmlNodePtr) -> String {
            var text = ""
            func collect(_ node: xmlNodePtr) {
                var child = node.pointee.children
                while let current = child {
                    if current.pointee.type == XML_ELEMENT_NODE {
                        switch localName(current) {
                        case "t", "instrText":
                            if localName(current) == "t", let content = xmlNodeGetContent(current) {
                                text += String(cString: content)
                                nianbao_xmlFree(content)
                            }
                        case "tab": text += "\t"
                        case "br", "cr": text += " "
                        case "del", "pPr", "rPr", "fldChar": break
                        case "r" where DOCXOutlineReader.isHiddenOrRaised(current): break
                        default: collect(current)
                        }
                    }
                    child = current.pointee.next
                }
            }
            collect(paragraph)
            return trimmed(text)
        }
    }

    /// A run a reader does not see as part of the line: hidden (`w:vanish`), or raised or lowered
    /// (`w:vertAlign` superscript/subscript: footnote marks, "①"). Read as text, a mark after a figure joined
    /// it ("2863" + superscript "1" = 28631).
    static func isHiddenOrRaised(_ run: xmlNodePtr) -> Bool {
        guard let properties = firstElement(run, named: "rPr") else { return false }
        if let vanish = firstElement(properties, named: "vanish") ?? firstElement(properties, named: "specVanish"),
           !["0", "false", "off"].contains(attribute(vanish, "val") ?? "") {
            return true
        }
        if let align = firstElement(properties, named: "vertAlign"), ["superscript", "subscript"].contains(attribute(align, "val") ?? "") {
            return true
        }
        return false
    }

    static func localName(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        // Word writes w:val; the namespace is the WordprocessingML one, but any prefix is accepted.
        var property = node.pointee.properties
        while let current = property {
            if current.pointee.name.map({ String(cString: $0) }) == name, let value = xmlNodeGetContent(UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlNode.self)) {
                defer { nianbao_xmlFree(value) }
                return String(cString: value)
            }
            property = current.pointee.next
        }
        return nil
    }

    static func elements(_ node: xmlNodePtr, named name: String) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                if localName(current) == name { result.append(current) } else if ["sdt", "sdtContent", "customXml"].contains(localName(current)) {
                    result += elements(current, named: name)
                }
            }
            child = current.pointee.next
        }
        return result
    }

    static func firstElement(_ node: xmlNodePtr, named name: String) -> xmlNodePtr? {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, localName(current) == name { return current }
            child = current.pointee.next
        }
        return nil
    }
}

extension DOCXOutlineReader.Walker {
    func localName(_ node: xmlNodePtr) -> String { DOCXOutlineReader.localName(node) }
    func attribute(_ node: xmlNodePtr, _ name: String) -> String? { DOCXOutlineReader.attribute(node, name) }
    func elements(_ node: xmlNodePtr, named name: String) -> [xmlNodePtr] { DOCXOutlineReader.elements(node, named: name) }
    func firstElement(_ node: xmlNodePtr, named name: String) -> xmlNodePtr? { DOCXOutlineReader.firstElement(node, named: name) }
}
