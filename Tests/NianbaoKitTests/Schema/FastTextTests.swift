import XCTest
@testable import NianbaoKit

/// The byte-level text tests give the answers of the String operations they replace.
final class FastTextTests: XCTestCase {
    private var state: UInt64 = 11
    private func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(state >> 33) % bound
    }

    /// `includes` against a byte-for-byte search of the UTF-8 (what it promises), on CJK, ASCII and mixed strings.
    func testIncludesFindsWhatAByteSearchFinds() {
        let pieces = ["报", "告", "报告", "年度", "政府信息公开", "計量單位", "a", "b", "ab", " ", "1", "（", "）", "\u{301}", "e"]
        func byteSearch(_ hay: String, _ pin: String) -> Bool {
            let h = Array(hay.utf8), p = Array(pin.utf8)
            if p.isEmpty { return true }
            guard p.count <= h.count else { return false }
            return (0...(h.count - p.count)).contains { Array(h[$0..<$0 + p.count]) == p }
        }
        var found = 0
        for _ in 0..<4000 {
            let hay = (0..<next(12)).map { _ in pieces[next(pieces.count)] }.joined()
            let pin = (0..<next(3)).map { _ in pieces[next(pieces.count)] }.joined()
            let expected = byteSearch(hay, pin)
            if expected && !pin.isEmpty { found += 1 }
            XCTAssertEqual(hay.includes(pin), expected, "\(hay) / \(pin)")
        }
        XCTAssertGreaterThan(found, 300)
        // A substring (a slice's own storage is not the whole string's) and bridged-looking strings.
        let long = String(repeating: "政府信息公开工作", count: 100) + "年度报告"
        XCTAssertTrue(long.includes("年度报告"))
        XCTAssertFalse(long.includes("年度报告书"))
        XCTAssertTrue(String(long.dropFirst(3)).includes("工作年度"))
        XCTAssertFalse("".includes("报告"))
        XCTAssertTrue("".includes(""))
    }

    /// `hasAtMost(characters:)` is `count <= limit`, for every limit around the count.
    func testHasAtMostCharactersIsCountAtMost() {
        let pieces = ["报", "a", "e\u{301}", "🇨🇳", " ", "（", "\r\n", "1"]
        for _ in 0..<2000 {
            let text = (0..<next(20)).map { _ in pieces[next(pieces.count)] }.joined()
            for limit in [0, 1, text.count - 1, text.count, text.count + 1, 12, 60] where limit >= 0 {
                XCTAssertEqual(text.hasAtMost(characters: limit), text.count <= limit, "\(text) \(limit)")
            }
        }
    }

    /// `foldsWithoutNormalization` is true exactly where the fold's fast path folds a text by itself, and that fold
    /// never makes 年 of anything else: a caption's year test relies on both (a line without 年 is no caption).
    func testFoldsWithoutNormalizationIsTheFastPathsRange() {
        for value in UInt32(0)...0x2FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            XCTAssertEqual(LabelFolding.foldsWithoutNormalization(text), LabelFolding.fastPath(text, keepAll: true) != nil, "U+\(String(value, radix: 16))")
            if LabelFolding.foldsWithoutNormalization(text), scalar != "年" {
                XCTAssertFalse(LabelFolding.fold(text).contains("年"), "U+\(String(value, radix: 16))")
            }
        }
        XCTAssertNil(TableReader.caption(TableRow(texts: ["本表为上述情况汇总"]), reportYear: 2022))
        XCTAssertNotNil(TableReader.caption(TableRow(texts: ["上表为2021年度情况"]), reportYear: 2022))
        XCTAssertNotNil(TableReader.caption(TableRow(texts: ["（本年度）"]), reportYear: 2022))
    }
}
