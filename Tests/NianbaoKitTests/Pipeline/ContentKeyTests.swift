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

    /// The key built from byte lines is the key of the String lines sorted as Strings (keys already stored must not
    /// change): random cells, negative and fractional figures, blanks, and a code outside ASCII (the String path).
    func testByteLinesGiveTheStringLinesKey() {
        let rows = ["new", "granted", "withheld.state_secret", "other", "total", "a", "ab", "b|c", "行"]
        let cols = ["total", "natural_person", "review.upheld", "x"]
        let values: [Double?] = [nil, 0, 1, 12, -3, 3.5, 1e16, 0.0001, 250_000, -0.0, 999_999_999_999_999, -12_345, 1e15, 10, 100]
        var state: UInt64 = 17
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        for _ in 0..<500 {
            let cells = (0..<next(30)).map { _ in
                Cell(table: [TableCode.active, .requests, .appeals][next(3)], row: rows[next(rows.count)], col: cols[next(cols.count)],
                     value: values[next(values.count)], state: [CellState.number, .blank, .na, .text][next(4)], raw: "")
            }
            let report = Report(metadata: ReportMetadata(agency: "某县", year: 2022), cells: cells)
            XCTAssertEqual(ReportIdentity.contentKey(of: report), ReportIdentity.contentKey(cells.map(ReportIdentity.contentLine)))
        }
    }
}
