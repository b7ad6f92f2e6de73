import XCTest
@testable import NianbaoKit

/// Titles as agencies print them: the agency must be found whatever the title's shape.
final class MetadataReaderTests: XCTestCase {
    private func metadata(_ head: String) throws -> ReportMetadata {
        let body = head + "\n" + TabSeparatedReport.active2021 + "\n" + TabSeparatedReport.requestsRows(sixth: ["\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0"])
            + "\n" + TabSeparatedReport.appeals
        return try XCTUnwrap(report(processText(body))).metadata
    }

    func testTitleShapes() throws {
        // "关于…的报告": the phrase has 的 before 报告.
        var found = try metadata("云栖县人民政府关于2022年度政府信息公开工作的报告\n正文。")
        XCTAssertEqual(found.agency, "云栖县人民政府")
        XCTAssertEqual(found.year, 2022)
        // The year on the line under the title.
        found = try metadata("云栖县人民政府政府信息公开工作年度报告\n（2022年）\n正文。")
        XCTAssertEqual(found.agency, "云栖县人民政府")
        XCTAssertEqual(found.year, 2022)
        // No year in the title at all (it is in the statistics period): the agency still comes from the title.
        found = try metadata("发布日期：2023-01-18\n云栖县人民政府政府信息公开工作年度报告\n统计期限为2022年1月1日至2022年12月31日。")
        XCTAssertEqual(found.agency, "云栖县人民政府")
        XCTAssertEqual(found.year, 2022)
    }

    /// A date that is no date ("2022-13-45", a typo or a counter beside 日期) was stored as the report's publication
    /// date, and the canonical choice among a report's documents prefers the latest date printed: it is no date, and
    /// the next line that prints a real one is read.
    func testImpossibleDatesAreNoPublicationDate() throws {
        XCTAssertNil(MetadataReader.publicationDate(["发布日期：2022-13-45"]))
        XCTAssertNil(MetadataReader.publicationDate(["发布日期：2023-02-29"]))
        XCTAssertNil(MetadataReader.publicationDate(["（2022年4月31日）"]))
        XCTAssertNil(MetadataReader.publicationDate(["发布日期：2022-00-10"]))
        XCTAssertEqual(MetadataReader.publicationDate(["发布日期：2024-02-29"]), "2024-02-29")
        XCTAssertEqual(MetadataReader.publicationDate(["成文日期：2022-13-45", "发布时间：2023-01-18 09:30"]), "2023-01-18")
        let found = try metadata("发布日期：2022-13-45\n云栖县人民政府2022年政府信息公开工作年度报告\n正文。")
        XCTAssertNil(found.publishedOn)
        XCTAssertEqual(found.impossibleDate, "发布日期：2022-13-45")
        // The report says why it has no date.
        let body = "发布日期：2022-13-45\n云栖县人民政府2022年政府信息公开工作年度报告\n" + TabSeparatedReport.active2021 + "\n"
            + TabSeparatedReport.requestsRows(sixth: ["\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0"]) + "\n" + TabSeparatedReport.appeals
        let said = try XCTUnwrap(report(processText(body))).findings.filter { $0.rule == .metadataMissing }
        XCTAssertEqual(said.count, 1)
        XCTAssertTrue(said.first?.message.contains("2022-13-45") == true, "\(said)")
    }
}
