import CLibXML2

/// Receives libxml2's SAX events and hands ``OutlineFlow`` the page as libxml2's own tree builder (SAX2.c)
/// would have shaped it, without building the tree.
///
/// The outline used to be walked from that tree, and it must not change. The HTML parser's events are the same
/// with or without the tree; what the tree builder adds is kept here, in a few integers per open element:
///
/// - Its node stack and depth limit: a 258th nested element is refused with libxml2's "Excessive depth in
///   document" error and the parser halts (`nianbao_depth_exceeded`); an end then pops whatever is on the stack.
/// - Its text nodes: pieces of text with no node between them make one node, and one node longer than 10 MB
///   raises "huge text node" and stops the parse (`nianbao_huge_text`), the piece that passed the limit dropped.
///   Text arriving while no element is open has no node to go to and is dropped.
/// - Where an element goes when no element is open: the first one is the root; a later one is appended to the
///   root when the document's first node is that root, or after it when a doctype, comment or processing
///   instruction came first (a doctype is always put first). So the root's end is held back while later
///   elements may still join it.
/// - Names with a prefix: `<o:p>` is an element named `p` (`xmlSplitQName`, with its errors).
struct SAXTreeShape {
    var flow = OutlineFlow()
    /// The tree builder's document exists (libxml2 produced a document).
    private(set) var documentStarted = false
    /// libxml2's node stack: for each open element, the kind of its last child so far.
    private var stack: [LastChild] = []
    /// Length of the text node last created or extended (`ctxt->nodelen`).
    private var textLength = 0
    private var firstNode = FirstNode.none
    private var hasDoctype = false
    /// The root element has ended but is still open in the flow: later elements may be appended to it.
    private var rootHeld = false
    private let maxDepth = Int(nianbao_max_depth())

    private enum LastChild: UInt8 { case none, text, cdata, other }
    private enum FirstNode { case none, root, other }

    mutating func startDocument() {
        documentStarted = true
    }

    mutating func doctype() {
        guard documentStarted, !hasDoctype else { return }
        hasDoctype = true
        firstNode = .other
    }

    mutating func startElement(_ context: htmlParserCtxtPtr, _ name: UnsafePointer<xmlChar>,
                               _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard documentStarted else { return }
        let tag = Self.tag(context, name)
        if stack.count > maxDepth {
            nianbao_depth_exceeded(context)
            return
        }
        if let last = stack.indices.last {
            stack[last] = .other
        } else {
            switch firstNode {
            case .none: firstNode = .root
            case .root: break   // appended to the held root
            case .other:
                if rootHeld {   // a sibling after the root: the root ends first
                    rootHeld = false
                    flow.close()
                }
            }
        }
        stack.append(.none)
        flow.open(tag, attributes: attributes)
    }

    mutating func endElement() {
        guard !stack.isEmpty else { return }
        stack.removeLast()
        if stack.isEmpty, firstNode == .root, !rootHeld {
            rootHeld = true
        } else {
            flow.close()
        }
    }

    mutating func text(_ context: htmlParserCtxtPtr, _ bytes: UnsafePointer<xmlChar>, _ length: Int32, cdata: Bool) {
        guard let last = stack.indices.last, length >= 0 else { return }
        let kind: LastChild = cdata ? .cdata : .text
        if stack[last] == kind {
            if textLength + Int(length) > Int(XML_MAX_TEXT_LENGTH) {
                nianbao_huge_text(context)
                return
            }
            textLength += Int(length)
        } else {
            stack[last] = kind
            textLength = Int(length)
        }
        flow.append(UnsafeBufferPointer(start: bytes, count: Int(length)), cdata: cdata)
    }

    /// A comment or processing instruction: not read, but a node that changes where the next text or root goes.
    mutating func otherNode() {
        guard documentStarted else { return }
        if let last = stack.indices.last {
            stack[last] = .other
        } else if firstNode == .none {
            firstNode = .other
        }
    }

    /// Ends what is still open (libxml2 leaves elements open where the page stops) and the last line.
    mutating func finish() -> HTMLOutline {
        for _ in 0..<(stack.count + (rootHeld ? 1 : 0)) { flow.close() }
        stack.removeAll()
        rootHeld = false
        flow.flushLine()
        return HTMLOutline(title: flow.title, blocks: flow.blocks)
    }

    private static func tag(_ context: htmlParserCtxtPtr, _ name: UnsafePointer<xmlChar>) -> ElementTag {
        var index = 0
        while name[index] != 0 {
            if name[index] == 0x3A { return prefixedTag(context, name) }
            index += 1
        }
        return ElementTag.of(name)
    }

    /// The tree builder names `<o:p>` `p`, and reports a local name that is not a name, with the same call.
    private static func prefixedTag(_ context: htmlParserCtxtPtr, _ name: UnsafePointer<xmlChar>) -> ElementTag {
        var prefix: UnsafeMutablePointer<xmlChar>?
        guard let local = xmlSplitQName(context, name, &prefix) else { return .inline }
        defer {
            nianbao_xmlFree(local)
            if let prefix { nianbao_xmlFree(prefix) }
        }
        return ElementTag.of(local)
    }
}
