import XCTest
@testable import NianbaoKit

/// The fetch stage against a real HTTP server on 127.0.0.1 with injected faults.
final class FetchTests: XCTestCase {
    func configuration(_ directory: URL, sources: [PipelineConfiguration.Source], tweak: (inout FetchOptions) -> Void = { _ in })
        -> PipelineConfiguration {
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = sources
        config.database = "db.sqlite"
        config.workers = 4
        config.fetch.timeoutSeconds = 1
        config.fetch.retries = 2
        config.fetch.backoffSeconds = 0.05
        config.fetch.perHostDelaySeconds = 0
        config.fetch.perHostConcurrency = 4
        config.fetch.maxBytes = 1_000_000
        config.fetch.cacheDirectory = "cache"
        tweak(&config.fetch)
        return config
    }

    func writeList(_ urls: [String], in directory: URL) throws -> PipelineConfiguration.Source {
        try urls.joined(separator: "\n").write(to: directory.appendingPathComponent("urls.txt"), atomically: true, encoding: .utf8)
        return .urls("urls.txt")
    }

    func failures(_ directory: URL) throws -> [String: String] {
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        var result: [String: String] = [:]
        for row in try connection.query("SELECT source, stage || ': ' || reason FROM failures") { result[row[0].text!] = row[1].text! }
        return result
    }

    func testFaultsAreRetriedOrRecorded() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let directory = Paths.temporary()
        let good = ["/flaky/qinghe_county_2019.html", "/ratelimited/linchuan_transport_2021.html", "/gbk",
                    "/gzip/nanshan_health_2023.txt"]
        let bad = ["/slow": "timed out", "/missing": "HTTP 404", "/loop/a": "redirect loop", "/ftp": "non-http",
                   "/huge": "max_bytes", "/bomb": "max_bytes"]
        let source = try writeList((good + bad.keys.sorted()).map(server.url), in: directory)
        let summary = try Pipeline(configuration: configuration(directory, sources: [source])).run()
        XCTAssertEqual(summary.loaded, good.count, "\(summary.failures)")
        XCTAssertEqual(summary.failed, bad.count)
        XCTAssertEqual(summary.exitCode(failOn: []), 1)
        let recorded = try failures(directory)
        for (path, reason) in bad {
            XCTAssertTrue(recorded[server.url(path)]?.contains(reason) == true, "\(path): \(recorded[server.url(path)] ?? "not recorded")")
            XCTAssertTrue(recorded[server.url(path)]?.hasPrefix("fetch:") == true)
        }
        let log = try server.log()
        // 500 then 200; 429 honoured with its Retry-After of one second; 404 never retried.
        XCTAssertEqual(log.filter { $0.path.hasPrefix("/flaky/") }.count, 2)
        let limited = log.filter { $0.path.hasPrefix("/ratelimited/") }
        XCTAssertEqual(limited.count, 2)
        XCTAssertGreaterThanOrEqual(limited[1].start - limited[0].start, 0.95)
        XCTAssertEqual(log.filter { $0.path == "/missing" }.count, 1)
        XCTAssertEqual(log.filter { $0.path == "/slow" }.count, 3)
        // The GBK page's charset came from the header only.
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        let gbk = try connection.query("SELECT d.encoding, r.agency FROM documents d JOIN reports r ON r.document_id = d.id WHERE d.source LIKE '%/gbk'")
        XCTAssertEqual(gbk.first?[0].text, "GB18030")
        XCTAssertEqual(gbk.first?[1].text, "浛水县松溪镇人民政府")
    }

    func testSecondRunSendsConditionalRequestsAndLoadsNothing() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let directory = Paths.temporary()
        let names = ["qinghe_county_2019.html", "xiyang_county_2024.md", "dongping_district_2020.txt"]
        let source = try writeList(names.map { server.url("/etag/\($0)") }, in: directory)
        let config = configuration(directory, sources: [source])
        XCTAssertEqual(try Pipeline(configuration: config).run().loaded, 3)
        let second = try Pipeline(configuration: config).run()
        XCTAssertEqual(second.unchanged, 3)
        XCTAssertEqual(second.loaded, 0)
        let conditional = try server.log().filter { $0.if_none_match != nil && $0.if_modified_since != nil }
        XCTAssertEqual(conditional.count, 3)

        // Offline: a fresh database filled from the cache alone, with the server gone.
        server.stop()
        var offline = config
        offline.database = "offline.sqlite"
        offline.fetch.offline = true
        let fromCache = try Pipeline(configuration: offline).run()
        XCTAssertEqual(fromCache.loaded, 3, "\(fromCache.failures)")
    }

    func testIndexPagesAreFollowedThroughPagination() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let directory = Paths.temporary()
        let config = configuration(directory, sources: [.index(server.url("/index/1.html"))])
        let summary = try Pipeline(configuration: config).run()
        XCTAssertEqual(summary.documents, 5, "\(summary.failures)")
        XCTAssertEqual(summary.loaded, 5)
        let pages = Set(try server.log().map(\.path).filter { $0.hasPrefix("/index/") })
        XCTAssertEqual(pages, ["/index/1.html", "/index/2.html", "/index/3.html"])
    }

    func testPolitenessPerHost() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let directory = Paths.temporary()
        let names = ["qinghe_county_2019.html", "linchuan_transport_2021.html", "dongping_district_2020.txt",
                     "nanshan_health_2023.txt", "xiyang_county_2024.md", "hetian_county_2024_errors.txt"]
        let source = try writeList(names.map { server.url("/slowreports/\($0)") }, in: directory)
        let config = configuration(directory, sources: [source]) { fetch in
            fetch.perHostConcurrency = 2
            fetch.perHostDelaySeconds = 0.2
        }
        XCTAssertEqual(try Pipeline(configuration: config).run().loaded, names.count)
        let starts = try server.log().filter { $0.path.hasPrefix("/slowreports/") }.map(\.start).sorted()
        XCTAssertEqual(starts.count, names.count)
        for (earlier, later) in zip(starts, starts.dropFirst()) { XCTAssertGreaterThanOrEqual(later - earlier, 0.18) }
        XCTAssertLessThanOrEqual(try server.log().map(\.in_flight_at_start).max() ?? 0, 2)
    }

    func testPullingThePlugLosesNothing() throws {
        let server = try FaultServer()
        let port = server.port
        let directory = Paths.temporary()
        let names = ["qinghe_county_2019.html", "linchuan_transport_2021.html", "dongping_district_2020.txt",
                     "nanshan_health_2023.txt", "xiyang_county_2024.md", "hetian_county_2024_errors.txt",
                     "beiyuan_city_2021_hybrid.txt", "songxi_town_2022_gbk.html"]
        let urls = names.map { server.url("/slowreports/\($0)") }
        let source = try writeList(urls, in: directory)
        let config = configuration(directory, sources: [source]) { fetch in
            fetch.perHostConcurrency = 1
            fetch.retries = 1
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.8) { server.stop() }
        let first = try Pipeline(configuration: config).run()
        XCTAssertEqual(first.loaded + first.failed, names.count)
        XCTAssertGreaterThan(first.loaded, 0)
        XCTAssertGreaterThan(first.failed, 0, "the server was stopped too late to test anything")

        let restarted = try FaultServer(port: port)
        defer { restarted.stop() }
        let second = try Pipeline(configuration: config).run()
        XCTAssertEqual(second.failed, 0, "\(second.failures)")
        XCTAssertEqual(second.unchanged, first.loaded)
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        XCTAssertEqual(try connection.query("SELECT count(*) FROM reports").first?.first?.integer, Int64(names.count))
        XCTAssertEqual(try connection.query("SELECT count(*) FROM failures").first?.first?.integer, 0)
        XCTAssertEqual(try connection.query("SELECT count(DISTINCT source) FROM documents").first?.first?.integer, Int64(names.count))
    }
}
