import XCTest
@testable import NianbaoKit

/// The decode stage's walks over a page's bytes skip ASCII and control-free words eight bytes at a time; their
/// answers are those of the byte-by-byte walks, at every alignment and length.
final class ByteScanTests: XCTestCase {
    private var state: UInt64 = 3
    private func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(state >> 33) % bound
    }

    /// Random pages: runs of markup, Chinese in UTF-8 and GBK, control bytes, bad and cut sequences.
    private func page() -> [UInt8] {
        let pieces: [[UInt8]] = [Array("<td>".utf8), Array("abcdefgh".utf8), Array("报告".utf8), Array("\n".utf8),
                                 Array("\r\n\t".utf8), [0x00], [0x01], [0x1F], [0x0C], [0x1B], [0x7F], [0x80], [0xC0, 0x80],
                                 [0xE6, 0x8A], [0xB1, 0xA8], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80], [0xFF], [0x20],
                                 [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xE1, 0x80], [0xEC, 0xC0, 0x80],
                                 [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC2, 0xA0]]
        return (0..<next(40)).flatMap { _ in pieces[next(pieces.count)] }
    }

    private func referenceProfile(_ bytes: [UInt8]) -> (Int, Int) {
        var multiByte = 0, invalid = 0, index = 0
        while index < bytes.count {
            let length = EncodingDetector.sequenceLength(bytes, at: index)
            if length == 0 { invalid += 1; index += 1 } else { if length > 1 { multiByte += 1 }; index += length }
        }
        return (multiByte, invalid)
    }

    private func referenceControls(_ bytes: [UInt8]) -> ([UInt8], Int) {
        var output: [UInt8] = [], count = 0
        for byte in bytes {
            if byte < 0x20 && ![0x09, 0x0A, 0x0D, 0x0C].contains(byte) { output += [0xEF, 0xBF, 0xBD]; count += 1 } else { output.append(byte) }
        }
        return (output, count)
    }

    func testSameAnswersAsByteByByte() {
        var invalidPages = 0, controlPages = 0
        for _ in 0..<5_000 {
            let bytes = page()
            let profile = EncodingDetector.utf8Profile(bytes)
            let reference = referenceProfile(bytes)
            XCTAssertEqual(profile.multiByte, reference.0, "\(bytes)")
            XCTAssertEqual(profile.invalid, reference.1, "\(bytes)")
            XCTAssertEqual(EncodingDetector.isValidUTF8(bytes), reference.1 == 0, "\(bytes)")
            if reference.1 > 0 { invalidPages += 1 }
            let repaired = IconvConverter.repairUTF8(bytes)
            XCTAssertEqual(repaired.replacedBytes, reference.1, "\(bytes)")
            XCTAssertEqual(repaired.utf8, Array(String(decoding: repaired.utf8, as: UTF8.self).utf8), "valid UTF-8 out")
            let marked = Decoder.markControlBytes(bytes)
            let expected = referenceControls(bytes)
            XCTAssertEqual(marked.0, expected.0, "\(bytes)")
            XCTAssertEqual(marked.1, expected.1, "\(bytes)")
            if expected.1 > 0 { controlPages += 1 }
            // The first non-ASCII byte from every start.
            for start in stride(from: 0, through: bytes.count, by: max(1, bytes.count / 5)) {
                let expectedEnd = bytes[start...].firstIndex { $0 >= 0x80 } ?? bytes.count
                XCTAssertEqual(EncodingDetector.endOfASCII(bytes, from: start), expectedEnd)
            }
        }
        XCTAssertGreaterThan(invalidPages, 1_000)
        XCTAssertGreaterThan(controlPages, 1_000)
    }
}
