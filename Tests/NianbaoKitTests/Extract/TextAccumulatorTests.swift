import XCTest
@testable import NianbaoHTML

/// Text nodes joined with whitespace collapsed: runs copied at once give what the byte-by-byte walk gave, whatever
/// the pieces the parser hands over.
final class TextAccumulatorTests: XCTestCase {
    /// The walk as it was: spaces (ASCII, NBSP, ideographic, zero-width, BOM) collapse to one between words.
    private func reference(_ pieces: [[UInt8]]) -> String {
        var bytes: [UInt8] = [], pending = false
        for utf8 in pieces {
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                var space = 0
                switch byte {
                case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20: space = 1
                case 0xC2 where index + 1 < utf8.count && utf8[index + 1] == 0xA0: space = 2
                case 0xE3 where index + 2 < utf8.count && utf8[index + 1] == 0x80 && utf8[index + 2] == 0x80: space = 3
                case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80 && utf8[index + 2] == 0x8B: space = 3
                case 0xEF where index + 2 < utf8.count && utf8[index + 1] == 0xBB && utf8[index + 2] == 0xBF: space = 3
                default: break
                }
                if space > 0 { pending = !bytes.isEmpty; index += space; continue }
                if pending { bytes.append(0x20); pending = false }
                bytes.append(byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func testSameTextAsTheByteWalk() {
        let words = ["报告", "a", "12", " ", "\n", "\u{A0}", "\u{3000}", "\u{200B}", "\u{FEFF}", "\t", "（一）", "\u{C2}"]
        var state: UInt64 = 9
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        for _ in 0..<3_000 {
            let pieces = (0..<next(5)).map { _ in Array((0..<next(6)).map { _ in words[next(words.count)] }.joined().utf8) }
            var accumulator = TextAccumulator()
            for piece in pieces { piece.withUnsafeBufferPointer { accumulator.append(utf8: $0) } }
            XCTAssertEqual(accumulator.take(), reference(pieces), "\(pieces)")
        }
    }
}
