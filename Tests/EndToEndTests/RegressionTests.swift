import XCTest
@testable import NianbaoKit

/// Reports that once exposed bugs (Tests/Support/regression): all exact, no false alarm.
final class RegressionTests: XCTestCase {
    func testRegressionReports() throws {
        let directory = Paths.packageRoot.appendingPathComponent("Tests/Support/regression")
        let scores = try CorpusScorer().score(directory: directory.path)
        print(CorpusScorer.table(scores, verbose: true))
        XCTAssertGreaterThanOrEqual(scores.count, 172)
        for score in scores {
            XCTAssertTrue(score.isClean, "\(score.file): \(score.problems + score.details)")
            XCTAssertEqual(score.wrong, 0, score.file)
        }
        // Abstentions only where the document is ambiguous (the 30 of the two *_headers_disagree documents: table 四's
        // header contradicts itself).
        XCTAssertLessThanOrEqual(scores.reduce(0) { $0 + $1.abstained }, 162)
    }
}
