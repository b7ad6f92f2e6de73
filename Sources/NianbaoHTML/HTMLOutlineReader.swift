import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses an HTML page with libxml2 and reads it into an ``HTMLOutline``.
///
/// The page is read from libxml2's SAX events as they arrive (``SAXTreeShape``, ``OutlineFlow``): no tree is built,
/// walked and freed. Building, walking and freeing the tree took 30 M instructions per synthetic page (of 81 M for
/// the whole run); reading the events takes 19 M (BENCHMARKS.md, issue 18). The outline is the same, block for
/// block (`SAXOutlineEquivalenceTests` compares it with the tree walker's on every page the project has).
///
/// The caller decides the encoding and hands over UTF-8 bytes; the page's own `<meta charset>` is ignored
/// (`HTML_PARSE_IGNORE_ENC`), because pages labelled gb2312 often hold GBK-only characters and libxml2
/// would then cut the text short. The parser never touches the network (`HTML_PARSE_NONET`).
///
/// ```swift
/// HTMLOutlineReader.prepare()                       // once, before concurrent use
/// let outline = HTMLOutlineReader.read(utf8: Array("<table><tr><td>规章</td></tr></table>".utf8))
/// ```
public enum HTMLOutlineReader {
    /// Initializes libxml2's global state. Call once before parsing from several threads.
    public static func prepare() {
        xmlInitParser()
    }

    /// Parses UTF-8 HTML. Never throws: libxml2 recovers from any markup; problems that may have dropped
    /// content are listed in ``HTMLOutline/problems``.
    public static func read(utf8 original: [UInt8]) -> HTMLOutline { read(utf8: original, keepingNavigation: false) }

    /// - Parameter keepingNavigation: parse the site's lists of links too (``NavigationLists``; for tests).
    static func read(utf8 original: [UInt8], keepingNavigation: Bool) -> HTMLOutline {
        let withoutConditionals = withoutDownlevelConditionals(original)
        let bytes = keepingNavigation ? withoutConditionals : NavigationLists.removed(from: withoutConditionals)
        guard let context = htmlNewParserCtxt() else {
            return HTMLOutline(problems: [HTMLParseProblem(code: 2, message: "libxml2 could not allocate a parser")])
        }
        defer { htmlFreeParserCtxt(context) }
        installSAXHandler(context)
        let options = parseOptions | HTML_PARSE_NOIMPLIED.rawValue
        var shape = SAXTreeShape()
        withUnsafeMutablePointer(to: &shape) { state in
            context.pointee._private = UnsafeMutableRawPointer(state)
            let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    htmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), "document.html", "UTF-8", Int32(options))
                }
            }
            if let document { xmlFreeDoc(document) }   // none: no handler builds one
            context.pointee._private = nil
        }
        var problems: [HTMLParseProblem] = []
        if let error = xmlCtxtGetLastError(context), Self.cutErrorCodes.contains(Int(error.pointee.code)) {
            let message = error.pointee.message.map { String(cString: $0) } ?? ""
            problems.append(HTMLParseProblem(code: Int(error.pointee.code), message: trimmed(message)))
        }
        guard shape.documentStarted else {
            problems.append(HTMLParseProblem(code: 1, message: "libxml2 produced no document"))
            return HTMLOutline(problems: problems)
        }
        var outline = shape.finish()
        outline.problems = problems
        return outline
    }

    /// Replaces the context's tree-building handlers (a copy libxml2 made for this context) with the reader's.
    /// Errors and warnings stay unreported, as `HTML_PARSE_NOERROR`/`NOWARNING` leave them; ignorable whitespace
    /// never arrives (blanks are kept: no `HTML_PARSE_NOBLANKS`).
    private static func installSAXHandler(_ context: htmlParserCtxtPtr) {
        var handler = htmlSAXHandler()
        handler.initialized = 1   // as libxml2's own HTML handler: not XML_SAX2_MAGIC, no structured errors
        handler.startDocument = { context in
            guard let shape = saxShape(context) else { return }
            shape.pointee.startDocument()
        }
        handler.internalSubset = { context, _, _, _ in
            guard let shape = saxShape(context) else { return }
            shape.pointee.doctype()
        }
        handler.startElement = { context, name, attributes in
            guard let shape = saxShape(context), let name else { return }
            shape.pointee.startElement(saxParser(context), name, attributes)
        }
        handler.endElement = { context, _ in
            guard let shape = saxShape(context) else { return }
            shape.pointee.endElement()
        }
        handler.characters = { context, bytes, length in
            guard let shape = saxShape(context), let bytes else { return }
            shape.pointee.text(saxParser(context), bytes, length, cdata: false)
        }
        handler.cdataBlock = { context, bytes, length in
            guard let shape = saxShape(context), let bytes else { return }
            shape.pointee.text(saxParser(context), bytes, length, cdata: true)
        }
        handler.comment = { context, _ in
            guard let shape = saxShape(context) else { return }
            shape.pointee.otherNode()
        }
        handler.processingInstruction = { context, _, _ in
            guard let shape = saxShape(context) else { return }
            shape.pointee.otherNode()
        }
        context.pointee.sax.pointee = handler
    }

    /// Drops Word's downlevel-revealed conditionals (`<![if !supportLists]>` … `<![endif]>`), which this
    /// libxml2 keeps as text, so that list-numbered headings read "二、主动公开…" and not the markup.
    static func withoutDownlevelConditionals(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { buffer -> [UInt8] in
            guard let base = buffer.baseAddress, buffer.count > 3 else { return bytes }
            let count = buffer.count
            // The next "<![" from `from` on, found with memchr on its "[" (a byte walk over the page was 0.65 M
            // instructions; memchr on "<" stopped at every tag of the page, "[" is rare outside scripts).
            func nextOpen(from: Int) -> Int? {
                var at = from + 2
                while at < count, let found = memchr(base + at, 0x5B, count - at) {
                    let position = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                    if buffer[position - 1] == 0x21, buffer[position - 2] == 0x3C { return position - 2 }
                    at = position + 1
                }
                return nil
            }
            guard var open = nextOpen(from: 0) else { return bytes }
            var result: [UInt8] = []
            result.reserveCapacity(count)
            var copied = 0
            while true {
                // "<![if …]>" / "<![endif]>" within 200 bytes: dropped; any other "<![" stays.
                var dropTo: Int?
                if open + 5 < count, (buffer[open + 3] | 0x20) == 0x69 || (buffer[open + 3] | 0x20) == 0x65 {
                    var end = open + 3
                    while end + 1 < count, !(buffer[end] == 0x5D && buffer[end + 1] == 0x3E), end - open < 200 { end += 1 }
                    if end + 1 < count, buffer[end] == 0x5D, buffer[end + 1] == 0x3E { dropTo = end + 2 }
                }
                if let dropTo {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copied..<open]))
                    copied = dropTo
                }
                guard let next = nextOpen(from: dropTo ?? open + 1) else { break }
                open = next
            }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copied..<count]))
            return result
        }
    }

    /// Parses and frees, nothing else: the floor the benchmark compares the pipeline with.
    /// - Returns: false when libxml2 produced no document.
    public static func parseOnly(_ bytes: [UInt8], encoding: String) -> Bool {
        guard let context = htmlNewParserCtxt() else { return false }
        defer { htmlFreeParserCtxt(context) }
        let options = parseOptions
        let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), "document.html", encoding, Int32(options))
            }
        }
        guard let document else { return false }
        xmlFreeDoc(document)
        return true
    }

    /// No network, recover from any markup, no error output, the encoding given by the caller only.
    static let parseOptions = HTML_PARSE_NONET.rawValue | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue

    /// libxml2 error codes that mean part of the input was not turned into nodes.
    static let cutErrorCodes: Set<Int> = [
        Int(XML_ERR_INTERNAL_ERROR.rawValue), Int(XML_ERR_NO_MEMORY.rawValue),
        Int(XML_ERR_INVALID_CHAR.rawValue), Int(XML_ERR_INVALID_ENCODING.rawValue),
        Int(XML_ERR_UNSUPPORTED_ENCODING.rawValue), Int(XML_ERR_USER_STOP.rawValue),
    ]
}

func trimmed(_ text: String) -> String {
    var scalars = Substring(text)
    while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
    while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
    return String(scalars)
}

/// The SAX callbacks' user data is the parser context (libxml2's default); the reader's state hangs off it.
@inline(__always) private func saxParser(_ context: UnsafeMutableRawPointer?) -> htmlParserCtxtPtr {
    context.unsafelyUnwrapped.assumingMemoryBound(to: htmlParserCtxt.self)
}

@inline(__always) private func saxShape(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<SAXTreeShape>? {
    guard let context else { return nil }
    return context.assumingMemoryBound(to: htmlParserCtxt.self).pointee._private?.assumingMemoryBound(to: SAXTreeShape.self)
}
