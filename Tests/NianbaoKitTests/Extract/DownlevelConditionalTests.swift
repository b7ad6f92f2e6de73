import XCTest
@testable import NianbaoHTML

/// Word's downlevel conditionals are dropped as the byte walk dropped them, wherever they fall.
final class DownlevelConditionalTests: XCTestCase {
    /// The walk as it was, byte by byte.
    private func reference(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count > 3, bytes.indices.dropLast(2).contains(where: { bytes[$0] == 0x3C && bytes[$0 + 1] == 0x21 && bytes[$0 + 2] == 0x5B }) else {
            return bytes
        }
        var result: [UInt8] = [], index = 0
        while index < bytes.count {
            if index + 5 < bytes.count, bytes[index] == 0x3C, bytes[index + 1] == 0x21, bytes[index + 2] == 0x5B,
               (bytes[index + 3] | 0x20) == 0x69 || (bytes[index + 3] | 0x20) == 0x65 {
                var end = index + 3
                while end + 1 < bytes.count, !(bytes[end] == 0x5D && bytes[end + 1] == 0x3E), end - index < 200 { end += 1 }
                if end + 1 < bytes.count, bytes[end] == 0x5D, bytes[end + 1] == 0x3E { index = end + 2; continue }
            }
            result.append(bytes[index])
            index += 1
        }
        return result
    }

    func testSameBytesAsTheWalk() {
        let pieces = ["<![if !supportLists]>", "<![endif]>", "<![IF x]>", "<![CDATA[", "]>", "]", ">", "<", "<!", "<![", "<p>",
                      "二、", "x", String(repeating: "y", count: 210), "<![e", "<![i"]
        var state: UInt64 = 13
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        var changed = 0
        for _ in 0..<5_000 {
            let bytes = Array((0..<next(8)).map { _ in pieces[next(pieces.count)] }.joined().utf8)
            let expected = reference(bytes)
            if expected != bytes { changed += 1 }
            XCTAssertEqual(HTMLOutlineReader.withoutDownlevelConditionals(bytes), expected, String(decoding: bytes, as: UTF8.self))
        }
        XCTAssertGreaterThan(changed, 1_000)
    }
}
