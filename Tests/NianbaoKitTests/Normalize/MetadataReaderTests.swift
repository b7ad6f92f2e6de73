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
}
