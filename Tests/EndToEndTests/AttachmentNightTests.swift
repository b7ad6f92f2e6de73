import XCTest
@testable import NianbaoKit

/// An article page whose report is its attachment, through a bad night and an offline rebuild.
///
/// The document's SHA-256 is a digest of the page's and the attachment's, naming no body of the raw cache, so
/// the cache never learned which bodies gave the report: after a maintenance night an offline rebuild had nothing
/// to read it from (a plain page in the same situation was recovered).
final class AttachmentNightTests: XCTestCase {
    func testAnAttachmentReportIsRebuiltFromItsLastGoodBodies() throws {
        let directory = Paths.temporary()
        let site = directory.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.samples.appendingPathComponent("quanbei_city_2022.docx"),
                                         to: site.appendingPathComponent("report.docx"))
        try Data("""
            <html><head><meta charset="utf-8"><title>泉北市人民政府2022年政府信息公开工作年度报告</title></head><body>
            <h1>泉北市人民政府2022年政府信息公开工作年度报告</h1><p>发布日期：2023-01-20</p>
            <p>附件：<a href="report.docx">泉北市人民政府2022年政府信息公开工作年度报告.docx</a></p></body></html>
            """.utf8).write(to: site.appendingPathComponent("article.html"))
        let server = try FaultServer(site: site)
        defer { server.stop() }
        try server.url("/site/article.html").write(to: directory.appendingPathComponent("urls.txt"), atomically: true, encoding: .utf8)
        func configuration(database: String, offline: Bool) -> PipelineConfiguration {
            var config = PipelineConfiguration(baseDirectory: directory)
            config.sources = [.urls("urls.txt")]
            config.database = database
            config.fetch.perHostDelaySeconds = 0
            config.fetch.retries = 0
            config.fetch.cacheDirectory = "cache"
            config.fetch.offline = offline
            return config
        }
        let first = try Pipeline(configuration: configuration(database: "db.sqlite", offline: false)).run()
        XCTAssertEqual(first.loaded, 1, "\(first.failures)")
        let good = try cells(directory.appendingPathComponent("db.sqlite"))
        XCTAssertGreaterThan(good.count, 150)
        let cache = RawCache(directory: directory.appendingPathComponent("cache"))
        for path in ["/site/article.html", "/site/report.docx"] {
            XCTAssertNotNil(cache.lastGoodBody(for: server.url(path)), "no last good body recorded for \(path)")
        }

        try server.setMode("maintenance")
        let second = try Pipeline(configuration: configuration(database: "db.sqlite", offline: false)).run()
        XCTAssertEqual(second.keptStale, 1, "\(second.failures)")
        XCTAssertEqual(try cells(directory.appendingPathComponent("db.sqlite")), good)

        // A new database rebuilt from the cache alone, whose latest bodies are maintenance pages.
        let rebuilt = try Pipeline(configuration: configuration(database: "rebuilt.sqlite", offline: true)).run()
        XCTAssertEqual(rebuilt.count(.recovered), 1, "\(rebuilt.failures)")
        XCTAssertEqual(try cells(directory.appendingPathComponent("rebuilt.sqlite")), good)
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("rebuilt.sqlite").path, readOnly: true)
        XCTAssertEqual(try connection.query("SELECT stale, tables_from, attachment FROM reports"),
                       [[.integer(1), .text("attachment"), .text(server.url("/site/report.docx"))]])
    }

    private func cells(_ database: URL) throws -> [String] {
        try SQLiteConnection(path: database.path, readOnly: true).query("""
            SELECT c.table_code || '.' || c.row_code || '.' || c.col_code || '=' || coalesce(c.value, 'null') || '/' || c.state
            FROM reports r JOIN cells c ON c.report_id = r.id ORDER BY 1
            """).map { $0[0].text ?? "" }
    }
}
