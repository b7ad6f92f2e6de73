import XCTest
@testable import NianbaoKit

/// The parts of OCR that need no engine: images, ruling lines, the engine's TSV, and the gate.
final class OCRUnitTests: XCTestCase {
    /// A white page with a ruled 3 × 3 table whose top-left cell spans two columns.
    func ruledPage() -> GrayImage {
        let width = 900, height = 600
        var pixels = [UInt8](repeating: 255, count: width * height)
        func box(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ value: UInt8 = 0) {
            for y in y0..<y1 { for x in x0..<x1 { pixels[y * width + x] = value } }
        }
        let xs = [100, 300, 500, 800], ys = [100, 200, 300, 400]
        for y in ys { box(100, y, 802, y + 2) }
        for (index, x) in xs.enumerated() {
            // The line between the first two columns stops below the first row: a merged cell.
            box(x, index == 1 ? 200 : 100, x + 2, 402)
        }
        box(600, 240, 640, 260, 40)   // "ink" in the cell of row 2, column 3
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    func testPGMIsReadAndCropped() throws {
        let image = try GrayImage(pgm: Array("P5\n# comment\n3 2\n255\n".utf8) + [0, 128, 255, 255, 0, 10])
        XCTAssertEqual(image.width, 3)
        XCTAssertEqual(image.pixels, [0, 128, 255, 255, 0, 10])
        XCTAssertEqual(image.pgm(of: .init(x: 1, y: 0, width: 2, height: 2)), Array("P5\n2 2\n255\n".utf8) + [128, 255, 0, 10])
        XCTAssertThrowsError(try GrayImage(pgm: Array("P6\n1 1\n255\n".utf8) + [0, 0, 0]))
        XCTAssertThrowsError(try GrayImage(pgm: Array("P5\n4 4\n255\n".utf8) + [0]))
    }

    func testRulingLinesMakeCellsWithMergedOnes() {
        let tables = TableLineDetector(image: ruledPage()).tables()
        XCTAssertEqual(tables.count, 1)
        let table = tables[0]
        XCTAssertEqual(table.rows, 3)
        XCTAssertEqual(table.columns, 3)
        XCTAssertEqual(table.cells.count, 8)
        let first = table.cells[0]
        XCTAssertEqual([first.row, first.column, first.rowSpan, first.columnSpan], [0, 0, 1, 2])
        // Cells are cropped inside their lines.
        let inked = table.cells.filter { ruledPage().inkCount(in: $0.frame) > 0 }
        XCTAssertEqual(inked.map { [$0.row, $0.column] }, [[1, 2]])
    }

    /// A doubled rule (two lines 7 pixels apart on a 300 dpi page, as a Word table's border inside a layout table
    /// prints) once made an empty band between them and stopped the whole run; it is one rule.
    func testADoubledRuleIsOneRule() {
        let width = 2480, height = 700
        var pixels = [UInt8](repeating: 255, count: width * height)
        func box(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
            for y in y0..<y1 { for x in x0..<x1 { pixels[y * width + x] = 0 } }
        }
        let ys = [100, 300, 500]
        for y in ys { box(200, y, 2209, y + 2) }
        for x in [200, 1000, 2000, 2007] { box(x, 100, x + 2, 502) }
        let tables = TableLineDetector(image: GrayImage(width: width, height: height, pixels: pixels)).tables()
        XCTAssertEqual(tables.count, 1)
        XCTAssertEqual(tables.first?.columns, 2)
        XCTAssertEqual(tables.first?.rows, 2)
        XCTAssertTrue(tables.first?.cells.allSatisfy { $0.frame.width > 0 && $0.frame.height > 0 } ?? false)
    }

    func testDeskewFindsTheAngle() {
        let page = ruledPage()
        let skewed = page.rotated(by: -1.5)
        XCTAssertEqual(skewed.skewAngle(), 1.5, accuracy: 0.2, "the rotation that straightens it")
        XCTAssertEqual(TableLineDetector(image: skewed.rotated(by: skewed.skewAngle())).tables().first?.cells.count, 8)
    }

    func testTesseractTSVIsGroupedByCropAndLine() {
        let tsv = """
            level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
            5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t96.5\t行政
            5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t91.0\t许可
            5\t2\t1\t1\t1\t1\t0\t0\t10\t10\t88.0\t12
            5\t2\t1\t1\t1\t2\t0\t0\t10\t10\t95.0\t3
            5\t2\t1\t1\t2\t1\t0\t0\t10\t10\t70.0\t件
            """
        let readings = Tesseract.parse(tsv: tsv, pages: 3)
        XCTAssertEqual(readings.map(\.text), ["行政许可", "12 3\n件", ""])
        XCTAssertEqual(readings.map(\.confidence), [91.0, 70.0, nil])
    }

    func testCellTextAndFigureReadings() {
        XCTAssertEqual(OCRReader.cellText("(CA)其他处理"), "其他处理")
        XCTAssertEqual(OCRReader.cellText("〈一) 予以公开"), "（一) 予以公开")
        XCTAssertEqual(OCRReader.cellText("1.申请人无正当理由\n逾期不补正"), "1.申请人无正当理由逾期不补正")
        XCTAssertEqual(OCRReader.cellText("12\n5"), "12 5")
        let chinese = Tesseract.Reading(text: "多", confidence: 60), digits = Tesseract.Reading(text: "2", confidence: 93)
        // The Chinese model read no figure: the digit model's figure, below what is kept without an identity.
        XCTAssertEqual(OCRReader.choose(chinese, digits), Tesseract.Reading(text: "2", confidence: 80))
        XCTAssertEqual(OCRReader.choose(.init(text: "2", confidence: 91), digits), Tesseract.Reading(text: "2", confidence: 93))
        // Two figures that disagree: the digit model's, in doubt.
        XCTAssertEqual(OCRReader.choose(.init(text: "12", confidence: 95), .init(text: "2", confidence: 96)).confidence, 50)
        XCTAssertEqual(OCRReader.choose(.init(text: "无", confidence: 95), .init(text: "", confidence: nil)).text, "无")
    }

    /// A row whose sum holds keeps its figures; one that fails loses the figures no other identity proves.
    func testGateKeepsWhatIdentitiesProve() {
        var report = Report(metadata: ReportMetadata())
        report.formats = [.requests: .v2021, .appeals: .v2021]
        let columns = TemplateSchema.requestColumns.map(\.code)
        func row(_ code: String, _ values: [Double]) {
            for (column, value) in zip(columns, values) {
                report.cells.append(Cell(table: .requests, row: code, col: column, value: value, state: .number, raw: format(value)))
            }
        }
        row("new", [3, 1, 0, 0, 0, 0, 4])          // holds
        row("carried_over", [1, 0, 0, 0, 0, 0, 7])  // fails: 1 ≠ 7
        // Two figures in the sum prove it; one figure (or none) proves only what both models read alike (≥ 90).
        for (row, values) in [("review", [1.0, 1, 0, 0, 2]), ("suit_direct", [6, 0, 0, 0, 6]), ("suit_after_review", [0, 0, 0, 0, 0])] {
            for (column, value) in zip(["upheld", "corrected", "other", "pending", "total"], values) {
                report.cells.append(Cell(table: .appeals, row: row, col: column, value: value, state: .number, raw: format(value)))
            }
        }
        report.cells.append(Cell(table: .active, row: "licensing", col: "decisions", value: 353, state: .number, raw: "353"))
        report.cells.append(Cell(table: .active, row: "penalty", col: "decisions", value: 25, state: .number, raw: "25"))
        var confidences = Dictionary(uniqueKeysWithValues: ["0", "1", "2", "3", "4", "7"].map { ($0, 80.0) })
        confidences["6"] = 95
        confidences["353"] = 96
        confidences["25"] = 60
        OCRGate.apply(to: &report, confidences: confidences)
        XCTAssertEqual(report.cells.filter { $0.row == "new" }.count, 7)
        XCTAssertTrue(report.cells.allSatisfy { $0.ocrConfidence != nil })
        XCTAssertEqual(report.cells.filter { $0.row == "carried_over" }.count, 0)
        XCTAssertEqual(report.cells.filter { $0.table == .appeals && $0.row == "review" }.count, 5)
        XCTAssertEqual(report.cells.filter { $0.table == .appeals && $0.row == "suit_direct" }.count, 0)  // "0" at 80
        XCTAssertEqual(report.cells.filter { $0.table == .appeals && $0.row == "suit_after_review" }.count, 0)
        XCTAssertNotNil(report.cells.first { $0.row == "licensing" })
        XCTAssertNil(report.cells.first { $0.row == "penalty" })
        XCTAssertEqual(report.findings.filter { $0.rule == .ocrUnproven }.count, 18)
        XCTAssertEqual(report.cells.first { $0.row == "new" }?.flags, "ocr")
    }

    /// A row that adds up is still abstained where a column through it fails: "5 1 … 6" in 予以公开 holds, but
    /// 自然人 and 总计 down the table do not.
    func testAFailingColumnAbstainsTheRowsItCrosses() {
        var report = Report(metadata: ReportMetadata())
        report.formats = [.requests: .v2021]
        let definition = TemplateSchema.table(.requests, .v2021)
        let figures: [String: [Double]] = ["new": [4, 1, 0, 0, 0, 0, 5], "granted": [5, 1, 0, 0, 0, 0, 6], "total": [4, 1, 0, 0, 0, 0, 5]]
        for row in definition.rows {
            for (index, column) in row.columns.enumerated() {
                let value = figures[row.code]?[index] ?? 0
                report.cells.append(Cell(table: .requests, row: row.code, col: column.code, value: value, state: .number, raw: format(value)))
            }
        }
        // "5" and "6" read with doubt: the failing columns are not taken for the published table's error.
        OCRGate.apply(to: &report, confidences: ["0": 99, "1": 99, "4": 99, "5": 70, "6": 70])
        XCTAssertNil(report.cell(.requests, "granted", "natural_person"))
        XCTAssertNil(report.cell(.requests, "granted", "total"))
        XCTAssertNil(report.cell(.requests, "total", "natural_person"))
        // The columns that add up keep their cells.
        XCTAssertEqual(report.cell(.requests, "granted", "commercial")?.value, 1)
        XCTAssertEqual(report.cell(.requests, "new", "research")?.value, 0)
    }

    /// The agency and year of a scanned PDF are readings: said, since no identity checks a name.
    func testMetadataReadByOCRIsFlagged() throws {
        var configuration = PipelineConfiguration(baseDirectory: URL(fileURLWithPath: "."))
        configuration.stages = [.read, .decode, .extract, .normalize, .validate]
        let processor = DocumentProcessor(configuration: configuration)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent("samples/xiyang_county_2024.md")))
        let document = SourceDocument(source: "xiyang.md", bytes: bytes)
        for fromOCR in [false, true] {
            var decoded = try processor.decoder.decode(document, limits: .none)
            decoded.proseFromOCR = fromOCR
            var info = DocumentInfo(source: "xiyang.md", sha256: document.sha256, size: document.size)
            guard case let .report(_, report) = processor.process(decoded: decoded, info: &info, limits: .none, hints: MetadataHints()) else {
                return XCTFail("not read")
            }
            XCTAssertEqual(report.findings.contains { $0.rule == Rule.ocrMetadataUnverified }, fromOCR)
        }
        // A row OCR did not read is a warning about the reading, not an error of the publisher.
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "| 行政强制 | 96 |  |  |\n", with: "")
        for scanned in [false, true] {
            var decoded = try processor.decoder.decode(SourceDocument(source: "xiyang.md", bytes: Array(text.utf8)), limits: .none)
            if scanned { decoded.ocrConfidences = [:] }
            var info = DocumentInfo(source: "xiyang.md", sha256: document.sha256, size: document.size)
            guard case let .report(_, report) = processor.process(decoded: decoded, info: &info, limits: .none, hints: MetadataHints()) else {
                return XCTFail("not read")
            }
            let missing = report.findings.filter { $0.rule == .structureMissingRow }
            XCTAssertFalse(missing.isEmpty)
            XCTAssertEqual(Set(missing.map(\.severity)), scanned ? [.warning] : [.error])
        }
    }
}
