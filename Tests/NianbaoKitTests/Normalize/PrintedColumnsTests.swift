import XCTest
@testable import NianbaoKit

/// Columns named by the header above the figures, for reports that print them in another order than the template.
final class PrintedColumnsTests: XCTestCase {
    private func row(_ texts: [String]) -> TableRow { TableRow(texts: texts) }

    /// A tab export's two-row applicant header: 法人或其他组织 stands for the five columns under it.
    func testTwoRowHeaderOfATextExport() throws {
        let rows = [
            row(["", "自然人", "法人或其他组织", "", "", "", "", "总计"]),
            row(["", "", "科研机构", "商业企业", "社会公益组织", "法律服务机构", "其他", ""]),
            row(["一、本年新收政府信息公开申请数量", "96", "3", "14", "1", "0", "0", "114"]),
        ]
        let stacks = PrintedColumns.headerStacks(rows, table: .requests)
        XCTAssertNil(stacks[0])
        XCTAssertNil(stacks[1])
        let codes = PrintedColumns.columnCodes(try XCTUnwrap(stacks[2]), table: .requests)
        XCTAssertEqual(codes, [2: "natural_person", 3: "research", 4: "commercial", 5: "public_interest", 6: "legal_services",
                               7: "other_org", 8: "total"])
    }

    /// Table 四's kinds of case count in their order even where only the kind is known (a compact header line).
    func testKindsOfCaseOutOfTemplateOrderContradict() {
        let template = TemplateSchema.table(.appeals, .v2021).rows.flatMap { row in row.columns.map { "\(row.code).\($0.code)" } }
        XCTAssertTrue(PrintedColumns.contradicts([0: "review.upheld", 5: "suit_after_review.upheld", 10: "suit_direct"], template: template))
        XCTAssertFalse(PrintedColumns.contradicts([0: "review.upheld", 5: "suit_direct", 10: "suit_after_review"], template: template))
    }

    /// PDF text's header lines are prose whose names are cut in pieces; their order on a line is still read.
    func testProseHeaderOrder() {
        func rows(_ lines: [String]) -> [TableRow] { lines.map { TableRow(texts: [$0]) } + [row(["一、本年新收政府信息公开申请数量", "96", "4"])] }
        XCTAssertTrue(PrintedColumns.proseHeaderContradicts(rows(["项加第四项之和）   然 科研 商业 社会公 法律服 其 总计"]), table: .requests))
        XCTAssertFalse(PrintedColumns.proseHeaderContradicts(rows(["项加第四项之和）   然 商业 科研 社会公 法律服 其 总计", "人 企业 机构 益组织 务机构 他"]),
                                                             table: .requests))
        XCTAssertTrue(PrintedColumns.proseHeaderContradicts(rows(["结果 结果 其他 尚未 总 复议后起诉    未经复议直接起诉"]), table: .appeals))
        XCTAssertFalse(PrintedColumns.proseHeaderContradicts(rows(["行政复议        行政诉讼", "结果 结果 其他 尚未 总 未经复议直接起诉   复议后起诉"]), table: .appeals))
        // Lines after the first row of figures are not the header.
        XCTAssertFalse(PrintedColumns.proseHeaderContradicts([row(["一、本年新收政府信息公开申请数量", "96"]), row(["科研 商业"])], table: .requests))
    }

    /// A row of table 四's header naming kinds or results out of the template's order, wherever it stands.
    func testAppealHeaderRowOrder() {
        XCTAssertTrue(PrintedColumns.appealHeaderRowContradicts(["行政复议", "复议后起诉", "未经复议直接起诉"]))
        XCTAssertFalse(PrintedColumns.appealHeaderRowContradicts(["行政复议", "未经复议直接起诉", "复议后起诉"]))
        XCTAssertTrue(PrintedColumns.appealHeaderRowContradicts(["结果纠正", "结果维持", "其他结果", "尚未审结", "总计"]))
        let results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总　计"]
        XCTAssertFalse(PrintedColumns.appealHeaderRowContradicts(results + results + results))
        // PDF text's pieces of names, and two blocks' last pieces, say nothing.
        XCTAssertFalse(PrintedColumns.appealHeaderRowContradicts(["维持", "纠正", "结果", "审结", "结果", "结果", "其他", "尚未"]))
        XCTAssertFalse(PrintedColumns.appealHeaderRowContradicts(["总计", "总计"]))
        // Narrow columns cut every name; a fourth run of results in order means a block printed two the other way.
        let cutTops = ["结果维", "结果纠", "其他结", "尚未审", "总计"]
        XCTAssertFalse(PrintedColumns.appealHeaderRowContradicts(cutTops + cutTops + cutTops))
        XCTAssertFalse(PrintedColumns.appealHeaderRowContradicts(["持", "正", "果", "结", "持", "正", "果", "结", "持", "正", "果", "结"]))
        XCTAssertTrue(PrintedColumns.appealHeaderRowContradicts(["结果纠", "结果维", "其他结", "尚未审", "总计"] + cutTops + cutTops))
        XCTAssertTrue(PrintedColumns.appealHeaderRowContradicts(["持", "正", "果", "结", "持", "正", "果", "结", "正", "持", "果", "结"]))
        // One name spaced out ("总 计") is one piece, not a new run.
        XCTAssertFalse(PrintedColumns.appealHeaderRowContradicts(["总", "计", "结果", "结果", "其他", "尚未", "结果", "结果", "其他", "尚未"]))
    }

    /// Header rows of one block naming columns in opposite orders contradict each other; table 二's blocks each
    /// have their own header.
    func testHeaderRowsThatDisagree() {
        let disagreeing = [row(["", "", "商业企业", "科研机构", "社会公益组织"]), row(["项目", "自然人", "科研机构", "商业企业", "总计"]),
                           row(["一、本年新收政府信息公开申请数量", "96", "18"])]
        XCTAssertTrue(PrintedColumns.headerRowsDisagree(disagreeing, table: .requests))
        let blocks = [row(["信息内容", "本年新制作数量", "本年新公开数量"]), row(["规范性文件", "12", "12"]),
                      row(["信息内容", "处理决定数量", "上一年项目数量", "增减情况"]), row(["行政许可", "3175", "214", "6"]),
                      row(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]), row(["行政处罚", "406", "11", "744"])]
        XCTAssertFalse(PrintedColumns.headerRowsDisagree(blocks, table: .active))
    }

    /// Only this year's print captioned: the uncaptioned print with other figures is left out, and said.
    func testAnUncaptionedPrintLeftOutIsSaid() {
        let rows = [row(["第二十条第（五）项"]), row(["行政许可", "5"]), row(["2022年度情况："]), row(["第二十条第（五）项"]), row(["行政许可", "7"])]
        let result = TableReader(table: .active, year: 2022).read(rows)
        XCTAssertEqual(result.cells.first { $0.row == "licensing" }?.value, 7)
        XCTAssertTrue(result.findings.contains { $0.rule == .structureDuplicateTable && $0.message.contains("no caption") }, "\(result.findings)")
    }

    /// Two header lines naming the same columns in another arrangement contradict each other: those columns get no
    /// column; lines that name different columns over each other (a text export out of line) are no contradiction.
    func testHeaderLinesThatDisagree() throws {
        let disagreeing = [
            row(["", "行政复议", "", "", "", "", "行政诉讼"]),
            row(["", "结果纠正", "结果维持", "其他结果", "尚未审结", "总计", "未经复议直接起诉"]),
            row(["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持"]),
            row(["", "1", "3", "2", "1", "7", "1"]),
        ]
        let codes = PrintedColumns.appealCodes(try XCTUnwrap(PrintedColumns.headerStacks(disagreeing, table: .appeals)[3]))
        XCTAssertEqual(codes[2]?.row, PrintedColumns.disagreeing)
        XCTAssertEqual(codes[3]?.row, PrintedColumns.disagreeing)
        XCTAssertEqual(codes[4]?.col, "other")
        let outOfLine = [
            row(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]),
            row(["自然人", "法人或其他组织", "总计"]),
            row(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]),
            row(["一、本年新收政府信息公开申请数量", "340", "40", "1", "3", "7", "1", "392"]),
        ]
        let stacks = try XCTUnwrap(PrintedColumns.headerStacks(outOfLine, table: .requests)[3])
        XCTAssertTrue(PrintedColumns.permutedColumns(stacks, memo: PrintedColumns.CodeMemo(.requests)).isEmpty)
        XCTAssertFalse(PrintedColumns.columnCodes(stacks, table: .requests).values.contains(PrintedColumns.disagreeing))
    }

    /// Table 四 with 行政诉讼 first, the spans lost: the kinds of case stand for the columns after them.
    func testAppealsHeaderWithTheSuitsFirst() throws {
        let outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        let rows = [
            row(["行政诉讼"] + Array(repeating: "", count: 9) + ["行政复议"]),
            row(["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""] + outcomes),
            row(outcomes + outcomes),
            row((1...15).map(String.init)),
        ]
        let codes = PrintedColumns.appealCodes(try XCTUnwrap(PrintedColumns.headerStacks(rows, table: .appeals)[3]))
        XCTAssertEqual(codes.count, 15)
        XCTAssertEqual(codes[1]?.row, "suit_direct")
        XCTAssertEqual(codes[1]?.col, "upheld")
        XCTAssertEqual(codes[10]?.row, "suit_after_review")
        XCTAssertEqual(codes[10]?.col, "total")
        XCTAssertEqual(codes[11]?.row, "review")
        XCTAssertEqual(codes[15]?.col, "total")
    }

    /// Figures go under their header only where it names every figure's column in another order; a header in the
    /// template's order, or one that names only some columns, leaves them placed by position.
    func testIndicesByHeaderOnlyWhenTheHeaderExplainsTheRow() {
        let columns = [ColumnDefinition("issued", "本年制发件数"), ColumnDefinition("repealed", "本年废止件数"), ColumnDefinition("in_force", "现行有效件数")]
        var layout = RowLayout(labels: ["行政规范性文件"], slots: ["41", "7", "3"], slotColumns: [2, 3, 4])
        layout.printedColumns = [2: "in_force", 3: "issued", 4: "repealed"]
        XCTAssertEqual(TableReader.indicesByHeader(layout, columns: columns), [1, 2, 0])
        layout.printedColumns = [2: "issued", 3: "repealed", 4: "in_force"]
        XCTAssertNil(TableReader.indicesByHeader(layout, columns: columns))
        layout.printedColumns = [2: "in_force", 3: "issued"]
        XCTAssertNil(TableReader.indicesByHeader(layout, columns: columns))
        layout.printedColumns = [2: "in_force", 3: "in_force", 4: "repealed"]
        XCTAssertNil(TableReader.indicesByHeader(layout, columns: columns))
    }

    /// Captions naming a year: the report's year's table is read, another year's left out.
    func testCaptionYears() {
        XCTAssertEqual(TableReader.captionYear(row(["（一）2021年度情况"])), 2021)
        XCTAssertEqual(TableReader.captionYear(row(["2022年"])), 2022)
        XCTAssertNil(TableReader.captionYear(row(["2022年，本机关主动公开政府信息1342条"])))
        XCTAssertNil(TableReader.captionYear(row(["2021年", "5"])))
        XCTAssertNil(TableReader.captionYear(row(["行政许可"])))
        XCTAssertEqual(TableReader.captionYear(row(["（一）二〇二一年度情况"])), 2021)
        XCTAssertEqual(TableReader.captionYear(row(["（一）上年度情况"]), reportYear: 2022), 2021)
        XCTAssertEqual(TableReader.captionYear(row(["（二）本年度情况"]), reportYear: 2022), 2022)
        XCTAssertEqual(TableReader.caption(row(["（上表为2021年度数据）"]))?.back, 2021)
        XCTAssertEqual(TableReader.caption(row(["注：以上为上年度情况"]), reportYear: 2022)?.back, 2021)
        XCTAssertEqual(TableReader.caption(row(["（一）2021年度情况"]))?.forward, 2021)
        XCTAssertEqual(TableReader.caption(row(["（上表为2021年度数据，下表为2022年度数据）"])),
                       TableReader.Caption(back: 2021, forward: 2022))
        XCTAssertEqual(TableReader.caption(row(["（2021年度）"]))?.undirected, 2021)
        XCTAssertEqual(TableReader.caption(row(["为便于对比，现将2021年度情况一并列出："]))?.forward, 2021)
        XCTAssertEqual(TableReader.caption(row(["注：本表统计期间为2021年1月1日至2021年12月31日"]))?.back, 2021)
        XCTAssertEqual(TableReader.captionYear(row(["表1 2021年政府信息公开申请情况"])), 2021)
        XCTAssertEqual(TableReader.captionYear(row(["去年情况"]), reportYear: 2022), 2021)
        XCTAssertEqual(TableReader.captionYear(row(["本年"]), reportYear: 2022), 2022)
        XCTAssertNil(TableReader.captionYear(row(["二、上年结转政府信息公开申请数量"]), reportYear: 2022))
        XCTAssertNil(TableReader.caption(row(["2022年，本机关共收到政府信息公开申请146件"])))
        XCTAssertNil(TableReader.caption(row(["2022年，本机关进一步规范依申请公开工作流程"])))
        // A template row printed blank is no caption.
        XCTAssertNil(TableReader.captionYear(row(["二、上年结转政府信息公开申请数量"]), reportYear: 2022))
        XCTAssertNil(TableReader.captionYear(row(["一、本年新收政府信息公开申请数量"]), reportYear: 2022))
        let reader = TableReader(table: .active, year: 2022)
        let rows = [row(["2021年"]), row(["行政许可", "5"]), row(["2022年"]), row(["行政许可", "7"])]
        let kept = reader.rowsOfReportYear(rows)
        XCTAssertEqual(kept.rows.map(\.joinedText), ["2022年", "行政许可 7"])
        XCTAssertEqual(kept.leftOut, [2021])
        // Only other years captioned: nothing is left out.
        XCTAssertEqual(TableReader(table: .active, year: 2023).rowsOfReportYear(rows).rows.count, 4)
    }

    /// A header in another order that cannot place every figure leaves them unplaced; one in the template's order
    /// (even slid against the rows) is no reason to leave position. Notes in brackets are no part of a name, and a
    /// label naming two columns names neither.
    func testHeaderOrderAndNames() throws {
        XCTAssertTrue(PrintedColumns.contradicts([2: "corrected", 3: "upheld"], template: ["upheld", "corrected", "total"]))
        XCTAssertFalse(PrintedColumns.contradicts([2: "upheld", 5: "total"], template: ["upheld", "corrected", "total"]))
        XCTAssertFalse(PrintedColumns.contradicts([2: "upheld", 3: "suit_direct"], template: ["upheld", "total"]))
        let rows = [
            row(["单位：件（总计=自然人+法人或其他组织）", "自然人", "商业企业（含个体工商户、法律服务机构以外的企业）", "科研", "合计"]),
            row(["一、本年新收政府信息公开申请数量", "5", "3", "1", "9"]),
        ]
        let codes = PrintedColumns.columnCodes(try XCTUnwrap(PrintedColumns.headerStacks(rows, table: .requests)[1]), table: .requests)
        XCTAssertEqual(codes, [2: "natural_person", 3: "commercial", 4: "research", 5: "total"])
    }
}

/// Captions that give a table as another body's or a wider area's (adv27: such a table replaced the report's own).
final class OtherScopeCaptionTests: XCTestCase {
    func testCaptionsNamingAnotherBodyOrArea() {
        XCTAssertTrue(OtherScopeCaption.isOtherScope("附：全县2022年度政府信息公开行政复议、行政诉讼情况（供参考）", agency: "南坪县东溪镇人民政府"))
        XCTAssertTrue(OtherScopeCaption.isOtherScope("附：青石市2022年度情况", agency: "青石县人民政府"))
        XCTAssertTrue(OtherScopeCaption.isOtherScope("同期对比：北岭县公安局2022年度情况", agency: "北岭县文化和旅游局"))
        XCTAssertTrue(OtherScopeCaption.isOtherScope("全市2022年度汇总", agency: nil))
        // The report's own area or body, a year caption, a lead-in: not another's.
        XCTAssertFalse(OtherScopeCaption.isOtherScope("全县2022年度情况", agency: "南坪县人民政府"))
        XCTAssertFalse(OtherScopeCaption.isOtherScope("青石县2022年度情况", agency: "青石县人民政府办公室"))
        XCTAssertFalse(OtherScopeCaption.isOtherScope("为便于对比，下表为2021年度数据", agency: "青石县人民政府"))
        XCTAssertFalse(OtherScopeCaption.isOtherScope("（上表为2021年度数据）", agency: "青石县教育局"))
        XCTAssertFalse(OtherScopeCaption.isOtherScope("本局2022年度情况", agency: "青石县教育局"))
        XCTAssertFalse(OtherScopeCaption.isOtherScope("南坪县东溪镇2022年度政府信息公开情况统计表", agency: "东溪镇人民政府"))
    }
}
