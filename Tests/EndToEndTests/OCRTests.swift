import XCTest
@testable import NianbaoKit

/// Issue 14: scanned reports read by OCR with no wrong cell — an image-only PDF, and a page whose tables are
/// pictures — plus the engine missing, and readings kept by the scan's hash.
final class OCRTests: XCTestCase {
    static var hasTesseract: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tesseract")
            && ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/share/tesseract-ocr")) ?? []).contains { version in
                FileManager.default.fileExists(atPath: "/usr/share/tesseract-ocr/\(version)/tessdata/chi_sim.traineddata")
            }
    }

    let site = Paths.packageRoot.appendingPathComponent("Tests/Support/site")

    func processor(_ directory: URL, tweak: (inout PipelineConfiguration) -> Void = { _ in }) -> DocumentProcessor {
        var configuration = PipelineConfiguration(baseDirectory: directory)
        configuration.stages = [.read, .decode, .extract, .normalize, .validate]
        configuration.fetch.cacheDirectory = "cache"
        configuration.limits.documentSeconds = 600
        tweak(&configuration)
        return DocumentProcessor(configuration: configuration)
    }

    /// The scan of xilin_county_2024.pdf (300 dpi, JPEG pages, no text layer).
    func testImageOnlyPDFIsReadWithoutAWrongCell() throws {
        guard Self.hasTesseract, Paths.hasPdftotext else { throw XCTSkip("tesseract-ocr, tesseract-ocr-chi-sim or poppler-utils missing (make test installs them)") }
        let directory = Paths.temporary()
        // A budget of 5 s for the document: each scanned page adds limits.ocr_page_seconds (20 s) to it.
        let outcome = processor(directory) { $0.limits.documentSeconds = 5 }
            .process(path: site.appendingPathComponent("xilin_county_2024_scan.pdf").path)
        let truth = try ExpectedReport.load(path: site.appendingPathComponent("xilin_county_2024_scan.pdf.expected.json").path)
        let score = Scorer.score(outcome, expected: truth)
        print("scan: exact \(score.exact)/\(truth.cells.count), abstained \(score.abstained), wrong \(score.wrong)")
        XCTAssertEqual(score.wrong, 0, "\(score.details)")
        XCTAssertGreaterThanOrEqual(score.exact, 175, "\(score.details)")
        guard case let .report(info, report) = outcome else { return XCTFail("not read") }
        XCTAssertEqual(info.kind, .scan)
        XCTAssertTrue(report.cells.allSatisfy { $0.ocrConfidence != nil || $0.state == .blank })
        // Figures left out are said, cell by cell, and none of them is stored.
        let unproven = report.findings.filter { $0.rule == .ocrUnproven }
        XCTAssertFalse(unproven.isEmpty)
        for finding in unproven {
            XCTAssertNil(report.cell(finding.table!, finding.row!, finding.col!), finding.message)
        }

        // Read by OCR once: with the engine gone, the same scan reads the same from the cache.
        let again = processor(directory) { $0.decode.tesseract = "/nonexistent/tesseract" }
            .process(path: site.appendingPathComponent("xilin_county_2024_scan.pdf").path)
        guard case let .report(_, cached) = again else { return XCTFail("not read from the OCR cache: \(again)") }
        XCTAssertEqual(cached.cells, report.cells)
    }

    /// Without the per-page allowance the same budget is too short, and the failure says which settings to raise.
    func testScanOverItsBudgetFailsNamingTheSettings() throws {
        guard Self.hasTesseract, Paths.hasPdftotext else { throw XCTSkip("tesseract-ocr, tesseract-ocr-chi-sim or poppler-utils missing (make test installs them)") }
        let outcome = processor(Paths.temporary()) {
            $0.limits.documentSeconds = 2
            $0.limits.ocrPageSeconds = 0
        }.process(path: site.appendingPathComponent("xilin_county_2024_scan.pdf").path)
        guard case let .failed(_, failure, _) = outcome else { return XCTFail("read within 2 s: \(outcome)") }
        XCTAssertEqual(failure.stage, .decode)
        XCTAssertTrue(failure.reason.contains("limits.document_seconds") && failure.reason.contains("limits.ocr_page_seconds"), failure.reason)
    }

    func testMissingEngineIsAFailureNamingThePackages() throws {
        guard Paths.hasPdftotext else { throw XCTSkip("poppler-utils missing") }
        let outcome = processor(Paths.temporary()) { $0.decode.tesseract = "/nonexistent/tesseract" }
            .process(path: site.appendingPathComponent("xilin_county_2024_scan.pdf").path)
        guard case let .failed(_, failure, _) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(failure.stage, .decode)
        XCTAssertTrue(failure.reason.contains("tesseract-ocr") && failure.reason.contains("tesseract-ocr-chi-sim"), failure.reason)
        let off = processor(Paths.temporary()) { $0.decode.ocr = false }.process(path: site.appendingPathComponent("xilin_county_2024_scan.pdf").path)
        guard case let .failed(_, reason, _) = off else { return XCTFail("\(off)") }
        XCTAssertTrue(reason.reason.contains("decode.ocr"), reason.reason)
    }

    /// A web page with the report's text and its tables as PNG pictures (Tests/Support/fault_server.py /trs/img/).
    func testPageWhoseTablesArePicturesIsRead() throws {
        guard Self.hasTesseract, FileManager.default.isExecutableFile(atPath: "/usr/bin/anytopnm") else {
            throw XCTSkip("tesseract-ocr, tesseract-ocr-chi-sim or netpbm missing (make test installs them)")
        }
        let server = try FaultServer()
        defer { server.stop() }
        let directory = Paths.temporary()
        try server.url("/trs/img/xilin.html").write(to: directory.appendingPathComponent("urls.txt"), atomically: true, encoding: .utf8)
        var config = PipelineConfiguration(baseDirectory: directory)
        config.sources = [.urls("urls.txt")]
        config.database = "db.sqlite"
        config.fetch.perHostDelaySeconds = 0
        config.fetch.retries = 0
        config.fetch.cacheDirectory = "cache"
        config.limits.documentSeconds = 600
        let summary = try Pipeline(configuration: config).run()
        XCTAssertEqual(summary.loaded, 1, "\(summary.failures)")
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        let report = try XCTUnwrap(try connection.query("SELECT id, agency, year, attachment, tables_from FROM reports").first)
        XCTAssertEqual(report[1].text, "西临县人民政府")
        XCTAssertEqual(report[2].integer, 2024)
        XCTAssertEqual(report[3].text, server.url("/files/xilin_active.png"))
        XCTAssertEqual(report[4].text, "images")
        let truth = try ExpectedReport.load(path: site.appendingPathComponent("xilin_county_2024.pdf.expected.json").path)
        var stored: [String: (Double?, String)] = [:]
        for cell in try connection.query("SELECT table_code, row_code, col_code, value, flags FROM cells WHERE report_id = ?", [report[0]]) {
            stored["\(cell[0].text!)|\(cell[1].text!)|\(cell[2].text!)"] = (cell[3].real, cell[4].text ?? "")
        }
        let expected = Dictionary(uniqueKeysWithValues: truth.cells.map { ("\($0.table.rawValue)|\($0.row)|\($0.col)", $0.value) })
        let wrong = stored.filter { key, value in expected[key].map { $0 != value.0 } ?? true }
        let exact = stored.filter { key, value in expected[key].map { $0 == value.0 } ?? false }.count
        print("picture tables: exact \(exact)/\(expected.count), wrong \(wrong.count)")
        XCTAssertEqual(wrong.count, 0, "\(wrong)")
        XCTAssertGreaterThanOrEqual(exact, 185)
        XCTAssertTrue(stored.values.filter { $0.0 != nil }.allSatisfy { $0.1.contains("ocr") })
        // The logo that is gone is said, not fatal.
        XCTAssertEqual(try connection.query("SELECT count(*) FROM findings WHERE rule = 'ocr.image_unread'").first?[0].integer, 1)
    }
}
