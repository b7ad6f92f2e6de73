import NianbaoHTML
import XCTest
import ZIPFoundation
@testable import NianbaoKit

final class WordReaderTests: XCTestCase {
    static let namespace = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

    func cell(_ text: String, span: Int = 1, merge: String? = nil) -> String {
        var properties = span > 1 ? "<w:gridSpan w:val=\"\(span)\"/>" : ""
        if let merge { properties += merge == "restart" ? "<w:vMerge w:val=\"restart\"/>" : "<w:vMerge/>" }
        let paragraphs = text.split(separator: "|", omittingEmptySubsequences: false).map { "<w:p><w:r><w:t>\($0)</w:t></w:r></w:p>" }.joined()
        return "<w:tc><w:tcPr>\(properties)</w:tcPr>\(paragraphs)</w:tc>"
    }

    /// Word's grid: gridSpan is a column span; vMerge restart/continue is a row span; gridBefore shifts a row.
    func testTablesAreLaidOutFromWordsGrid() {
        let xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document \(Self.namespace)><w:body>
            <w:p><w:r><w:t>三、收到和处理</w:t></w:r><w:r><w:t>政府信息公开申请情况</w:t></w:r></w:p>
            <w:p><w:r><w:delText>删除的字</w:delText></w:r></w:p>
            <w:tbl>
              <w:tr>\(cell("三、本|年度办|理结果", merge: "restart"))\(cell("（一）予以公开", span: 2))\(cell("5"))</w:tr>
              <w:tr>\(cell("", merge: "continue"))\(cell("（三）不予公开", merge: "restart"))\(cell("1.属于国家秘密"))\(cell("0"))</w:tr>
              <w:tr>\(cell("", merge: "continue"))\(cell("", merge: "continue"))\(cell("2.其他法律行政法规禁止公开"))\(cell("1"))</w:tr>
              <w:tr><w:trPr><w:gridBefore w:val="3"/></w:trPr>\(cell("7"))</w:tr>
            </w:tbl>
            <w:sdt><w:sdtContent><w:p><w:r><w:t>四、政府信息公开</w:t></w:r><w:r><w:tab/><w:t>行政复议</w:t></w:r></w:p></w:sdtContent></w:sdt>
            </w:body></w:document>
            """
        let outline = DOCXOutlineReader.read(documentXML: Array(xml.utf8))
        XCTAssertEqual(outline.problems, [])
        guard outline.blocks.count == 3, case let .table(table) = outline.blocks[1] else { return XCTFail("\(outline.blocks)") }
        XCTAssertEqual(outline.blocks[0], .text("三、收到和处理政府信息公开申请情况"))
        XCTAssertEqual(outline.blocks[2], .text("四、政府信息公开\t行政复议"))
        XCTAssertEqual(table.rows[0].map(\.rowSpan), [3, 1, 1])
        XCTAssertEqual(table.rows[0].map(\.colSpan), [1, 2, 1])
        XCTAssertEqual(table.rows[0][0].fragments, ["三、本", "年度办", "理结果"])
        XCTAssertEqual(table.rows[1].map(\.text), ["（三）不予公开", "1.属于国家秘密", "0"])
        XCTAssertEqual(table.rows[1][0].rowSpan, 2)
        XCTAssertEqual(table.rows[2].map(\.text), ["2.其他法律行政法规禁止公开", "1"])
        // w:gridBefore leaves three grid columns out: an empty cell keeps them, so "7" stays in the fourth.
        XCTAssertEqual(table.rows[3].map(\.text), ["", "7"])
        XCTAssertEqual(table.rows[3].map(\.colSpan), [3, 1])
        // Laid out on the grid, the rows line up as an HTML table with the same spans would.
        let rows = TableGrid.rows(of: table, tableIndex: 0)
        XCTAssertEqual(rows[2].cells.map(\.text), ["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开", "1"])
        XCTAssertEqual(rows[3].cells.last?.text, "7")
        XCTAssertEqual(rows[3].cells.last?.column, 4)
    }

    func docx(_ documentXML: [UInt8], name: String = "word/document.xml") throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(documentXML.count), compressionMethod: .deflate) { position, size in
            Data(documentXML[Int(position)..<Int(position) + size])
        }
        return [UInt8](try XCTUnwrap(archive.data))
    }

    func testZipBombsAndForeignZipsAreRefused() throws {
        let reader = WordReader(maxBytes: 1_000_000)
        let bomb = try docx([UInt8](repeating: 0x20, count: 5_000_000))
        XCTAssertLessThan(bomb.count, 100_000)
        XCTAssertThrowsError(try reader.documentXML(ofDOCX: bomb)) { error in
            XCTAssertTrue("\(error)".contains("limit") || "\(error)".contains("inflates"), "\(error)")
        }
        XCTAssertThrowsError(try reader.documentXML(ofDOCX: try docx(Array("x".utf8), name: "xl/workbook.xml"))) { error in
            XCTAssertTrue("\(error)".contains("not a Word document"), "\(error)")
        }
        XCTAssertEqual(try reader.documentXML(ofDOCX: try docx(Array("<w:document/>".utf8))), Array("<w:document/>".utf8))
    }

    /// A missing converter is a clear per-document failure naming the package.
    func testMissingLibreOfficeNamesThePackage() throws {
        var configuration = PipelineConfiguration(baseDirectory: URL(fileURLWithPath: "."))
        configuration.stages = [.read, .decode, .extract, .normalize, .validate]
        configuration.decode.libreoffice = "/nonexistent/soffice"
        let sample = packageRoot().appendingPathComponent("samples/qingfeng_district_2019.doc")
        guard case let .failed(_, failure, _) = DocumentProcessor(configuration: configuration).process(path: sample.path) else {
            return XCTFail("expected a failure")
        }
        XCTAssertEqual(failure.stage, .decode)
        XCTAssertTrue(failure.reason.contains("libreoffice-writer-nogui"), failure.reason)
    }

    func packageRoot() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}

/// A damaged zip must fail the one document, never the process (`make fuzz` found a crash inside the zip
/// library's in-memory reader on a mutated .docx).
final class DamagedDOCXTests: XCTestCase {
    func testMutatedArchivesFailCleanly() throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/quanbei_city_2022.docx")))
        var generator = SplitMix(seed: 2026)
        var failed = 0
        for round in 0..<3000 {
            var bytes = original
            // Damage where it hurts: the central directory and local headers hold sizes and offsets.
            for _ in 0..<(1 + round % 4) {
                let position = round % 3 == 0 ? bytes.count - 1 - Int(generator.next() % 120) : Int(generator.next() % UInt64(bytes.count))
                bytes[max(4, position)] = UInt8(truncatingIfNeeded: generator.next())
            }
            if round % 7 == 0 { bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count)) + 4)) }
            do { _ = try WordReader().documentXML(ofDOCX: bytes) } catch { failed += 1 }
        }
        XCTAssertGreaterThan(failed, 0)
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
