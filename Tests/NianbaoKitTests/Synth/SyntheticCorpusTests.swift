import XCTest
import NianbaoHTML
@testable import NianbaoKit

final class SyntheticCorpusTests: XCTestCase {
    func testDeterministic() throws {
        let first = try SyntheticCorpus(seed: 42).document(7)
        let again = try SyntheticCorpus(seed: 42).document(7)
        XCTAssertEqual(first.bytes, again.bytes)
        XCTAssertEqual(first.expected, again.expected)
        XCTAssertNotEqual(try SyntheticCorpus(seed: 43).document(7).bytes, first.bytes)
    }

    func testHTMLPagesHaveRealSize() throws {
        let corpus = SyntheticCorpus(seed: 3, htmlOnly: true)
        for index in 1..<6 where index % 3 != 0 {
            let size = try corpus.document(index).bytes.count
            XCTAssertTrue((50_000...120_000).contains(size), "\(size) bytes")
        }
    }

    /// A page whose report sits after a site's navigation (hundreds of blocks of links and dates) still gives the
    /// report's own publication date, the one printed under its title — not a list item's.
    func testPublicationDateUnderTheTitleAfterTheNavigation() throws {
        HTMLOutlineReader.prepare()
        var configuration = PipelineConfiguration(baseDirectory: URL(fileURLWithPath: "."))
        configuration.stages = [.read, .decode, .extract, .normalize, .validate]
        let processor = DocumentProcessor(configuration: configuration)
        let corpus = SyntheticCorpus(seed: 2026, htmlOnly: true)
        var checked = 0
        for index in 0..<6 {
            let generated = try corpus.document(index)
            // (The GBK pages are skipped: their bytes are not searched here.)
            let page = String(decoding: generated.bytes, as: UTF8.self)
            guard let label = page.range(of: "发布日期：") else { continue }
            let printed = String(page[label.upperBound...].prefix(10))
            let document = SourceDocument(source: generated.name, bytes: generated.bytes)
            var info = DocumentInfo(source: generated.name, sha256: document.sha256, size: document.size)
            guard case let .report(_, report) = processor.process(document, info: &info) else { return XCTFail("\(generated.name) not read") }
            XCTAssertEqual(report.metadata.publishedOn, printed, generated.name)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 3)
    }

    /// A thousand generated documents, every layout, extract at 100 %.
    func testThousandDocumentsExtractExactly() throws {
        HTMLOutlineReader.prepare()
        var configuration = PipelineConfiguration(baseDirectory: URL(fileURLWithPath: "."))
        configuration.stages = [.read, .decode, .extract, .normalize, .validate]
        let processor = DocumentProcessor(configuration: configuration)
        let corpus = SyntheticCorpus(seed: 20261129)
        let count = 1000
        final class Collector: @unchecked Sendable {
            let lock = NSLock()
            var failures: [String] = []
            var cells = 0
            func add(_ cells: Int, _ failure: String?) {
                lock.lock()
                self.cells += cells
                if let failure { failures.append(failure) }
                lock.unlock()
            }
        }
        let collector = Collector()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in stride(from: worker, to: count, by: 4) {
                do {
                    let generated = try corpus.document(index)
                    let document = SourceDocument(source: generated.name, bytes: generated.bytes)
                    var info = DocumentInfo(source: generated.name, sha256: document.sha256, size: document.size)
                    let expected = try ExpectedReport.parse(Data(generated.expected.utf8), name: generated.name)
                    let score = Scorer.score(processor.process(document, info: &info), expected: expected)
                    let clean = score.isClean && score.abstained == 0
                    collector.add(score.exact, clean ? nil : "\(generated.name): \(score.problems + score.details.prefix(3))")
                } catch {
                    collector.add(0, "\(index): \(error)")
                }
            }
        }
        XCTAssertEqual(collector.failures, [])
        XCTAssertGreaterThan(collector.cells, 190_000)
    }
}
