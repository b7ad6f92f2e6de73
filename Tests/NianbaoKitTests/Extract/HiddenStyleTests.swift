import XCTest
@testable import NianbaoHTML

/// The hidden-cell check reads the style attribute's bytes; its answers must be the String rule's it replaced.
final class HiddenStyleTests: XCTestCase {
    /// The rule as it was written before, on a String. It lived in a module without Foundation, where
    /// `contains` is the standard library's, over Characters; here Foundation's (NSString) would be picked, and it
    /// lets a letter match where a mark or a prepended character joins it. `firstRange(of:)` is the former.
    func stringRule(_ value: String) -> Bool {
        value.lowercased().filter { !$0.isWhitespace }.firstRange(of: "display:none") != nil
    }

    func bytesRule(_ value: String) -> Bool {
        var bytes = Array(value.utf8)
        if let nul = bytes.firstIndex(of: 0) { bytes.removeSubrange(nul...) }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { HiddenStyle.displaysNone($0.baseAddress!) }
    }

    func testSameAnswersAsTheStringRule() {
        let cases = [
            "display:none", "DISPLAY:NONE", "Display: None", "display : none ;", "d i s p l a y : n o n e", "display:\tnone",
            "display:\r\nnone", "display:\u{3000}none", "display:\u{00A0}none", "display:\u{2003}none", "display:\u{85}none",
            "display: \u{301}none", "display:none\u{301}", "\u{0600}display:none", "x\u{0600}display:none", "dİsplay:none",
            "display:nonE;width:62.55pt;border:solid windowtext 1.0pt", "width:62.55pt;border:solid windowtext 1.0pt;mso-border-alt:solid",
            "display:block", "display:nonenone", "ddisplay:none", "displaydisplay:none", "display:no ne", "display:n\u{1C}one",
            "display;none", "font-family:宋体;display:none", "font-family:宋体;display:inline", "display:\u{FFFD}none", "", "display:non",
            "display:none\u{0}", "\u{0}display:none", "display:\u{200B}none", "DİSPLAY:NONE", "display:\u{212A}none",
        ]
        for value in cases { XCTAssertEqual(bytesRule(value), stringRule(value.prefix { $0 != "\u{0}" }.description), value.debugDescription) }
    }

    /// Random styles built from the pattern's pieces, whitespace of every kind, marks, case and CJK text.
    func testSameAnswersOnGeneratedStyles() {
        let pieces = ["d", "i", "s", "p", "l", "a", "y", ":", "n", "o", "e", "D", "I", "S", "N", "O", "E", " ", "\t", "\n", "\r",
                      "\u{3000}", "\u{A0}", "\u{301}", "\u{0600}", "\u{200D}", "宋", "；", ";", "display", "DISPLAY", ":none", "none",
                      "display:", "\u{130}", "\u{212A}", "\u{FE0F}", "width:1pt;", "\u{1F600}"]
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        var hidden = 0
        for _ in 0..<20_000 {
            let value = (0..<next(12)).map { _ in pieces[next(pieces.count)] }.joined()
            let expected = stringRule(value)
            if expected { hidden += 1 }
            XCTAssertEqual(bytesRule(value), expected, value.debugDescription)
        }
        XCTAssertGreaterThan(hidden, 50, "the generator should make hidden styles too")
    }

    func testHiddenCellsOfAWordTableAreNotRead() {
        let html = """
            <table><tr><td style='width:62.55pt;border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt'>行政处罚</td>
            <td style='DISPLAY: NONE;width:1pt'>0</td><td style='font-family:宋体;display:\u{3000}none'>0</td>
            <td style='font-family:宋体'>5</td></tr></table>
            """
        guard case let .table(table)? = HTMLOutlineReader.read(utf8: Array(html.utf8)).blocks.first else { return XCTFail("no table") }
        XCTAssertEqual(table.rows[0].map(\.text), ["行政处罚", "5"])
    }
}

/// Text inside a cell that is hidden or raised is not part of its figure.
final class InlineHidingTests: XCTestCase {
    private func hides(style: String) -> Bool { style.withCString { $0.withMemoryRebound(to: UInt8.self, capacity: style.utf8.count + 1) { InlineHiding.hides(style: $0) } } }
    private func hides(class name: String) -> Bool { name.withCString { $0.withMemoryRebound(to: UInt8.self, capacity: name.utf8.count + 1) { InlineHiding.hides(class: $0) } } }

    func testStylesAndClasses() {
        for style in ["display:none", "DISPLAY : NONE", "mso-hide:all", "visibility: hidden", "font-size:0", "font-size: 0pt;color:red",
                      "vertical-align:super", "vertical-align: sub", "color:red;font-size:0px"] {
            XCTAssertTrue(hides(style: style), style)
        }
        for style in ["", "color:red", "font-size:0.5pt", "font-size:05pt", "font-size:10.5pt", "vertical-align:middle", "mso-hide:none"] {
            XCTAssertFalse(hides(style: style), style)
        }
        XCTAssertTrue(hides(class: "MsoFootnoteReference"))
        XCTAssertTrue(hides(class: "x MsoEndnoteReference"))
        XCTAssertFalse(hides(class: "MsoNormal"))
    }
}
