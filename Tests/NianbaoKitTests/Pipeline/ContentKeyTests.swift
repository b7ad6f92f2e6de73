import XCTest
@testable import NianbaoKit

/// The content key of a report's cells is worked out on the worker that read it (issue 18: it was two fifths of the
/// single writer's work per document). The key stored must be the one the writer computed before.
final class ContentKeyTests: XCTestCase {
    func cells() -> [Cell] {
        [Cell(table: .requests, row: "new", col: "total", value: 12, state: .number, raw: "12"),
         Cell(table: .requests, row: "granted", col: "total", value: 3.5, state: .number, raw: "3.5"),
         Cell(table: .appeals, row: "review", col: "total", value: nil, state: .blank, raw: "")]
    }

    func testTheWorkerSetsTheKeyOfTheCellsAndAChangeOfTheCellsClearsIt() {
        var report = Report(metadata: ReportMetadata(agency: "某县人民政府", year: 2022), cells: cells())
        XCTAssertNil(report.contentKey)
        report.contentKey = ReportIdentity.contentKey(of: report)
        XCTAssertNotNil(report.contentKey)
        report.metadata.title = "another title"   // metadata is not part of the key
        XCTAssertEqual(report.contentKey, ReportIdentity.contentKey(of: report))
        report.cells[0].value = 13
        XCTAssertNil(report.contentKey, "a key worked out before the cells changed must not be stored")
        report.contentKey = ReportIdentity.contentKey(of: report)
        report.cells.append(Cell(table: .requests, row: "other", col: "total", value: 1, state: .number, raw: "1"))
        XCTAssertNil(report.contentKey)
    }

    /// A run stores, for every report, the key of its cells as the writer worked it out before: from the reports'
    /// own cells, whether or not a worker set it.
    func testStoredKeysAreThoseOfTheCells() throws {
        let directory = temporaryDirectory()
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples")
        // The samples read without a converter (LibreOffice would take seconds here).
        let inbox = directory.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: samples.path) where [".html", ".txt", ".md"].contains(where: name.hasSuffix) {
            try FileManager.default.copyItem(at: samples.appendingPathComponent(name), to: inbox.appendingPathComponent(name))
        }
        var configuration = PipelineConfiguration(baseDirectory: directory)
        configuration.sources = [.path(inbox.path)]
        configuration.database = "db.sqlite"
        _ = try Pipeline(configuration: configuration).run()
        let connection = try SQLiteConnection(path: directory.appendingPathComponent("db.sqlite").path)
        var stored: [String: String] = [:]
        for row in try connection.query("SELECT source, content_key FROM reports") { stored[row[0].text!] = row[1].text! }
        XCTAssertGreaterThan(stored.count, 5)
        var processing = configuration
        processing.stages = [.read, .decode, .extract, .normalize, .validate]
        let processor = DocumentProcessor(configuration: processing)
        for (source, key) in stored {
            guard case let .report(_, report) = processor.process(path: source) else { XCTFail(source); continue }
            XCTAssertNil(report.contentKey, "no load stage, no key")
            XCTAssertEqual(ReportIdentity.contentKey(of: report), key, source)
        }
        let loading = DocumentProcessor(configuration: configuration)
        for (source, key) in stored {
            guard case let .report(_, report) = loading.process(path: source) else { XCTFail(source); continue }
            XCTAssertEqual(report.contentKey, key, source)
        }
    }
}
