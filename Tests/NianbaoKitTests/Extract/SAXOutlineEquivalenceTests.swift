import Foundation
import XCTest
@testable import NianbaoHTML
@testable import NianbaoKit

/// The SAX reader must give the outline the tree walker gave (`DOMOutlineReader`, kept in the tests for this):
/// title, every block, every cell's fragments and spans, and the problems, on every page the project has.
final class SAXOutlineEquivalenceTests: XCTestCase {
    override func setUp() { HTMLOutlineReader.prepare() }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Every HTML page of samples/, the regression documents and the real corpus, decoded as the pipeline
    /// decodes it; and every file there read raw as if it were HTML (text, Markdown, JSON, PDF bytes: markup
    /// soup and invalid UTF-8 for the parser's error paths).
    func testEveryPageBesideTheProject() throws {
        var folders = [Self.packageRoot.appendingPathComponent("samples"),
                       Self.packageRoot.appendingPathComponent("Tests/Support/regression"),
                       Self.packageRoot.appendingPathComponent("Tests/Support/fuzz-regressions")]
        let corpus = Self.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/real")
        let hasCorpus = FileManager.default.fileExists(atPath: corpus.path)
        if hasCorpus { folders.append(corpus) }
        var pages = 0
        var raw = 0
        for folder in folders {
            for file in try files(under: folder) {
                let bytes = [UInt8](try Data(contentsOf: file))
                guard bytes.count < 5_000_000 else { continue }
                assertSameOutline(bytes, file.lastPathComponent + " (raw)")
                raw += 1
                let name = file.lastPathComponent.lowercased()
                guard name.hasSuffix(".html") || name.hasSuffix(".htm") else { continue }
                let decoded = try Decoder().decode(SourceDocument(source: file.lastPathComponent, bytes: bytes))
                assertSameOutline(decoded.utf8, file.lastPathComponent)
                pages += 1
            }
        }
        XCTAssertGreaterThanOrEqual(pages, hasCorpus ? 36 : 35, "HTML pages compared")
        print("SAX equivalence: \(pages) HTML pages decoded, \(raw) files raw\(hasCorpus ? "" : " (../shared absent: corpus skipped)")")
    }

    /// Synthetic pages of every layout the generator has (site chrome, navigation lists, layout tables,
    /// Word-exported tables, GBK pages), as the pipeline decodes them.
    func testSyntheticPages() throws {
        var compared = 0
        for (seed, count) in [(UInt64(1), 150), (UInt64(20261129), 150)] {
            let corpus = SyntheticCorpus(seed: seed, htmlOnly: true)
            for index in 0..<count {
                let generated = try corpus.document(index)
                let decoded = try Decoder().decode(SourceDocument(source: generated.name, bytes: generated.bytes))
                assertSameOutline(decoded.utf8, "\(generated.name) seed \(seed)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 300)
    }

    /// Random tag soup: elements of every role (and unknown and prefixed ones) opened and closed out of order,
    /// text with entities and multi-byte spaces, comments, CDATA, doctypes and processing instructions anywhere.
    func testRandomTagSoup() {
        var random = SplitMix(seed: 18)
        for index in 0..<3000 {
            let page = TagSoup.page(&random, parts: 5 + Int(random.next() % 120))
            assertSameOutline(Array(page.utf8), "soup #\(index): \(page)")
        }
    }

    private func files(under folder: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        return enumerator.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
    }
}

/// Compares the two readers' outlines and names the first difference.
func assertSameOutline(_ bytes: [UInt8], _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    let sax = HTMLOutlineReader.read(utf8: bytes, keepingNavigation: true)
    let dom = DOMOutlineReader.read(utf8: bytes)
    guard sax != dom else { return }
    var difference = "outline differs"
    if sax.title != dom.title { difference = "title: SAX \(sax.title.debugDescription), tree \(dom.title.debugDescription)" }
    else if sax.problems != dom.problems { difference = "problems: SAX \(sax.problems), tree \(dom.problems)" }
    else if let index = sax.blocks.indices.first(where: { $0 < dom.blocks.count && sax.blocks[$0] != dom.blocks[$0] }) {
        difference = "block \(index): SAX \(sax.blocks[index]), tree \(dom.blocks[index])"
    } else {
        difference = "SAX \(sax.blocks.count) blocks, tree \(dom.blocks.count); first extra: "
            + "\(sax.blocks.count > dom.blocks.count ? sax.blocks[dom.blocks.count] : dom.blocks[sax.blocks.count])"
    }
    XCTFail("\(name.prefix(600)): \(difference.prefix(1500))", file: file, line: line)
}

/// Markup that stresses where libxml2 closes, moves and keeps things.
enum TagSoup {
    static let names = ["table", "tr", "td", "th", "tbody", "thead", "caption", "p", "div", "span", "b", "br", "hr",
                        "title", "script", "style", "sup", "li", "ul", "h2", "a", "font", "o:p", "st1:chsdate",
                        "select", "option", "textarea", "html", "body", "head", "center", "form", "x-unknown", "img"]
    static let attributes = ["", " rowspan=\"2\"", " colspan=3", " rowspan=0", " colspan=\"9x\"", " style=\"display:none\"",
                             " style=\"DISPLAY : NONE\"", " hidden", " style=\"color:red\"", " rowspan=\"99999\""]
    static let texts = ["二、主动公开", "  ", "12 345", "&nbsp;", "&amp;&lt;x&gt;", "&#20013;&#x56FD;", "\u{3000}", "\u{200B}",
                        "a\u{00A0}b", "&bogus;", "& x", "\n\t", "规章<sup>1</sup>", "<!-- note -->", "<![CDATA[cdata]]>",
                        "<![if !supportLists]>一、<![endif]>", "<!DOCTYPE html>", "<?xml version=\"1.0\"?>", "</>", "<", "&"]

    static func pick<T>(_ random: inout SplitMix, _ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

    /// `SplitMix` is the seeded generator of WordReaderTests.
    static func page(_ random: inout SplitMix, parts: Int) -> String {
        var page = ""
        var open: [String] = []
        for _ in 0..<parts {
            switch random.next() % 10 {
            case 0...3:
                let name = pick(&random, names)
                page += "<\(name)\(pick(&random, attributes))>"
                open.append(name)
            case 4, 5:
                if let name = open.popLast() { page += "</\(name)>" } else { page += "</\(pick(&random, names))>" }
            case 6:
                page += "</\(pick(&random, names))>"   // a stray or early end
            default:
                page += pick(&random, texts)
            }
        }
        return page
    }
}
