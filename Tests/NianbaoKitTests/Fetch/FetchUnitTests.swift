import XCTest
@testable import NianbaoKit

final class RetryPolicyTests: XCTestCase {
    func testWhatIsRetried() {
        XCTAssertTrue(RetryPolicy.isRetryable(.success(HTTPResponse(status: 503, headers: [:], body: []))))
        XCTAssertTrue(RetryPolicy.isRetryable(.success(HTTPResponse(status: 429, headers: [:], body: []))))
        XCTAssertTrue(RetryPolicy.isRetryable(.failure(.timeout)))
        XCTAssertTrue(RetryPolicy.isRetryable(.failure(.connection("refused"))))
        XCTAssertFalse(RetryPolicy.isRetryable(.success(HTTPResponse(status: 404, headers: [:], body: []))))
        XCTAssertFalse(RetryPolicy.isRetryable(.success(HTTPResponse(status: 403, headers: [:], body: []))))
        XCTAssertFalse(RetryPolicy.isRetryable(.failure(.tooLarge(limit: 1))))
    }

    func testBackoffAndRetryAfter() {
        let policy = RetryPolicy(retries: 5, backoff: 1, maxBackoff: 10)
        XCTAssertEqual(policy.delay(attempt: 1, retryAfter: nil, jitter: 0), 1)
        XCTAssertEqual(policy.delay(attempt: 3, retryAfter: nil, jitter: 0), 4)
        XCTAssertEqual(policy.delay(attempt: 3, retryAfter: nil, jitter: 0.5), 6)
        XCTAssertEqual(policy.delay(attempt: 9, retryAfter: nil, jitter: 0), 10)
        XCTAssertEqual(policy.delay(attempt: 1, retryAfter: "7", jitter: 0), 7)
        XCTAssertEqual(policy.delay(attempt: 1, retryAfter: "120", jitter: 0), 10)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        XCTAssertEqual(RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now), 10)
    }
}

final class RawCacheTests: XCTestCase {
    func testBodiesByHashAndEntriesByURL() throws {
        let cache = RawCache(directory: temporaryDirectory())
        let body = Array("年度报告".utf8)
        let sha = try cache.store(url: "http://127.0.0.1/a?x=../../etc", finalURL: "http://127.0.0.1/b", status: 200,
                                  headers: ["ETag": "\"1\"", "Set-Cookie": "secret"], body: body)
        XCTAssertEqual(sha, SHA256.hex(body))
        let entry = try XCTUnwrap(cache.entry(for: "http://127.0.0.1/a?x=../../etc"))
        XCTAssertEqual(entry.finalURL, "http://127.0.0.1/b")
        XCTAssertEqual(entry.headers, ["ETag": "\"1\""])
        XCTAssertEqual(cache.body(sha), body)
        XCTAssertNil(cache.entry(for: "http://127.0.0.1/other"))
        // File names are hashes only.
        let names = try FileManager.default.subpathsOfDirectory(atPath: cache.directory.path)
        XCTAssertFalse(names.contains { $0.contains("etc") || $0.contains("127.0.0.1") })
    }

    func testCharsetAndPagination() {
        XCTAssertEqual(Fetcher.charset("text/html; charset=GBK"), "GBK")
        XCTAssertEqual(Fetcher.charset("text/html;charset=\"utf-8\""), "utf-8")
        XCTAssertNil(Fetcher.charset("text/html"))
        XCTAssertTrue(IndexDiscovery.isPagination("下一页"))
        XCTAssertTrue(IndexDiscovery.isPagination("[3]"))
        XCTAssertTrue(IndexDiscovery.isPagination("第2页"))
        XCTAssertFalse(IndexDiscovery.isPagination("2024年度报告"))
    }

    func testFetchConfiguration() throws {
        let config = try PipelineConfiguration.parse(Data("""
            {"sources": [{"urls": "list.tsv"}, {"index": "http://127.0.0.1/index.html"}],
             "stages": ["read", "fetch", "decode"],
             "fetch": {"timeout_seconds": 2.5, "retries": 1, "per_host_delay_seconds": 0.5, "offline": true,
                       "allowed_hosts": ["gov.cn"], "cache_dir": "c"}}
            """.utf8), baseDirectory: URL(fileURLWithPath: "/base"))
        XCTAssertEqual(config.sources, [.urls("list.tsv"), .index("http://127.0.0.1/index.html")])
        XCTAssertEqual(config.fetch.timeoutSeconds, 2.5)
        XCTAssertTrue(config.fetch.offline)
        XCTAssertEqual(config.cachePath, "/base/c")
        XCTAssertThrowsError(try PipelineConfiguration.parse(Data(#"{"sources": [{"path": "a"}], "fetch": {"link_pattern": "("}}"#.utf8),
                                                               baseDirectory: URL(fileURLWithPath: "/")))
        XCTAssertThrowsError(try PipelineConfiguration.parse(Data(#"{"sources": [{"path": "a"}], "fetch": {"retry": 1}}"#.utf8),
                                                               baseDirectory: URL(fileURLWithPath: "/"))) { error in
            XCTAssertTrue("\(error)".contains("fetch.retry"))
        }
    }

    func testNonHTTPAndDisallowedHostsAreRefused() {
        var options = FetchOptions()
        options.allowedHosts = ["gov.cn"]
        let fetcher = Fetcher(options: options, cacheDirectory: temporaryDirectory())
        XCTAssertThrowsError(try fetcher.fetch("file:///etc/passwd")) { XCTAssertEqual(($0 as? StageFailure)?.stage, .fetch) }
        XCTAssertThrowsError(try fetcher.fetch("http://127.0.0.1:9/x")) { error in
            XCTAssertTrue("\(error)".contains("allowed_hosts"))
        }
    }
}
