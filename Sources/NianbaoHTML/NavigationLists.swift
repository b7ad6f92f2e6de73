/// A site's lists of links — menus, "related articles", latest news — taken out of a page's bytes before libxml2
/// parses it.
///
/// On a government site the report is a few kilobytes of a page whose navigation lists are most of its bytes (73 %
/// of the benchmark pages' bytes); parsing them cost as much as the rest of the pipeline, and their lines filled
/// the narrative's last section. Only lists that cannot be the report are taken: a `<ul>`/`<ol>` in the page's
/// body where every element open around it is a plain container (`div`, `nav`, `header`…: never inside a table, a
/// paragraph, a link, an item or a form field), of three items or more, each item a link (with at most a date
/// beside it: "2025-01-10", "[2025年1月10日]"), built of nothing but items, links, inline markup (`span`, `em`, `b`,
/// `img`…) and lists of the same kind inside items. Anything else inside — a paragraph, a table, a heading, a
/// comment, words outside a link, an end tag that closes something it did not open — keeps the whole list. Markup
/// libxml2 would repair by rules of its own (a stray end tag, a title in the body, content after `</body>`) ends
/// the taking for the rest of the page. The list becomes `<ul></ul>`, so that the text around it stays apart.
///
/// `NavigationListTests` holds the outline of every page the project has, of synthetic pages and of random tag
/// soup to the outline of the page as published, less those lists' lines: no table, heading or other line moves.
///
/// ```swift
/// NavigationLists.removed(from: Array("<body><ul><li><a href=a>政务公开</a></li><li><a href=b>政策文件</a></li><li><a href=c>互动交流</a></li></ul>".utf8))
/// // "<body><ul></ul>"
/// ```
enum NavigationLists {
    /// The page without its navigation lists (the bytes as they are when it has none).
    static func removed(from bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { buffer -> [UInt8] in
            var scanner = Scanner(buffer)
            var output: [UInt8] = []
            var copied = 0
            while let (start, end) = scanner.nextList() {
                if output.isEmpty { output.reserveCapacity(buffer.count) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copied..<start]))
                output.append(contentsOf: Self.emptyList)
                copied = end
            }
            guard copied > 0 else { return bytes }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[copied...]))
            return output
        }
    }

    private static let emptyList = Array("<ul></ul>".utf8)
    /// Elements whose content libxml2 reads as raw text: skipped whole, so that a "<ul" inside them is never taken
    /// for a list.
    static let rawTextElements: [TagName] = [.script, .style]
    /// Elements that, met in the body, end the taking of lists for the rest of the page: libxml2 gives them content
    /// rules of their own (a title's text is the page's title, a field's text is not the page's) or moves them.
    static let endOfTaking = TagName.list(["title", "textarea", "xmp", "plaintext", "select", "option", "optgroup", "head",
                                           "html", "body", "frameset", "frame", "listing"])
    /// Elements whose end tag may be left out: closed by their parent's end tag.
    static let optionalEnd = TagName.list(["li", "p", "option", "dt", "dd"])

    /// Elements without content or end tag.
    static let voidElements = TagName.list(["img", "br", "wbr", "hr", "input", "meta", "link", "col", "area", "base",
                                            "param", "source", "embed", "basefont", "frame", "isindex"])
    /// Elements a list may stand in and be taken out of.
    static let containers = TagName.list(["html", "body", "div", "nav", "header", "footer", "section", "aside", "main",
                                          "article", "center"])
    /// Start tags that end an open paragraph.
    static let closesParagraph = TagName.list(["p", "div", "ul", "ol", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                                               "pre", "form", "dl", "blockquote", "address", "center", "hr", "nav",
                                               "header", "footer", "section", "aside", "article", "main"])
    /// Inline markup an item may hold around or beside its link.
    static let inlineElements = TagName.list(["a", "span", "em", "i", "b", "strong", "font", "img", "br", "small", "u", "s",
                                              "label", "time", "sup", "sub", "abbr", "cite", "wbr"])
}
