import XCTest
@testable import NianbaoHTML

/// Classes a page's style sheet hides (adv27: a digit in `<span class="x">` with `span.x{display:none}` was read).
final class StyleSheetHidingTests: XCTestCase {
    func testSimpleClassRulesThatHide() {
        let css = """
            @charset "utf-8"; /* anti-copy */ span.x{ DISPLAY : none } .y {color:red} .z,.w{font-size:0} .v{font-size:0.5em}
            @media print { .p {display:none} } div .deep{display:none} .a.b{display:none} #id{display:none}
            """
        let hidden = StyleSheetHiding.hiddenClasses(Array(css.utf8))
        // (@media print hides only in print: not taken.)
        XCTAssertEqual(hidden, Set(["x", "z", "w"].map { Array($0.utf8) }))
        for (value, expected) in [("x", true), ("num x", true), ("xx", false), ("y", false), ("", false)] {
            let bytes = Array(value.utf8) + [0]
            XCTAssertEqual(bytes.withUnsafeBufferPointer { StyleSheetHiding.names($0.baseAddress!, anyOf: hidden) }, expected, value)
        }
    }
}
