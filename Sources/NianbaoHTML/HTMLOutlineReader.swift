import CLibXML2

/// Parses an HTML page with libxml2 and walks it into an ``HTMLOutline``.
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
    public static func read(utf8 bytes: [UInt8]) -> HTMLOutline {
        guard let context = htmlNewParserCtxt() else {
            return HTMLOutline(problems: [HTMLParseProblem(code: 2, message: "libxml2 could not allocate a parser")])
        }
        defer { htmlFreeParserCtxt(context) }
        let options = HTML_PARSE_NONET.rawValue | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
            | HTML_PARSE_NOIMPLIED.rawValue
        let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), "document.html", "UTF-8", Int32(options))
            }
        }
        var problems: [HTMLParseProblem] = []
        if let error = xmlCtxtGetLastError(context), Self.cutErrorCodes.contains(Int(error.pointee.code)) {
            let message = error.pointee.message.map { String(cString: $0) } ?? ""
            problems.append(HTMLParseProblem(code: Int(error.pointee.code), message: trimmed(message)))
        }
        guard let document else {
            problems.append(HTMLParseProblem(code: 1, message: "libxml2 produced no document"))
            return HTMLOutline(problems: problems)
        }
        defer { xmlFreeDoc(document) }
        var walker = OutlineWalker()
        if let root = xmlDocGetRootElement(document) {
            walker.walkFlow(root)
        }
        walker.flushLine()
        return HTMLOutline(title: walker.title, blocks: walker.blocks, problems: problems)
    }

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
