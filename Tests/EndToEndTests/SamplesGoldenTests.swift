import XCTest
@testable import NianbaoKit

/// Every sample in samples/ extracts exactly as its expected file says.
final class SamplesGoldenTests: XCTestCase {
    func testEverySampleIsExact() throws {
        let scores = try CorpusScorer().score(directory: Paths.samples.path)
        print(CorpusScorer.table(scores, verbose: true))
        XCTAssertGreaterThanOrEqual(scores.count, 8)
        for score in scores {
            XCTAssertTrue(score.isClean, "\(score.file): \(score.problems + score.details)")
            XCTAssertEqual(score.wrong, 0, score.file)
            XCTAssertEqual(score.abstained, 0, score.file)
        }
    }
}
