import XCTest
@testable import NianbaoKit

/// The real reports of ../shared/corpus/real (skipped where ../shared is absent).
final class CorpusTests: XCTestCase {
    func testSeedReportIsExtractedExactly() throws {
        let corpus = try Paths.requireCorpus()
        let name = "henan_zhumadian_city_2019.txt"
        let expected = try ExpectedReport.load(path: corpus.appendingPathComponent(name + ".expected.json").path)
        let outcome = CorpusScorer().processor.process(path: corpus.appendingPathComponent(name).path)
        let score = Scorer.score(outcome, expected: expected)
        XCTAssertEqual(score.exact, expected.cells.count, "\(score.details)")
        XCTAssertEqual(expected.cells.count, 198)
        XCTAssertTrue(score.isClean, "\(score.problems + score.details)")
        guard case let .report(_, report) = outcome else { return XCTFail("the seed did not load") }
        XCTAssertEqual(report.findings.filter { $0.severity != .info }.count, 0, "\(report.findings)")
        XCTAssertEqual(report.metadata.agency, "驻马店市人民政府")
        XCTAssertEqual(report.metadata.year, 2019)
    }

    /// Runs the whole corpus and prints the score; reaching 100% is tracked separately, but a wrong figure
    /// stored silently in a loaded report is never acceptable.
    func testScoredRunOverTheCorpus() throws {
        let corpus = try Paths.requireCorpus()
        let scores = try CorpusScorer().score(directory: corpus.path)
        let table = CorpusScorer.table(scores, verbose: false)
        print(table)
        let expectedFiles = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".expected.json") }
        XCTAssertEqual(scores.count, expectedFiles.count)
        XCTAssertEqual(scores.reduce(0) { $0 + $1.silentErrors }, 0, table)
    }
}
