import XCTest
@testable import NianbaoKit

/// The repetition ratio counts character pairs by the characters' numbers; the ratios are those of the pairs
/// counted as Strings (stored in `section_similarity`, they must not move).
final class NarrativeRepetitionTests: XCTestCase {
    func testPairNumbersGiveTheStringPairsRatio() {
        // Common characters, digits, a CJK compatibility ideograph and the unified one it is canonically equal to,
        // and a combining mark (the String path).
        let pieces = ["本", "机", "关", "公", "开", "年", "2", "3", "，", " ", "\u{F900}", "\u{8C48}", "a", "e\u{301}", "é"]
        var state: UInt64 = 21
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        var partial = 0
        for _ in 0..<3_000 {
            let a = (0..<next(30)).map { _ in pieces[next(pieces.count)] }.joined()
            let b = (0..<next(30)).map { _ in pieces[next(pieces.count)] }.joined()
            let x = NarrativeRepetition.folded(a), y = NarrativeRepetition.folded(b)
            let expected = x.count >= 2 && y.count >= 2 ? NarrativeRepetition.ratioOfStrings(x, y) : 0
            if expected > 0 && expected < 1 { partial += 1 }
            XCTAssertEqual(NarrativeRepetition.ratio(folded: x, y), expected, "\(a) / \(b)")
        }
        XCTAssertGreaterThan(partial, 1_000)
        XCTAssertEqual(NarrativeRepetition.ratio("豈豈豈", "\u{F900}\u{F900}\u{F900}"), 1)
    }
}
