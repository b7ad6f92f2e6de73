import XCTest
@testable import NianbaoKit

final class PipelineConfigurationTests: XCTestCase {
    func parse(_ json: String) throws -> PipelineConfiguration {
        try PipelineConfiguration.parse(Data(json.utf8), baseDirectory: URL(fileURLWithPath: "/base"))
    }

    func errorKey(_ json: String) -> String? {
        do {
            _ = try parse(json)
            return nil
        } catch let NianbaoError.configuration(key, _) {
            return key
        } catch {
            return "other"
        }
    }

    func testFullConfiguration() throws {
        let config = try parse("""
            {"sources": [{"path": "samples"}, {"path": "/abs/*.html"}], "database": "out/x.sqlite", "workers": 3,
             "stages": ["read", "decode", "extract", "normalize", "validate"],
             "read": {"max_bytes": 1000, "include": ["*.txt"]}, "decode": {"fallback_encoding": "gbk"},
             "validate": {"severities": {"requests.row_sum": "warning"}, "fail_on": ["error"], "report_not_checkable": false},
             "load": {"batch_size": 10}, "analysis": {"ranking_min_cases": 50}}
            """)
        XCTAssertEqual(config.sources, [.path("samples"), .path("/abs/*.html")])
        XCTAssertEqual(config.databasePath, "/base/out/x.sqlite")
        XCTAssertEqual(config.workers, 3)
        XCTAssertFalse(config.stages.contains(.load))
        XCTAssertEqual(config.read.maxBytes, 1000)
        XCTAssertEqual(config.validate.severities[.requestsRowSum], .warning)
        XCTAssertEqual(config.validate.failOn, [.error])
        XCTAssertFalse(config.validate.reportNotCheckable)
        XCTAssertEqual(config.load.batchSize, 10)
        XCTAssertEqual(config.analysis.rankingMinimumCases, 50)
    }

    func testErrorsNameTheKey() {
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "wrokers": 2}"#), "wrokers")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "read": {"max_byte": 2}}"#), "read.max_byte")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "workers": -1}"#), "workers")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "workers": true}"#), "workers")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "stages": ["read", "load"]}"#), "stages")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a", "urls": "b"}]}"#), "sources[0]")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "validate": {"fail_on": ["fatal"]}}"#), "validate.fail_on")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "decode": {"fallback_encoding": "klingon"}}"#), "decode.fallback_encoding")
        XCTAssertEqual(errorKey(#"{"workers": 1}"#), "sources")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "database": "a", "load": {"database": "b"}}"#), "load.database")
        XCTAssertEqual(errorKey("not json"), "(file)")
        // Accepted before, and a run then wrote nothing useful or failed late (adv26).
        XCTAssertEqual(errorKey(#"{"sources": []}"#), "sources")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "workers": 100000000}"#), "workers")
        XCTAssertEqual(errorKey(#"{"sources": [{"index": "ftp://example.org/reports/"}]}"#), "sources[0].index")
        XCTAssertEqual(errorKey(#"{"sources": [{"index": "reports/index.html"}]}"#), "sources[0].index")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "analysis": {"ranking_min_cases": 0}}"#), "analysis.ranking_min_cases")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "analysis": {"ranking_min_cases": 18446744073709551617}}"#), "analysis.ranking_min_cases")
    }

    /// A misspelt rule id used to be accepted and then ignored: the override silently did nothing.
    func testUnknownRuleIdsAreRefusedNamingTheKey() throws {
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "validate": {"severities": {"requests.row_summ": "warning"}}}"#),
                       "validate.severities.requests.row_summ")
        XCTAssertEqual(errorKey(#"{"sources": [{"path": "a"}], "validate": {"disabled_rules": ["appeals.rowsum"]}}"#), "validate.disabled_rules")
        let config = try parse(#"{"sources": [{"path": "a"}], "validate": {"disabled_rules": ["requests.carry_chain"]}}"#)
        XCTAssertEqual(config.validate.disabledRules, [.requestsCarryChain])
    }

    func testOrderedWorkQueueDeliversInOrderWithinTheWindow() {
        let queue = OrderedWorkQueue<Int>(count: 100, window: 4)
        let group = DispatchGroup()
        for _ in 0..<3 {
            DispatchQueue.global().async(group: group) {
                while let index = queue.claim() {
                    if index % 7 == 0 { usleep(500) }
                    queue.complete(index, index)
                }
            }
        }
        var seen: [Int] = []
        while let batch = queue.nextBatch(limit: 5) {
            XCTAssertLessThanOrEqual(batch.count, 5)
            seen += batch
        }
        group.wait()
        XCTAssertEqual(seen, Array(0..<100))
    }
}

final class TimeBudgetTests: XCTestCase {
    func testDocumentOverBudgetIsAFailure() {
        var configuration = PipelineConfiguration(baseDirectory: URL(fileURLWithPath: "."))
        configuration.stages = [.read, .decode, .extract, .normalize, .validate]
        configuration.limits.documentSeconds = 0.000_001
        let processor = DocumentProcessor(configuration: configuration)
        let text = String(repeating: "一、总体情况\n正文。\n", count: 2000)
        let document = SourceDocument(source: "slow.txt", bytes: Array(text.utf8))
        var info = DocumentInfo(source: "slow.txt", sha256: document.sha256, size: document.size)
        guard case let .failed(_, failure, _) = processor.process(document, info: &info) else { return XCTFail("expected a failure") }
        XCTAssertTrue(failure.reason.contains("time budget"), failure.reason)
    }
}
