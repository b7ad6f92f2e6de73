import XCTest
@testable import NianbaoKit

/// Builds a small tab-separated report for normalizer tests.
enum TabSeparatedReport {
    static func requestsRows(sixth: [String]) -> String {
        let zero = "0\t0\t0\t0\t0\t0\t0"
        var lines = ["三、收到和处理政府信息公开申请情况",
                     "\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计",
                     "一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t0\t5",
                     "二、上年结转政府信息公开申请数量\t\(zero)",
                     "三、本年度办理结果\t(一) 予以公开\t5\t0\t0\t0\t0\t0\t5",
                     "\t(二) 部分公开\t\(zero)"]
        let withheld = ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益", "属于三类内部事务信息",
                        "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"]
        for (index, label) in withheld.enumerated() { lines.append((index == 0 ? "\t(三) 不予公开\t" : "\t\t") + "\(index + 1).\(label)\t\(zero)") }
        for (index, label) in ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"].enumerated() {
            lines.append((index == 0 ? "\t(四) 无法提供\t" : "\t\t") + "\(index + 1).\(label)\t\(zero)")
        }
        for (index, label) in ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请", "要求行政机关确认或重新出具已获取信息"].enumerated() {
            lines.append((index == 0 ? "\t(五) 不予处理\t" : "\t\t") + "\(index + 1).\(label)\t\(zero)")
        }
        lines += sixth
        lines.append("\t(七) 总计\t5\t0\t0\t0\t0\t0\t5")
        lines.append("四、结转下年度继续办理\t\(zero)")
        return lines.joined(separator: "\n")
    }

    static let active2021 = """
        二、主动公开政府信息情况
        信息内容\t本年制发件数\t本年废止件数\t现行有效件数
        规章\t0\t0\t3
        行政规范性文件\t2\t1\t20
        信息内容\t本年处理决定数量
        行政许可\t100
        行政处罚\t20
        行政强制\t1
        信息内容\t本年收费金额（单位：万元）
        行政事业性收费\t1.5
        """

    static let appeals = """
        四、政府信息公开行政复议、行政诉讼情况
        行政复议\t\t\t\t\t行政诉讼
        结果维持\t结果纠正\t其他结果\t尚未审结\t总计
        10\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0
        五、存在的主要问题及改进情况
        无。
        """

    static func report(year: Int, sixth: [String]) -> String {
        "某县人民政府\(year)年政府信息公开工作年度报告\n一、总体情况\n正文。\n\(active2021)\n\(requestsRows(sixth: sixth))\n\(appeals)\n"
    }
}

final class NormalizerTests: XCTestCase {
    func testHybridFormatIsDecidedPerTable() throws {
        let text = TabSeparatedReport.report(year: 2021, sixth: ["\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0"])
        let report = try XCTUnwrap(report(processText(text)))
        XCTAssertEqual(report.metadata.agency, "某县人民政府")
        XCTAssertEqual(report.metadata.year, 2021)
        XCTAssertEqual(report.formats, [.active: .v2021, .requests: .v2019, .appeals: .v2021])
        XCTAssertEqual(report.cell(.active, "fees", "amount")?.value, 1.5)
        XCTAssertEqual(report.cell(.requests, "other", "total")?.value, 0)
        XCTAssertEqual(report.cell(.appeals, "review", "upheld")?.value, 10)
    }

    func testRealErrorIsReportedAndNothingElse() throws {
        let text = TabSeparatedReport.report(year: 2022, sixth: ["\t(六) 其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0",
                                                          "\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0",
                                                          "\t\t3.其他\t0\t0\t0\t0\t0\t0\t0"])
        let report = try XCTUnwrap(report(processText(text)))
        XCTAssertEqual(report.formats[.requests], .v2021)
        let errors = report.findings.filter { $0.severity == .error }
        XCTAssertEqual(errors.map(\.rule.rawValue), ["appeals.row_sum"])
        XCTAssertEqual(errors.first?.row, "review")
        XCTAssertEqual(errors.first?.expected, 11)
        XCTAssertEqual(errors.first?.actual, 0)
    }

    func testUnknownAndMissingRowsAreReported() throws {
        var text = TabSeparatedReport.report(year: 2021, sixth: ["\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0"])
        text = text.replacingOccurrences(of: "行政处罚\t20", with: "行政裁决\t20")
        let report = try XCTUnwrap(report(processText(text)))
        XCTAssertTrue(report.findings.contains { $0.rule == .structureUnknownRow && $0.message.contains("行政裁决") })
        XCTAssertTrue(report.findings.contains { $0.rule == .structureMissingRow && $0.row == "penalty" })
    }

    func testValuesThatCannotBePlacedAreNotGuessed() throws {
        var text = TabSeparatedReport.report(year: 2021, sixth: ["\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0"])
        text = text.replacingOccurrences(of: "规章\t0\t0\t3", with: "规章\t0\t3")
        let report = try XCTUnwrap(report(processText(text)))
        XCTAssertNil(report.cell(.active, "regulations", "issued"))
        XCTAssertTrue(report.findings.contains { $0.rule == .structureColumnCount && $0.row == "regulations" })
    }

    func testOnlyTotalPublishedInADetailRow() throws {
        var text = TabSeparatedReport.report(year: 2021, sixth: ["\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0"])
        // Tab export: empty cells keep their columns.
        text = text.replacingOccurrences(of: "1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0", with: "1.属于国家秘密\t\t\t\t\t\t\t0")
        // Space-aligned line with one figure: only 总计 was filled.
        text = text.replacingOccurrences(of: "\t\t2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0", with: "2.其他法律行政法规禁止公开   0")
        let report = try XCTUnwrap(report(processText(text)))
        for row in ["withheld.state_secret", "withheld.prohibited_by_law"] {
            XCTAssertEqual(report.cell(.requests, row, "total")?.value, 0, row)
            XCTAssertEqual(report.cell(.requests, row, "natural_person")?.state, .blank, row)
        }
        // The fixture's only error is its deliberate table 四 one.
        XCTAssertEqual(report.findings.filter { $0.severity == .error }.map(\.rule.rawValue), ["appeals.row_sum"])
    }

    /// Words where a row's only figures belong were read as more label, and the row stored blank with no finding.
    func testWordsInAFigurePlaceAreTextWithAFinding() throws {
        var text = TabSeparatedReport.report(year: 2021, sixth: ["\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0"])
        text = text.replacingOccurrences(of: "行政强制\t1", with: "行政强制\t详见附件")
            .replacingOccurrences(of: "行政处罚\t20", with: "行政处罚        20件左右")
            .replacingOccurrences(of: "行政规范性文件\t2\t1\t20", with: "行政规范性文件\t不详\t不详\t不详")
        let report = try XCTUnwrap(report(processText(text)))
        for (row, col, raw) in [("coercion", "decisions", "详见附件"), ("penalty", "decisions", "20件左右"),
                                ("normative_documents", "issued", "不详"), ("normative_documents", "in_force", "不详")] {
            let cell = try XCTUnwrap(report.cell(.active, row, col), row)
            XCTAssertEqual(cell.state, .text, row)
            XCTAssertEqual(cell.raw, raw, row)
            XCTAssertTrue(report.findings.contains { $0.rule == .extractTextInFigure && $0.row == row && $0.col == col }, row)
        }
        // The block headings around them stay headings, and the other rows keep their figures.
        XCTAssertEqual(report.cell(.active, "licensing", "decisions")?.value, 100)
        XCTAssertEqual(report.cell(.active, "fees", "amount")?.value, 1.5)
        XCTAssertFalse(report.findings.contains { $0.rule == .structureMissingRow || $0.rule == .structureUnknownRow })
    }

    func testLegacyReportIsUnsupported() throws {
        let text = "某县2017年政府信息公开工作年度报告\n六、政府信息公开情况统计表\n指标名称\t计量单位\t统计数\n一、主动公开政府信息数\t条\t120\n"
        let report = try XCTUnwrap(report(processText(text)))
        XCTAssertTrue(report.unsupportedFormat)
        XCTAssertTrue(report.cells.isEmpty)
    }

    func testTableLessDocumentFails() {
        guard case let .failed(_, failure, _) = processText("某县2021年政府信息公开工作年度报告\n一、总体情况\n只有文字。\n") else {
            return XCTFail("expected a failure")
        }
        XCTAssertEqual(failure.stage, .normalize)
        XCTAssertTrue(failure.reason.contains("no statistical table"))
    }

    /// Found by `make fuzz`: a long run of digits took exponential time in the splitter (a 3 KB input ran > 10 s).
    func testLongDigitRunsAreBoundedInTime() {
        let started = Date()
        XCTAssertEqual(DigitRunSplitter.splits(String(repeating: "1234567890", count: 30), into: 15)?.count ?? 0, 0)
        XCTAssertEqual(DigitRunSplitter.tokenSplits(String(repeating: "9", count: 400), maximumPieces: 15)?.count ?? 0, 0)
        XCTAssertEqual(DigitRunSplitter.splits(String(repeating: "1", count: 60), into: 15)?.count ?? 0, 0, "too many readings: none kept")
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertEqual(DigitRunSplitter.splits("898989", into: 3)?.count, 10)
    }

    /// Every input `make fuzz` found a crash or a timeout with (Tests/Support/fuzz-regressions, named after the
    /// target) runs through its stage again, each within seconds.
    func testFuzzFindingsStayFixed() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/fuzz-regressions")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertFalse(names.isEmpty)
        for name in names {
            guard let stage = FuzzStages(rawValue: String(name.prefix { $0 != "-" })) else { continue }
            let started = Date()
            stage.run([UInt8](try Data(contentsOf: folder.appendingPathComponent(name))))
            XCTAssertLessThan(Date().timeIntervalSince(started), 5, name)
        }
    }
}
