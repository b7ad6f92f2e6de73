import XCTest
@testable import NianbaoKit

/// Issue 16: untrusted inputs are read exactly or refused with the real reason, and nothing is unbounded.
final class HostileInputTests: XCTestCase {
    var directory: URL!

    override func setUp() { directory = Paths.temporary() }

    func runBinary(_ config: String, extra: [String] = []) throws -> (status: Int32, summary: [String: Any], err: String) {
        let url = directory.appendingPathComponent("c.json")
        try Data(config.utf8).write(to: url)
        let json = directory.appendingPathComponent("summary.json")
        let result = try Paths.run(["run", "--config", url.path, "--quiet", "--summary-json", json.path] + extra)
        let summary = (try? JSONSerialization.jsonObject(with: Data(contentsOf: json))) as? [String: Any] ?? [:]
        return (result.status, summary, result.err)
    }

    /// A 4 MB gzip body inflating to 4 GB used to reach 4.6 GB of memory before fetch.max_bytes stopped it.
    func testGzipBombStopsAtTheLimitWithBoundedMemory() throws {
        _ = try Paths.requireBinary()
        let server = try FaultServer()
        defer { server.stop() }
        try server.url("/bigbomb").write(to: directory.appendingPathComponent("urls.txt"), atomically: true, encoding: .utf8)
        let limit = 20_000_000
        let started = Date()
        let result = try runBinary(#"{"sources": [{"urls": "urls.txt"}], "database": "db.sqlite", "fetch": {"cache_dir": "cache", "max_bytes": \#(limit), "retries": 0}}"#)
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(result.status, 1)
        let failures = result.summary["failures"] as? [[String: Any]] ?? []
        XCTAssertTrue((failures.first?["reason"] as? String)?.contains("max_bytes") == true, "\(failures)")
        let peak = try XCTUnwrap(result.summary["peak_rss_kb"] as? Int)
        print(String(format: "gzip bomb (4 MB → 4 GB, max_bytes 20 MB): stopped in %.2f s, peak RSS %d KB", seconds, peak))
        XCTAssertLessThan(peak * 1024, 2 * limit + 100_000_000)
        XCTAssertLessThan(seconds, 30)
    }

    /// A gzip body of several members is decoded whole (not cut after the first member).
    func testMultiMemberGzipIsReadWhole() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let whole = try server.get("/reports/qinghe_county_2019.html")
        let members = try server.get("/members/qinghe_county_2019.html")
        XCTAssertEqual(members, whole)
        XCTAssertGreaterThan(whole.count, 5000)
    }
}
