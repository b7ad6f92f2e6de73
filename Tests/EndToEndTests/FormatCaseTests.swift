import XCTest
@testable import NianbaoKit

/// Formats agencies publish, each read exactly or refused with a finding: Word's other forms, money in every
/// unit a header or cell states, markdown under a .txt name, and tables found but mostly unread.
final class FormatCaseTests: XCTestCase {
    var directory: URL!

    override func setUp() { directory = Paths.temporary() }

    func process(_ bytes: [UInt8], name: String) throws -> DocumentOutcome {
        let file = directory.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        var configuration = PipelineConfiguration(baseDirectory: directory)
        configuration.stages = [.read, .decode, .extract, .normalize, .validate]
        return DocumentProcessor(configuration: configuration).process(path: file.path)
    }

    func expected(_ sample: String) throws -> ExpectedReport {
        try ExpectedReport.load(path: Paths.samples.appendingPathComponent(sample + ".expected.json").path)
    }

    func assertExact(_ outcome: DocumentOutcome, _ truth: ExpectedReport, file: StaticString = #filePath, line: UInt = #line) {
        let score = Scorer.score(outcome, expected: truth)
        XCTAssertEqual(score.exact, truth.cells.count, "\(score.problems + score.details)", file: file, line: line)
        XCTAssertEqual(score.wrong, 0, file: file, line: line)
        XCTAssertTrue(score.isClean, "\(score.problems + score.details)", file: file, line: line)
    }

    func testRTFAndWPSAreReadThroughLibreOffice() throws {
        guard Paths.hasLibreOffice else { throw XCTSkip("LibreOffice is not installed (make test installs it)") }
        let truth = try expected("qingfeng_district_2019.doc")
        let rtf = try Data(contentsOf: Paths.packageRoot.appendingPathComponent("Tests/Support/site/qingfeng_district_2019.rtf"))
        XCTAssertEqual(WordReader.format(of: Array(rtf)), .rtf)
        assertExact(try process(Array(rtf), name: "report.rtf"), truth)
        // WPS Office's .wps is Word's binary format under another name; the kind comes from the bytes.
        let doc = try Data(contentsOf: Paths.samples.appendingPathComponent("qingfeng_district_2019.doc"))
        assertExact(try process(Array(doc), name: "report.wps"), truth)
        assertExact(try process(Array(doc), name: "report.bin"), truth)
    }

    /// The 收费金额 column of a 2021 report in every unit: in the header (单位：X) and in the cell.
    func testMoneyInEveryUnitIsConvertedExactly() throws {
        let page = try String(contentsOf: Paths.samples.appendingPathComponent("linchuan_transport_2021.html"), encoding: .utf8)
        let truth = try expected("linchuan_transport_2021.html")
        XCTAssertTrue(page.contains("（单位：万元）") && page.contains(">356.82<"))
        let figures = [("元", "3568200"), ("千元", "3568.2"), ("万元", "356.82"), ("百万元", "3.5682"), ("千万元", "0.35682"), ("亿元", "0.035682")]
        for (unit, figure) in figures {
            let inHeader = page.replacingOccurrences(of: "（单位：万元）", with: "（单位：\(unit)）").replacingOccurrences(of: ">356.82<", with: ">\(figure)<")
            assertExact(try process(Array(inHeader.utf8), name: "header-\(figure).html"), truth)
            let inCell = page.replacingOccurrences(of: "（单位：万元）", with: "").replacingOccurrences(of: ">356.82<", with: ">\(figure)\(unit)<")
            assertExact(try process(Array(inCell.utf8), name: "cell-\(figure).html"), truth)
        }
        // A currency nianbao does not convert: the cell is left out with a finding, never read as 万元.
        let dollars = page.replacingOccurrences(of: "（单位：万元）", with: "（单位：美元）").replacingOccurrences(of: ">356.82<", with: ">500000<")
        guard case let .report(_, report) = try process(Array(dollars.utf8), name: "dollars.html") else { return XCTFail("not read") }
        XCTAssertNil(report.cells.first { $0.table == .active && $0.row == "fees" })
        XCTAssertTrue(report.findings.contains { $0.rule == .extractUnknownUnit && $0.row == "fees" }, "\(report.findings)")
        XCTAssertEqual(report.cells.count, truth.cells.count - 1)
    }

    /// A markdown report under a .txt name used to load 2 of its 200 cells as text.
    func testMarkdownUnderATextNameIsReadAsMarkdown() throws {
        let markdown = try Data(contentsOf: Paths.samples.appendingPathComponent("xiyang_county_2024.md"))
        assertExact(try process(Array(markdown), name: "xiyang_county_2024.txt"), try expected("xiyang_county_2024.md"))
    }

    /// Tables whose headings were found but whose rows mostly were not: an error, not a thin report with warnings.
    func testTablesMostlyUnreadIsAnError() throws {
        let text = """
            某县人民政府2023年政府信息公开工作年度报告
            二、主动公开政府信息情况
            信息内容 本年制发件数 本年废止件数 现行有效件数
            规章 0 0 0
            三、收到和处理政府信息公开申请情况
            申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计
            一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5
            四、政府信息公开行政复议、行政诉讼情况
            行政复议 行政诉讼
            0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
            """
        let outcome = try process(Array((text + "\n").utf8), name: "thin.txt")
        guard case let .report(_, report) = outcome else { return XCTFail("not read: \(outcome)") }
        let finding = try XCTUnwrap(report.findings.first { $0.rule == .structureMostlyUnread })
        XCTAssertEqual(finding.severity, .error)
        XCTAssertEqual(finding.actual, Double(report.cells.count))
        XCTAssertLessThan(report.cells.count * 2, 200)
        // A complete report has no such finding.
        let whole = try process(Array(try Data(contentsOf: Paths.samples.appendingPathComponent("xiyang_county_2024.md"))), name: "whole.md")
        guard case let .report(_, complete) = whole else { return XCTFail("not read") }
        XCTAssertFalse(complete.findings.contains { $0.rule == .structureMostlyUnread })
    }
}
