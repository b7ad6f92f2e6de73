import XCTest
@testable import NianbaoKit

/// The whitespace test without Unicode's property lookup is that property, scalar for scalar.
final class WhitespaceTests: XCTestCase {
    func testIsSpaceIsUnicodeWhiteSpace() {
        var spaces = 0
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            XCTAssertEqual(CellValueParser.isSpace(scalar), scalar.properties.isWhitespace, String(value, radix: 16))
            if scalar.properties.isWhitespace { spaces += 1 }
        }
        XCTAssertEqual(spaces, 25)
    }
}
