import XCTest
@testable import NianbaoKit

final class DecoderTests: XCTestCase {
    /// 浛 exists in GBK but not in GB2312: a page labelled gb2312 must still decode whole.
    let gbkOnly = "浛水县松溪镇人民政府"

    func gbk(_ text: String) throws -> [UInt8] {
        try IconvConverterTests.encode(text, to: "GBK")
    }

    func testMetaGB2312IsReadAsGB18030() throws {
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>\(gbkOnly)</p></body></html>"
        let bytes = try gbk(html)
        let decoded = try Decoder().decode(SourceDocument(source: "page.html", bytes: bytes))
        XCTAssertEqual(decoded.encoding, "GB18030")
        XCTAssertEqual(decoded.evidence, .meta)
        XCTAssertTrue(decoded.text.contains(gbkOnly))
        XCTAssertTrue(decoded.findings.isEmpty)
    }

    func testOrderOfEvidence() throws {
        let detector = EncodingDetector()
        XCTAssertEqual(detector.detect([0xEF, 0xBB, 0xBF, 0x41], declared: nil).encoding, "UTF-8")
        XCTAssertEqual(detector.detect([0xEF, 0xBB, 0xBF, 0x41], declared: nil).evidence, .bom)
        XCTAssertEqual(detector.detect(Array("纯文本".utf8), declared: nil).evidence, .utf8Valid)
        XCTAssertEqual(detector.detect(try gbk("纯文本"), declared: nil).encoding, "GB18030")
        XCTAssertEqual(detector.detect(try gbk("纯文本"), declared: nil).evidence, .fallback)
        XCTAssertEqual(detector.detect(try gbk("纯文本"), declared: "gbk").evidence, .declared)
        // A UTF-8 label on bytes that are not UTF-8 is not trusted.
        let mislabelled = Array("<meta charset=\"utf-8\">".utf8) + (try gbk("政府"))
        XCTAssertEqual(detector.detect(mislabelled, declared: nil).encoding, "GB18030")
        XCTAssertEqual(EncodingDetector.canonicalName("latin1"), "WINDOWS-1252")
        XCTAssertEqual(EncodingDetector.canonicalName("x-gbk"), "GB18030")
    }

    func testEmptyAndBinaryFail() {
        XCTAssertThrowsError(try Decoder().decode(SourceDocument(source: "e.txt", bytes: []))) { error in
            XCTAssertTrue((error as? StageFailure)?.reason.contains("empty") == true)
        }
        XCTAssertThrowsError(try Decoder().decode(SourceDocument(source: "b.html", bytes: [0x89, 0x50, 0x4E, 0x47, 0, 0, 1, 2]))) { error in
            XCTAssertTrue((error as? StageFailure)?.reason.contains("binary") == true)
        }
    }

    func testInvalidBytesAreReplacedAndReported() throws {
        var bytes = try gbk("规章")
        bytes.append(0xFF)
        let decoded = try Decoder().decode(SourceDocument(source: "t.txt", bytes: bytes))
        XCTAssertTrue(decoded.text.hasPrefix("规章"))
        XCTAssertEqual(decoded.findings.first?.rule, .decodeInvalidBytes)
    }

    func testKindFromNameAndContent() {
        XCTAssertEqual(Decoder.kind(of: SourceDocument(source: "a.md", bytes: Array("# 标题".utf8))), .markdown)
        XCTAssertEqual(Decoder.kind(of: SourceDocument(source: "a.txt", bytes: Array("<html><body>".utf8))), .html)
        XCTAssertEqual(Decoder.kind(of: SourceDocument(source: "a.txt", bytes: Array("规章\t1".utf8))), .text)
    }
}

final class IconvConverterTests: XCTestCase {
    static func encode(_ text: String, to encoding: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", encoding]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }

    func testRoundTripGB18030() throws {
        let text = "政府信息公开工作年度报告 浛 ２０２１"
        let bytes = try Self.encode(text, to: "GB18030")
        let result = try IconvConverter.toUTF8(bytes, from: "GB18030")
        XCTAssertEqual(String(decoding: result.utf8, as: UTF8.self), text)
        XCTAssertEqual(result.replacedBytes, 0)
    }

    func testTruncatedSequenceAtEnd() throws {
        let bytes = try Self.encode("公开", to: "GB18030") + [0xB9]
        let result = try IconvConverter.toUTF8(bytes, from: "GB18030")
        XCTAssertEqual(String(decoding: result.utf8, as: UTF8.self), "公开\u{FFFD}")
        XCTAssertEqual(result.replacedBytes, 1)
    }
}

final class PDFTextReaderTests: XCTestCase {
    /// A one-page PDF with no text at all, as a scanner without OCR produces.
    static let blankPDF = """
        %PDF-1.4
        1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj
        2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj
        3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>> endobj
        trailer <</Root 1 0 R>>
        %%EOF
        """

    func testPDFWithoutTextLayerIsAFailure() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else { throw XCTSkip("pdftotext is not installed") }
        let reader = PDFTextReader()
        let decoder = Decoder(pdfText: { try reader.text(of: $0, limits: $1) })
        XCTAssertThrowsError(try decoder.decode(SourceDocument(source: "scan.pdf", bytes: Array(Self.blankPDF.utf8)))) { error in
            XCTAssertTrue((error as? StageFailure)?.reason.contains("text layer") == true, "\(error)")
        }
    }

    func testMissingPdftotextIsAClearFailure() {
        let reader = PDFTextReader(executable: "nianbao-no-such-pdftotext")
        XCTAssertThrowsError(try reader.text(of: SourceDocument(source: "a.pdf", bytes: Array(Self.blankPDF.utf8)))) { error in
            XCTAssertTrue("\(error)".contains("not installed"), "\(error)")
        }
    }
}
