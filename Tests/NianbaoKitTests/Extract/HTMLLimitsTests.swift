import XCTest
import NianbaoHTML
@testable import NianbaoKit

/// libxml2 cuts content silently past its limits; those cuts must be found and said.
final class HTMLLimitsTests: XCTestCase {
    override func setUp() { HTMLOutlineReader.prepare() }

    func testDeepNesting() {
        let depth = 300
        let html = "<html><body>" + String(repeating: "<div>", count: depth) + "<p>深处的文字</p>" + String(repeating: "</div>", count: depth)
            + "<p>之后</p></body></html>"
        let outline = HTMLOutlineReader.read(utf8: Array(html.utf8))
        let texts = outline.blocks.compactMap { if case let .text(text) = $0 { return text } else { return nil } }
        print("DEPTH", texts, outline.problems)
        XCTAssertTrue(texts.contains("深处的文字") || outline.problems.contains { $0.message.contains("depth") },
                      "content past the depth limit vanished without a problem")
        // Through the extract stage the cut becomes an error finding.
        let decoded = try! Decoder().decode(SourceDocument(source: "deep.html", bytes: Array(html.utf8)))
        let extracted = try! Extractor().extract(decoded)
        XCTAssertEqual(extracted.findings.first?.rule, .extractHTMLParse)
        XCTAssertEqual(extracted.findings.first?.severity, .error)
    }

    func testHugeTextNode() {
        let huge = String(repeating: "长", count: 4_000_000)   // 12 MB of UTF-8 in one text node
        let html = "<html><body><p>" + huge + "</p><p>之后</p></body></html>"
        let outline = HTMLOutlineReader.read(utf8: Array(html.utf8))
        let total = outline.blocks.reduce(0) { sum, block in
            if case let .text(text) = block { return sum + text.utf8.count } else { return sum }
        }
        print("HUGE", total, outline.problems)
        XCTAssertTrue(total >= huge.utf8.count || outline.problems.contains { $0.message.contains("huge text") },
                      "a cut text node went unreported")
    }
}
