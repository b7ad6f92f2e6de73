import XCTest
@testable import NianbaoKit

/// A backfill of a site's report column as government sites publish it (Tests/Support/fault_server.py `/trs/`):
/// pages linked only through a pagination script, link texts cut short, breadcrumbs, reports inline, as a
/// markdown file under a .txt name, and as attachments (.docx, .doc, .pdf) of article pages.
final class ReportColumnTests: XCTestCase {
    /// Expected cells per listed page: the article's attachment, or the page itself.
    let expected: [String: String] = [
        "/reports/qinghe_county_2019.html": "samples/qinghe_county_2019.html",
        "/trs/att/quanbei.html": "samples/quanbei_city_2022.docx",
        "/trs/att/qingfeng.html": "samples/qingfeng_district_2019.doc",
        "/trs/att/xilin.html": "Tests/Support/site/xilin_county_2024.pdf",
        "/trs/md/xiyang.txt": "samples/xiyang_county_2024.md",
        "/trs/att/linchuan.html": "samples/linchuan_transport_2021.html",
    ]

    func testColumnBackfillReadsEveryReportOnceAndExactly() throws {
        guard Paths.hasPdftotext else { throw XCTSkip("pdftotext is not installed (make test installs it)") }
        guard Paths.hasLibreOffice else { throw XCTSkip("LibreOffice is not installed (make test installs it)") }
        let server = try FaultServer()
        defer { server.stop() }
        let directory = Paths.temporary()
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.index(server.url("/trs/index.html"))]
        config.database = "db.sqlite"
        config.fetch.perHostDelaySeconds = 0
        config.fetch.retries = 0
        config.fetch.cacheDirectory = "cache"
        let summary = try Pipeline(configuration: config).run()
        // The column lists seven entries; one is the first report again under another spelling of its address.
        XCTAssertEqual(summary.documents, 6, "\(summary.failures)")
        XCTAssertEqual(summary.loaded, 6)
        XCTAssertEqual(summary.failed, 0)
        let log = try server.log().map(\.path)
        XCTAssertEqual(Set(log.filter { $0.hasPrefix("/trs/index") }), ["/trs/index.html", "/trs/index_1.html", "/trs/index_2.html"])
        XCTAssertFalse(log.contains("/trs/"), "the index is fetched as listed, not as its folder")
        XCTAssertFalse(log.contains("/"), "a breadcrumb is not a report")

        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        let reports = try connection.query("""
            SELECT d.source, r.id, r.agency, r.year, r.attachment, r.tables_from FROM documents d
            JOIN reports r ON r.document_id = d.id
            """)
        XCTAssertEqual(reports.count, 6)
        for row in reports {
            let source = row[0].text!
            let path = String(source.dropFirst(server.url("").count))
            let file = try XCTUnwrap(expected[path], "unexpected document \(source)")
            let truth = try ExpectedReport.load(path: Paths.packageRoot.appendingPathComponent(file + ".expected.json").path)
            XCTAssertEqual(row[2].text, truth.agency, source)
            XCTAssertEqual(row[3].integer.map(Int.init), truth.year, source)
            var stored: [String: Double?] = [:]
            for cell in try connection.query("SELECT table_code, row_code, col_code, value FROM cells WHERE report_id = ?", [row[1]]) {
                stored.updateValue(cell[3].real, forKey: "\(cell[0].text!)|\(cell[1].text!)|\(cell[2].text!)")
            }
            XCTAssertEqual(stored.count, truth.cells.count, source)
            let wrong = truth.cells.filter { stored["\($0.table.rawValue)|\($0.row)|\($0.col)"] != .some($0.value) }
            XCTAssertEqual(wrong.count, 0, "\(source): \(wrong.prefix(5))")
            switch path {
            case "/trs/att/quanbei.html", "/trs/att/qingfeng.html", "/trs/att/xilin.html":
                XCTAssertEqual(row[5].text, "attachment", source)
                XCTAssertTrue(row[4].text?.hasPrefix(server.url("/files/")) == true, source)
            case "/trs/att/linchuan.html":
                // Tables on the page win over its attachment, which is still recorded.
                XCTAssertEqual(row[5].text, "document")
                XCTAssertEqual(row[4].text, server.url("/files/quanbei_city_2022.docx"))
            default:
                XCTAssertEqual(row[5].text, "document", source)
                XCTAssertNil(row[4].text, source)
            }
        }
        // One report per agency and year: nothing counted twice.
        let totals = try connection.query("SELECT COUNT(*), COUNT(DISTINCT agency || year) FROM reports_canonical")
        XCTAssertEqual(totals.first?[0].integer, 6)
        XCTAssertEqual(totals.first?[1].integer, 6)

        // A second night: every page answers as before, nothing is loaded again.
        let second = try Pipeline(configuration: config).run()
        XCTAssertEqual(second.loaded, 0, "\(second.failures)")
        XCTAssertEqual(second.unchanged, 6)
    }
}

extension ReportColumnTests {
    /// A column longer than fetch.max_index_pages: the pages followed are read, and the summary says it was cut.
    func testPaginationCutByTheLimitIsSaid() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let directory = Paths.temporary()
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.index(server.url("/trs/index.html"))]
        config.database = "db.sqlite"
        config.stages = [.fetch]
        config.fetch.perHostDelaySeconds = 0
        config.fetch.maxIndexPages = 2
        config.fetch.cacheDirectory = "cache"
        let summary = try Pipeline(configuration: config).run()
        let source = try XCTUnwrap(summary.sources.first)
        XCTAssertEqual(source.pagesRead, 2)
        XCTAssertTrue(source.paginationCut)
        XCTAssertEqual(source.discovered, 4)
        XCTAssertTrue(summary.text.contains("pagination cut at fetch.max_index_pages"), summary.text)
    }

    /// An article whose attachment cannot be fetched is a failure that names the attachment, never an empty report.
    func testMissingAttachmentIsAFailureNamingIt() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let directory = Paths.temporary()
        try server.url("/trs/att/gone.html").write(to: directory.appendingPathComponent("urls.txt"), atomically: true, encoding: .utf8)
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.urls("urls.txt")]
        config.database = "db.sqlite"
        config.fetch.perHostDelaySeconds = 0
        config.fetch.retries = 0
        config.fetch.cacheDirectory = "cache"
        let summary = try Pipeline(configuration: config).run()
        XCTAssertEqual(summary.failed, 1)
        XCTAssertEqual(summary.loaded, 0)
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        let failure = try connection.query("SELECT stage, reason FROM failures").first
        XCTAssertEqual(failure?[0].text, "fetch")
        XCTAssertTrue(failure?[1].text?.contains(server.url("/files/dongshan_county_2023.pdf")) == true, "\(failure?[1].text ?? "")")
        XCTAssertTrue(failure?[1].text?.contains("HTTP 404") == true, "\(failure?[1].text ?? "")")
        XCTAssertEqual(try connection.query("SELECT COUNT(*) FROM reports").first?[0].integer, 0)
    }
}
