import CLibXML2

/// A link of a page: its `href` as written, its text, and its `title` attribute (CMSs print the full title
/// there and cut the text short with "…").
public struct HTMLLink: Sendable, Equatable {
    public var href: String
    public var text: String
    public var title: String
    public init(href: String, text: String, title: String = "") {
        self.href = href
        self.text = text
        self.title = title
    }
}

/// Reads the `<a href>` links of an HTML page (index pages listing reports), in document order.
public enum HTMLLinkReader {
    public static func links(utf8 bytes: [UInt8]) -> [HTMLLink] {
        guard let context = htmlNewParserCtxt() else { return [] }
        defer { htmlFreeParserCtxt(context) }
        let options = HTMLOutlineReader.parseOptions
        let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), "index.html", "UTF-8", Int32(options))
            }
        }
        guard let document else { return [] }
        defer { xmlFreeDoc(document) }
        var links: [HTMLLink] = []
        func walk(_ first: xmlNodePtr?) {
            var node = first
            while let current = node {
                if current.pointee.type == XML_ELEMENT_NODE {
                    let name = current.pointee.name
                    let isLink = name.map { $0[0] == 0x61 && $0[1] == 0 } ?? false   // "a"
                    if isLink, let href = xmlGetProp(current, "href") {
                        var text = TextAccumulator()
                        appendText(current.pointee.children, &text)
                        let titleProperty = xmlGetProp(current, "title")
                        let title = titleProperty.map { trimmed(String(cString: $0)) } ?? ""
                        if let titleProperty { nianbao_xmlFree(titleProperty) }
                        var label = text.take()
                        if label.isEmpty { label = title }
                        links.append(HTMLLink(href: trimmed(String(cString: href)), text: label, title: title))
                        nianbao_xmlFree(href)
                    } else if (name.map { ElementTag.of($0) } ?? .inline).role != .skipped {
                        walk(current.pointee.children)
                    }
                }
                node = current.pointee.next
            }
        }
        func appendText(_ first: xmlNodePtr?, _ text: inout TextAccumulator) {
            var node = first
            while let current = node {
                if current.pointee.type == XML_TEXT_NODE, let content = current.pointee.content {
                    text.append(String(cString: content))
                } else if current.pointee.type == XML_ELEMENT_NODE {
                    appendText(current.pointee.children, &text)
                }
                node = current.pointee.next
            }
        }
        walk(xmlDocGetRootElement(document))
        return links
    }
}
